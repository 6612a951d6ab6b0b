import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// One config for the app build and the tests. The test projects follow the environment split of
// DESIGN.md section 8: pure core and server in `node`, Svelte components in `jsdom`.
export default defineConfig({
  // Options live here rather than in a svelte.config.js: Svelte 5 reads TypeScript natively.
  plugins: [svelte({ configFile: false })],
  build: {
    target: 'es2023',
    sourcemap: true,
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/core/**/*.test.ts', 'test/client/**/*.test.ts', 'test/server/**/*.test.ts'],
        },
      },
      {
        extends: true,
        // Svelte resolves its client runtime only under the browser condition.
        resolve: { conditions: ['browser'] },
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['test/app/**/*.test.ts'],
        },
      },
      {
        extends: true,
        // Real Chromium (Debian's package) through playwright-core: `npm run test:e2e`.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
