/** Rename and delete dialogs, shared by the list and the dataset view. */
import type { DatasetSummary } from '../../../electron/contract/index.js';
import { formatInt, plural } from '../../components/format.js';
import { DeleteItemDialog, RenameItemDialog } from '../../components/RenameDeleteActions.js';
import { useDatasets } from './datasets.slice.js';

export function RenameDialog({ dataset, onClose }: { dataset: DatasetSummary; onClose(): void }) {
  const rename = useDatasets((s) => s.rename);
  return <RenameItemDialog title="Rename dataset" name={dataset.name} formId="rename-form" onRename={(name) => rename(dataset.id, name)} onClose={onClose} />;
}

export function DeleteDialog({ dataset, onClose, onDeleted }: { dataset: DatasetSummary; onClose(): void; onDeleted?(): void }) {
  const remove = useDatasets((s) => s.remove);
  return (
    <DeleteItemDialog
      title="Delete dataset?"
      confirmLabel="Delete dataset"
      name={dataset.name}
      message={
        <>
          <p>
            <strong>{dataset.name}</strong> ({plural(dataset.rows, 'row')}, {formatInt(dataset.features)} features) will be removed
            from this workspace.
          </p>
          <p className="dim">The original flow files are not touched. This cannot be undone.</p>
        </>
      }
      onDelete={() => remove(dataset.id)}
      onClose={onClose}
      onDeleted={onDeleted}
    />
  );
}
