/** `flowsight doctor [--json]` */
import type { DoctorReport } from '../../contract/dto.js';
import { EXIT_OK, type CliContext, type GlobalFlags } from '../context.js';
import { bytes, n } from '../format.js';

export function doctorText(r: DoctorReport): string {
  const nr = r.neural;
  const lines = [
    `Flowsight ${r.app.version}`,
    `  Node        ${r.app.node}`,
    `  Electron    ${r.electron ?? 'not running under Electron'}`,
    `  SQLite      ${r.app.sqlite}`,
    `  Platform    ${r.app.platform}, ${r.cpus} cores, ${bytes(r.memoryBytes)} memory`,
    `  Workspace   ${r.workspace.path}`,
    `              schema ${r.workspace.schemaVersion}, ${bytes(r.workspace.sizeBytes)}, ${n(r.workspace.datasets)} datasets, ${n(r.workspace.models)} models`,
    `  Neural      ${nr.backend ? `${nr.label} (${nr.backend}), TensorFlow.js ${nr.version}` : `unavailable: ${(nr.error ?? 'no backend loaded').replace(/\.$/, '')}`}${nr.requested !== 'auto' ? `, forced by FLOWSIGHT_TF_BACKEND=${nr.requested}` : ''}`,
  ];
  for (const s of nr.skipped) lines.push(`              not ${s.backend}: ${s.reason}`);
  if (nr.requested === 'auto') lines.push('              (FLOWSIGHT_TF_BACKEND=tensorflow-gpu|tensorflow|wasm|cpu forces one; the README says how to get GPU training)');
  return lines.join('\n') + '\n';
}

export async function runDoctor(ctx: CliContext, globals: GlobalFlags, flags: { json?: boolean }): Promise<number> {
  const backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'cli' });
  try {
    const report = await backend.call('app.doctor', {});
    ctx.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : doctorText(report));
    return EXIT_OK;
  } finally {
    await backend.close();
  }
}
