/**
 * Journey 2 (issue 4): the renderer is crashed (CDP Page.crash) at 10 random points of a backup of
 * 1,000 files and its upload, in an on-disk profile. Each time a new page reopens the account and
 * takes the run up again. In the end: one snapshot of all 1,000 files, restored byte for byte;
 * nothing left staged; and a chunk the server already had is never sent again, so the only chunks
 * sent twice are those in flight at a crash (at most one per upload worker per crash; uploads run
 * during the reading too, ahead of the commit).
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { Plugin } from 'vite';
import { expect, test, vi } from 'vitest';
import { fileSet, journeyPage, prng } from './journeys.ts';
import { useKuraInChromium } from './setup.ts';

const CRASHES = 10;
const BACKUP_CRASHES = 7;
const UPLOAD_WORKERS = 4;

/** Every chunk PUT that reached the dev server's proxy, by chunk id. */
const puts = new Map<string, number>();

/** Chunks the server acknowledged (a 2xx answer went back), and PUTs of a chunk after that. */
const acknowledged = new Set<string>();
let sentAfterAck = 0;

const countPuts: Plugin = {
  name: 'kura-test-count-puts',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const id = req.method === 'PUT' ? /^\/api\/v1\/chunks\/([0-9a-f]{64})$/.exec(req.url ?? '')?.[1] : undefined;
      if (id) {
        puts.set(id, (puts.get(id) ?? 0) + 1);
        if (acknowledged.has(id)) sentAfterAck++;
        res.on('finish', () => void (res.statusCode < 300 && acknowledged.add(id)));
      }
      next();
    });
  },
};

const stage = useKuraInChromium({ persistent: true, plugins: [countPuts] });

/** Opens the account in a new page and starts the run (taken up again if one was cut short), then its upload. */
async function startCycle(): Promise<Page> {
  const { origin, persistent } = stage;
  const page = await journeyPage(persistent.context, origin);
  await page.evaluate(`(() => {
    window.progress = { phase: 'start', done: 0, total: 1 };
    const onBackup = j.proxy((p) => { window.progress = { phase: 'backup', done: p.filesDone, total: p.filesTotal }; window.firstDone ??= p.filesDone; });
    window.firstDone = undefined;
    const onSync = j.proxy((s) => { if (s.kind === 'uploading') window.progress = { phase: 'upload', done: s.chunksDone, total: s.chunksTotal }; });
    window.cycle = (async () => {
      await j.engine().unlock({ origin: ${JSON.stringify(origin)} });
      const backup = (await j.engine().resumeInterrupted(onBackup)) ?? (await j.engine().backupKept('many', 'Many', onBackup));
      const sync = await j.engine().sync(onSync);
      window.progress = { phase: 'done', done: 1, total: 1 };
      return { backup, sync };
    })();
  })()`);
  return page;
}

async function crash(context: BrowserContext, page: Page): Promise<void> {
  const crashed = page.waitForEvent('crash');
  const cdp = await context.newCDPSession(page);
  void cdp.send('Page.crash').catch(() => undefined); // never answers: the renderer is gone
  await crashed;
  await page.close();
}

