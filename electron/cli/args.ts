/**
 * Command-line parsing for `flowsight`: node:util parseArgs (strict), with every mistake turned
 * into one sentence a person can act on (UsageError, exit code 2).
 */
import { parseArgs } from 'node:util';
import { MODEL_KINDS } from '../contract/commands.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionSpec = {
  type: 'string' | 'boolean';
  short?: string;
  value?: string;
  /** may be given more than once (the values arrive as an array) */
  multiple?: boolean;
  description: string;
};

export const GLOBAL_OPTIONS = {
  workspace: { type: 'string', value: 'PATH', description: 'workspace file (default: $FLOWSIGHT_WORKSPACE, else the per-user default)' },
  debug: { type: 'boolean', description: 'show stack traces on errors' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', description: 'print the version' },
} as const satisfies Record<string, OptionSpec>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** what positionals mean; absent = takes none */
  positionals?: string;
  options: Record<string, OptionSpec>;
  details?: string;
}

/** How `watch` and `replay` decide what is an alert (at most one; default: the model's own decision). */
const THRESHOLD_OPTIONS = {
  fpr: { type: 'string', value: 'RATE', description: 'target false-positive rate on the model\'s held-out benign flows, e.g. 0.001' },
  budget: { type: 'string', value: 'N', description: 'about N alerts an hour at the observed flow rate' },
  threshold: { type: 'string', value: 'SCORE', description: 'a fixed score threshold in [0, 1]' },
  aggregate: { type: 'string', value: 'SECONDS', description: 'flows from one source and class within this window are one alert (default 60)' },
} as const satisfies Record<string, OptionSpec>;

