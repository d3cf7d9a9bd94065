/** Rename and delete dialogs for a model, shared by the comparison table and the results page. */
import type { ModelSummary } from '../../../electron/contract/index.js';
import { evaluationLabel, kindLabel } from '../../components/metric-format.js';
import { DeleteItemDialog, RenameItemDialog } from '../../components/RenameDeleteActions.js';
import { useModels } from './models.slice.js';

export function RenameModelDialog({ model, onClose }: { model: ModelSummary; onClose(): void }) {
  const rename = useModels((s) => s.rename);
  return <RenameItemDialog title="Rename model" name={model.name} onRename={(name) => rename(model.id, name)} onClose={onClose} />;
}

export function DeleteModelDialog({ model, onClose, onDeleted }: { model: ModelSummary; onClose(): void; onDeleted?(): void }) {
  const remove = useModels((s) => s.remove);
  return (
    <DeleteItemDialog
      title="Delete model?"
      confirmLabel="Delete model"
      name={model.name}
      message={
        <>
          <p>
            <strong>{model.name}</strong> ({kindLabel(model.kind)}, trained on {model.datasetName}, {evaluationLabel(model.evaluation)}) and its
            evaluation will be removed from this workspace.
          </p>
          <p className="dim">The dataset is not touched. This cannot be undone.</p>
        </>
      }
      onDelete={() => remove(model.id)}
      onClose={onClose}
      onDeleted={onDeleted}
    />
  );
}
