function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** How the import shortcut is written on this platform. */
export const IMPORT_SHORTCUT = isMac() ? '⌘O' : 'Ctrl+O';
