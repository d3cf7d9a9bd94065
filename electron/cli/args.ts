/**
 * Command-line parsing for `flowsight`: node:util parseArgs (strict), with every mistake turned
 * into one sentence a person can act on (UsageError, exit code 2).
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string; value?: string; description: string };

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
};

export interface Parsed {
  command: string | null;
  values: Record<string, string | boolean | undefined>;
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
    Object.entries(options).map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
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
