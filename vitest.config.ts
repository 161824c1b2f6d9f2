import { defineConfig } from 'vitest/config';

// One run over every package, so `npm test` ends with a single summary.
// The "source" export condition lets tests import sibling packages from their TypeScript
// sources, so no build is needed before testing.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: ['packages/*'],
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
