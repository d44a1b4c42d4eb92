import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{packages,services,apps}/*/{src,test}/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration suites share real servers; each file isolates itself by schema/queue/key prefix.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: ['packages/testing/src/global-setup.ts'],
  },
});
