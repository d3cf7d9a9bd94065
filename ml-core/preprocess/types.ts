/**
 * Shapes of the preprocessing pipeline. A dataset's stored columns arrive as a RawFrame
 * (numeric columns as floats with NaN for missing, categorical columns as dictionary codes);
 * a Preprocessor fitted on the training rows only turns any frame with the same columns into
 * a column-major Float32 matrix (ml-core/models/types ColMatrix). The fitted state is plain
 * JSON and is saved inside the model's manifest.
 */

export type RawColumn =
  | { name: string; kind: 'numeric'; values: Float32Array | Float64Array }
  | {
      name: string;
      kind: 'categorical';
      /** index into `categories`; -1 = missing */
      codes: Int32Array;
      categories: readonly string[];
    };

export interface RawFrame {
  nSamples: number;
  columns: RawColumn[];
}

export interface PreprocessOptions {
  /** how missing and non-finite numbers are filled (default 'median') */
  impute: 'median' | 'constant';
  /** the constant for impute 'constant' (default 0) */
  fillValue: number;
  /** add a 0/1 "<name> missing" column for every numeric column that had missing values in training */
  addIndicators: boolean;
  /**
   * numeric scaling (default 'none'; trees do not need it). 'log-standard': a signed logarithm
   * sign(x)·ln(1 + |x|) first, then standard scaling — for the heavy-tailed counts and rates of flow
   * records (bytes, packets/s), whose raw standard scores are mostly ~0 with a few huge outliers
   */
  scale: 'none' | 'standard' | 'robust' | 'log-standard';
  /**
   * categorical encoding (default 'ordinal'): ordinal gives one column of category indices
   * (missing = -1, unseen at scoring time = number of known categories); onehot gives one 0/1
   * column per known category (missing and unseen: all zero)
   */
  encode: 'ordinal' | 'onehot';
  /** onehot: categories beyond the most frequent N share one "other" column (default 64) */
  maxOneHot: number;
}

export interface FittedNumeric {
  name: string;
  kind: 'numeric';
  fill: number;
  /** scaling: x' = (x - center) / scale, or (slog(x) - center) / scale when `log` */
  center: number;
  scale: number;
  indicator: boolean;
  /** sign(x)·ln(1 + |x|) before centring and scaling (absent: false) */
  log?: boolean;
}

export interface FittedCategorical {
  name: string;
  kind: 'categorical';
  /** known categories, in output order */
  categories: string[];
  /** onehot: whether an "other" column follows the known ones */
  other: boolean;
}

/** JSON-serializable fitted pipeline. */
export interface FittedPreprocessor {
  version: 1;
  options: PreprocessOptions;
  inputs: Array<FittedNumeric | FittedCategorical>;
  /** names of the output matrix columns, in order */
  outputNames: string[];
  /** for every output column, the index of the input column it came from */
  outputSource: number[];
}
