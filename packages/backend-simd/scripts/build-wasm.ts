import { writeFileSync } from 'node:fs';
import { assembleKernelsWat, GENERATED_PATH, generatedModule } from './assemble.js';

// Assembles src/kernels/kernels.wat and writes the base64 module that the backend loads.
const bytes = await assembleKernelsWat();
writeFileSync(GENERATED_PATH, generatedModule(bytes));
console.log(`wrote ${GENERATED_PATH} (${bytes.length} bytes of wasm)`);
