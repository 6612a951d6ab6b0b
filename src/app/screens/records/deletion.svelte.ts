/**
 * Deleting the record a detail view shows (a call, a contact, an event series), after the user
 * confirms: whether the confirmation is open, whether the delete is running, and the catalogue key
 * of why it failed. The confirmation closes only once the delete went through.
 */
import type { RecordKind, RecordsApi } from '../../../client/records-api.ts';
import { errorKey } from '../../state/errors.ts';

export class RecordDeletion {
  confirming = $state(false);
  busy = $state(false);
  error = $state<string | undefined>(undefined);

  constructor(
    private readonly api: Pick<RecordsApi, 'deleteRecords'>,
    private readonly kind: RecordKind,
  ) {}

  /** Deletes the records; true once done (the confirmation is closed), false with `error` set. */
  async delete(keys: readonly string[]): Promise<boolean> {
    this.busy = true;
    this.error = undefined;
    try {
      await this.api.deleteRecords(this.kind, keys);
      this.confirming = false;
      return true;
    } catch (e) {
      this.error = errorKey(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