export const COMMANDS: Record<string, CommandSpec> = {
  import: {
    name: 'import',
    summary: 'import flow records (files or folders) into the workspace',
    usage: 'flowsight import PATH... [options]\n       flowsight import --sample nsl-kdd|cicids2017 [options]',
    positionals: 'PATH...  CSV / NSL-KDD / CICFlowMeter / UNSW-NB15 / Zeek files, or folders of them',
    options: {
      name: { type: 'string', value: 'NAME', description: 'dataset name (default: from the file names)' },
      format: {
        type: 'string',
        value: 'FORMAT',
        description: 'auto | nsl-kdd | cicflowmeter | unsw-nb15 | zeek | csv (default: auto)',
      },
      label: { type: 'string', value: 'COLUMN', description: "generic CSV: the label column, or 'none' for unlabelled traffic" },
      sample: { type: 'string', value: 'ID', description: 'import a bundled sample instead of files: nsl-kdd | cicids2017' },
      json: { type: 'boolean', description: 'print one JSON document (id, name, format, rows, features, labels, cleaning)' },
    },
    details:
      'Progress goes to stderr while it runs (on a terminal). Ctrl-C cancels the import; nothing is stored.',
  },
  datasets: {
    name: 'datasets',
    summary: 'list the datasets in the workspace',
    usage: 'flowsight datasets [--json]',
    options: {
      json: { type: 'boolean', description: 'print {"datasets":[...]} as JSON' },
    },
  },
  train: {
    name: 'train',
    summary: 'train a model on a dataset and test it',
    usage:
      'flowsight train --dataset ID --model KIND [--target binary|category|label]\n' +
      '                       [--test-dataset ID | --test-size 0.3 | --folds K] [--seed N]\n' +
      '                       [--set key=value]... [--name NAME] [--json]',
    options: {
      dataset: { type: 'string', value: 'ID', description: 'the dataset to train on (see flowsight datasets)' },
      model: { type: 'string', value: 'KIND', description: `${MODEL_KINDS.join(' | ')}` },
      target: {
        type: 'string',
        value: 'TARGET',
        description: 'what to predict: binary (benign vs attack) | category (attack family) | label (default: category)',
      },
      'test-dataset': { type: 'string', value: 'ID', description: 'test on another dataset instead of a hold-out split' },
      'test-size': { type: 'string', value: 'SHARE', description: 'share of rows held out for testing, stratified (default: 0.3)' },
      folds: { type: 'string', value: 'K', description: 'K-fold cross-validation (2 to 20) instead of a hold-out split' },
      seed: { type: 'string', value: 'N', description: 'random seed for splits and models (default: 42)' },
      set: {
        type: 'string',
        value: 'KEY=VALUE',
        multiple: true,
        description: 'a model or preprocessing parameter, e.g. --set nTrees=200 (repeatable)',
      },
      name: { type: 'string', value: 'NAME', description: 'model name (default: from the model and dataset)' },
      json: { type: 'boolean', description: 'print one JSON document (modelId, model, target, fitSeconds, metrics)' },
    },
    details:
      'Give at most one of --test-dataset, --test-size and --folds.\n' +
      "Parameters (--set) depend on the model; an unknown key is refused with the list of valid ones.\n" +
      'Values: numbers are numbers, true/false are booleans, anything else is text.\n' +
      'Progress goes to stderr while it runs (on a terminal). Ctrl-C cancels the training; no model is stored.',
  },
  evaluate: {
    name: 'evaluate',
    summary: 'test a stored model on a labelled dataset',
    usage: 'flowsight evaluate --model ID --dataset ID [--json]',
    options: {
      model: { type: 'string', value: 'ID', description: 'the model (see flowsight models)' },
      dataset: { type: 'string', value: 'ID', description: 'the labelled dataset to test it on' },
      json: { type: 'boolean', description: 'print one JSON document (metrics, predictRowsPerSecond, modelId, datasetId, rows)' },
    },
    details: 'Ctrl-C cancels the evaluation.',
  },
  score: {
    name: 'score',
    summary: 'score a flow file with a stored model into a CSV',
    usage: 'flowsight score --model ID PATH --out FILE [--json]',
    positionals: 'PATH  a flow file (or folder) in a format the model was trained on',
    options: {
      model: { type: 'string', value: 'ID', description: 'the model (see flowsight models)' },
      out: { type: 'string', value: 'FILE', description: 'the CSV to write: identifiers, true label if any, predicted class, score' },
      json: { type: 'boolean', description: 'print one JSON document (modelId, out, rows, flagged, classCounts, seconds)' },
    },
    details: 'Ctrl-C cancels the scoring; no output is written.',
  },
  models: {
    name: 'models',
    summary: 'list the trained models in the workspace',
    usage: 'flowsight models [--dataset ID] [--json]',
    options: {
      dataset: { type: 'string', value: 'ID', description: 'only the models trained on this dataset' },
      json: { type: 'boolean', description: 'print {"models":[...]} as JSON' },
    },
  },
  doctor: {
    name: 'doctor',
    summary: 'show what Flowsight runs on: Node, Electron, SQLite, the workspace, the neural-model backend',
    usage: 'flowsight doctor [--json]',
    options: {
      json: { type: 'boolean', description: 'print the report as one JSON document' },
    },
    details: 'FLOWSIGHT_TF_BACKEND=auto|tensorflow-gpu|tensorflow|wasm|cpu forces the TensorFlow.js backend.',
  },
  serve: {
    name: 'serve',
    summary: 'serve the Flowsight interface and API in your browser',
    usage: 'flowsight serve [--port N] [--host 127.0.0.1]',
    options: {
      port: { type: 'string', value: 'N', description: 'port (default: $FLOWSIGHT_PORT, else 7411 or a free one; 0 picks a free one)' },
      host: {
        type: 'string',
        value: 'HOST',
        description: 'address to listen on (default 127.0.0.1; anything else exposes the API to the network)',
      },
    },
    details: 'Runs until Ctrl-C (SIGINT) or SIGTERM.',
  },
  watch: {
    name: 'watch',
    summary: 'score a growing flow file live with a model; flagged flows become alerts',
    usage: 'flowsight watch --model ID --file PATH [--json] [threshold options]',
    options: {
      model: { type: 'string', value: 'ID', description: 'the model (see flowsight models)' },
      file: { type: 'string', value: 'PATH', description: 'a CSV / Zeek log being appended to (rotation and truncation are followed)' },
      folder: { type: 'string', value: 'PATH', description: 'instead of --file: every flow file appearing in this folder' },
      ...THRESHOLD_OPTIONS,
      restart: { type: 'boolean', description: 'read the file from its start in a new monitor instead of resuming at the saved offset' },
      json: { type: 'boolean', description: 'print one JSON line per committed alert event: {"alertId",...,"flows"}' },
    },
    details:
      'Runs until Ctrl-C (SIGINT) or SIGTERM. Started again on the same file with the same model, it resumes where it stopped (the offset is saved with every commit), so nothing is scored twice.',
  },
  replay: {
    name: 'replay',
    summary: 'replay a flow file or an imported dataset through a model, as if live',
    usage: 'flowsight replay --model ID (--file PATH | --dataset ID) [--speed max|1|N] [--json]',
    options: {
      model: { type: 'string', value: 'ID', description: 'the model (see flowsight models)' },
      file: { type: 'string', value: 'PATH', description: 'a flow file to replay' },
      dataset: { type: 'string', value: 'ID', description: 'an imported dataset to replay' },
      speed: { type: 'string', value: 'SPEED', description: "max (as fast as possible; default), 1 (the flows' own pace) or N (N times faster)" },
      ...THRESHOLD_OPTIONS,
      json: { type: 'boolean', description: 'print {"flows","seconds","flowsPerSecond","flaggedFlows","alerts"} at the end' },
    },
    details: 'Ctrl-C stops the replay; the alerts committed so far stay.',
  },
  alerts: {
    name: 'alerts',
    summary: 'list the stored alerts, or count them and their flows',
    usage: 'flowsight alerts [--json] [--count-flows] [filters] [--limit N] [--sort ORDER]',
    options: {
      json: { type: 'boolean', description: 'print {"alerts":[...],"total":N,"flows":M} (with --count-flows: {"alerts":N,"flows":M})' },
      'count-flows': { type: 'boolean', description: 'print how many alerts match and how many flows they hold instead of listing them' },
      from: { type: 'string', value: 'TIME', description: 'alerts whose last flow is at or after TIME (ISO 8601 or ms since the epoch)' },
      to: { type: 'string', value: 'TIME', description: 'alerts whose first flow is at or before TIME' },
      severity: { type: 'string', value: 'LIST', multiple: true, description: 'low, medium, high, critical (comma-separated or repeated)' },
      class: { type: 'string', value: 'NAME', multiple: true, description: 'alert class, e.g. PortScan (comma-separated or repeated)' },
      model: { type: 'string', value: 'ID', description: 'alerts of this model' },
      monitor: { type: 'string', value: 'ID', description: 'alerts of this monitor' },
      src: { type: 'string', value: 'IP|CIDR', description: 'source address or subnet, e.g. 10.0.0.0/8 or 2001:db8::/32' },
      dst: { type: 'string', value: 'IP|CIDR', description: 'destination address or subnet' },
      port: { type: 'string', value: 'N', description: 'source or destination port' },
      status: { type: 'string', value: 'LIST', multiple: true, description: 'open, acknowledged, closed (comma-separated or repeated)' },
      verdict: { type: 'string', value: 'LIST', multiple: true, description: 'true-positive, false-positive, none (comma-separated or repeated)' },
      'include-suppressed': { type: 'boolean', description: 'include alerts hidden by suppression rules' },
      limit: { type: 'string', value: 'N', description: 'list at most N alerts, 1 to 5000 (default 200)' },
      sort: { type: 'string', value: 'ORDER', description: 'newest (default) | oldest | score | severity (critical first) | count' },
    },
    details: 'Filters combine: an alert is listed when it matches every one given. Times are flow times.',
  },
};

