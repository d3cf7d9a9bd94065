/**
 * Keeps the live store current from anywhere in the app: events folded by the coalescer and
 * applied a few times a second, a re-read after a reconnect, and, in the browser face, an in-app
 * toast for new high-severity alerts (the desktop app raises native notifications itself).
 */
import { useEffect } from 'react';
import { api } from '../../api/client.js';
import { toast } from '../../components/toasts.js';
import { type LiveBatch, createCoalescer } from './coalesce.js';
import { SEVERITY_LABEL } from './live-format.js';
import { useLive } from './live.slice.js';

/** One toast per batch: the first alert named, the rest counted. */
export function highSeverityText(batch: LiveBatch): string | null {
  const first = batch.highAlerts[0];
  if (!first) return null;
  const from = first.srcIp ? ` from ${first.srcIp}` : '';
  const to = first.dstIp ? ` to ${first.dstIp}${first.dstPort !== null ? `:${first.dstPort}` : ''}` : '';
  const more = batch.highCount > 1 ? ` (+${batch.highCount - 1} more)` : '';
  return `${SEVERITY_LABEL[first.severity]} alert: ${first.className}${from}${to}${more}`;
}

export function useLiveEvents(): void {
  useEffect(() => {
    const coalescer = createCoalescer((batch) => {
      useLive.getState().applyBatch(batch);
      if (api.face === 'browser') {
        const text = highSeverityText(batch);
        if (text) toast.error(text);
      }
    });
    const offEvent = api.onEvent((event) => coalescer.push(event));
    void useLive.getState().loadMonitors();
    let wasOpen = api.connection().status === 'open';
    const offConn = api.onConnection((state) => {
      const open = state.status === 'open';
      if (open && !wasOpen) {
        const s = useLive.getState();
        void s.loadMonitors();
        if (s.active) {
          void s.loadRules();
          s.refresh();
        }
      }
      wasOpen = open;
    });
    return () => {
      offEvent();
      offConn();
      coalescer.dispose();
    };
  }, []);
}
