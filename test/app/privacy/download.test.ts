import { expect, test } from 'vitest';
import { Download } from '../../../src/app/screens/privacy/download.svelte.ts';

test('preparing while the file is fetched, then started', async () => {
  const download = new Download();
  let finish!: () => void;
  const running = download.start(() => new Promise<void>((resolve) => (finish = resolve)));
  expect(download.preparing).toBe(true);
  expect(download.outcome).toBeUndefined();
  finish();
  await running;
  expect(download.preparing).toBe(false);
  expect(download.outcome).toBe('started');
});

test('a failure is kept as the outcome, and the next start clears it', async () => {
  const download = new Download();
  const error = new Error('offline');
  await download.start(() => Promise.reject(error));
  expect(download.preparing).toBe(false);
  expect(download.outcome).toEqual({ error });
  let finish!: () => void;
  const again = download.start(() => new Promise<void>((resolve) => (finish = resolve)));
  expect(download.outcome).toBeUndefined();
  finish();
  await again;
  expect(download.outcome).toBe('started');
});
