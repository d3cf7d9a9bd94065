import type { ModelKind } from '../../contract/dto.js';

export const KIND_NAMES: Record<ModelKind, string> = {
  'isolation-forest': 'Isolation Forest',
  'extra-trees': 'Extra Trees',
  'random-forest': 'Random Forest',
  'gradient-boosting': 'Gradient Boosting',
  ann: 'ANN',
  mlp: 'MLP',
  dnn: 'DNN',
  cnn: '1-D CNN',
  autoencoder: 'Autoencoder',
};
