/**
 * The Live view's state: monitors, the alert queue (one filter, one sort, rows loaded page by
 * page), its charts' statistics, the selection and the checked alerts, the open alert's detail
 * and the suppression rules. Live events reach it through a coalescer (`applyBatch`, at most a
 * few times a second); the queue and charts are then re-read, throttled, while the page is open.
 */
import { create } from 'zustand';
import type {
  AlertDetail,
  AlertFilter,
  AlertStats,
  AlertStatus,
  AlertSummary,
  CommandInput,
  MonitorInfo,
  SuppressionRule,
  ThresholdSpec,
  Verdict,
} from '../../../electron/contract/index.js';
import { api } from '../../api/client.js';
import { errorMessage } from '../../api/errors.js';
import type { LoadStatus } from '../../app/collection.js';
import type { LiveBatch } from './coalesce.js';
import { EMPTY_FORM, type FilterForm, formToFilter } from './filter.js';

export type QueueSort = 'newest' | 'oldest' | 'score' | 'severity' | 'count';
export const PAGE_SIZE = 200;
/** a stable empty list for selectors (a new [] each time would re-render forever) */
export const NO_CLASSES: string[] = [];
export const MAX_LOADED = 5000;
/** the queue and charts are re-read at most this often while events flow */
export const REFRESH_GAP_MS = 1000;

export interface TriagePatch {
  status?: AlertStatus;
  closeReason?: string;
  verdict?: Verdict | 'none';
  note?: string;
}

/** Which alerts an action applies to: the checked ones (else the selected one), some ids, or the filter. */
export type TriageScope = 'auto' | 'filter' | number[];

export interface LiveState {
  monitors: Record<number, MonitorInfo>;
  monitorsStatus: LoadStatus;
  monitorsError: string | null;
  /** the monitor whose score histogram is drawn (null: the first running one) */
  focusMonitorId: number | null;

  form: FilterForm;
  filter: AlertFilter;
  sort: QueueSort;
  alerts: AlertSummary[];
  total: number;
  totalFlows: number;
  alertsStatus: LoadStatus;
  alertsError: string | null;
  loadingMore: boolean;
  stats: AlertStats | null;
  statsError: string | null;

  selectedId: number | null;
  checked: ReadonlySet<number>;
  drawerId: number | null;
  detail: AlertDetail | null;
  detailStatus: LoadStatus;
  detailError: string | null;

  rules: SuppressionRule[];
  rulesStatus: LoadStatus;
  rulesError: string | null;

  /** the last thing triage did, for the polite status line */
  announcement: string;
  /** true while the page is open: only then are the queue and charts kept current */
  active: boolean;

  setActive(active: boolean): void;
  loadMonitors(): Promise<void>;
  startMonitor(input: CommandInput<'monitors.start'>): Promise<MonitorInfo>;
  monitorAction(id: number, action: 'pause' | 'resume' | 'stop' | 'delete'): Promise<void>;
  setThreshold(id: number, threshold: ThresholdSpec): Promise<void>;
  focusMonitor(id: number | null): void;

  setForm(patch: Partial<FilterForm>): void;
  resetForm(): void;
  setSort(sort: QueueSort): void;
  loadAlerts(): Promise<void>;
  loadMore(): Promise<void>;
  loadStats(): Promise<void>;
  /** re-read the queue, the charts (and the open alert), throttled */
  refresh(): void;

  select(id: number | null): void;
  move(delta: number): void;
  toggleCheck(id: number): void;
  setChecked(ids: Iterable<number>): void;
  clearChecked(): void;
  openDrawer(id?: number): void;
  closeDrawer(): void;
  loadDetail(id: number): Promise<void>;

  triage(scope: TriageScope, patch: TriagePatch): Promise<number>;
  toDataset(name: string, scope: 'checked' | 'filter'): Promise<{ datasetId: number; rows: number; classes: Record<string, number> }>;

  loadRules(): Promise<void>;
  previewRule(rule: RuleFields): Promise<{ alerts: number; flows: number }>;
  createRule(input: CommandInput<'suppressions.create'>): Promise<SuppressionRule>;
  deleteRule(id: number): Promise<void>;

  applyBatch(batch: LiveBatch): void;
}

