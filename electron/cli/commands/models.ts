/** `flowsight models [--dataset ID] [--json]` */
import { parseIdOption } from '../args.js';
import { EXIT_OK, type CliContext, type GlobalFlags } from '../context.js';
import { modelsTable } from '../format.js';

export interface ModelsFlags {
  dataset?: string;
  json?: boolean;
}

export async function runModels(ctx: CliContext, globals: GlobalFlags, flags: ModelsFlags): Promise<number> {
  const datasetId = flags.dataset !== undefined ? parseIdOption('dataset', flags.dataset, 'dataset') : undefined;
  const backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'cli' });
  try {
    const { models } = await backend.call('models.list', datasetId !== undefined ? { datasetId } : {});
    ctx.stdout.write(flags.json ? JSON.stringify({ models }, null, 2) + '\n' : modelsTable(models));
    return EXIT_OK;
  } finally {
    await backend.close();
  }
}
