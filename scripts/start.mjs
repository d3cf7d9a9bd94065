#!/usr/bin/env node
// `npm start` (after the build): open the desktop window when Electron can run here; otherwise
// say why in one line and serve the same UI on 127.0.0.1 (`flowsight serve`).
// Never downloads anything: loading the electron npm package's main module fetches the binary
// when it is missing, so this script never loads it and reads the package's path.txt instead.
//
//   node scripts/start.mjs [--serve] [--workspace PATH] [--port N]
//   env: FLOWSIGHT_PORT, FLOWSIGHT_WORKSPACE
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {{ binary: string } | { reason: string }} */
export function findElectron(env = process.env, platform = process.platform, electronDir = join(root, 'node_modules', 'electron')) {
  if (!existsSync(join(electronDir, 'package.json'))) {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(electronDir, 'path.txt');
  let relative = '';
  if (existsSync(pathFile)) relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  const binary = relative ? join(distDir, relative) : '';
  if (!relative || !existsSync(binary)) {
    return {
      reason:
        "the Electron binary is not installed (it is fetched on first use; run 'npx install-electron' where the network is reachable)",
    };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { binary };
}

function parseArgs(argv) {
  const out = { serve: false, workspace: undefined, port: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--serve') out.serve = true;
    else if (a === '--workspace') out.workspace = argv[++i];
    else if (a.startsWith('--workspace=')) out.workspace = a.slice('--workspace='.length);
    else if (a === '--port') out.port = argv[++i];
    else if (a.startsWith('--port=')) out.port = a.slice('--port='.length);
    else {
      console.error(`Unknown option '${a}'; npm start takes --serve, --workspace PATH and --port N.`);
      process.exit(2);
    }
  }
  return out;
}

/** Run a child with inherited stdio; Ctrl-C reaches it through the terminal, SIGTERM is forwarded. */
function run(command, args, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    const forward = (signal) => () => {
      if (child.exitCode === null) child.kill(signal);
    };
    const onTerm = forward('SIGTERM');
    const onInt = forward('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    const startedAt = Date.now();
    child.once('error', (err) => resolvePromise({ code: null, error: err, ms: Date.now() - startedAt }));
    child.once('exit', (code, signal) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolvePromise({ code: code ?? 128 + (constants.signals[signal] ?? 15), signal, ms: Date.now() - startedAt });
    });
  });
}

function serve(env, port) {
  const cli = join(root, 'bin', 'flowsight.js');
  const args = [cli, 'serve'];
  if (port !== undefined) args.push('--port', String(port));
  return run(process.execPath, args, env);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const env = { ...process.env };
  if (opts.workspace) env.FLOWSIGHT_WORKSPACE = resolve(opts.workspace);
  // flowsight serve: FLOWSIGHT_PORT, else 7411, else a free port when 7411 is taken
  const port = opts.port ?? (env.FLOWSIGHT_PORT?.trim() ? env.FLOWSIGHT_PORT.trim() : undefined);

  if (!existsSync(join(root, 'dist', 'electron', 'cli', 'index.js'))) {
    console.error('Flowsight is not built yet: run npm run build (or npm ci, which builds it).');
    process.exit(1);
  }

  const electron = opts.serve ? { reason: 'you asked for the browser UI (--serve)' } : findElectron(env);
  if ('binary' in electron) {
    const result = await run(electron.binary, ['.'], env);
    // a window that could not even start (missing system libraries, GPU/sandbox refusal) fails
    // within seconds; fall back to the browser rather than leave the user with nothing
    const startFailed = result.error || (result.code !== 0 && !result.signal && result.ms < 5000);
    if (!startFailed) process.exit(result.code ?? 0);
    const why = result.error ? result.error.message : `Electron exited with code ${result.code} while starting`;
    console.log(`The desktop window cannot open here: ${why}; serving the same UI in your browser instead.`);
  } else {
    console.log(`The desktop window cannot open here: ${electron.reason}; serving the same UI in your browser instead.`);
  }
  const result = await serve(env, port);
  process.exit(result.code ?? 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
