import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { licenceNotices } from './server/build/notices.ts';

// One config for the app build and the tests. The test projects follow the environment split of
// DESIGN.md section 8: pure core and server in `node`, Svelte components in `jsdom`.
export default defineConfig({
  // Options live here rather than in a svelte.config.js: Svelte 5 reads TypeScript natively.
  plugins: [
    svelte({ configFile: false }),
    // `virtual:kura-notices`: the open-source notices the About section lists, read at build time.
    licenceNotices(),
    VitePWA({
      // Our own service worker (workers/sw.ts), with Workbox's precache list injected at build.
      strategies: 'injectManifest',
      srcDir: 'workers',
      filename: 'sw.ts',
      injectRegister: false, // src/client/pwa.ts registers it, to own the update prompt
      manifest: {
        name: 'Kura',
        short_name: 'Kura',
        description: 'End-to-end encrypted backup of your photos, documents, contacts and more.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f2e9dc',
        theme_color: '#2b3a55',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'] },
      devOptions: { enabled: false },
    }),
  ],
  // The engine worker starts as a module (connect.ts); ES output lets it load code on demand:
  // the video demuxers (thumbnail/video.ts, about 280 kB) only when a backup meets a video.
  worker: { format: 'es' },
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
