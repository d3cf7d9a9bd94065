/** app.* commands. */
import type { BackendContext, HandlerGroup } from './types.js';

export function appHandlers(ctx: BackendContext): HandlerGroup {
  return {
    'app.info': () => ctx.appInfo(),
  };
}
