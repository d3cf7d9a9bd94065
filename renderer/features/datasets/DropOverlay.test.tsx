// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useUi } from '../../app/ui.slice.js';
import { byTestId, cleanup, render } from '../../test/helpers.js';
import { DropOverlay, droppedFiles } from './DropOverlay.js';

function dragEvent(type: string, files: File[], folders: string[] = []): Event {
  const e = new Event(type, { bubbles: true, cancelable: true });
  const items = [
    ...files.map((f) => ({ kind: 'file', getAsFile: () => f, webkitGetAsEntry: () => ({ isDirectory: false }) })),
    ...folders.map(() => ({ kind: 'file', getAsFile: () => null, webkitGetAsEntry: () => ({ isDirectory: true }) })),
  ];
  Object.defineProperty(e, 'dataTransfer', { value: { types: ['Files'], files, items, dropEffect: 'none' } });
  return e;
}

beforeEach(() => useUi.setState({ importDialog: null, samplesDialog: false }));
afterEach(cleanup);

describe('drop anywhere', () => {
  it('shows the overlay while files are dragged over the window and opens the import dialog on drop', async () => {
    await render(<DropOverlay />);
    const f = new File(['a'], 'conn.log');
    await act(async () => {
      window.dispatchEvent(dragEvent('dragenter', [f]));
    });
    expect(byTestId('drop-overlay')!.textContent).toContain('Drop flow files to import');
    await act(async () => {
      window.dispatchEvent(dragEvent('drop', [f]));
    });
    expect(byTestId('drop-overlay')).toBeNull();
    expect(useUi.getState().importDialog!.files).toEqual([f]);
  });

  it('adds to an open dialog instead of replacing, without duplicates', async () => {
    const a = new File(['a'], 'a.csv', { lastModified: 1 });
    const b = new File(['b'], 'b.csv', { lastModified: 1 });
    useUi.getState().openImport([a]);
    await render(<DropOverlay />);
    await act(async () => {
      window.dispatchEvent(dragEvent('drop', [a, b]));
    });
    expect(useUi.getState().importDialog!.files.map((f) => f.name)).toEqual(['a.csv', 'b.csv']);
  });

  it('ignores drags that carry no files and skips folders', () => {
    expect(droppedFiles(null)).toEqual({ files: [], folders: 0 });
    const f = new File(['x'], 'x.csv');
    const e = dragEvent('drop', [f], ['flows/']) as Event & { dataTransfer: DataTransfer };
    expect(droppedFiles(e.dataTransfer)).toEqual({ files: [f], folders: 1 });
  });
});
