import { registerBackend } from '@perceptron/core';
import { NaiveBackend } from './naive-backend.js';

export { NaiveBackend };
export type { NaiveHandle } from './storage.js';

// Importing the package is enough to make `setBackend('naive')` work. Priority 1 is low on
// purpose: any faster backend that is also installed becomes the default instead.
registerBackend('naive', { create: () => new NaiveBackend(), priority: 1 });
