import { expect, test } from 'vitest';
import { Action } from '../../../src/app/screens/privacy/action.svelte.ts';

test('busy while it runs, then announces what is done and answers true', async () => {
  const action = new Action();
  let finish!: () => void;
  const running = action.run(() => new Promise<void>((resolve) => (finish = resolve)), () => 'Done');
  expect(action.busy).toBe(true);
  expect(action.announcement).toBe('');
  finish();
  expect(await running).toBe(true);
  expect(action.busy).toBe(false);
  expect(action.announcement).toBe('Done');
  expect(action.failure).toBeUndefined();
});

test('a failure is kept, nothing is announced, and the next run clears both', async () => {
  const action = new Action();
  await action.run(() => Promise.resolve(), () => 'First');
  const error = new Error('offline');
  let asked = false;
  expect(await action.run(() => Promise.reject(error), () => ((asked = true), 'Never'))).toBe(false);
  expect(asked).toBe(false);
  expect(action.failure).toBe(error);
  expect(action.announcement).toBe('');
  expect(action.busy).toBe(false);
  const again = action.run(() => Promise.resolve(), () => 'Again');
  expect(action.failure).toBeUndefined();
  expect(await again).toBe(true);
  expect(action.announcement).toBe('Again');
});
