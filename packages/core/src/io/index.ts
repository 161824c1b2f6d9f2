// Public exports of this area; re-exported by src/index.ts.
export { loadModel, type LoadModelOptions } from './model-files.js';
export { loadLayersModel, type LoadLayersModelOptions } from './layers-model.js';
export { memoryStore, nodeFileStore, urlStore, type FileStore } from './file-store.js';
export { writeFileAtomic } from './write-file-atomic.js';
