/** `flowsight serve [--port N] [--host H]`: the server face until SIGINT / SIGTERM. */
import { FlowsightError } from '../../contract/errors.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { isLoopbackHost } from '../../server/security.js';
import { UsageError } from '../args.js';
import { EXIT_OK, type CliContext, type GlobalFlags } from '../context.js';

export const DEFAULT_PORT = 7411;

export function parsePort(text: string, from: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535) {
    throw new UsageError(`${from} must be a port number from 0 to 65535, not '${text}'.`);
  }
  return Number(text);
}

function listenError(err: unknown, host: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE')
    return new FlowsightError('BAD_INPUT', `Port ${port} is already in use; pick another with --port (0 picks a free one).`);
  if (code === 'EACCES')
    return new FlowsightError('BAD_INPUT', `Not allowed to listen on ${host}:${port}; pick a port above 1023 with --port.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new FlowsightError('BAD_INPUT', `Cannot listen on ${host}: that address does not belong to this machine.`);
  return err instanceof Error ? err : new Error(String(err));
}

export async function runServe(
  ctx: CliContext,
  globals: GlobalFlags,
  flags: { port?: string; host?: string },
): Promise<number> {
  const host = (flags.host ?? '127.0.0.1').trim();
  if (host === '') throw new UsageError("Option '--host' needs an address, such as 127.0.0.1.");
  const envPort = ctx.env.FLOWSIGHT_PORT?.trim() ? ctx.env.FLOWSIGHT_PORT.trim() : undefined;
  const explicit = flags.port !== undefined ? parsePort(flags.port, '--port') : envPort !== undefined ? parsePort(envPort, 'FLOWSIGHT_PORT') : null;

  // wait for a stop signal from the start: a Ctrl-C while the workspace opens also stops cleanly
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const offInt = ctx.onSignal('SIGINT', () => stop());
  const offTerm = ctx.onSignal('SIGTERM', () => stop());

  const backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'browser', resumeMonitors: true });
  let server: RunningServer | null = null;
  try {
    const port = explicit ?? DEFAULT_PORT;
    try {
      server = await startServer({ backend, port, host });
    } catch (err) {
      // the default port is only a preference: take a free one when it is busy
      if (explicit === null && (err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
        server = await startServer({ backend, port: 0, host }).catch((e: unknown) => {
          throw listenError(e, host, 0);
        });
      } else {
        throw listenError(err, host, port);
      }
    }
    if (!isLoopbackHost(host)) {
      ctx.stderr.write(
        `Warning: listening on ${host} lets other machines reach Flowsight's API, which has no password; do this only on a network you trust.\n`,
      );
    }
    ctx.stdout.write(`Flowsight is serving at ${server.url}\n`);
    await stopped;
    ctx.stderr.write('Stopping Flowsight…\n');
    return EXIT_OK;
  } finally {
    offInt();
    offTerm();
    if (server) await server.close();
    await backend.close();
  }
}
