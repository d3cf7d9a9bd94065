/**
 * Public surface of ml-core/data: flow files (bytes) -> typed column batches, profiles, targets.
 * Everything here is pure TypeScript (no Node, no DOM).
 */

// shared shapes
export * from './types.js';

// low-level parsing
export { sniffEncoding, decodeUtf8, decodeUtf8OrCp1252, decodeCp1252, encodeUtf8, isValidUtf8, isAscii } from './text.js';
export { StringDictionary } from './dictionary.js';
export {
  parseDecimal,
  parseDecimalF32,
  classifyNonNumber,
  isDecimalSyntax,
  NUMBER_OK,
  NUMBER_EMPTY,
  NUMBER_NONFINITE,
  NUMBER_INVALID,
} from './number-parse.js';
export { NumericStatsAccumulator, dictionaryStats, addCodeCounts, type NumericStatsState } from './column-stats.js';
export { parseHeadRecords, type HeadRecordsOptions } from './head-records.js';
export {
  DelimitedReader,
  type DelimitedReaderOptions,
  type ReaderColumn,
  type ReaderCounters,
} from './delimited-reader.js';
export { JsonLinesReader, type JsonLinesColumn, type JsonLinesReaderOptions } from './json-lines-reader.js';

// layouts, labels, import
export { detectLayout, checkTextHead, formatName, HEAD_BYTES } from './detect.js';
export {
  NSL_KDD_CATEGORY,
  UNSW_NB15_CATEGORIES,
  buildTargets,
  binaryOf,
  cicidsCategory,
  cleanLabel,
  countTargets,
  isBenignWord,
  knownCategory,
} from './labels.js';
export { NSL_KDD_FEATURES, NSL_KDD_CATEGORICAL } from './profiles/nsl-kdd.js';
export { CICFLOWMETER_CANONICAL_NAMES, canonicalCicName } from './profiles/cicflowmeter.js';
export { UNSW_NB15_SET_COLUMNS, UNSW_NB15_RAW_COLUMNS, canonicalUnswName } from './profiles/unsw-nb15.js';
export { ZEEK_CONN_TYPES, zeekColumnKind } from './profiles/zeek.js';
export { guessLabelColumn, identifierKindOfName } from './profiles/csv.js';
export { FlowImporter, type BeginFileOptions } from './importer.js';
export {
  mergeImportParts,
  type ImportPart,
  type ImportPartFile,
  type ImportPartLabels,
  type MergeOptions,
} from './import-part.js';
