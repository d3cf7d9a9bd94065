/** alerts.* and suppressions.* commands: triage of stored alerts, suppression rules, retraining data. */
import type { AlertDetail, AlertExplanation } from '../../contract/live.js';
import { AlertsRepo } from '../db/alerts.repo.js';
import { ensureNotWriting } from './datasets.handlers.js';
import type { BackendContext, HandlerGroup } from './types.js';

/** Alerts of the same source shown with an alert. */
const SAME_SOURCE = 20;
export function alertsHandlers(ctx: BackendContext): HandlerGroup {
  const repo = new AlertsRepo(ctx.db);

  /** The explanation of an alert's representative flow, or why there is none. */
  const explain = async (detail: Omit<AlertDetail, 'explanation' | 'explanationError' | 'sameSource'>): Promise<{ explanation: AlertExplanation | null; explanationError?: string }> => {
    if (detail.modelId === null || !ctx.models.exists(detail.modelId)) {
      return { explanation: null, explanationError: `The model "${detail.modelName}" that raised this alert has been deleted, so its score cannot be explained.` };
    }
    if (detail.features.length === 0) {
      return { explanation: null, explanationError: 'This alert has no stored feature values to explain.' };
    }
    try {
      // TreeSHAP on a deep forest can take a few hundred ms: in the explanation thread
      const explanation = await ctx.alertsThread.explain(detail.modelId, repo.featureValues(detail.id), detail.className);
      return { explanation };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { explanation: null, explanationError: `The score cannot be explained: ${message}` };
    }
  };

  const changed = (reason: 'updated' | 'suppression') => ctx.emit({ name: 'alerts.changed', payload: { reason } });

  return {
    // pages, counts and charts scan the alerts table: in the alerts thread
    'alerts.list': ({ filter, offset, limit, sort }) => ctx.alertsThread.list(filter, offset, limit, sort),

    'alerts.count': ({ filter }) => ctx.alertsThread.count(filter),

    'alerts.get': async ({ id }) => {
      const detail = repo.get(id);
      const why = await explain(detail);
      return { ...detail, ...why, sameSource: repo.sameSource(id, SAME_SOURCE) };
    },

    'alerts.stats': ({ filter, buckets }) => ctx.alertsThread.stats(filter, buckets),

    'alerts.update': ({ filter, status, closeReason, verdict, note }) => {
      const r = repo.update(filter, { status, closeReason, verdict, note });
      if (r.updated > 0) changed('updated');
      return r;
    },

    'alerts.toDataset': ({ filter, name }) => {
      ensureNotWriting(ctx);
      const r = repo.toDataset(filter, name);
      ctx.emit({ name: 'datasets.changed', payload: { id: r.datasetId, reason: 'imported' } });
      return { datasetId: r.datasetId, rows: r.rows, classes: r.classes };
    },

    'suppressions.list': () => ({ rules: repo.listRules() }),

    'suppressions.preview': (fields) => repo.previewRule(fields),

    'suppressions.create': ({ reason, expiresAt, ...fields }) => {
      const rule = repo.createRule(fields, reason, expiresAt);
      changed('suppression');
      return rule;
    },

    'suppressions.delete': ({ id }) => {
      repo.deleteRule(id);
      changed('suppression');
      return { deleted: true as const };
    },
  };
}
