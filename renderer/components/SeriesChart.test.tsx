// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { byTestId, cleanup, render } from '../test/helpers.js';
import { SeriesChart, seriesDomain } from './SeriesChart.js';

afterEach(cleanup);

const points = (n: number) => Array.from({ length: n }, (_, i) => ({ round: i + 1, train: 1 / (i + 1), valid: 1.2 / (i + 1) }));
const series = [
  { key: 'train', name: 'train loss' },
  { key: 'valid', name: 'validation loss' },
];

describe('SeriesChart', () => {
  it('widens a single x to two units; keeps the data range otherwise', () => {
    expect(seriesDomain([1])).toEqual([1, 2]);
    expect(seriesDomain([3, 1, 2])).toEqual([1, 3]);
    expect(seriesDomain([])).toBeNull();
    expect(seriesDomain([Number.NaN, 4])).toEqual([4, 5]);
  });

  it('dots short series, names the marker on the side with room, starts losses at zero on demand', async () => {
    await render(<SeriesChart data={points(6)} xKey="round" xLabel="Epoch" series={series} dotsUpTo={60} yFromZero marker={{ x: 6, label: 'kept' }} testId="c" ariaLabel="loss" />);
    const chart = byTestId('c')!;
    expect(chart.getAttribute('data-points')).toBe('6');
    expect(chart.querySelectorAll('.recharts-line-dot').length).toBe(12);
    const kept = Array.from(chart.querySelectorAll('text')).find((t) => t.textContent === 'kept')!;
    expect(kept.getAttribute('text-anchor')).toBe('end'); // at the right edge: the words sit left of the line
    cleanup();
    // losses far from zero: the axis still starts there when asked, fits the data otherwise
    const high = points(6).map((p) => ({ ...p, train: 5 + p.train, valid: 5 + p.valid }));
    const ticks = () => Array.from(byTestId('c')!.querySelectorAll('.recharts-cartesian-axis-tick-label')).map((t) => t.textContent);
    await render(<SeriesChart data={high} xKey="round" xLabel="Epoch" series={series} yFromZero testId="c" ariaLabel="loss" />);
    expect(ticks()).toContain('0');
    cleanup();
    await render(<SeriesChart data={high} xKey="round" xLabel="Epoch" series={series} testId="c" ariaLabel="loss" />);
    expect(ticks()).not.toContain('0');
    cleanup();
    await render(<SeriesChart data={points(80)} xKey="round" xLabel="Round" series={series} dotsUpTo={60} marker={{ x: 2, label: 'kept' }} testId="c" ariaLabel="loss" />);
    expect(byTestId('c')!.querySelectorAll('.recharts-line-dot').length).toBe(0);
    expect(Array.from(byTestId('c')!.querySelectorAll('text')).find((t) => t.textContent === 'kept')!.getAttribute('text-anchor')).toBe('start');
  });
});
