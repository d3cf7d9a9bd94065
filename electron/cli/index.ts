/** Entry point of the `flowsight` command (bin/flowsight.js imports the built copy of this file). */
import type { BackendOptions } from '../backend/api.js';
import type { CliContext } from './context.js';
import { runCli } from './run.js';

const ctx: CliContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // loaded on demand: --help, --version and usage errors never open SQLite
  async createBackend(opts: BackendOptions) {
    const { createBackend } = await import('../backend/index.js');
    return createBackend(opts);
  },
  onSignal(signal, handler) {
    process.on(signal, handler);
    return () => {
      process.off(signal, handler);
    };
  },
};

// `flowsight datasets | head` closes the pipe early: that is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const code = await runCli(process.argv.slice(2), ctx);
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// worker threads or timers left by a failed job must not keep the command alive
process.exit(code);
