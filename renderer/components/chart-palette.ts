/** Chart colours per theme (recharts takes colours as props, so they cannot come from CSS variables). */
import { useTheme } from '../app/theme.js';

export const CHART_PALETTE = {
  light: {
    grid: '#e6e8ec',
    axis: '#5b6472',
    label: '#303744',
    cursor: 'rgba(30,40,60,0.06)',
    reference: '#9aa3b0',
    series: ['#2563c9', '#c2410c', '#1d7f48', '#7c3aed', '#b45309'],
    bar: '#2f6f9f',
  },
  dark: {
    grid: '#2a3039',
    axis: '#97a0ad',
    label: '#d5dae2',
    cursor: 'rgba(255,255,255,0.05)',
    reference: '#5d6675',
    series: ['#6aa7f0', '#f08a4b', '#53c48a', '#b79af5', '#e3ad55'],
    bar: '#6aa7d8',
  },
} as const;

export type ChartColors = (typeof CHART_PALETTE)['light' | 'dark'];

export function useChartColors(): ChartColors {
  const theme = useTheme((s) => s.theme);
  return CHART_PALETTE[theme];
}

/** Tick text and axis line of a chart axis, in the palette's colours. */
export function axisStyle(colors: ChartColors) {
  return { tick: { fill: colors.axis, fontSize: 11 }, stroke: colors.grid };
}
