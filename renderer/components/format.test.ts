// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { baseName, formatBytes, formatInt, formatPercent, formatStat, plural, profileLabel, suggestDatasetName } from './format.js';

describe('format helpers', () => {
  it('groups integers', () => {
    expect(formatInt(25192)).toBe('25,192');
    expect(formatInt(2_830_743)).toBe('2,830,743');
    expect(formatInt(0)).toBe('0');
    expect(formatInt(-1200)).toBe('-1,200');
    expect(formatInt(null)).toBe('—');
    expect(formatInt(Infinity)).toBe('∞');
  });

  it('formats bytes in powers of 1000', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(304_000_000)).toBe('304 MB');
    expect(formatBytes(4_200_000)).toBe('4.2 MB');
    expect(formatBytes(1_999_999_999)).toBe('2.0 GB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats statistics readably at every magnitude', () => {
    expect(formatStat(119_999_998)).toBe('119,999,998');
    expect(formatStat(1234.56789)).toBe('1,234.568');
    expect(formatStat(0.000123456)).toBe('0.0001235');
    expect(formatStat(0.00000123)).toBe('1.23e-6');
    expect(formatStat(-3.5)).toBe('-3.5');
    expect(formatStat(0)).toBe('0');
    expect(formatStat(null)).toBe('—');
  });

  it('formats shares, keeping tiny ones visible', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0.00001)).toBe('<0.1%');
    expect(formatPercent(1)).toBe('100.0%');
  });

  it('names things', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(25192, 'row')).toBe('25,192 rows');
    expect(profileLabel('cicflowmeter-original')).toMatch(/CICFlowMeter/);
    expect(baseName('/home/ana/flows/ws.sqlite')).toBe('ws.sqlite');
    expect(baseName('C:\\flows\\KDDTrain+.txt')).toBe('KDDTrain+.txt');
    expect(suggestDatasetName(['KDDTrain+.txt'])).toBe('KDDTrain+');
    expect(suggestDatasetName(['conn.log.labeled'])).toBe('conn');
    expect(suggestDatasetName(['a.csv', 'b.csv', 'c.csv'])).toBe('a + 2 more');
    expect(suggestDatasetName([])).toBe('');
  });
});