export interface RuleFields {
  src?: string;
  dst?: string;
  className?: string;
  port?: number;
}

let listSeq = 0;
let statsSeq = 0;
let detailSeq = 0;

// the throttled re-read: one in flight, the next no sooner than REFRESH_GAP_MS after the last began
let refreshRunning = false;
let refreshWanted = false;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let lastRefresh = -Infinity;

function verdictWords(v: Verdict | 'none'): string {
  return v === 'true-positive' ? 'true positive' : v === 'false-positive' ? 'false positive' : 'without a verdict';
}

function patchWords(p: TriagePatch): string {
  const parts: string[] = [];
  if (p.status === 'acknowledged') parts.push('acknowledged');
  else if (p.status === 'closed') parts.push(p.closeReason ? `closed (${p.closeReason})` : 'closed');
  else if (p.status === 'open') parts.push('reopened');
  if (p.verdict) parts.push(`marked ${verdictWords(p.verdict)}`);
  if (p.note) parts.push('noted');
  return parts.join(', ') || 'updated';
}

function applyPatch(a: AlertSummary, p: TriagePatch): AlertSummary {
  const next = { ...a };
  if (p.status) {
    next.status = p.status;
    next.closeReason = p.status === 'closed' ? (p.closeReason ?? a.closeReason) : null;
  }
  if (p.verdict) next.verdict = p.verdict === 'none' ? null : p.verdict;
  if (p.note) next.noteCount = a.noteCount + 1;
  return next;
}

