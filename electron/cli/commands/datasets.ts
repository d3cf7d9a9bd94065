/** `flowsight datasets [--json]` */
import { EXIT_OK, type CliContext, type GlobalFlags } from '../context.js';
import { datasetsTable } from '../format.js';

export async function runDatasets(ctx: CliContext, globals: GlobalFlags, flags: { json?: boolean }): Promise<number> {
  const backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'cli' });
  try {
    const { datasets } = await backend.call('datasets.list', {});
    ctx.stdout.write(flags.json ? JSON.stringify({ datasets }, null, 2) + '\n' : datasetsTable(datasets));
    return EXIT_OK;
  } finally {
    await backend.close();
  }
}