test('crashed at 10 random points, the backup resumes and ends whole, with nothing sent twice that the server had', async () => {
  const seed = Number(process.env.KURA_SEED ?? Date.now() % 1e9);
  const random = prng(seed);
  const files = fileSet(1000, 40_000, random);
  const { origin, persistent: { context } } = stage;

  const setup = await journeyPage(context, origin);
  const email = `crash-${seed}@example.com`;
  await setup.evaluate(`j.engine().createAccount(${JSON.stringify({ origin, email, passphrase: 'crash test passphrase', remember: true })})`);
  const original = (await setup.evaluate(`(async () => {
    const folder = await j.opfsFolder('many', true);
    await j.writeFiles(folder, ${JSON.stringify(files)});
    const { keepSource } = await import('/src/client/backup/handles.ts');
    await keepSource('many', { kind: 'folder', handle: folder });
    return j.hashTree(folder);
  })()`)) as Record<string, string>;
  expect(Object.keys(original)).toHaveLength(1000);
  await setup.close();

  // The crash points, in order. Seven come while files are read, after so many files of the run
  // are done (checkpoints keep some of that across crashes); three, between them, come while chunks
  // go up, after a few more distinct chunks reached the server (uploads run beside the reading).
  const filePoints = Array.from({ length: BACKUP_CRASHES }, () => 50 + Math.floor(random() * 900)).sort((x, y) => x - y);
  const targets = Array.from({ length: CRASHES }, (_, i) =>
    i % 3 === 2 ? { phase: 'upload', at: 0, more: 1 + Math.floor(random() * 20) } : { phase: 'backup', at: filePoints.shift()!, more: 0 },
  );
  const points: string[] = [];
  const resumedFrom: number[] = [];
  for (const target of targets) {
    const page = await startCycle();
    // Event-driven, not timed: the renderer dies when the run reaches the point.
    if (target.phase === 'backup') {
      await page.waitForFunction(`window.progress.phase === 'backup' && window.progress.done >= ${target.at}`, undefined, { timeout: 120_000, polling: 5 });
    } else {
      const reach = puts.size + target.more;
      await vi.waitFor(() => expect(puts.size).toBeGreaterThanOrEqual(reach), { timeout: 120_000, interval: 5 });
    }
    const progress = (await page.evaluate(`window.progress`)) as { phase: string; done: number; total: number };
    resumedFrom.push((await page.evaluate(`window.firstDone ?? 0`)) as number);
    points.push(`${progress.phase} ${progress.done}/${progress.total} with ${puts.size} chunks up`);
    await crash(context, page);
  }

  const last = await startCycle();
  const ended = (await last.evaluate(`window.cycle`)) as { sync: { kind: string } };
  expect(ended.sync, `seed ${seed}; crashes at ${points.join(', ')}`).toEqual({ kind: 'in-sync' });
  const outcome = (await last.evaluate(`(async () => {
    const { snapshots } = await j.engine().snapshots();
    const manifest = await j.engine().manifest(snapshots[0].id);
    const target = await j.opfsFolder('restored', true);
    const results = await j.engine().restoreToFolder(manifest.entries, target, 'overwrite');
    const staging = await (await navigator.storage.getDirectory()).getDirectoryHandle('kura-staging');
    let leftInStaging = 0;
    for await (const _ of staging.keys()) leftInStaging++;
    return { snapshots: snapshots.length, entries: manifest.entries.length, failed: results.filter((r) => r.status !== 'restored').length,
      hashes: await j.hashTree(target), pending: await j.engine().pending(), leftInStaging, interrupted: await j.engine().interruptedRun() };
  })()`)) as { hashes: Record<string, string> };
  expect(outcome, `seed ${seed}`).toMatchObject({ snapshots: 1, entries: 1000, failed: 0, pending: { commits: 0, stagedBytes: 0 }, leftInStaging: 0, interrupted: undefined });
  expect(outcome.hashes).toEqual(original);

  // Runs cut short while reading were taken up from their checkpoints, not from the start.
  expect(resumedFrom.slice(1).some((n) => n > 0), `seed ${seed}; resumed from ${resumedFrom.join(', ')}`).toBe(true);
  const sentTwice = [...puts.values()].filter((n) => n > 1).length;
  console.info(`crash journey, seed ${seed}: crashes at ${points.join('; ')}; runs resumed from file ${resumedFrom.join(', ')}; ${puts.size} chunks sent, ${sentTwice} of them twice, ${sentAfterAck} after the server had acknowledged them`);
  // Uploads run beside the reading too, so any crash may cut up to one request per upload worker.
  expect(sentTwice, `seed ${seed}; crashes at ${points.join(', ')}`).toBeLessThanOrEqual(CRASHES * UPLOAD_WORKERS);
  expect(Math.max(...puts.values())).toBeLessThanOrEqual(3);
  // What the server had acknowledged is never sent again (a retry racing its own answer at most).
  expect(sentAfterAck, `seed ${seed}`).toBeLessThanOrEqual(UPLOAD_WORKERS);
  await last.close();
}, 600_000);
