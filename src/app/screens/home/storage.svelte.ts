/**
 * The two storage meters of the Home screen: this device's (how much the browser lets Kura keep
 * and whether it is protected from eviction) and the Kura account's (undefined when offline).
 */
import type { AccountUsage, AppApi, LocalStorageState } from '../../../client/app-api.ts';
import { errorKey } from '../../state/errors.ts';

export class StorageState {
  /** Undefined while loading. */
  local = $state.raw<LocalStorageState | undefined>(undefined);
  localError = $state<string | undefined>(undefined);
  account = $state.raw<AccountUsage | undefined>(undefined);
  /** False until the first answer (or failure) for the account. */
  accountLoaded = $state(false);
  accountError = $state<string | undefined>(undefined);
  persisting = $state(false);
  /** The browser said no to persistent storage. */
  persistRefused = $state(false);

  constructor(private readonly api: AppApi) {}

  load(): Promise<void> {
    return Promise.all([this.loadLocal(), this.loadAccount()]).then(() => undefined);
  }

  async loadLocal(): Promise<void> {
    try {
      this.local = await this.api.localStorageState();
      this.localError = undefined;
    } catch (e) {
      this.localError = errorKey(e);
    }
  }

  async loadAccount(): Promise<void> {
    try {
      this.account = await this.api.accountUsage();
      this.accountError = undefined;
    } catch (e) {
      this.accountError = errorKey(e);
    } finally {
      this.accountLoaded = true;
    }
  }

  /** Asks the browser to keep Kura's data (inside the click). */
  async persist(): Promise<void> {
    const asked = this.api.requestPersistence();
    this.persisting = true;
    try {
      this.persistRefused = !(await asked);
      await this.loadLocal();
    } catch (e) {
      this.localError = errorKey(e);
    } finally {
      this.persisting = false;
    }
  }
}
