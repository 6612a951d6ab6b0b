/**
 * The first-run flow as a small state machine: which step is open, which path the user took
 * (create an account or sign in), their consent, and the recovery key check. The screens render
 * the step; the rules live here so they cannot be skipped: no account step opens before consent
 * (nothing is sent to the server before it), and the flow leaves the recovery key only once one
 * of its groups was typed back. The key itself stays where the session keeps it until the app opens
 * (Session.recoveryCode).
 */

import type { OfferedExternalService } from '../../../client/privacy-api.ts';

/** Purposes the service cannot run without; shown ticked and locked. */
export const REQUIRED_PURPOSES = ['service', 'security'] as const;
/** Purposes the user may switch on; each is off until they do. */
export const OPTIONAL_PURPOSES = ['support', 'statistics'] as const;

export type RequiredPurpose = (typeof REQUIRED_PURPOSES)[number];
export type OptionalPurpose = (typeof OPTIONAL_PURPOSES)[number];

/** What the user agreed to on the consent step, as a consent ledger would record it. */
export interface ConsentChoices {
  /** "I have read and agree to the privacy policy" was ticked. */
  readonly policyAgreed: boolean;
  /** Granted with the policy: the service cannot run without them. */
  readonly required: readonly RequiredPurpose[];
  /** Each optional purpose, on only when the user switched it on. */
  readonly optional: Readonly<Record<OptionalPurpose, boolean>>;
  /** Each external connection the server offers, by id: on only when the user switched it on. */
  readonly external: Readonly<Record<string, boolean>>;
  /** When the user continued past the consent step (ms since the epoch); undefined before. */
  readonly givenAt: number | undefined;
}

export type StepId = 'language' | 'intro' | 'consent' | 'create' | 'recovery' | 'confirm' | 'signin' | 'storage';
export type Path = 'create' | 'signin';

/** The step indicator counts five steps; the account step has sub-steps on the create path. */
export const STEP_COUNT = 5;
const NUMBER: Record<StepId, number> = { language: 1, intro: 2, consent: 3, create: 4, recovery: 4, confirm: 4, signin: 4, storage: 5 };
/** Where Back leads; no entry, no Back (after the account exists there is no going back). */
const BACK: Partial<Record<StepId, StepId>> = { intro: 'language', consent: 'intro', create: 'consent', signin: 'consent', confirm: 'recovery' };

export class OnboardingFlow {
  step = $state<StepId>('language');
  path = $state<Path>('create');
  /** Typed on the create or sign-in step; kept when the user switches between them. */
  email = $state('');
  policyAgreed = $state(false);
  optional = $state<Record<OptionalPurpose, boolean>>({ support: false, statistics: false });
  /** The external connections the server offers (undefined until known), and each one's switch. */
  offered = $state<readonly OfferedExternalService[] | undefined>(undefined);
  offeredFailed = $state(false);
  external = $state<Record<string, boolean>>({});
  givenAt = $state<number | undefined>(undefined);
  /** Which group (1-based) the user is asked to type back. */
  confirmGroup = $state(1);

  constructor(
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  get number(): number {
    return NUMBER[this.step];
  }

  get canGoBack(): boolean {
    return BACK[this.step] !== undefined;
  }

  back(): void {
    const previous = BACK[this.step];
    if (previous) this.step = previous;
  }

  /** Language chosen: on to what Kura is. */
  next(): void {
    if (this.step === 'language') this.step = 'intro';
  }

  /** "Create an account" or "I already have an account": consent comes first either way. */
  choose(path: Path): void {
    this.path = path;
    this.step = this.givenAt === undefined ? 'consent' : path;
  }

  /** Continue on the consent step: only with the policy agreed to. */
  giveConsent(): boolean {
    if (!this.policyAgreed) return false;
    this.givenAt = this.now();
    this.step = this.path;
    return true;
  }

  /** From "this email already has an account" straight to signing in with it. */
  switchToSignIn(): void {
    this.path = 'signin';
    this.step = this.givenAt === undefined ? 'consent' : 'signin';
  }

  /**
   * Reads the external connections the server offers, once (again after a failure). Every switch
   * starts off. A failure leaves them unlisted, and so not granted; the privacy center offers them later.
   */
  async loadOffered(load: () => Promise<readonly OfferedExternalService[]>): Promise<void> {
    if (this.offered) return;
    this.offeredFailed = false;
    try {
      const offered = await load();
      this.external = Object.fromEntries(offered.map((s) => [s.id, false]));
      this.offered = offered;
    } catch {
      this.offeredFailed = true;
    }
  }

  get consent(): ConsentChoices {
    const external = Object.fromEntries((this.offered ?? []).map((s) => [s.id, this.external[s.id] === true]));
    return { policyAgreed: this.policyAgreed, required: REQUIRED_PURPOSES, optional: { ...this.optional }, external, givenAt: this.givenAt };
  }

  /** The account exists: show its recovery key, and pick the group to ask back. */
  created(recoveryCode: string): void {
    const groups = recoveryGroups(recoveryCode).length;
    this.confirmGroup = 1 + Math.min(groups - 1, Math.floor(this.random() * groups));
    this.step = 'recovery';
  }

  savedKey(): void {
    if (this.step === 'recovery') this.step = 'confirm';
  }

  /** True (and on to storage) when `typed` is the asked group of `recoveryCode`, read as forgivingly as the key is. */
  confirmKey(typed: string, recoveryCode: string): boolean {
    const expected = recoveryGroups(recoveryCode)[this.confirmGroup - 1];
    if (expected === undefined || normalizeGroup(typed) !== normalizeGroup(expected)) return false;
    this.step = 'storage';
    return true;
  }

  signedIn(): void {
    this.step = 'storage';
  }
}

export function recoveryGroups(code: string): string[] {
  return code.split('-').filter(Boolean);
}

/**
 * As the key itself is read (core/crypto/recovery.ts): full-width characters from a Japanese IME,
 * case, spaces and hyphens do not matter; O reads as 0, I and L as 1.
 */
export function normalizeGroup(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑–—ー－]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}
