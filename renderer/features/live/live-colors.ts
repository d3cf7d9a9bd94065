/** Colours of classes in the Live charts: benign blue-grey, attacks from one fixed cycle per theme. */
import { useTheme } from '../../app/theme.js';
import { isBenignClass } from '../../components/ClassBarChart.js';

const CLASS_CYCLE = {
  light: ['#c2410c', '#7c3aed', '#1d7f48', '#b45309', '#be185d', '#0e7490', '#4d7c0f', '#9333ea', '#a16207', '#2563c9', '#dc2626', '#0f766e'],
  dark: ['#f08a4b', '#b79af5', '#53c48a', '#e3ad55', '#f472b6', '#4cc3d9', '#a3d65c', '#d19bf7', '#f0c75e', '#6aa7f0', '#f87171', '#5fd4c0'],
} as const;
const BENIGN = { light: '#7a8699', dark: '#8a96a8' } as const;

export const HISTOGRAM_COLORS = {
  light: { below: '#9fb3cc', above: '#c2410c', line: '#1a202c' },
  dark: { below: '#4e617a', above: '#f08a4b', line: '#e4e8ee' },
} as const;

/** A stable colour per class: classes are ranked by name so the same class keeps its colour. */
export function classColorMap(classes: readonly string[], theme: 'light' | 'dark'): Record<string, string> {
  const out: Record<string, string> = {};
  let k = 0;
  for (const c of [...classes].sort()) {
    out[c] = isBenignClass(c) ? BENIGN[theme] : CLASS_CYCLE[theme][k++ % CLASS_CYCLE[theme].length]!;
  }
  return out;
}

export function useLiveTheme(): 'light' | 'dark' {
  return useTheme((s) => s.theme);
}
