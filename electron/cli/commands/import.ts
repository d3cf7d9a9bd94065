/** `flowsight import PATH... | --sample ID` */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Backend } from '../../backend/api.js';
import { FORMAT_OPTIONS, SAMPLE_IDS, type CommandInput } from '../../contract/commands.js';
import type { ImportResult, JobInfo } from '../../contract/dto.js';
import { ERROR_CODES, FlowsightError, type ErrorCode } from '../../contract/errors.js';
import type { AnyEvent } from '../../contract/events.js';
import { UsageError } from '../args.js';
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, type CliContext, type GlobalFlags } from '../context.js';
import { importSummary, progressLine } from '../format.js';

const CANCELLED_MESSAGE = 'Import cancelled; nothing was stored.';
/** how often to ask for the job's state in case an event was missed */
const POLL_MS = 1000;
const PROGRESS_MIN_INTERVAL_MS = 100;

export interface ImportFlags {
  name?: string;
  format?: string;
  label?: string;
  sample?: string;
  json?: boolean;
}

export function importInput(positionals: string[], flags: ImportFlags, cwd: string): CommandInput<'datasets.import'> {
  const format = flags.format ?? 'auto';
  if (!(FORMAT_OPTIONS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format '${format}'; use one of ${FORMAT_OPTIONS.join(', ')}.`);
  }
  if (flags.sample !== undefined && !(SAMPLE_IDS as readonly string[]).includes(flags.sample)) {
    throw new UsageError(`Unknown sample '${flags.sample}'; use one of ${SAMPLE_IDS.join(', ')}.`);
  }
  if (flags.sample !== undefined && positionals.length > 0) {
    throw new UsageError('Give either files to import or --sample, not both.');
  }
  if (flags.sample === undefined && positionals.length === 0) {
    throw new UsageError("Say what to import: 'flowsight import PATH...' or 'flowsight import --sample nsl-kdd'.");
  }
  if (flags.label !== undefined && flags.label.trim() === '') {
    throw new UsageError("Option '--label' needs a column name, or 'none' for unlabelled traffic.");
  }
  const input: CommandInput<'datasets.import'> = {
    format: format as (typeof FORMAT_OPTIONS)[number],
  };
  if (flags.sample !== undefined) input.sample = flags.sample as (typeof SAMPLE_IDS)[number];
  else input.paths = positionals.map((p) => resolve(cwd, p));
  if (flags.name !== undefined) input.name = flags.name;
  if (flags.label !== undefined) input.label = flags.label.toLowerCase() === 'none' ? null : flags.label;
  return input;
}

/** Refuse paths that do not exist before opening the workspace (a typo should not create one). */
export function checkPathsExist(positionals: string[], cwd: string): void {
  for (const p of positionals) {
    if (!existsSync(resolve(cwd, p))) throw new FlowsightError('NOT_FOUND', `There is no file or folder at ${p}.`);
  }
}

type Outcome = { kind: 'finished'; job: JobInfo } | { kind: 'forced' };

export async function runImport(
  ctx: CliContext,
  globals: GlobalFlags,
  positionals: string[],
  flags: ImportFlags,
): Promise<number> {
  const input = importInput(positionals, flags, ctx.cwd);
  checkPathsExist(positionals, ctx.cwd);

  const showProgress = Boolean(ctx.stderr.isTTY) && !flags.json;
  let interrupts = 0;
  let jobId: number | null = null;
  let backend: Backend | null = null;
  let forceStop: (() => void) | null = null;

  const requestCancel = () => {
    if (backend && jobId !== null) {
      backend.call('jobs.cancel', { id: jobId }).catch(() => undefined);
    }
  };
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      if (showProgress) ctx.stderr.write('\r\x1b[2KCancelling the import… (Ctrl-C again to quit at once)\n');
      requestCancel();
    } else {
      forceStop?.();
    }
  };
  const offInt = ctx.onSignal('SIGINT', onInterrupt);
  const offTerm = ctx.onSignal('SIGTERM', onInterrupt);

  let progressShown = false;
  let lastDraw = 0;
  const clearProgress = () => {
    if (progressShown) {
      ctx.stderr.write('\r\x1b[2K');
      progressShown = false;
    }
  };

  try {
    backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'cli' });
    const b = backend;
    if (interrupts > 0) {
      // Ctrl-C while the workspace was opening: do not start the job at all
      ctx.stderr.write(`${CANCELLED_MESSAGE}\n`);
      return EXIT_INTERRUPTED;
    }

    // listen before starting the job so its finish cannot slip past
    let settle: ((o: Outcome) => void) | null = null;
    const early: JobInfo[] = [];
    const unsubscribe = b.on((event: AnyEvent) => {
      if (event.name === 'jobs.finished') {
        if (jobId === null) early.push(event.payload);
        else if (event.payload.id === jobId) settle?.({ kind: 'finished', job: event.payload });
      } else if (event.name === 'jobs.progress' && showProgress && event.payload.jobId === jobId) {
        const now = Date.now();
        if (now - lastDraw < PROGRESS_MIN_INTERVAL_MS) return;
        lastDraw = now;
        ctx.stderr.write(`\r\x1b[2K${progressLine(event.payload, ctx.stderr.columns && ctx.stderr.columns >= 20 ? ctx.stderr.columns : 80)}`);
        progressShown = true;
      }
    });

    let poll: ReturnType<typeof setInterval> | null = null;
    try {
      const outcome = await new Promise<Outcome>((resolvePromise, rejectPromise) => {
        let done = false;
        settle = (o) => {
          if (!done) {
            done = true;
            resolvePromise(o);
          }
        };
        forceStop = () => settle?.({ kind: 'forced' });
        b.call('datasets.import', input).then(
          ({ jobId: id }) => {
            jobId = id;
            const seen = early.find((j) => j.id === id);
            if (seen) {
              settle?.({ kind: 'finished', job: seen });
              return;
            }
            if (interrupts > 0) requestCancel();
            poll = setInterval(() => {
              b.call('jobs.get', { id }).then(
                (job) => {
                  if (job.status !== 'running') settle?.({ kind: 'finished', job });
                },
                () => undefined,
              );
            }, POLL_MS);
          },
          (err: unknown) => {
            done = true;
            rejectPromise(err);
          },
        );
      });
      clearProgress();

      if (outcome.kind === 'forced') {
        ctx.stderr.write('Stopped without waiting for the import to cancel.\n');
        return EXIT_INTERRUPTED;
      }
      const job = outcome.job;
      if (job.status === 'succeeded' && job.result) {
        printResult(ctx, job.result as ImportResult, Boolean(flags.json));
        return EXIT_OK;
      }
      if (job.status === 'cancelled') {
        ctx.stderr.write(`${CANCELLED_MESSAGE}\n`);
        return interrupts > 0 ? EXIT_INTERRUPTED : EXIT_ERROR;
      }
      if (job.error) throw new FlowsightError(asCode(job.error.code), job.error.message);
      throw new FlowsightError('INTERNAL', `The import job ended as '${job.status}' without a result.`);
    } finally {
      if (poll) clearInterval(poll);
      unsubscribe();
    }
  } finally {
    clearProgress();
    offInt();
    offTerm();
    // a forced stop leaves the job to the process exit; do not wait on it
    if (backend && interrupts < 2) await backend.close();
  }
}

function asCode(code: string): ErrorCode {
  return ((ERROR_CODES as readonly string[]).includes(code) ? code : 'INTERNAL') as ErrorCode;
}

function printResult(ctx: CliContext, result: ImportResult, json: boolean): void {
  if (json) {
    // the agreed keys first, in order; anything else the backend adds after them
    const { id, name, format, profile, rows, features, labels, cleaning, ...rest } = result;
    ctx.stdout.write(JSON.stringify({ id, name, format, profile, rows, features, labels, cleaning, ...rest }, null, 2) + '\n');
  } else {
    ctx.stdout.write(importSummary(result));
  }
}
