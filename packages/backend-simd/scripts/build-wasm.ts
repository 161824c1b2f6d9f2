import { writeFileSync } from 'node:fs';
import { assembleKernelsWat, GENERATED_PATH, generatedModule } from './assemble.js';

// Assembles src/kernels/kernels.wat (both variants) and writes the base64 module that the backend loads.
const kernels = await assembleKernelsWat();
writeFileSync(GENERATED_PATH, generatedModule(kernels));
console.log(`wrote ${GENERATED_PATH} (${kernels.plain.length} + ${kernels.shared.length} bytes of wasm)`);
