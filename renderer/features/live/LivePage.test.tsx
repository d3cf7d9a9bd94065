// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertFilter, AlertSummary } from '../../../electron/contract/index.js';
import { useToasts } from '../../components/toasts.js';
import { byTestId, change, cleanup, click, flush, render, useFakeTransport } from '../../test/helpers.js';
import { useModels } from '../models/models.slice.js';
import { summaryOf } from '../models/test-fixtures.js';
import { LivePage } from './LivePage.js';
import { EMPTY_FORM } from './filter.js';
import { resetLiveThrottle, useLive } from './live.slice.js';
import { alertOf, detailOf, monitorOf, statsOf } from './test-fixtures.js';

function resetStore() {
  resetLiveThrottle();
  useLive.setState({
    monitors: {},
    monitorsStatus: 'idle',
    focusMonitorId: null,
    form: EMPTY_FORM,
    filter: {},
    sort: 'newest',
    alerts: [],
    total: 0,
    totalFlows: 0,
    alertsStatus: 'idle',
    stats: null,
    selectedId: null,
    checked: new Set(),
    drawerId: null,
    detail: null,
    detailStatus: 'idle',
    rules: [],
    rulesStatus: 'idle',
    announcement: '',
    active: false,
  });
  useModels.setState({ list: [], listStatus: 'idle', listError: null, details: {}, detailStatus: {} });
  useToasts.setState({ toasts: [] });
}

beforeEach(() => {
  window.location.hash = '#/live';
  resetStore();
});
afterEach(cleanup);

function key(k: string, target: EventTarget = document.body) {
  return act(async () => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  });
}

function liveTransport(alerts: AlertSummary[], extra: Record<string, (input: any) => unknown> = {}) {
  let rows = alerts;
  const t = useFakeTransport({
    'monitors.list': () => ({ monitors: [monitorOf()] }),
    'alerts.list': ({ filter }: { filter: AlertFilter }) => {
      const shown = rows.filter((a) => (filter.includeSuppressed ? true : a.suppressedBy === null) && (!filter.src || a.srcIp === filter.src));
      return { alerts: shown, total: shown.length, flows: shown.reduce((n, a) => n + a.count, 0) };
    },
    'alerts.stats': () => statsOf(),
    'alerts.get': ({ id }: { id: number }) => detailOf(id, { ...rows.find((a) => a.id === id) }),
    'alerts.update': ({ filter, ...patch }: { filter: AlertFilter; verdict?: string; status?: string }) => {
      rows = rows.map((a) => (filter.ids?.includes(a.id) ? { ...a, ...(patch.verdict ? { verdict: patch.verdict as never } : {}), ...(patch.status ? { status: patch.status as never } : {}) } : a));
      return { updated: filter.ids?.length ?? rows.length };
    },
    'suppressions.list': () => ({ rules: [] }),
    'suppressions.preview': ({ src }: { src?: string }) => ({ alerts: rows.filter((a) => a.srcIp === src).length, flows: 12 }),
    'suppressions.create': (input: { src?: string; reason: string }) => {
      rows = rows.map((a) => (a.srcIp === input.src ? { ...a, suppressedBy: 1 } : a));
      return { id: 1, src: input.src ?? null, dst: null, className: null, port: null, reason: input.reason, createdAt: '2025-11-20T10:00:00Z', expiresAt: null, active: true, hidden: 1 };
    },
    'models.list': () => ({ models: [summaryOf({ id: 3, name: 'ET CICIDS', kind: 'extra-trees', datasetId: 5 })] }),
    'models.get': () => ({}),
    'datasets.list': () => ({ datasets: [] }),
    ...extra,
  });
  return { t, rows: () => rows };
}

