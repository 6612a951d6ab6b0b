/**
 * Journey 1 (issue 4): a folder of 300 files (a 0-byte file, a 50 MiB file, nested folders,
 * Japanese names) is backed up with the network off; the page reloads, still offline, and the
 * unsent backup is still there; the network comes back and the page's sync loop sends it; a
 * second browser profile signs in with the passphrase, lists the snapshot and restores it into
 * another folder, every file byte for byte.
 */
import { expect, test } from 'vitest';
import { useKuraInChromium } from './setup.ts';
import { fileSet, journeyPage, loadHelpers, prng } from './journeys.ts';

const stage = useKuraInChromium();

test('backed up offline, kept across a reload, synced when online, restored by another profile', async () => {
  const { origin, browser } = stage;
  const seed = Number(process.env.KURA_SEED ?? Date.now() % 1e9);
  const files = [
    ...fileSet(298, 200_000, prng(seed)),
    { path: 'empty/空のファイル.txt', size: 0, seed: 1 },
    { path: 'ビデオ/大きい動画.mp4', size: 50 * 1024 * 1024, seed: 7 },
  ];
  const email = `journey-${seed}@example.com`;
  const passphrase = 'とても長い パスフレーズ 2026';

  const first = await browser.newContext();
  let a = await journeyPage(first, origin);
  const created = (await a.evaluate(`j.engine().createAccount(${JSON.stringify({ origin, email, passphrase, remember: true })})`)) as { deviceId: string; recoveryCode: string };
  expect(created.recoveryCode).toMatch(/^([0-9A-Z]{5}-){12}[0-9A-Z]{5}$/);
  const original = (await a.evaluate(`(async () => {
    const folder = await j.opfsFolder('picked', true);
    await j.writeFiles(folder, ${JSON.stringify(files)});
    const { keepSource } = await import('/src/client/backup/handles.ts');
    await keepSource('pictures', { kind: 'folder', handle: folder });
    return j.hashTree(folder);
  })()`)) as Record<string, string>;
  expect(Object.keys(original)).toHaveLength(300);

  await first.setOffline(true);
  const offline = (await a.evaluate(`(async () => {
    const backup = await j.engine().backupKept('pictures', 'Pictures');
    const sync = await j.engine().sync();
    return { files: backup.files, failures: backup.failures, snapshot: Boolean(backup.snapshotId), sync, pending: await j.engine().pending() };
  })()`)) as { pending: { commits: number; stagedBytes: number } };
  expect(offline).toMatchObject({ files: 300, failures: [], snapshot: true, sync: { kind: 'offline' }, pending: { commits: 1 } });
  expect(offline.pending.stagedBytes).toBeGreaterThan(50 * 1024 * 1024);

  await a.reload(); // still offline: the shell comes from the service worker's copy
  await loadHelpers(a);
  const afterReload = await a.evaluate(`(async () => {
    const account = await j.engine().unlock({ origin: ${JSON.stringify(origin)} });
    return { account: account?.email, pending: (await j.engine().pending()).commits, interrupted: await j.engine().interruptedRun() };
  })()`);
  expect(afterReload).toEqual({ account: email, pending: 1, interrupted: undefined });

  // The sync loop starts offline; the browser's `online` event wakes it.
  await a.evaluate(`window.seen = []; window.synced = j.syncUntil(['in-sync', 'error'], window.seen); undefined`);
  await a.waitForFunction(`window.seen.includes('offline')`);
  await first.setOffline(false);
  expect(await a.evaluate(`window.synced`)).toEqual({ kind: 'in-sync' });
  expect(await a.evaluate(`window.seen`)).toContain('uploading');
  expect(await a.evaluate(`j.engine().pending()`)).toEqual({ commits: 0, stagedBytes: 0 });
  await first.close();

  const second = await browser.newContext();
  const b = await journeyPage(second, origin);
  const restored = (await b.evaluate(`(async () => {
    await j.engine().signIn(${JSON.stringify({ origin, email, passphrase, remember: false })});
    const { snapshots, offline } = await j.engine().snapshots();
    const manifest = await j.engine().manifest(snapshots[0].id);
    const target = await j.opfsFolder('restored', true);
    const results = await j.engine().restoreToFolder(manifest.entries, target, 'skip');
    return { count: snapshots.length, offline, device: snapshots[0].deviceId, source: manifest.source,
      statuses: [...new Set(results.map((r) => r.status))], hashes: await j.hashTree(target) };
  })()`)) as { hashes: Record<string, string> };
  expect(restored).toMatchObject({ count: 1, offline: false, device: created.deviceId, source: 'Pictures', statuses: ['restored'] });
  expect(restored.hashes).toEqual(original);
  await second.close();
}, 300_000);
