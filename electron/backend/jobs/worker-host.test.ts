import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ParseMessage, ParseWorkerData } from '../workers/protocol.js';
import { spawnWorker, unpackedPath, workerEntryPath } from './worker-host.js';

describe('worker-host', () => {
  it('starts workers from the TypeScript sources under Vitest', () => {
    const entry = workerEntryPath('parse');
    expect(entry.endsWith(path.join('workers', 'parse.worker.ts'))).toBe(true);
    expect(fs.existsSync(entry)).toBe(true);
  });

  it('runs a worker whose errors arrive as numbered {code, message} messages', async () => {
    const { port1, port2 } = new MessageChannel();
    const data: ParseWorkerData = {
      files: [{ path: '/no/such/flows.csv', name: 'flows.csv', bytes: 0 }],
      options: { format: 'auto' },
      cancel: new SharedArrayBuffer(4),
      inFlight: new SharedArrayBuffer(4),
      port: port2,
    };
    const worker = spawnWorker('parse', { workerData: data, transferList: [port2] });
    const msg = await new Promise<ParseMessage>((resolve) => port1.once('message', resolve));
    port1.close();
    expect(msg).toEqual({ seq: 1, type: 'failed', error: { code: 'NOT_FOUND', message: '/no/such/flows.csv no longer exists.' } });
    expect(await new Promise((r) => worker.once('exit', r))).toBe(0);
  });
});

describe('unpackedPath', () => {
  it('points workers of the packaged app at app.asar.unpacked, and leaves other paths alone', () => {
    const sep = path.sep;
    const packed = ['opt', 'Flowsight', 'resources', 'app.asar', 'dist', 'electron', 'backend', 'workers', 'import.worker.js'].join(sep);
    expect(unpackedPath(sep + packed)).toBe(sep + packed.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`));
    const plain = [sep + 'work', 'main', 'dist', 'electron', 'backend', 'workers', 'import.worker.js'].join(sep);
    expect(unpackedPath(plain)).toBe(plain);
    const lookalike = [sep + 'data', 'my-app.asar.d', 'x.js'].join(sep);
    expect(unpackedPath(lookalike)).toBe(lookalike);
  });
});
