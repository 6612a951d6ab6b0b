/** The consent ledger's hash chain: links, recomputation, and every kind of tampering found. */
import { describe, expect, test } from 'vitest';
import { newDeviceId } from '../../../src/core/ids.ts';
import { chainEntry, currentConsents, entryHash, followsHead, GENESIS_HASH, isConsentPurpose, isGranted, verifyChain, type ConsentEntry } from '../../../src/core/policy/ledger.ts';

const device = newDeviceId();
const fields = (purpose: ConsentEntry['purpose'], action: ConsentEntry['action'], time: number) => ({
  purpose,
  action,
  policyVersion: 2,
  policyHash: 'ab'.repeat(32),
  time,
  deviceId: device,
  screenVersion: 'consent-1',
});

async function ledger(): Promise<ConsentEntry[]> {
  const out: ConsentEntry[] = [];
  for (const [purpose, action] of [
    ['service-operation', 'granted'],
    ['usage-statistics', 'granted'],
    ['usage-statistics', 'withdrawn'],
    ['external:calendar-sync', 'granted'],
  ] as const) {
    out.push(await chainEntry(out.at(-1), fields(purpose, action, 1000 + out.length)));
  }
  return out;
}

describe('consent ledger', () => {
  test('entries chain from the genesis hash, one seq after another', async () => {
    const entries = await ledger();
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    entries.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.prevHash).toBe(entries[i - 1]!.hash);
    });
    expect(await verifyChain(entries)).toEqual({ ok: true, length: 4, head: entries[3]!.hash });
    expect(await verifyChain([])).toEqual({ ok: true, length: 0, head: GENESIS_HASH });
  });

  test('the hash is the frozen v1 form (Note: Consent entry hash)', async () => {
    const [first] = await ledger();
    const { createHash } = await import('node:crypto');
    const text = JSON.stringify(['kura-consent-v1', 1, 'service-operation', 'granted', 2, 'ab'.repeat(32), 1000, device, 'consent-1', GENESIS_HASH]);
    expect(first!.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(await entryHash(first!)).toBe(first!.hash);
  });

  test.each([
    ['a changed action', (e: ConsentEntry[]) => (e[1] = { ...e[1]!, action: 'withdrawn' }), 2, 'hash'],
    ['a changed time', (e: ConsentEntry[]) => (e[2] = { ...e[2]!, time: 5 }), 3, 'hash'],
    ['a removed entry', (e: ConsentEntry[]) => e.splice(1, 1), 3, 'sequence'],
    ['a rehashed entry that no longer links', async (e: ConsentEntry[]) => {
      const forged = { ...e[1]!, policyVersion: 1 };
      e[1] = { ...forged, hash: await entryHash(forged) };
    }, 3, 'link'],
    ['swapped entries', (e: ConsentEntry[]) => e.reverse(), 4, 'sequence'],
  ] as const)('detects %s', async (_name, tamper, brokenAt, reason) => {
    const entries = await ledger();
    await tamper(entries);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, brokenAt, reason });
  });

  test('the latest entry per purpose is the consent in force', async () => {
    const entries = await ledger();
    expect(isGranted(entries, 'service-operation')).toBe(true);
    expect(isGranted(entries, 'usage-statistics')).toBe(false);
    expect(isGranted(entries, 'support')).toBe(false);
    expect(currentConsents(entries).get('external:calendar-sync')?.seq).toBe(4);
  });

  test.each([
    ['service-operation', true],
    ['external:calendar-sync', true],
    ['external:', false],
    ['external:Bad_Id', false],
    ['marketing', false],
  ])('purpose %s is valid: %s', (purpose, valid) => {
    expect(isConsentPurpose(purpose)).toBe(valid);
  });

  test('followsHead: the next seq, linked to the head; the first entry has seq 1', async () => {
    const [first, second] = await ledger();
    expect(followsHead(undefined, first!)).toBe(true);
    expect(followsHead(first, second!)).toBe(true);
    expect(followsHead(undefined, second!)).toBe(false);
    expect(followsHead(second, second!)).toBe(false);
    expect(followsHead(first, { ...second!, prevHash: GENESIS_HASH })).toBe(false);
  });
});
