/** A monitor's thread: its own connection, the source loop of MonitorRun, replay-range threads on demand. */
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkerConnection } from '../db/connection.js';
import { spawnWorker } from '../jobs/worker-host.js';
import { MonitorRun, type MonitorMessage, type MonitorRunConfig, type RangeMessage } from '../live/monitor-run.js';
import type { ThresholdSpec } from '../../contract/live.js';

const cfg = workerData as MonitorRunConfig;
const post = (m: MonitorMessage) => parentPort!.postMessage(m);
const db = openWorkerConnection(cfg.workspacePath);

const run = new MonitorRun(cfg, {
  db,
  post,
  spawnRange(data, onBlock) {
    const w = spawnWorker('replay-range', { workerData: data });
    const done = new Promise<void>((resolve) => {
      w.on('message', (m: RangeMessage) => {
        onBlock(m);
        if (m.type !== 'block') {
          resolve();
          void w.terminate();
        }
      });
      w.on('error', (err) => {
        onBlock({ type: 'failed', code: 'INTERNAL', message: err.message });
        resolve();
      });
      w.on('exit', () => resolve());
    });
    return {
      done,
      setThreshold: (t) => w.postMessage({ type: 'threshold', value: t }),
    };
  },
});

parentPort!.on('message', (m: { type: 'threshold'; spec: ThresholdSpec; calibrated: number | null }) => {
  if (m.type === 'threshold') run.setThreshold(m.spec, m.calibrated);
});

run
  .run()
  .catch((err: unknown) => {
    const e = err as { code?: string; message?: string };
    post({ type: 'failed', code: typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'INTERNAL', message: e.message ?? String(err) });
  })
  .finally(() => {
    try {
      db.close();
    } catch {
      /* closed */
    }
    parentPort!.close();
  });
