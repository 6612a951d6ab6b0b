import { expect, test, vi } from 'vitest';
import { RecordDeletion } from '../../../src/app/screens/records/deletion.svelte.ts';
import { errorKey } from '../../../src/app/state/errors.ts';

test('a delete that goes through closes the confirmation', async () => {
  const api = { deleteRecords: vi.fn(async () => undefined) };
  const deletion = new RecordDeletion(api, 'calls');
  deletion.confirming = true;
  const done = deletion.delete(['c1', 'c2']);
  expect(deletion.busy).toBe(true);
  await expect(done).resolves.toBe(true);
  expect(api.deleteRecords).toHaveBeenCalledWith('calls', ['c1', 'c2']);
  expect(deletion).toMatchObject({ confirming: false, busy: false, error: undefined });
});

test('a failed delete keeps the confirmation open with the reason, and a retry clears it', async () => {
  const failure = new Error('offline');
  const api = { deleteRecords: vi.fn(async (): Promise<void> => Promise.reject(failure)) };
  const deletion = new RecordDeletion(api, 'contacts');
  deletion.confirming = true;
  await expect(deletion.delete(['k'])).resolves.toBe(false);
  expect(deletion).toMatchObject({ confirming: true, busy: false, error: errorKey(failure) });
  api.deleteRecords.mockResolvedValueOnce(undefined);
  await expect(deletion.delete(['k'])).resolves.toBe(true);
  expect(deletion).toMatchObject({ confirming: false, error: undefined });
});
