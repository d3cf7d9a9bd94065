/**
 * Values mirrored from electron/contract. The renderer may import only *types* from the
 * contract (no zod, no Node code in the bundle), so the few constants it needs are repeated
 * here; each is typed with `typeof` the contract's constant, so any drift fails typecheck.
 */
import type {
  COLUMN_ROLES as ContractRoles,
  EVENT_NAMES as ContractEventNames,
  FORMAT_OPTIONS as ContractFormats,
  MODEL_KINDS as ContractModelKinds,
  NEURAL_KINDS as ContractNeuralKinds,
  TARGETS as ContractTargets,
  SAMPLE_IDS as ContractSampleIds,
  UPLOAD_PATH as ContractUploadPath,
  WS_PATH as ContractWsPath,
} from '../../electron/contract/index.js';

export const WS_PATH: typeof ContractWsPath = '/ws';
export const UPLOAD_PATH: typeof ContractUploadPath = '/api/upload';
export const FORMAT_OPTIONS: typeof ContractFormats = ['auto', 'nsl-kdd', 'cicflowmeter', 'unsw-nb15', 'zeek', 'csv'];
export const COLUMN_ROLES: typeof ContractRoles = ['numeric', 'categorical', 'identifier', 'label', 'ignored'];
export const SAMPLE_IDS: typeof ContractSampleIds = ['nsl-kdd', 'cicids2017'];
export const EVENT_NAMES: typeof ContractEventNames = ['jobs.progress', 'jobs.finished', 'datasets.changed', 'models.changed'];
export const MODEL_KINDS: typeof ContractModelKinds = ['isolation-forest', 'extra-trees', 'random-forest', 'gradient-boosting', 'ann', 'mlp', 'dnn', 'cnn', 'autoencoder'];
export const NEURAL_KINDS: typeof ContractNeuralKinds = ['ann', 'mlp', 'dnn', 'cnn', 'autoencoder'];
export const TARGETS: typeof ContractTargets = ['binary', 'category', 'label'];

export type FormatOption = (typeof FORMAT_OPTIONS)[number];

/** The neural kinds (TensorFlow.js): trained per epoch, with a loss history per epoch. */
export function isNeuralKind(kind: string | null | undefined): boolean {
  return (NEURAL_KINDS as readonly string[]).includes(kind ?? '');
}
