import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // Most of these tests start the scripts as Node processes, each compiling TypeScript on the
  // way in: ~2 s alone, near vitest's default 5 s for a test that starts two on a loaded machine.
  test: { name: 'examples', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
