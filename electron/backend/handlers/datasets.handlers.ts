/** datasets.* commands. */
import path from 'node:path';
import { FlowsightError } from '../../contract/errors.js';
import type { ColumnRole } from '../../contract/dto.js';
import { isFeatureRole, leakageWarning } from '../db/datasets.repo.js';
import { runImportWorker } from '../import/import-job.js';
import { baseNameWithoutExt, cleanName, defaultDatasetName, planFiles, type ImportFile } from '../import/plan.js';
import { listSamples, samplePath } from '../samples.js';
import { removeUploads, resolveUploads } from '../uploads/uploads.js';
import type { BackendContext, HandlerGroup } from './types.js';

/** Changing the workspace while this process's import holds the write lock would block the UI. */
export function ensureNotWriting(ctx: BackendContext): void {
  const job = ctx.registry.writingJob();
  if (job) {
    throw new FlowsightError(
      'BUSY',
      `An import (job ${job.id}: ${job.title}) is writing to the workspace; try again when it has finished.`,
    );
  }
}

export function datasetsHandlers(ctx: BackendContext): HandlerGroup {
  return {
    'datasets.list': () => ({ datasets: ctx.datasets.list() }),

    'datasets.get': ({ id }) => ctx.datasets.detail(id),

    'datasets.preview': ({ id, offset, limit }) => ctx.datasets.preview(id, offset, limit),

    'datasets.samples': () => ({
      samples: listSamples(ctx.resourcesDir).map(({ id, name, description, citation, rows }) => ({
        id,
        name,
        description,
        citation,
        rows,
      })),
    }),

    'datasets.import': (args) => {
      let files: ImportFile[];
      let name: string;
      let uploadIds: string[] = [];
      if (args.paths?.length) {
        files = planFiles(args.paths);
        name = args.name ?? defaultDatasetName(args.paths);
      } else if (args.uploadIds?.length) {
        const uploads = resolveUploads(ctx.workspacePath, args.uploadIds);
        uploadIds = uploads.map((u) => u.id);
        files = planFiles(uploads.map((u) => u.path));
        name = args.name ?? cleanName(baseNameWithoutExt(uploads[0]!.name));
      } else if (args.sample) {
        const sample = samplePath(ctx.resourcesDir, args.sample);
        files = planFiles([sample.path]);
        name = args.name ?? cleanName(sample.name);
      } else {
        throw new FlowsightError('BAD_INPUT', 'Invalid input for datasets.import: give exactly one of: paths, uploadIds, sample.');
      }
      const options = { format: args.format, ...(args.label !== undefined ? { label: args.label } : {}) };
      const what = files.length === 1 ? path.basename(files[0]!.path) : `${files.length} files`;
      const job = ctx.registry.start({
        kind: 'import',
        title: `Import ${what} as ${name}`,
        writes: true,
        run: async (jobCtx) => {
          const result = await runImportWorker(jobCtx, {
            workspacePath: ctx.workspacePath,
            files: files.map((f) => ({ path: f.path, name: f.name, bytes: f.bytes })),
            datasetName: name,
            options,
            ...(ctx.importTuning ? { tuning: ctx.importTuning } : {}),
            ...(ctx.onImportTimings ? { onTimings: ctx.onImportTimings } : {}),
          });
          if (uploadIds.length) {
            try {
              removeUploads(ctx.workspacePath, uploadIds);
            } catch {
              /* the dataset is stored; a leftover upload is swept within a day */
            }
          }
          ctx.emit({ name: 'datasets.changed', payload: { id: result.id, reason: 'imported' } });
          return result;
        },
      });
      return { jobId: job.id };
    },

    'datasets.delete': ({ id }) => {
      ensureNotWriting(ctx);
      ctx.datasets.delete(id);
      try {
        ctx.db.pragma('incremental_vacuum');
      } catch {
        /* space is reused by the next import anyway */
      }
      ctx.emit({ name: 'datasets.changed', payload: { id, reason: 'deleted' } });
      return { deleted: true as const };
    },

    'datasets.rename': ({ id, name }) => {
      ensureNotWriting(ctx);
      const before = ctx.datasets.summary(id);
      const summary = ctx.datasets.rename(id, name);
      if (before.name !== summary.name) ctx.emit({ name: 'datasets.changed', payload: { id, reason: 'renamed' } });
      return summary;
    },

    'datasets.setRoles': ({ id, roles }) => {
      const columns = ctx.datasets.columns(id);
      const byName = new Map(columns.map((c) => [c.name, c]));
      const changes: Array<{ index: number; role: ColumnRole }> = [];
      const warnings: string[] = [];
      const unknown = Object.keys(roles).filter((n) => !byName.has(n));
      if (unknown.length) {
        const datasetName = ctx.datasets.summary(id).name;
        throw new FlowsightError(
          'BAD_INPUT',
          `The dataset ${datasetName} has no column named ${unknown.map((n) => `"${n}"`).join(', ')}.`,
        );
      }
      for (const [name, role] of Object.entries(roles)) {
        const col = byName.get(name)!;
        if (col.role === role) continue;
        if (role === 'label') {
          throw new FlowsightError(
            'BAD_INPUT',
            `${name} cannot become the label column: the label is chosen when the data is imported. Import the file again and name ${name} as its label.`,
          );
        }
        if (col.role === 'label') {
          throw new FlowsightError(
            'BAD_INPUT',
            `${name} is the label column (what models learn to predict); its role cannot change. Import the file again without a label to use it otherwise.`,
          );
        }
        if (role === 'numeric' && col.storage === 'dict') {
          throw new FlowsightError(
            'BAD_INPUT',
            `${name} holds text; it can be categorical, identifier or ignored, but not numeric.`,
          );
        }
        if (col.defaultRole === 'identifier' && isFeatureRole(role)) warnings.push(leakageWarning(name));
        changes.push({ index: col.index, role });
      }
      if (changes.length) {
        ensureNotWriting(ctx);
        ctx.datasets.setRoles(id, changes);
        ctx.emit({ name: 'datasets.changed', payload: { id, reason: 'updated' } });
      }
      const dataset = ctx.datasets.detail(id);
      if (dataset.features === 0) {
        warnings.push('No column is a feature now (numeric or categorical); a model needs at least one.');
      }
      return { dataset, warnings };
    },
  };
}
