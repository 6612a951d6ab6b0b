/**
 * The create-account and sign-in forms: their fields, what is wrong with them (as catalogue keys,
 * shown once the user tried to submit), the busy state while the keys are derived, and the
 * failure to explain. Both call the session only after the flow recorded consent.
 */
import type { Session } from '../../state/session.svelte.ts';
import type { OnboardingFlow } from './flow.svelte.ts';
import { emailProblem } from './messages.ts';
import { length, loadEstimator, MIN_LENGTH, MIN_SCORE, type Estimator, type Strength } from './strength.ts';

import { isKuraError } from '../../../core/errors.ts';

export class CreateAccountForm {
  passphrase = $state('');
  confirm = $state('');
  visible = $state(false);
  remember = $state(false);
  attempted = $state(false);
  busy = $state(false);
  error = $state<unknown>(undefined);
  estimator = $state<Estimator | undefined>(undefined);
  estimatorFailed = $state(false);

  /** Recomputed only when the passphrase, the email or the estimator changes. */
  strength: Strength | undefined = $derived.by(() =>
    this.estimator && this.passphrase ? this.estimator(this.passphrase, [this.flow.email, ...this.flow.email.split(/[@.]/)]) : undefined,
  );

  constructor(
    protected readonly flow: OnboardingFlow,
    protected readonly session: Session,
  ) {}

  /** Fetches the strength estimator (a separate chunk); a failure offers a retry. */
  async loadEstimator(): Promise<void> {
    this.estimatorFailed = false;
    try {
      this.estimator = await loadEstimator();
    } catch {
      this.estimatorFailed = true;
    }
  }

  get emailError(): string | undefined {
    return this.attempted ? emailProblem(this.flow.email) : undefined;
  }

  /** What keeps the passphrase from being accepted (checked even before the first submit). */
  get passphraseProblem(): string | undefined {
    if (!this.passphrase) return 'onboarding.fields.passphrase-missing';
    if (length(this.passphrase) < MIN_LENGTH) return 'onboarding.create.too-short';
    if (!this.strength) return this.estimatorFailed ? 'onboarding.strength.unavailable' : 'onboarding.strength.checking';
    return this.strength.score < MIN_SCORE ? 'onboarding.create.too-weak' : undefined;
  }

  get passphraseError(): string | undefined {
    return this.attempted ? this.passphraseProblem : undefined;
  }

  get confirmError(): string | undefined {
    if (!this.attempted) return undefined;
    if (!this.confirm) return 'onboarding.create.confirm-missing';
    return this.confirm === this.passphrase ? undefined : 'onboarding.create.mismatch';
  }

  /** Whether a field keeps the form from being sent (its errors show, since it was attempted). */
  protected invalid(): boolean {
    return Boolean(this.emailError || this.passphraseError || this.confirmError);
  }

  /**
   * Sends the form to the session and returns the step to take next, which runs only once the
   * consent is recorded too: here, creating the account and then showing its recovery key.
   */
  protected async perform(): Promise<() => void> {
    const code = await this.session.createAccount({ email: this.flow.email.trim(), passphrase: this.passphrase, remember: this.remember });
    return () => this.flow.created(code);
  }

  /** Validates, then sends the form (perform()); true when the flow moved on. */
  async submit(): Promise<boolean> {
    if (this.busy) return false;
    this.attempted = true;
    this.error = undefined;
    if (!this.estimator && !this.estimatorFailed) await this.loadEstimator(); // submitted before it arrived
    if (this.invalid()) return false;
    this.busy = true;
    try {
      const next = await this.perform();
      await this.session.recordConsent(this.flow.consent);
      this.passphrase = this.confirm = '';
      next();
      return true;
    } catch (e) {
      this.error = e;
      return false;
    } finally {
      this.busy = false;
    }
  }
}

export class SignInForm {
  useRecoveryKey = $state(false);
  passphrase = $state('');
  recoveryCode = $state('');
  visible = $state(false);
  remember = $state(false);
  attempted = $state(false);
  busy = $state(false);
  error = $state<unknown>(undefined);
  /** Set when the account turned out to be pending deletion: the undo form shows instead. */
  pending = $state<{ readonly deletionDueAt: number } | undefined>(undefined);

  constructor(
    private readonly flow: OnboardingFlow,
    private readonly session: Session,
  ) {}

  get emailError(): string | undefined {
    return this.attempted ? emailProblem(this.flow.email) : undefined;
  }

  get secretError(): string | undefined {
    if (!this.attempted) return undefined;
    if (this.useRecoveryKey) return this.recoveryCode.trim() ? undefined : 'onboarding.signin.recovery-missing';
    return this.passphrase ? undefined : 'onboarding.fields.passphrase-missing';
  }

  toggleSecret(): void {
    this.useRecoveryKey = !this.useRecoveryKey;
    this.error = undefined;
  }

  async submit(): Promise<boolean> {
    this.attempted = true;
    this.error = undefined;
    this.pending = undefined;
    if (this.busy || this.emailError || this.secretError) return false;
    this.busy = true;
    const email = this.flow.email.trim();
    try {
      await this.session.signIn(
        this.useRecoveryKey ? { email, remember: this.remember, recoveryCode: this.recoveryCode.trim() } : { email, remember: this.remember, passphrase: this.passphrase },
      );
      await this.session.recordConsent(this.flow.consent);
      this.passphrase = this.recoveryCode = '';
      this.flow.signedIn();
      return true;
    } catch (e) {
      // Refused like a wrong key while the account is pending deletion: the same code can tell.
      if (this.useRecoveryKey && isKuraError(e, 'bad-credentials')) {
        this.pending = await this.session.pendingDeletion({ email, recoveryCode: this.recoveryCode.trim() }).catch(() => undefined);
      }
      this.error = this.pending ? undefined : e;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