export interface Parsed {
  command: string | null;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** The command word: the first argument that is neither an option nor a global option's value. */
function findCommand(argv: string[]): { command: string | null; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--workspace') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return { command: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { command: null, rest: argv };
}

export function parseCommandLine(argv: string[]): Parsed {
  const { command, rest } = findCommand(argv);
  if (command === 'help') {
    // `flowsight help [command]`
    const topic = rest.find((a) => !a.startsWith('-')) ?? null;
    if (topic !== null && !COMMANDS[topic]) throw unknownCommand(topic);
    return { command: topic, values: { help: true }, positionals: [] };
  }
  if (command !== null && !COMMANDS[command]) throw unknownCommand(command);

  const spec = command ? COMMANDS[command]! : null;
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...(spec?.options ?? {}) };
  const where = command ? `'flowsight ${command}'` : "'flowsight'";
  const helpHint = command ? `run 'flowsight ${command} --help' to see its options` : "run 'flowsight --help' to see the commands";
  const parseOptions = Object.fromEntries(
    Object.entries(options).map(([k, o]) => [
      k,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );

  // first pass, lenient, to name the exact mistake
  const { tokens } = parseArgs({ args: rest, options: parseOptions, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'option') {
      const o = options[t.name];
      if (!o) throw new UsageError(`Unknown option '${t.rawName}' for ${where}; ${helpHint}.`);
      if (o.type === 'string' && t.value === undefined) {
        throw new UsageError(`Option '${t.rawName}' needs a value (${t.rawName} ${o.value ?? 'VALUE'}).`);
      }
      if (o.type === 'string' && !t.inlineValue && typeof t.value === 'string' && t.value.startsWith('-') && t.value !== '-') {
        throw new UsageError(
          `Option '${t.rawName}' needs a value, but got the option '${t.value}' (to give a value starting with '-', write ${t.rawName}=${t.value}).`,
        );
      }
      if (o.type === 'boolean' && t.value !== undefined) {
        throw new UsageError(`Option '${t.rawName}' does not take a value.`);
      }
    } else if (t.kind === 'positional' && !(spec?.positionals)) {
      if (!spec) throw unknownCommand(t.value);
      throw new UsageError(`${where} takes no arguments, but got '${t.value}'; ${helpHint}.`);
    }
  }

  // second pass, strict: the values
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: parseOptions,
      strict: true,
      allowPositionals: Boolean(spec?.positionals),
    });
    return { command, values: values as Parsed['values'], positionals };
  } catch (err) {
    const first = ((err as Error).message.split('\n')[0] ?? '').replace(/\.$/, '');
    throw new UsageError(`${first}; ${helpHint}.`);
  }
}

