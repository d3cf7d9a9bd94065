export {
  summarize,
  summarizeFolds,
  crossValidate,
  crossValidateAsync,
  holdout,
  type CrossValidateOptions,
  type CrossValidationResult,
  type HoldoutOptions,
} from './cross-validate.js';
