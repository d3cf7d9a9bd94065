/** app.* commands. */
import { statSync } from 'node:fs';
import os from 'node:os';
import type { DoctorReport } from '../../contract/dto.js';
import { neuralRuntimeInfo } from '../training/neural-info.js';
import type { BackendContext, HandlerGroup } from './types.js';

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function appHandlers(ctx: BackendContext): HandlerGroup {
  return {
    'app.info': () => ctx.appInfo(),

    'app.doctor': async (): Promise<DoctorReport> => {
      const app = ctx.appInfo();
      const neural = await neuralRuntimeInfo();
      return {
        app,
        electron: process.versions.electron ?? null,
        cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
        memoryBytes: os.totalmem(),
        workspace: {
          path: ctx.workspacePath,
          schemaVersion: ctx.schemaVersion,
          // the database and its write-ahead log
          sizeBytes: fileSize(ctx.workspacePath) + fileSize(`${ctx.workspacePath}-wal`),
          datasets: ctx.datasets.list().length,
          models: ctx.models.list().length,
        },
        neural,
      };
    },
  };
}
