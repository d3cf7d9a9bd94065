/** Light/dark theme: follows prefers-color-scheme until the user picks one (then localStorage). */
import { create } from 'zustand';

export type Theme = 'light' | 'dark';
export const THEME_KEY = 'flowsight.theme';

function storedTheme(): Theme | null {
  try {
    const v = window.localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

interface ThemeState {
  theme: Theme;
  /** true once the user chose explicitly */
  chosen: boolean;
  toggle(): void;
  set(theme: Theme): void;
}

export const useTheme = create<ThemeState>()((set, get) => ({
  theme: storedTheme() ?? systemTheme(),
  chosen: storedTheme() !== null,
  toggle() {
    get().set(get().theme === 'dark' ? 'light' : 'dark');
  },
  set(theme) {
    try {
      window.localStorage.setItem(THEME_KEY, theme);
    } catch {
      /* private mode: still switch for this session */
    }
    applyTheme(theme);
    set({ theme, chosen: true });
  },
}));

/** Apply the initial theme and follow the system until the user chooses. */
export function initTheme(): () => void {
  applyTheme(useTheme.getState().theme);
  if (typeof window.matchMedia !== 'function') return () => {};
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  const onChange = () => {
    if (useTheme.getState().chosen) return;
    const theme = mq.matches ? 'dark' : 'light';
    applyTheme(theme);
    useTheme.setState({ theme });
  };
  mq.addEventListener?.('change', onChange);
  return () => mq.removeEventListener?.('change', onChange);
}
