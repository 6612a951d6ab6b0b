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
      // The installed app (Chromium's installability rules: name, icons 192 and 512, start_url,
      // display), the share sheet target and the OS "open with" handler for contacts and calendars.
      // Colours are global.css's tokens: --bg for the splash, the accent for the title bar.
      manifest: {
        id: '/',
        name: 'Kura',
        short_name: 'Kura',
        description: 'End-to-end encrypted backup of your photos, videos, music, documents and contacts.',
        lang: 'en',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        display_override: ['window-controls-overlay', 'standalone'],
        background_color: '#f7f3ec',
        theme_color: '#2b3a55',
        categories: ['productivity', 'utilities'],
        // Shown in Chromium's richer install dialog; the same pictures illustrate the README.
        screenshots: [
          { src: 'screenshots/grid.png', sizes: '1280x860', type: 'image/png', form_factor: 'wide', label: 'A backup’s photos, decrypted on the device' },
          { src: 'screenshots/viewer-pdf.png', sizes: '1280x860', type: 'image/png', form_factor: 'wide', label: 'A document opened from a backup' },
        ],
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Shared files arrive as a POST that the service worker answers (workers/sw.ts); the page
        // picks them up with src/client/launch.ts.
        share_target: {
          action: '/share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: {
            files: [
              {
                name: 'files',
                accept: ['image/*', 'video/*', 'text/vcard', 'text/x-vcard', '.vcf', 'text/calendar', '.ics'],
              },
            ],
          },
        },
        // "Open with Kura" for contacts and calendars; the files arrive through window.launchQueue.
        file_handlers: [{ action: '/', accept: { 'text/vcard': ['.vcf'], 'text/calendar': ['.ics'] } }],
        // A second launch (a share, an opened file) goes to the window already open.
        launch_handler: { client_mode: 'focus-existing' },
      },
      // The glob already precaches the icons, and the plugin adds the manifest: not listed twice.
      includeManifestIcons: false,
      // Screenshots are for the install dialog and the README, not for the app to work offline.
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,png,wasm}'], globIgnores: ['screenshots/**'] },
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
