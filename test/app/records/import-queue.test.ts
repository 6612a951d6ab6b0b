/**
 * The import queue: one file at a time, a preview before any write, commit or skip, the kind asked
 * for when Kura cannot tell, and answers for a file the user already left dropped.
 */
import { describe, expect, test, vi } from 'vitest';
import { ImportQueue } from '../../../src/app/screens/records/import/import.svelte.ts';
import { FakeApi } from '../fake-api.ts';

const vcard = (name: string) => new File([`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${name}\r\nEND:VCARD\r\n`], `${name}.vcf`);

describe('ImportQueue', () => {
  test('files wait their turn; commit writes and reports, skip discards', async () => {
    const api = new FakeApi();
    const committed = vi.fn();
    const queue = new ImportQueue(api, committed);
    const [a, b] = [vcard('A'), vcard('B')];
    queue.add([a, b]);
    expect(queue.step).toEqual({ kind: 'reading', file: a });
    expect(queue.waiting).toEqual([b]);
    await vi.waitFor(() => expect(queue.step.kind).toBe('preview'));
    await queue.commit();
    expect(committed).toHaveBeenCalledWith({ kind: 'contacts', fileName: 'A.vcf', added: 1, changed: 0 });
    expect(queue.step).toEqual({ kind: 'reading', file: b });
    await vi.waitFor(() => expect(queue.step.kind).toBe('preview'));
    const step = queue.step as Extract<typeof queue.step, { kind: 'preview' }>;
    queue.skip();
    expect(api.discardImport).toHaveBeenCalledWith(step.preview.id);
    expect(queue.open).toBe(false);
    expect(queue.done).toEqual([{ kind: 'contacts', fileName: 'A.vcf', added: 1, changed: 0 }]);
    expect(api.recordsFake.current('contacts').map((c) => c.formattedName)).toEqual(['A']);
  });

  test('an unknown format asks for the kind; retry reads it as that kind', async () => {
    const api = new FakeApi();
    const queue = new ImportQueue(api);
    const file = new File(['Number,Date\n'], 'log.dat');
    queue.add([file]);
    await vi.waitFor(() => expect(queue.step).toEqual({ kind: 'choose-kind', file }));
    queue.retry('calls');
    expect(api.previewImport).toHaveBeenLastCalledWith(file, 'calls');
  });

  test('cancel drops the waiting files and the preview, and a late answer is discarded', async () => {
    const api = new FakeApi();
    const held = api.hold('previewImport');
    const queue = new ImportQueue(api);
    queue.add([vcard('A'), vcard('B')]);
    queue.cancel();
    expect(queue.open).toBe(false);
    expect(queue.waiting).toEqual([]);
    held.resolve({ id: 'preview_late', kind: 'contacts', fileName: 'A.vcf', added: [], changed: [], unchanged: 0, errors: [] });
    await vi.waitFor(() => expect(api.discardImport).toHaveBeenCalledWith('preview_late'));
    expect(queue.open).toBe(false);
  });

  test('a new batch after the dialog closed starts a new summary', async () => {
    const api = new FakeApi();
    const queue = new ImportQueue(api);
    queue.add([vcard('A')]);
    await vi.waitFor(() => expect(queue.step.kind).toBe('preview'));
    await queue.commit();
    expect(queue.done).toHaveLength(1);
    queue.add([vcard('B')]);
    expect(queue.done).toEqual([]);
  });
});
