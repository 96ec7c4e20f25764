import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their "source" export condition, so
// they run against the TypeScript sources without a build step. Only "source"
// is added: adding "import" would make CommonJS packages (pg) load ESM builds.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
