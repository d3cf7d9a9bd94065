/** jobs.* commands. */
import type { BackendContext, HandlerGroup } from './types.js';

export function jobsHandlers(ctx: BackendContext): HandlerGroup {
  return {
    'jobs.list': () => ({ jobs: ctx.registry.list() }),
    'jobs.get': ({ id }) => ctx.registry.get(id),
    'jobs.cancel': ({ id }) => ({ cancelled: ctx.registry.cancel(id) }),
  };
}