describe('LivePage', () => {
  it('shows the monitor with its rates and the queue with the alerts', async () => {
    liveTransport([alertOf(1), alertOf(2, { severity: 'critical', className: 'PortScan' })]);
    await render(<LivePage />);
    await flush();
    expect(byTestId('monitor-1')!.getAttribute('data-state')).toBe('running');
    expect(byTestId('monitor-rate-1')!.textContent).toBe('84.2K');
    expect(byTestId('monitor-latency-1')!.textContent).toBe('42 ms');
    expect(byTestId('monitor-alert-rate-1')!.textContent).toBe('12.5');
    expect(byTestId('monitor-pause-1')).not.toBeNull();
    expect(byTestId('alert-queue')!.getAttribute('data-row-count')).toBe('2');
    expect(byTestId('alert-row-2')!.textContent).toContain('Critical');
    expect(byTestId('alert-row-1')!.textContent).toContain('2017-07-05T09:11:30Z');
    // the first row is selected
    expect(byTestId('alert-row-1')!.getAttribute('aria-selected')).toBe('true');
    expect(byTestId('score-histogram')).not.toBeNull();
    expect(byTestId('top-sources')!.textContent).toContain('172.16.0.1');
  });

  it('moves with j/k, opens with Enter, marks with f, closes with Esc; not while typing', async () => {
    const { t } = liveTransport([alertOf(1), alertOf(2), alertOf(3)]);
    await render(<LivePage />);
    await flush();
    await key('j');
    await key('j');
    expect(useLive.getState().selectedId).toBe(3);
    await key('k');
    expect(byTestId('alert-row-2')!.getAttribute('aria-selected')).toBe('true');
    await key('Enter');
    await flush();
    expect(byTestId('alert-drawer')!.getAttribute('data-alert-id')).toBe('2');
    const rows = byTestId('alert-explanation')!.querySelectorAll('[data-testid="explanation-row"]');
    expect(rows).toHaveLength(3);
    expect(rows[0]!.textContent).toContain('Flow Duration');
    expect(rows[0]!.textContent).toContain('within benign p5–p95');
    expect(rows[1]!.querySelector('.explain-neg')).not.toBeNull();
    await key('f');
    await flush();
    expect(t.callsOf('alerts.update')[0]!.input).toEqual({ filter: { ids: [2], includeSuppressed: true }, verdict: 'false-positive' });
    expect(byTestId('alert-row-2')!.textContent).toContain('False pos.');
    expect(byTestId('queue-status')!.textContent).toBe('Alert 2 marked false positive.');
    // j with the drawer open: the drawer follows
    await key('j');
    await flush();
    expect(byTestId('alert-drawer')!.getAttribute('data-alert-id')).toBe('3');
    // typing in a filter field does not move the selection
    const src = byTestId('filter-src') as HTMLInputElement;
    src.focus();
    await key('k', src);
    expect(useLive.getState().selectedId).toBe(3);
    await key('Escape');
    expect(byTestId('alert-drawer')).toBeNull();
  });

  it('acts on the checked alerts (x) before the selected one', async () => {
    const { t } = liveTransport([alertOf(1), alertOf(2), alertOf(3)]);
    await render(<LivePage />);
    await flush();
    await key('x');
    await key('j');
    await key('j');
    await key('x');
    expect(byTestId('bulk-count')!.textContent).toBe('2 checked');
    await key('a');
    await flush();
    expect(t.callsOf('alerts.update')[0]!.input.filter.ids.sort()).toEqual([1, 3]);
    expect(t.callsOf('alerts.update')[0]!.input.status).toBe('acknowledged');
  });

  it('suppresses from the drawer: prefilled source, preview count, the alert leaves the queue', async () => {
    const { t } = liveTransport([alertOf(1), alertOf(2)]);
    await render(<LivePage />);
    await flush();
    await click(byTestId('alert-open-2'));
    await flush();
    await click(byTestId('alert-suppress'));
    expect((byTestId('suppression-src') as HTMLInputElement).value).toBe('172.16.0.2');
    await act(async () => {
      await new Promise((r) => setTimeout(r, 260));
    });
    await flush();
    expect(byTestId('suppression-preview-count')!.textContent).toBe('1');
    await change(byTestId('suppression-reason'), 'lab scanner');
    await click(byTestId('suppression-save'));
    await flush();
    expect(t.callsOf('suppressions.create')[0]!.input).toEqual({ src: '172.16.0.2', reason: 'lab scanner', expiresAt: undefined });
    expect(byTestId('suppression-dialog')).toBeNull();
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    await flush();
    expect(byTestId('alert-row-2')).toBeNull();
    expect(byTestId('alert-row-1')).not.toBeNull();
  });

  it('refuses a bad source filter with a sentence and keeps the last good filter', async () => {
    const { t } = liveTransport([alertOf(1)]);
    await render(<LivePage />);
    await flush();
    const before = t.callsOf('alerts.list').length;
    await change(byTestId('filter-src'), '10.0.0');
    await act(async () => {
      byTestId('filter-src')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await flush();
    expect(byTestId('filter-errors')!.textContent).toContain('an IP address or a subnet');
    expect(t.callsOf('alerts.list').length).toBe(before);
    await change(byTestId('filter-src'), '172.16.0.1');
    await act(async () => {
      byTestId('filter-src')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await flush();
    expect(t.callsOf('alerts.list').at(-1)!.input.filter).toEqual({ src: '172.16.0.1' });
  });

  it('coalesces live events: many monitor updates and alert batches make one re-read, and a toast for high severity', async () => {
    const { t } = liveTransport([alertOf(1)]);
    const { useLiveEvents } = await import('./useLiveEvents.js');
    function Host() {
      useLiveEvents();
      return <LivePage />;
    }
    await render(<Host />);
    await flush();
    const lists = t.callsOf('alerts.list').length;
    await act(async () => {
      for (let i = 0; i < 200; i++) {
        t.emit({ name: 'monitors.changed', payload: monitorOf({ stats: { ...monitorOf().stats, flowsPerSecond: 1000 + i } }) });
        t.emit({
          name: 'alerts.created',
          payload: { monitorId: 1, alerts: [{ alertId: 100 + i, monitorId: 1, created: true, className: 'DDoS', severity: 'critical', score: 0.99, srcIp: '10.9.9.9', dstIp: '10.0.0.5', dstPort: 80, protocol: 'tcp', firstSeen: '2017-07-05T09:10:00Z', lastSeen: '2017-07-05T09:10:00Z', count: 1, suppressedBy: null, flows: 1 }] },
        });
      }
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 300));
    });
    await flush();
    expect(byTestId('monitor-rate-1')!.textContent).toBe('1,199');
    expect(t.callsOf('alerts.list').length - lists).toBe(1);
    const toasts = useToasts.getState().toasts.map((x) => x.text);
    expect(toasts).toEqual(['Critical alert: DDoS from 10.9.9.9 to 10.0.0.5:80 (+199 more)']);
  });
});
