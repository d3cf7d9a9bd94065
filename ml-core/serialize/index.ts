export {
  encodeModelFile,
  decodeModelFile,
  crc32,
  ModelFileError,
  MODEL_FILE_MAGIC,
  FORMAT_VERSION,
  type ModelArray,
  type ModelDType,
  type ArrayEntry,
  type ModelFileContent,
} from './model-file.js';
export { treeModelToFile, treeModelFromFile, saveTreeModel, loadTreeModel, TREE_MODEL_TYPE, TREE_MODEL_VERSION } from './tree-model.js';
export { utf8Encode, utf8Decode } from './utf8.js';
export { neuralModelToFile, neuralModelFromFile, NEURAL_MODEL_TYPE, NEURAL_MODEL_VERSION } from './neural-model.js';
