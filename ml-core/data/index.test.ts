import { describe, expect, it } from 'vitest';
import * as data from './index.js';

describe('ml-core/data public surface', () => {
  it('exports the importer, detection, labels, profiles and the low-level parser', () => {
    for (const name of [
      'FlowImporter',
      'detectLayout',
      'FlowDataError',
      'cleanLabel',
      'buildTargets',
      'NSL_KDD_CATEGORY',
      'NSL_KDD_FEATURES',
      'CICFLOWMETER_CANONICAL_NAMES',
      'canonicalCicName',
      'UNSW_NB15_RAW_COLUMNS',
      'ZEEK_CONN_TYPES',
      'DelimitedReader',
      'JsonLinesReader',
      'StringDictionary',
      'parseHeadRecords',
      'sniffEncoding',
      'NumericStatsAccumulator',
    ]) {
      expect(data[name as keyof typeof data], name).toBeDefined();
    }
    expect(new data.FlowImporter().columns).toEqual([]);
  });
});
