/** Browser face: drop flow files anywhere on the window to import them. */
import { useEffect, useRef, useState } from 'react';
import { useUi } from '../../app/ui.slice.js';
import { Icon } from '../../components/Icon.js';
import { toast } from '../../components/toasts.js';

function hasFiles(e: DragEvent): boolean {
  const types = e.dataTransfer?.types;
  if (!types) return false;
  return Array.from(types).includes('Files');
}

/** Dropped files, skipping folders (which a browser cannot upload). */
export function droppedFiles(dt: DataTransfer | null): { files: File[]; folders: number } {
  if (!dt) return { files: [], folders: 0 };
  const items = dt.items ? Array.from(dt.items) : [];
  if (items.length > 0 && items.every((it) => typeof it.webkitGetAsEntry === 'function')) {
    const files: File[] = [];
    let folders = 0;
    for (const it of items) {
      if (it.kind !== 'file') continue;
      const entry = it.webkitGetAsEntry();
      if (entry?.isDirectory) {
        folders++;
        continue;
      }
      const f = it.getAsFile();
      if (f) files.push(f);
    }
    return { files, folders };
  }
  return { files: Array.from(dt.files ?? []), folders: 0 };
}

export function DropOverlay() {
  const [active, setActive] = useState(false);
  const depth = useRef(0);

  useEffect(() => {
    function onEnter(e: DragEvent) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setActive(true);
    }
    function onOver(e: DragEvent) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    }
    function onLeave(e: DragEvent) {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setActive(false);
    }
    function onDrop(e: DragEvent) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setActive(false);
      const { files, folders } = droppedFiles(e.dataTransfer);
      if (folders > 0) toast.info('Folders cannot be dropped in the browser; drop the files inside them instead.');
      if (files.length === 0) return;
      const ui = useUi.getState();
      if (ui.importDialog) ui.addImportFiles(files);
      else ui.openImport(files);
    }
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  if (!active) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <Icon name="import" size={32} />
        <strong>Drop flow files to import</strong>
        <span>CICFlowMeter · NSL-KDD · UNSW-NB15 · Zeek conn logs · CSV</span>
      </div>
    </div>
  );
}
