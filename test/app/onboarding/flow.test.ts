/**
 * The first-run state machine on its own: steps and their numbers, Back, consent before any
 * account step, and the recovery key group read as forgivingly as the key itself.
 */
import { describe, expect, test } from 'vitest';
import { normalizeGroup, OnboardingFlow } from '../../../src/app/screens/onboarding/flow.svelte.ts';

const CODE = 'AB0C1-DEFG2-HJKM3';

describe('OnboardingFlow', () => {
  test('the account steps stay closed until consent, and consent is recorded once given', () => {
    const flow = new OnboardingFlow(() => 0, () => 1234);
    flow.next();
    flow.choose('signin');
    expect(flow.step).toBe('consent');
    expect(flow.giveConsent()).toBe(false);
    expect(flow.step).toBe('consent');
    expect(flow.consent).toEqual({ policyAgreed: false, required: ['service', 'security'], optional: { support: false, statistics: false }, external: {}, givenAt: undefined });
    flow.policyAgreed = true;
    flow.optional.statistics = true;
    expect(flow.giveConsent()).toBe(true);
    expect(flow.step).toBe('signin');
    expect(flow.consent).toEqual({ policyAgreed: true, required: ['service', 'security'], optional: { support: false, statistics: true }, external: {}, givenAt: 1234 });
    // Back to the intro and the other path: consent is not asked twice.
    flow.back();
    flow.back();
    flow.choose('create');
    expect(flow.step).toBe('create');
  });

  test('the external connections offered start off; only those offered and switched on are granted; a failed read can be retried', async () => {
    const flow = new OnboardingFlow();
    let fail = true;
    const offered = [
      { id: 'print', name: 'Print Partner', description: '', stores: 'Photos you print' },
      { id: 'mail', name: 'Mail Link', description: '', stores: 'Your email' },
    ];
    const load = async () => {
      if (fail) throw new Error('offline');
      return offered;
    };
    await flow.loadOffered(load);
    expect([flow.offered, flow.offeredFailed, flow.consent.external]).toEqual([undefined, true, {}]);
    fail = false;
    await flow.loadOffered(load);
    expect([flow.offered, flow.offeredFailed, flow.consent.external]).toEqual([offered, false, { print: false, mail: false }]);
    flow.external.mail = true;
    flow.external.unknown = true; // never offered: never granted
    expect(flow.consent.external).toEqual({ print: false, mail: true });
    // Read once: coming back to the step keeps the choices.
    await flow.loadOffered(async () => []);
    expect(flow.consent.external).toEqual({ print: false, mail: true });
  });

  test('steps are numbered 1 to 5 and Back exists only before the account does', () => {
    const flow = new OnboardingFlow(() => 0.5);
    const seen: [string, number, boolean][] = [];
    const note = () => seen.push([flow.step, flow.number, flow.canGoBack]);
    note();
    flow.next();
    note();
    flow.choose('create');
    note();
    flow.policyAgreed = true;
    flow.giveConsent();
    note();
    flow.created(CODE);
    note();
    flow.savedKey();
    note();
    flow.confirmKey('dEfg2', CODE);
    note();
    expect(seen).toEqual([
      ['language', 1, false],
      ['intro', 2, true],
      ['consent', 3, true],
      ['create', 4, true],
      ['recovery', 4, false],
      ['confirm', 4, true],
      ['storage', 5, false],
    ]);
  });

  test('the group asked for is one of the key’s groups, and only it continues', () => {
    for (const [random, group] of [[0, 1], [0.5, 2], [0.999, 3]] as const) {
      const flow = new OnboardingFlow(() => random);
      flow.created(CODE);
      expect(flow.confirmGroup).toBe(group);
      flow.savedKey();
      const others = ['AB0C1', 'DEFG2', 'HJKM3'].filter((_, i) => i !== group - 1);
      for (const other of others) expect(flow.confirmKey(other, CODE)).toBe(false);
      expect(flow.step).toBe('confirm');
      expect(flow.confirmKey(CODE.split('-')[group - 1]!, CODE)).toBe(true);
      expect(flow.step).toBe('storage');
    }
  });

  test('a group is read as the key is: case, spaces, full-width and look-alike letters do not matter', () => {
    expect(normalizeGroup(' ab0c1 ')).toBe('AB0C1');
    expect(normalizeGroup('ＡＢ０Ｃ１')).toBe('AB0C1');
    expect(normalizeGroup('abOcl')).toBe('AB0C1');
    expect(normalizeGroup('AB-0C1')).toBe('AB0C1');
    expect(normalizeGroup('AB0C2')).not.toBe('AB0C1');
  });
});
