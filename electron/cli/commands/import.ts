/** `flowsight import PATH... | --sample ID` */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FORMAT_OPTIONS, SAMPLE_IDS, type CommandInput } from '../../contract/commands.js';
import type { ImportResult } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import { UsageError } from '../args.js';
import type { CliContext, GlobalFlags } from '../context.js';
import { importSummary, progressLine } from '../format.js';
import { runJob } from '../job-watch.js';

const CANCELLED_MESSAGE = 'Import cancelled; nothing was stored.';

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

export async function runImport(
  ctx: CliContext,
  globals: GlobalFlags,
  positionals: string[],
  flags: ImportFlags,
): Promise<number> {
  const input = importInput(positionals, flags, ctx.cwd);
  checkPathsExist(positionals, ctx.cwd);

  return runJob<ImportResult>(ctx, globals, {
    noun: 'import',
    cancelledMessage: CANCELLED_MESSAGE,
    progressLine: flags.json ? null : progressLine,
    start: (backend) => backend.call('datasets.import', input),
    finish: (_backend, result) => printResult(ctx, result, Boolean(flags.json)),
  });
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
