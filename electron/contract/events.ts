/** Push events from the backend to every face. */
import type { JobInfo, JobKind, JobProgress } from './dto.js';

export interface EventPayloads {
  'jobs.progress': { jobId: number; kind: JobKind } & JobProgress;
  /** the job's final state (status succeeded | failed | cancelled) */
  'jobs.finished': JobInfo;
  'datasets.changed': { id: number; reason: 'imported' | 'deleted' | 'renamed' | 'updated' };
}

export type EventName = keyof EventPayloads;
export type AnyEvent = { [K in EventName]: { name: K; payload: EventPayloads[K] } }[EventName];
export type EventListener = (event: AnyEvent) => void;

export const EVENT_NAMES: EventName[] = ['jobs.progress', 'jobs.finished', 'datasets.changed'];
