/** Handler map types, validation of inputs, and merging of the per-domain handler objects. */
import { z } from 'zod';
import {
  COMMAND_NAMES,
  schemas,
  type CommandArgs,
  type CommandName,
  type CommandResult,
} from '../../contract/commands.js';
import type { AppInfo, Face } from '../../contract/dto.js';
import type { AnyEvent } from '../../contract/events.js';
import { FlowsightError } from '../../contract/errors.js';
import type { Db } from '../db/connection.js';
import type { DatasetsRepo } from '../db/datasets.repo.js';
import type { JobsRepo } from '../db/jobs.repo.js';
import type { ForestPool } from '../training/forest-runner.js';
import type { ModelsRepo } from '../db/models.repo.js';
import type { MonitorService } from '../live/monitor-service.js';
import type { AlertsThread } from '../live/alerts-thread.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { ImportTimings, ImportTuning } from '../workers/protocol.js';

export type Handler<K extends CommandName> = (args: CommandArgs<K>) => Promise<CommandResult<K>> | CommandResult<K>;
export type HandlerMap = { [K in CommandName]: Handler<K> };
export type HandlerGroup = Partial<HandlerMap>;

/** What handlers share. */
export interface BackendContext {
  db: Db;
  workspacePath: string;
  resourcesDir: string;
  face: Face;
  schemaVersion: number;
  datasets: DatasetsRepo;
  models: ModelsRepo;
  jobsRepo: JobsRepo;
  registry: JobRegistry;
  /** forest-training threads shared by every training job */
  forestPool: ForestPool;
  /** live monitors (threads scoring sources) */
  monitors: MonitorService;
  /** alert explanations and chart statistics, in a worker thread */
  alertsThread: AlertsThread;
  emit(event: AnyEvent): void;
  importTuning?: ImportTuning;
  onImportTimings?: (t: ImportTimings) => void;
  appInfo(): AppInfo;
}

/**
 * One map from the per-domain objects. A name given twice, a name that is not a command, or a
 * command without a handler is a programming error, caught at startup.
 */
export function mergeHandlers(groups: Record<string, HandlerGroup>): HandlerMap {
  const out: Record<string, unknown> = {};
  const owner: Record<string, string> = {};
  for (const [domain, group] of Object.entries(groups)) {
    for (const [name, fn] of Object.entries(group)) {
      if (owner[name]) throw new Error(`command ${name} is handled twice (by ${owner[name]} and ${domain})`);
      if (!(COMMAND_NAMES as string[]).includes(name)) throw new Error(`${domain} handles ${name}, which is not a command of the contract`);
      if (typeof fn !== 'function') throw new Error(`${domain}.${name} is not a function`);
      owner[name] = domain;
      out[name] = fn;
    }
  }
  const missing = COMMAND_NAMES.filter((n) => !owner[n]);
  if (missing.length) throw new Error(`no handler for: ${missing.join(', ')}`);
  return out as HandlerMap;
}

function describePath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** A readable one-line summary of zod issues, naming each field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = describePath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue as { keys?: string[] }).keys ?? [];
        const prefix = where ? `${where}: ` : '';
        return `${prefix}unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
      }
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Validate (and apply defaults to) a command's input; BAD_INPUT names the fields at fault. */
export function validateInput<K extends CommandName>(name: K, input: unknown): CommandArgs<K> {
  const schema = schemas[name] as unknown as z.ZodType<CommandArgs<K>>;
  const parsed = schema.safeParse(input === undefined || input === null ? {} : input);
  if (!parsed.success) {
    throw new FlowsightError('BAD_INPUT', `Invalid input for ${name}: ${describeIssues(parsed.error)}.`);
  }
  return parsed.data;
}
