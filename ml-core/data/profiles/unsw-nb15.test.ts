import { describe, expect, it } from 'vitest';
import { columnStrings, columnValues, fixture, importFiles, splitCsv, toUnswRaw, utf8 } from '../../../tests/support/flow-import.js';
import { detectLayout } from '../detect.js';
import { UNSW_NB15_RAW_COLUMNS, UNSW_NB15_SET_COLUMNS } from './unsw-nb15.js';

const SET = 'unsw-nb15/UNSW_NB15_testing-set.excerpt.csv';
const ROWS = 131;

function expectedCounts(): Record<string, number> {
  const { header, rows } = splitCsv(fixture(SET));
  const k = header.indexOf('attack_cat');
  const out: Record<string, number> = {};
  for (const r of rows) out[r[k]] = (out[r[k]] ?? 0) + 1;
  return out;
}

describe('UNSW-NB15 45-column sets', () => {
  it('detects the set layout through its BOM and CRLF', () => {
    const bytes = fixture(SET);
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xef, 0xbb, 0xbf]);
    const plan = detectLayout('UNSW_NB15_testing-set.csv', bytes);
    expect(plan.profile).toBe('unsw-nb15');
    expect(plan.bom).toBe(true);
    expect(plan.lineEnding).toBe('crlf');
    expect(plan.columns.map((c) => c.name)).toEqual([...UNSW_NB15_SET_COLUMNS]);
    expect(plan.columns[0].sourceName).toBe('id'); // BOM not part of the name
  });

  it('imports rows, roles, label from attack_cat and the 0/1 label kept out of the features', () => {
    const r = importFiles([{ name: 'UNSW_NB15_testing-set.csv', bytes: fixture(SET) }]);
    const s = r.summary;
    expect(s.rows).toBe(ROWS);
    const role = Object.fromEntries(s.columns.map((c) => [c.name, `${c.role}/${c.storage}`]));
    expect(role.id).toBe('identifier/f64');
    expect(role.proto).toBe('categorical/dict');
    expect(role.service).toBe('categorical/dict');
    expect(role.state).toBe('categorical/dict');
    expect(role.attack_cat).toBe('label/dict');
    expect(role.label).toBe('ignored/f32');
    expect(role.sbytes).toBe('numeric/f32');
    expect(s.targets?.labelColumn).toBe('attack_cat');
    expect(s.classCounts?.label).toEqual(expectedCounts());
    expect(s.classCounts?.category).toEqual(expectedCounts());
    expect(s.classCounts?.binary.benign ?? 0).toBe(expectedCounts().Normal ?? 0);
    expect(s.warnings.some((w) => /disagrees/.test(w))).toBe(false);
    expect(s.cleaning.notes.join(' ')).toMatch(/byte-order mark/);
    expect(s.cleaning.notes.join(' ')).toMatch(/CRLF/);
    // the last field of each CRLF line carries no '\r'
    expect(columnValues(r, 'label').every((v) => v === 0 || v === 1)).toBe(true);
    expect(columnValues(r, 'id').slice(0, 3)).toEqual([1, 2, 3]);
    // '-' is a real service value in UNSW-NB15 (no service), not missing
    expect(columnStrings(r, 'service')[0]).toBe('-');
  });

  it('labels empty / blank attack_cat cells Normal and reports it', () => {
    const { header, rows } = splitCsv(fixture(SET));
    const k = header.indexOf('attack_cat');
    const attacks = rows.filter((r) => r[header.indexOf('label')] === '1').slice(0, 10);
    expect(attacks).toHaveLength(10);
    const lines = attacks.map((row, i) => {
      const r = row.slice();
      if (i < 3) r[k] = '';
      else if (i < 5) r[k] = ' ';
      return r.join(',');
    });
    const s = importFiles([{ name: 'blank.csv', bytes: utf8(`${header.join(',')}\n${lines.join('\n')}\n`) }]).summary;
    expect(s.classCounts?.label.Normal).toBe(5);
    expect(s.cleaning.repairedLabels).toContainEqual({ from: '', to: 'Normal', rows: 3 });
    expect(s.cleaning.repairedLabels).toContainEqual({ from: ' ', to: 'Normal', rows: 2 });
    // blank attack_cat with label 1 disagrees with the binary truth
    expect(s.warnings.some((w) => /^5 rows have a label that disagrees with the 0\/1 'label' column/.test(w))).toBe(true);
  });
});

describe('UNSW-NB15 49-column raw files', () => {
  it('detects headerless raw rows and names them with the official names', () => {
    const plan = detectLayout('UNSW-NB15_1.csv', toUnswRaw(fixture(SET)));
    expect(plan.profile).toBe('unsw-nb15-raw');
    expect(plan.hasHeader).toBe(false);
    expect(plan.nFields).toBe(49);
    expect(plan.columns).toHaveLength(49);
    const role = Object.fromEntries(plan.columns.map((c) => [c.name, `${c.role}/${c.storage}`]));
    for (const id of ['srcip', 'dstip']) expect(role[id]).toBe('identifier/dict');
    for (const id of ['sport', 'dsport']) expect(role[id]).toBe('identifier/f32');
    for (const id of ['stime', 'ltime']) expect(role[id]).toBe('identifier/f64');
    expect(role.sload).toBe('numeric/f32'); // raw 'Sload' mapped onto the set name
    expect(role.smean).toBe('numeric/f32'); // raw 'smeansz'
    expect(role.attack_cat).toBe('label/dict');
    expect(role.label).toBe('ignored/f32');
    expect(UNSW_NB15_RAW_COLUMNS).toHaveLength(49);
  });

  it('imports raw rows (header or not) with the same classes as the set they came from', () => {
    const counts = expectedCounts();
    for (const withHeader of [false, true]) {
      const r = importFiles([{ name: 'UNSW-NB15_1.csv', bytes: toUnswRaw(fixture(SET), withHeader) }]);
      expect(r.profiles).toEqual(['unsw-nb15-raw']);
      expect(r.summary.rows).toBe(ROWS);
      expect(r.summary.classCounts?.label).toEqual(counts);
      expect(r.summary.warnings.some((w) => /disagrees/.test(w))).toBe(false);
      // hex ports ('0x000b') are not numbers: counted and stored as missing
      expect(r.summary.cleaning.invalidNumberByColumn.dsport).toBe(Math.ceil(ROWS / 7));
      expect(r.summary.cleaning.repairedLabels.some((x) => x.from === '' && x.to === 'Normal')).toBe(counts.Normal > 0);
      expect(columnValues(r, 'stime')[0]).toBe(1421927414);
    }
  });
});
