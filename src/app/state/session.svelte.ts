/**
 * Who is here: nobody yet (first run), a locked account kept on this device, or an unlocked one.
 * The screens switch on `phase`; every key stays in the engine worker, this holds only AccountInfo.
 * Locking after inactivity lives here too: any input resets the clock.
 */
import type { AccountInfo, AppApi, StartState } from '../../client/app-api.ts';
import { externalPurpose } from '../../client/privacy-api.ts';

export type Phase = 'starting' | 'new' | 'locked' | 'ready' | 'failed';

export class Session {
  phase = $state<Phase>('starting');
  account = $state<AccountInfo | undefined>(undefined);
  /** The email of the locked account, for the unlock screen. */
  lockedEmail = $state<string | undefined>(undefined);
  /** Set once, right after creating an account: the recovery code to show and confirm. */
  recoveryCode = $state<string | undefined>(undefined);
  startError = $state<unknown>(undefined);
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: AppApi) {}

  async start(): Promise<void> {
    try {
      this.enter(await this.api.start());
    } catch (e) {
      this.startError = e;
      this.phase = 'failed';
    }
  }

  private enter(state: StartState): void {
    if (state.kind === 'ready') {
      this.account = state.account;
      this.phase = 'ready';
    } else if (state.kind === 'locked') {
      this.lockedEmail = state.email;
      this.phase = 'locked';
    } else {
      this.phase = 'new';
    }
  }

  async createAccount(input: { email: string; passphrase: string; remember: boolean }): Promise<string> {
    const { recoveryCode, ...account } = await this.api.createAccount(input);
    this.account = account;
    this.recoveryCode = recoveryCode;
    return recoveryCode;
  }

  /** The recovery code was saved and confirmed: into the app. */
  finishOnboarding(): void {
    this.recoveryCode = undefined;
    if (this.account) this.phase = 'ready';
  }

  async signIn(input: Parameters<AppApi['signIn']>[0]): Promise<void> {
    this.account = await this.api.signIn(input);
  }

  /** Cancels the account's pending deletion (recovery code, new passphrase) and signs in. */
  async undoDeletion(input: Parameters<AppApi['undoDeletion']>[0]): Promise<void> {
    this.account = await this.api.undoDeletion(input);
  }

  /** After a refused recovery sign-in: the pending deletion that code could undo, if any. */
  pendingDeletion(input: Parameters<AppApi['pendingDeletion']>[0]): ReturnType<AppApi['pendingDeletion']> {
    return this.api.pendingDeletion(input);
  }

  /**
   * Records the consent given during onboarding in the ledger, once the account exists (the
   * required purposes, and the optional ones chosen; nothing the ledger already says). If the
   * server cannot be reached now, the policy review asks again before sync sends anything.
   */
  async recordConsent(choices: { readonly optional: { readonly statistics: boolean; readonly support?: boolean }; readonly external?: Readonly<Record<string, boolean>> }): Promise<void> {
    const { optional, external = {} } = choices;
    const connections = Object.fromEntries(Object.entries(external).map(([id, on]) => [externalPurpose(id), on]));
    await this.api.privacy.recordFirstRunConsent({ 'usage-statistics': optional.statistics, support: optional.support ?? false, ...connections }).catch(() => undefined);
  }

  async unlock(passphrase: string): Promise<void> {
    this.account = await this.api.unlock(passphrase);
    this.phase = 'ready';
  }

  async lock(): Promise<void> {
    if (this.phase !== 'ready' || !this.account) return;
    this.lockedEmail = this.account.email;
    await this.api.lock();
    this.account = undefined;
    this.phase = 'locked';
  }

  async signOut(erase: boolean): Promise<void> {
    await this.api.signOut(erase);
    this.account = undefined;
    this.lockedEmail = undefined;
    this.phase = 'new';
  }

  /** Restarts the inactivity clock (called on input); 0 minutes means never lock. */
  touch(lockAfterMinutes: number): void {
    clearTimeout(this.idleTimer);
    if (lockAfterMinutes <= 0 || this.phase !== 'ready') return;
    this.idleTimer = setTimeout(() => void this.lock(), lockAfterMinutes * 60_000);
  }
}
