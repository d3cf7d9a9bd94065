import { alertsHandlers } from './alerts.handlers.js';
import { appHandlers } from './app.handlers.js';
import { datasetsHandlers } from './datasets.handlers.js';
import { jobsHandlers } from './jobs.handlers.js';
import { modelsHandlers } from './models.handlers.js';
import { monitorsHandlers } from './monitors.handlers.js';
import { mergeHandlers, type BackendContext, type HandlerMap } from './types.js';

export { mergeHandlers, validateInput, describeIssues } from './types.js';
export type { BackendContext, HandlerMap, HandlerGroup, Handler } from './types.js';

export function createHandlers(ctx: BackendContext): HandlerMap {
  return mergeHandlers({
    app: appHandlers(ctx),
    datasets: datasetsHandlers(ctx),
    jobs: jobsHandlers(ctx),
    models: modelsHandlers(ctx),
    monitors: monitorsHandlers(ctx),
    alerts: alertsHandlers(ctx),
  });
}