function unknownCommand(name: string): UsageError {
  return new UsageError(
    `Unknown command '${name}'; the commands are ${Object.keys(COMMANDS).join(', ')} (run 'flowsight --help').`,
  );
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

export function helpText(command: string | null): string {
  if (command && COMMANDS[command]) {
    const spec = COMMANDS[command]!;
    const lines = [`Usage: ${spec.usage}`, '', `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`, ''];
    if (spec.positionals) lines.push('Arguments:', `  ${spec.positionals}`, '');
    lines.push('Options:', ...optionLines(spec.options), '', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
    if (spec.details) lines.push('', spec.details);
    return lines.join('\n') + '\n';
  }
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return (
    [
      'Usage: flowsight <command> [options]',
      '',
      'Flowsight: import network flow records and train attack classifiers, offline.',
      '',
      'Commands:',
      ...Object.values(COMMANDS).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
      '',
      'Global options:',
      ...optionLines(GLOBAL_OPTIONS),
      '',
      "Run 'flowsight <command> --help' for a command's options.",
    ].join('\n') + '\n'
  );
}

// ---- option values shared by the model commands ------------------------------------------------

/** `--dataset 3`, `--model 12`: a positive whole number, or a usage error naming the option. */
export function parseIdOption(option: string, value: string | undefined, what: string): number {
  if (value === undefined) throw new UsageError(`Option '--${option}' is required: the ${what} id (a number such as 1).`);
  const text = value.trim().replace(/^#/, '');
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) {
    throw new UsageError(`Option '--${option}' needs a ${what} id (a whole number such as 1), not '${value}'.`);
  }
  return Number(text);
}

export type SetValue = number | string | boolean;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** One `--set` value: numbers as numbers, true/false as booleans, anything else as text. */
export function parseSetValue(text: string): SetValue {
  const t = text.trim();
  if (NUMBER.test(t)) {
    const v = Number(t);
    if (Number.isFinite(v)) return v;
  }
  if (t === 'true') return true;
  if (t === 'false') return false;
  return text;
}

/** `--set key=value` (repeatable) into a params object; a later key wins over an earlier one. */
export function parseSetOptions(items: readonly string[] | undefined): Record<string, SetValue> {
  const params: Record<string, SetValue> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item.trim() : item.slice(0, eq).trim();
    if (eq < 0 || key === '') {
      throw new UsageError(`Option '--set' needs key=value (for example --set nTrees=200), not '${item}'.`);
    }
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new UsageError(`'${key}' is not a model parameter.`);
    }
    params[key] = parseSetValue(item.slice(eq + 1));
  }
  return params;
}
