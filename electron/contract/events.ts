/** Push events from the backend to every face. */
import type { JobInfo, JobKind, JobProgress } from './dto.js';
import type { AlertEvent, MonitorInfo } from './live.js';

export interface EventPayloads {
  'jobs.progress': { jobId: number; kind: JobKind } & JobProgress;
  /** the job's final state (status succeeded | failed | cancelled) */
  'jobs.finished': JobInfo;
  'datasets.changed': { id: number; reason: 'imported' | 'deleted' | 'renamed' | 'updated' };
  'models.changed': { id: number; reason: 'trained' | 'deleted' | 'renamed' };
  /** a monitor's state or counters changed (counters at most a few times a second) */
  'monitors.changed': MonitorInfo;
  'monitors.deleted': { id: number };
  /**
   * alerts committed by a monitor in one transaction. The desktop and browser faces get at most
   * 1,000 events a commit (new and severe first); `omitted` counts the rest. The CLI gets all.
   */
  'alerts.created': { monitorId: number; alerts: AlertEvent[]; omitted?: { alerts: number; created: number; flows: number } };
  /** triage or suppression changed stored alerts */
  'alerts.changed': { reason: 'updated' | 'suppression' };
  /**
   * Desktop face only: the user picked an app-menu item the renderer acts on. For the import
   * actions the renderer opens its import flow and calls `window.flowsight.openFiles({folders})`.
   */
  'app.menu': { action: MenuAction };
}

export const MENU_ACTIONS = ['import-files', 'import-folder', 'toggle-theme'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

export type EventName = keyof EventPayloads;
export type AnyEvent = { [K in EventName]: { name: K; payload: EventPayloads[K] } }[EventName];
export type EventListener = (event: AnyEvent) => void;

export const EVENT_NAMES: EventName[] = ['jobs.progress', 'jobs.finished', 'datasets.changed', 'models.changed', 'monitors.changed', 'monitors.deleted', 'alerts.created', 'alerts.changed', 'app.menu'];
