/** The policy documents: both languages alike in shape, facts filled in, hashes, versions and diffs. */
import { describe, expect, test } from 'vitest';
import { diffVersions } from '../../../src/core/policy/diff.ts';
import { consentReceipt } from '../../../src/core/policy/receipt.ts';
import { chainEntry } from '../../../src/core/policy/ledger.ts';
import { newDeviceId } from '../../../src/core/ids.ts';
import { canonicalText, renderLanguage, renderPolicy } from '../../../src/core/policy/render.ts';
import { currentVersion, effectiveAt, latestSignificant, POLICY_VERSIONS } from '../../../src/core/policy/versions.ts';
import type { PolicyFacts } from '../../../src/core/policy/types.ts';

const facts: PolicyFacts = {
  operatorName: 'Example KK',
  operatorAddress: '1-2-3 Chiyoda, Tokyo',
  operatorEmail: 'privacy@example.jp',
  deletionRetentionDays: 30,
  accessLogRetentionDays: 90,
  sessionDays: 30,
};

describe('policy versions', () => {
  test('every version has the same sections, in the same order, in English and Japanese', () => {
    for (const v of POLICY_VERSIONS) {
      for (const doc of ['privacy', 'terms'] as const) {
        expect(v.text.ja[doc].map((s) => s.id)).toEqual(v.text.en[doc].map((s) => s.id));
        for (const s of [...v.text.en[doc], ...v.text.ja[doc]]) expect(s.title.length * s.body.length).toBeGreaterThan(0);
      }
    }
  });

  test('the policy covers what Kura holds, why, how long, the rights and the contact', () => {
    const ids = POLICY_VERSIONS.at(-1)!.text.en.privacy.map((s) => s.id);
    for (const id of ['operator', 'encryption', 'data-held', 'purposes', 'consent', 'statistics', 'external', 'third-parties', 'retention', 'rights', 'revision', 'contact']) {
      expect(ids).toContain(id);
    }
  });

  test('rendering fills every placeholder with the operator and the periods', () => {
    const en = renderLanguage(POLICY_VERSIONS.at(-1)!, 'en', facts);
    const ja = renderLanguage(POLICY_VERSIONS.at(-1)!, 'ja', facts);
    const text = canonicalText({ en, ja });
    expect(text).not.toMatch(/\{\{/);
    expect(text).toContain('Example KK');
    expect(text).toContain('privacy@example.jp');
    expect(en.privacy.find((s) => s.id === 'retention')!.body).toContain('90 days');
    expect(ja.privacy.find((s) => s.id === 'retention')!.body).toContain('30 日後');
  });

  test('the hash covers the rendered text: other facts, another hash; same facts, same hash', async () => {
    const v = POLICY_VERSIONS.at(-1)!;
    const a = await renderPolicy(v, facts);
    const b = await renderPolicy(v, facts, 'ja');
    const c = await renderPolicy(v, { ...facts, operatorEmail: 'other@example.jp' });
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(Object.keys(b.languages)).toEqual(['ja']);
    expect(c.hash).not.toBe(a.hash);
    expect((await renderPolicy(POLICY_VERSIONS[0]!, facts)).hash).not.toBe(a.hash);
  });

  test('the current and the required version follow the clock', () => {
    const [v1, v2] = POLICY_VERSIONS;
    expect(currentVersion(POLICY_VERSIONS, effectiveAt(v1!) + 1).version).toBe(1);
    expect(latestSignificant(POLICY_VERSIONS, effectiveAt(v1!) + 1)).toBeUndefined();
    expect(currentVersion(POLICY_VERSIONS, effectiveAt(v2!)).version).toBe(2);
    expect(latestSignificant(POLICY_VERSIONS, effectiveAt(v2!))?.version).toBe(2);
  });

  test('the diff names what changed since version 1, in either language', () => {
    const [v1, v2] = POLICY_VERSIONS;
    for (const lang of ['en', 'ja'] as const) {
      const changes = diffVersions(v1!, v2!, lang);
      expect(changes.map((c) => [c.document, c.id, c.change])).toEqual([
        ['privacy', 'statistics', 'added'],
        ['privacy', 'retention', 'changed'],
      ]);
      expect(diffVersions(v2!, v1!, lang).map((c) => c.change).sort()).toEqual(['changed', 'removed']);
      expect(diffVersions(v2!, v2!, lang)).toEqual([]);
    }
  });

  test('a consent receipt lists the purposes granted now, in the Kantara v1.1 shape', async () => {
    const deviceId = newDeviceId();
    const base = { policyVersion: 2, policyHash: 'cd'.repeat(32), deviceId, screenVersion: 's1' };
    const e1 = await chainEntry(undefined, { ...base, purpose: 'service-operation', action: 'granted', time: 1_000_000 });
    const e2 = await chainEntry(e1, { ...base, purpose: 'usage-statistics', action: 'granted', time: 2_000_000 });
    const e3 = await chainEntry(e2, { ...base, purpose: 'usage-statistics', action: 'withdrawn', time: 3_000_000 });
    const ctx = { jurisdiction: 'JP', language: 'en' as const, piiPrincipalId: 'acct', controller: { name: 'Op', address: 'Addr', email: 'op@example.jp' }, policyUrl: '/api/v1/policy' };
    expect(consentReceipt([], ctx)).toBeUndefined();
    const receipt = consentReceipt([e1, e2, e3], ctx)!;
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'JP',
      consentTimestamp: 3000,
      consentReceiptID: e3.hash,
      piiPrincipalId: 'acct',
      piiControllers: [{ piiController: 'Op', email: 'op@example.jp' }],
      sensitive: false,
      spiCat: [],
    });
    expect(receipt.services[0]!.purposes.map((p) => p.purpose)).toEqual(['service-operation']);
    expect(receipt.services[0]!.purposes[0]).toMatchObject({ primaryPurpose: true, consentType: 'EXPLICIT', thirdPartyDisclosure: false });
  });
});
