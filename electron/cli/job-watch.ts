/**
 * Running one backend job from the command line: open the workspace, start the job, wait for its
 * `jobs.finished` event (or find the outcome by polling `jobs.get` in case an event was missed),
 * draw progress on a TTY stderr, and turn Ctrl-C into `jobs.cancel` (a second Ctrl-C quits at
 * once). Shared by `import`, `train`, `evaluate` and `score`.
 */
import type { Backend } from '../backend/api.js';
import type { JobInfo, JobProgress } from '../contract/dto.js';
import { ERROR_CODES, FlowsightError, type ErrorCode } from '../contract/errors.js';
import type { AnyEvent } from '../contract/events.js';
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, type CliContext, type GlobalFlags } from './context.js';

/** how often to ask for the job's state in case an event was missed */
export const POLL_MS = 1000;
const PROGRESS_MIN_INTERVAL_MS = 100;

export interface JobWatch<R> {
  /** what the job does, as in "Cancelling the import…" and "the import to cancel" */
  noun: string;
  /** printed when the job ends cancelled, e.g. "Import cancelled; nothing was stored." */
  cancelledMessage: string;
  /** the progress line (no newline) for a TTY stderr; null draws nothing */
  progressLine: ((p: JobProgress, columns: number) => string) | null;
  /** starts the job (may look things up first); resolves with its id */
  start(backend: Backend): Promise<{ jobId: number }>;
  /** prints the result of a job that succeeded (the backend is still open) */
  finish(backend: Backend, result: R): Promise<void> | void;
}

type Outcome = { kind: 'finished'; job: JobInfo } | { kind: 'forced' };

/** Runs the job to its end; resolves with the exit code (0, 1 when it was cancelled elsewhere, 130 on Ctrl-C). */
export async function runJob<R>(ctx: CliContext, globals: GlobalFlags, watch: JobWatch<R>): Promise<number> {
  const showProgress = Boolean(ctx.stderr.isTTY) && watch.progressLine !== null;
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
      if (showProgress) ctx.stderr.write(`\r\x1b[2KCancelling the ${watch.noun}… (Ctrl-C again to quit at once)\n`);
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
      ctx.stderr.write(`${watch.cancelledMessage}\n`);
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
        const columns = ctx.stderr.columns && ctx.stderr.columns >= 20 ? ctx.stderr.columns : 80;
        ctx.stderr.write(`\r\x1b[2K${watch.progressLine!(event.payload, columns)}`);
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
        watch.start(b).then(
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
        ctx.stderr.write(`Stopped without waiting for the ${watch.noun} to cancel.\n`);
        return EXIT_INTERRUPTED;
      }
      const job = outcome.job;
      if (job.status === 'succeeded' && job.result) {
        await watch.finish(b, job.result as R);
        return EXIT_OK;
      }
      if (job.status === 'cancelled') {
        ctx.stderr.write(`${watch.cancelledMessage}\n`);
        return interrupts > 0 ? EXIT_INTERRUPTED : EXIT_ERROR;
      }
      if (job.error) throw new FlowsightError(asCode(job.error.code), job.error.message);
      throw new FlowsightError('INTERNAL', `The ${job.kind} job ended as '${job.status}' without a result.`);
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
