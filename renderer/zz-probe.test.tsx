// @vitest-environment jsdom
import { test, expect } from 'vitest';
import { createRoot } from 'react-dom/client';
import { act } from 'react';
test('jsx', async () => {
  (globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;
  const d = document.createElement('div');
  const r = createRoot(d);
  await act(async () => r.render(<b>hi</b>));
  expect(d.innerHTML).toBe('<b>hi</b>');
  expect(typeof ResizeObserver).toBe('undefined');
});
