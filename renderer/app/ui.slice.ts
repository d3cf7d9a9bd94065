/** Which dialog is open; shared so the menu shortcut, the drop target and buttons agree. */
import { create } from 'zustand';

interface UiState {
  /** the import dialog, with files dropped or picked before it opened */
  importDialog: { files: File[]; paths: string[] } | null;
  samplesDialog: boolean;
  openImport(files?: File[], paths?: string[]): void;
  addImportFiles(files: File[]): void;
  setImportFiles(files: File[]): void;
  setImportPaths(paths: string[]): void;
  closeImport(): void;
  openSamples(): void;
  closeSamples(): void;
}

export const useUi = create<UiState>()((set) => ({
  importDialog: null,
  samplesDialog: false,
  openImport(files = [], paths = []) {
    set({ importDialog: { files, paths }, samplesDialog: false });
  },
  addImportFiles(files) {
    set((s) => ({
      importDialog: s.importDialog
        ? { ...s.importDialog, files: mergeFiles(s.importDialog.files, files) }
        : { files, paths: [] },
    }));
  },
  setImportFiles(files) {
    set((s) => (s.importDialog ? { importDialog: { ...s.importDialog, files } } : s));
  },
  setImportPaths(paths) {
    set((s) => (s.importDialog ? { importDialog: { ...s.importDialog, paths } } : s));
  },
  closeImport() {
    set({ importDialog: null });
  },
  openSamples() {
    set({ samplesDialog: true, importDialog: null });
  },
  closeSamples() {
    set({ samplesDialog: false });
  },
}));

/** Union of two file lists, dropping exact repeats (same name, size and mtime). */
export function mergeFiles(a: File[], b: File[]): File[] {
  const key = (f: File) => `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const f of b) {
    if (!seen.has(key(f))) {
      seen.add(key(f));
      out.push(f);
    }
  }
  return out;
}
