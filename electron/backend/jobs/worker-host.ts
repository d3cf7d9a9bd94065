/**
 * Starting worker threads from compiled JS (dist/) and from TypeScript sources (Vitest, tsx).
 *
 * Running from .ts, a worker is started from a tiny ESM bootstrap that registers tsx's loader
 * inside the worker and then imports the .ts entry: on Node 20, `execArgv: ['--import', 'tsx']`
 * does not apply tsx's hooks to a worker's entry module (ERR_UNKNOWN_FILE_EXTENSION).
 * From .js, the worker is the `.js` file next to this module's ../workers/.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export type WorkerName = 'import' | 'parse' | 'train' | 'forest' | 'score' | 'predict' | 'tf-probe' | 'neural-step' | 'monitor' | 'replay-range' | 'alerts';

const here = fileURLToPath(import.meta.url);
const fromTs = here.endsWith('.ts');

/** Absolute path of the worker entry for this build (`.ts` under Vitest/tsx, `.js` in dist). */
export function workerEntryPath(name: WorkerName): string {
  return unpackedPath(path.join(path.dirname(here), '..', 'workers', `${name}.worker.${fromTs ? 'ts' : 'js'}`));
}

/**
 * In the packaged desktop app this module lives in `app.asar`, which Node's loader inside a worker
 * thread cannot read; electron-builder.yml unpacks the workers and what they import next to it.
 */
export function unpackedPath(file: string): string {
  const asar = `${path.sep}app.asar${path.sep}`;
  return file.includes(asar) ? file.replace(asar, `${path.sep}app.asar.unpacked${path.sep}`) : file;
}

let tsxApi: string | null = null;
function tsxApiUrl(): string {
  if (!tsxApi) {
    const req = createRequire(import.meta.url);
    const pkg = req.resolve('tsx/package.json');
    tsxApi = pathToFileURL(path.join(path.dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  }
  return tsxApi;
}

const live = new Set<Worker>();

export function spawnWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const entry = workerEntryPath(name);
  let worker: Worker;
  if (fromTs) {
    const src =
      `import(${JSON.stringify(tsxApiUrl())})` +
      `.then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
    worker = new Worker(src, { ...options, eval: true });
  } else {
    worker = new Worker(entry, options);
  }
  live.add(worker);
  worker.once('exit', () => live.delete(worker));
  return worker;
}

/** Workers still running (e.g. an import worker checkpointing after its commit). */
export function liveWorkers(): number {
  return live.size;
}

/** Wait until every worker started here has exited, or `timeoutMs` passed; terminate stragglers. */
export async function waitForWorkers(timeoutMs = 10_000): Promise<void> {
  const pending = [...live].map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
  if (!pending.length) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([Promise.all(pending).then(() => 'done' as const), timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') await Promise.all([...live].map((w) => w.terminate()));
}
