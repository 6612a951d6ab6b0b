/**
 * The built app, served by the Kura server, with its service worker: once loaded it starts with no
 * network at all, from the precached shell.
 */
import { expect, test } from 'vitest';
import { CATALOGUES } from '../../src/app/i18n/index.ts';
import { controlledPage, useBuiltApp } from './setup.ts';

const app = useBuiltApp();

test('after one visit the app starts offline', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await controlledPage(context, app.kura.origin + '/');

  await context.setOffline(true);
  expect(await page.evaluate(() => fetch('/api/v1/health').then(() => 'online', () => 'offline'))).toBe('offline');
  await page.reload();
  await expect(page.locator('h1').textContent()).resolves.toBe(CATALOGUES.en.onboarding.language.title);
  await expect(page.locator('body').textContent()).resolves.toContain('Kura');
  expect(await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute('href'))).toBe('/manifest.webmanifest');

  await context.close();
}, 120_000);
