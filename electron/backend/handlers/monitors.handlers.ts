/** monitors.* commands (live sources scored by a model) and models.calibrate (thresholds by target FPR). */
import type { BackendContext, HandlerGroup } from './types.js';

export function monitorsHandlers(ctx: BackendContext): HandlerGroup {
  const m = ctx.monitors;
  return {
    'models.calibrate': ({ id, fpr }) => m.calibrate(id, fpr),
    'monitors.list': () => ({ monitors: m.list() }),
    'monitors.get': ({ id }) => m.get(id),
    'monitors.start': (args) => m.start(args),
    'monitors.pause': ({ id }) => m.pause(id),
    'monitors.resume': ({ id }) => m.resume(id),
    'monitors.stop': ({ id }) => m.stop(id),
    'monitors.setThreshold': ({ id, threshold }) => m.setThreshold(id, threshold),
    'monitors.delete': ({ id }) => {
      m.delete(id);
      return { deleted: true as const };
    },
  };
}
