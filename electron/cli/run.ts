/**
 * The `flowsight` command: parse, run one command, map every failure to one sentence on stderr
 * and an exit code (0 ok, 1 error, 2 usage, 130 interrupted).
 */
import { resolve } from 'node:path';
import { ERROR_CODES, type ApiError } from '../contract/errors.js';
import { appVersion } from '../server/paths.js';
import { UsageError, helpText, parseCommandLine, type Parsed } from './args.js';
import { runAlerts } from './commands/alerts.js';
import { runDatasets } from './commands/datasets.js';
import { runDoctor } from './commands/doctor.js';
import { runEvaluate } from './commands/evaluate.js';
import { runImport } from './commands/import.js';
import { runReplay, runWatch } from './commands/live.js';
import { runModels } from './commands/models.js';
import { runScore } from './commands/score.js';
import { runServe } from './commands/serve.js';
import { runTrain } from './commands/train.js';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE, type CliContext, type GlobalFlags } from './context.js';

function str(v: string | boolean | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function list(v: string | boolean | string[] | undefined): string[] | undefined {
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const debug = argv.includes('--debug');
  let parsed: Parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    return fail(ctx, err, debug);
  }
  const { command, values, positionals } = parsed;

  if (values.version) {
    ctx.stdout.write(`${appVersion()}\n`);
    return EXIT_OK;
  }
  if (values.help) {
    ctx.stdout.write(helpText(command));
    return EXIT_OK;
  }
  if (command === null) {
    ctx.stderr.write(helpText(null));
    return EXIT_USAGE;
  }

  const workspaceFlag = str(values.workspace);
  if (workspaceFlag !== undefined && workspaceFlag.trim() === '') {
    return fail(ctx, new UsageError("Option '--workspace' needs a path."), debug);
  }
  const envWorkspace = ctx.env.FLOWSIGHT_WORKSPACE?.trim() ? ctx.env.FLOWSIGHT_WORKSPACE : undefined;
  const workspace = workspaceFlag ?? envWorkspace;
  const globals: GlobalFlags = {
    workspacePath: workspace !== undefined ? resolve(ctx.cwd, workspace) : undefined,
    debug,
  };

  try {
    switch (command) {
      case 'import':
        return await runImport(ctx, globals, positionals, {
          name: str(values.name),
          format: str(values.format),
          label: str(values.label),
          sample: str(values.sample),
          json: values.json === true,
        });
      case 'datasets':
        return await runDatasets(ctx, globals, { json: values.json === true });
      case 'train':
        return await runTrain(ctx, globals, {
          dataset: str(values.dataset),
          model: str(values.model),
          target: str(values.target),
          testDataset: str(values['test-dataset']),
          testSize: str(values['test-size']),
          folds: str(values.folds),
          seed: str(values.seed),
          set: list(values.set),
          name: str(values.name),
          json: values.json === true,
        });
      case 'evaluate':
        return await runEvaluate(ctx, globals, {
          model: str(values.model),
          dataset: str(values.dataset),
          json: values.json === true,
        });
      case 'score':
        return await runScore(ctx, globals, positionals, {
          model: str(values.model),
          out: str(values.out),
          json: values.json === true,
        });
      case 'models':
        return await runModels(ctx, globals, { dataset: str(values.dataset), json: values.json === true });
      case 'doctor':
        return await runDoctor(ctx, globals, { json: values.json === true });
      case 'alerts':
        return await runAlerts(ctx, globals, values);
      case 'watch':
        return await runWatch(ctx, globals, {
          model: str(values.model),
          file: str(values.file),
          folder: str(values.folder),
          fpr: str(values.fpr),
          budget: str(values.budget),
          threshold: str(values.threshold),
          aggregate: str(values.aggregate),
          restart: values.restart === true,
          json: values.json === true,
        });
      case 'replay':
        return await runReplay(ctx, globals, {
          model: str(values.model),
          file: str(values.file),
          dataset: str(values.dataset),
          speed: str(values.speed),
          fpr: str(values.fpr),
          budget: str(values.budget),
          threshold: str(values.threshold),
          aggregate: str(values.aggregate),
          json: values.json === true,
        });
      case 'serve':
        return await runServe(ctx, globals, { port: str(values.port), host: str(values.host) });
      default:
        throw new UsageError(`Unknown command '${command}'.`);
    }
  } catch (err) {
    return fail(ctx, err, debug);
  }
}

function fail(ctx: CliContext, err: unknown, debug: boolean): number {
  if (err instanceof UsageError) {
    ctx.stderr.write(`${err.message}\n`);
    if (debug && err.stack) ctx.stderr.write(`${err.stack}\n`);
    return EXIT_USAGE;
  }
  if (isFlowsightError(err)) {
    ctx.stderr.write(`${sentence(err.message)}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    const text = sentence(message).replace(/[.!?]$/, '');
    ctx.stderr.write(`Flowsight failed unexpectedly: ${text}${debug ? '.' : '; run again with --debug for details.'}\n`);
  }
  if (debug && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  return EXIT_ERROR;
}

/** one line, ending with a full stop */
function sentence(message: string): string {
  const oneLine = message.replace(/\s*\n\s*/g, ' ').trim();
  return /[.!?]$/.test(oneLine) ? oneLine : `${oneLine}.`;
}

/** an error the backend meant for people (a known code), as opposed to a bug */
function isFlowsightError(err: unknown): err is ApiError {
  const e = err as Partial<ApiError> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.message === 'string' &&
    typeof e.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(e.code)
  );
}