export const useLive = create<LiveState>()((set, get) => {
  function scopeIds(scope: TriageScope): number[] | null {
    if (scope === 'filter') return null;
    if (Array.isArray(scope)) return scope;
    const s = get();
    if (s.checked.size > 0) return [...s.checked];
    return s.selectedId !== null ? [s.selectedId] : [];
  }

  async function runRefresh() {
    if (refreshRunning) {
      refreshWanted = true;
      return;
    }
    refreshRunning = true;
    refreshWanted = false;
    lastRefresh = Date.now();
    try {
      const s = get();
      const tasks: Promise<unknown>[] = [s.loadAlerts(), s.loadStats()];
      if (s.drawerId !== null) tasks.push(s.loadDetail(s.drawerId));
      await Promise.all(tasks);
    } finally {
      refreshRunning = false;
      if (refreshWanted) get().refresh();
    }
  }

  return {
    monitors: {},
    monitorsStatus: 'idle',
    monitorsError: null,
    focusMonitorId: null,
    form: EMPTY_FORM,
    filter: {},
    sort: 'newest',
    alerts: [],
    total: 0,
    totalFlows: 0,
    alertsStatus: 'idle',
    alertsError: null,
    loadingMore: false,
    stats: null,
    statsError: null,
    selectedId: null,
    checked: new Set(),
    drawerId: null,
    detail: null,
    detailStatus: 'idle',
    detailError: null,
    rules: [],
    rulesStatus: 'idle',
    rulesError: null,
    announcement: '',
    active: false,

    setActive(active) {
      set({ active });
    },

    async loadMonitors() {
      if (get().monitorsStatus !== 'ready') set({ monitorsStatus: 'loading' });
      try {
        const { monitors } = await api.call('monitors.list', {});
        const map: Record<number, MonitorInfo> = {};
        for (const m of monitors) map[m.id] = m;
        set({ monitors: map, monitorsStatus: 'ready', monitorsError: null });
      } catch (err) {
        set({ monitorsStatus: 'error', monitorsError: errorMessage(err) });
      }
    },

    async startMonitor(input) {
      const m = await api.call('monitors.start', input);
      set((s) => ({ monitors: { ...s.monitors, [m.id]: m }, focusMonitorId: m.id }));
      return m;
    },

    async monitorAction(id, action) {
      if (action === 'delete') {
        await api.call('monitors.delete', { id });
        set((s) => {
          const monitors = { ...s.monitors };
          delete monitors[id];
          return { monitors, focusMonitorId: s.focusMonitorId === id ? null : s.focusMonitorId };
        });
        return;
      }
      const m = await api.call(`monitors.${action}`, { id });
      set((s) => ({ monitors: { ...s.monitors, [m.id]: m } }));
    },

    async setThreshold(id, threshold) {
      const m = await api.call('monitors.setThreshold', { id, threshold });
      set((s) => ({ monitors: { ...s.monitors, [m.id]: m } }));
    },

    focusMonitor(id) {
      set({ focusMonitorId: id });
    },

    setForm(patch) {
      const form = { ...get().form, ...patch };
      const { filter, errors } = formToFilter(form);
      const ok = Object.keys(errors).length === 0;
      set(ok ? { form, filter, checked: new Set() } : { form });
      if (ok && get().active) {
        void get().loadAlerts();
        void get().loadStats();
      }
    },

    resetForm() {
      get().setForm(EMPTY_FORM);
    },

    setSort(sort) {
      set({ sort });
      if (get().active) void get().loadAlerts();
    },

    async loadAlerts() {
      const seq = ++listSeq;
      const s = get();
      if (s.alertsStatus !== 'ready') set({ alertsStatus: 'loading' });
      const limit = Math.min(MAX_LOADED, Math.max(PAGE_SIZE, s.alerts.length));
      try {
        const r = await api.call('alerts.list', { filter: s.filter, offset: 0, limit, sort: s.sort });
        if (seq !== listSeq) return;
        set((cur) => {
          // the selection follows its alert; when that alert left the queue, the row at its place
          let selectedId = cur.selectedId;
          if (selectedId !== null && !r.alerts.some((a) => a.id === selectedId)) {
            const at = cur.alerts.findIndex((a) => a.id === selectedId);
            const next = at >= 0 ? (r.alerts[Math.min(at, r.alerts.length - 1)] ?? null) : null;
            selectedId = next ? next.id : null;
          }
          if (selectedId === null && r.alerts.length > 0 && cur.selectedId === null) selectedId = r.alerts[0]!.id;
          const present = new Set(r.alerts.map((a) => a.id));
          const checked = [...cur.checked].filter((id) => present.has(id));
          return {
            alerts: r.alerts,
            total: r.total,
            totalFlows: r.flows,
            alertsStatus: 'ready',
            alertsError: null,
            selectedId,
            checked: checked.length === cur.checked.size ? cur.checked : new Set(checked),
          };
        });
      } catch (err) {
        if (seq !== listSeq) return;
        set({ alertsStatus: 'error', alertsError: errorMessage(err) });
      }
    },

    async loadMore() {
      const s = get();
      if (s.loadingMore || s.alerts.length >= s.total || s.alerts.length >= MAX_LOADED) return;
      const seq = listSeq;
      set({ loadingMore: true });
      try {
        const r = await api.call('alerts.list', { filter: s.filter, offset: s.alerts.length, limit: PAGE_SIZE, sort: s.sort });
        if (seq !== listSeq) return;
        set((cur) => {
          const have = new Set(cur.alerts.map((a) => a.id));
          return { alerts: [...cur.alerts, ...r.alerts.filter((a) => !have.has(a.id))], total: r.total, totalFlows: r.flows };
        });
      } catch (err) {
        set({ announcement: `More alerts could not be loaded: ${errorMessage(err)}` });
      } finally {
        set({ loadingMore: false });
      }
    },

    async loadStats() {
      const seq = ++statsSeq;
      try {
        const stats = await api.call('alerts.stats', { filter: get().filter, buckets: 60 });
        if (seq === statsSeq) set({ stats, statsError: null });
      } catch (err) {
        if (seq === statsSeq) set({ statsError: errorMessage(err) });
      }
    },

    refresh() {
      if (!get().active) return;
      if (refreshTimer !== null) return;
      const wait = Math.max(0, lastRefresh + REFRESH_GAP_MS - Date.now());
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        void runRefresh();
      }, wait);
    },

    select(id) {
      set({ selectedId: id });
      if (id !== null && get().drawerId !== null && get().drawerId !== id) get().openDrawer(id);
    },

    move(delta) {
      const { alerts, selectedId } = get();
      if (alerts.length === 0) return;
      const at = selectedId === null ? -1 : alerts.findIndex((a) => a.id === selectedId);
      const next = at < 0 ? 0 : Math.max(0, Math.min(alerts.length - 1, at + delta));
      get().select(alerts[next]!.id);
      if (next >= alerts.length - 20) void get().loadMore();
    },

    toggleCheck(id) {
      const checked = new Set(get().checked);
      if (checked.has(id)) checked.delete(id);
      else checked.add(id);
      set({ checked });
    },

    setChecked(ids) {
      set({ checked: new Set(ids) });
    },

    clearChecked() {
      set({ checked: new Set() });
    },

    openDrawer(id) {
      const target = id ?? get().selectedId;
      if (target === null || target === undefined) return;
      set({ drawerId: target, selectedId: target });
      if (get().detail?.id !== target) set({ detail: null, detailStatus: 'loading', detailError: null });
      void get().loadDetail(target);
    },

    closeDrawer() {
      detailSeq++;
      set({ drawerId: null, detail: null, detailStatus: 'idle', detailError: null });
    },

    async loadDetail(id) {
      const seq = ++detailSeq;
      try {
        const detail = await api.call('alerts.get', { id });
        if (seq === detailSeq && get().drawerId === id) set({ detail, detailStatus: 'ready', detailError: null });
      } catch (err) {
        if (seq === detailSeq && get().drawerId === id) set({ detailStatus: 'error', detailError: errorMessage(err) });
      }
    },

    async triage(scope, patch) {
      const ids = scopeIds(scope);
      if (ids !== null && ids.length === 0) return 0;
      const filter: AlertFilter = ids === null ? get().filter : { ids, includeSuppressed: true };
      if (ids !== null) {
        const wanted = new Set(ids);
        set((s) => ({
          alerts: s.alerts.map((a) => (wanted.has(a.id) ? applyPatch(a, patch) : a)),
          detail: s.detail && wanted.has(s.detail.id) ? { ...s.detail, ...applyPatch(s.detail, patch) } : s.detail,
        }));
      }
      try {
        const { updated } = await api.call('alerts.update', { filter, ...patch });
        const what = ids !== null && ids.length === 1 ? `Alert ${ids[0]}` : `${updated.toLocaleString('en-US')} alert${updated === 1 ? '' : 's'}`;
        set({ announcement: `${what} ${patchWords(patch)}.` });
        get().refresh();
        return updated;
      } catch (err) {
        set({ announcement: `Not saved: ${errorMessage(err)}` });
        get().refresh();
        throw err;
      }
    },

    async toDataset(name, scope) {
      const s = get();
      const filter: AlertFilter = scope === 'checked' ? { ids: [...s.checked], includeSuppressed: true } : s.filter;
      return api.call('alerts.toDataset', { filter: { ...filter, verdict: ['true-positive', 'false-positive'] }, name });
    },

    async loadRules() {
      if (get().rulesStatus !== 'ready') set({ rulesStatus: 'loading' });
      try {
        const { rules } = await api.call('suppressions.list', {});
        set({ rules, rulesStatus: 'ready', rulesError: null });
      } catch (err) {
        set({ rulesStatus: 'error', rulesError: errorMessage(err) });
      }
    },

    previewRule(rule) {
      return api.call('suppressions.preview', rule);
    },

    async createRule(input) {
      const rule = await api.call('suppressions.create', input);
      set((s) => ({ rules: [...s.rules.filter((r) => r.id !== rule.id), rule] }));
      void get().loadRules();
      get().refresh();
      return rule;
    },

    async deleteRule(id) {
      await api.call('suppressions.delete', { id });
      set((s) => ({ rules: s.rules.filter((r) => r.id !== id) }));
      get().refresh();
    },

    applyBatch(batch) {
      if (batch.monitors.length > 0 || batch.deletedMonitors.length > 0) {
        set((s) => {
          const monitors = { ...s.monitors };
          for (const m of batch.monitors) monitors[m.id] = m;
          for (const id of batch.deletedMonitors) delete monitors[id];
          return { monitors };
        });
      }
      if (batch.alertsChanged && get().active) void get().loadRules();
      if (batch.touchedAlerts > 0 || batch.alertsChanged) get().refresh();
    },
  };
});

/** Tests: forget the throttle between cases. */
export function resetLiveThrottle(): void {
  if (refreshTimer !== null) clearTimeout(refreshTimer);
  refreshTimer = null;
  refreshRunning = false;
  refreshWanted = false;
  lastRefresh = -Infinity;
}
