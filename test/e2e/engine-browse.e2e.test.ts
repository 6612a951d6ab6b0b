/**
 * Browsing and housekeeping through the engine worker, as the app will call them: a file read as
 * a stream transferred to the page, a thumbnail, retention across two runs, and sign-out with
 * erase leaving nothing of the account on the device.
 */
import { expect, test } from 'vitest';
import { useKuraInChromium } from './setup.ts';
import { journeyPage } from './journeys.ts';

const stage = useKuraInChromium();

test('a file streams to the page, a thumbnail opens, retention forgets, a wrong passphrase is refused, sign-out erases', async () => {
  const { origin, browser } = stage;
  const context = await browser.newContext();
  const page = await journeyPage(context, origin);
  const result = await page.evaluate(`(async () => {
    const e = j.engine();
    await e.createAccount({ origin: ${JSON.stringify(origin)}, email: 'browse@example.com', passphrase: 'browse passphrase', remember: true });
    const folder = await j.opfsFolder('home', true);
    const canvas = new OffscreenCanvas(800, 400);
    const g = canvas.getContext('2d');
    g.fillStyle = '#00c000'; g.fillRect(0, 0, 800, 400);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    const put = async (name, data) => { const w = await (await folder.getFileHandle(name, { create: true })).createWritable(); await w.write(data); await w.close(); };
    await put('green.png', png);
    await put('letter.txt', '拝啓 '.repeat(50000));
    const { keepSource } = await import('/src/client/backup/handles.ts');
    await keepSource('home', { kind: 'folder', handle: folder });
    await e.backupKept('home', 'Home');
    await put('letter.txt', 'changed');
    await e.backupKept('home', 'Home');
    const sync = await e.sync();

    const { snapshots } = await e.snapshots();
    const manifest = await e.manifest(snapshots[0].id);
    const letter = manifest.entries.find((f) => f.path === 'letter.txt');
    const stream = await e.readFile(letter);
    const text = await new Response(stream).text();
    const picture = manifest.entries.find((f) => f.path === 'green.png');
    const bitmap = await createImageBitmap(new Blob([await e.thumbnail(picture.thumb)]));
    const pixel = (() => { const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d'); c.drawImage(bitmap, 0, 0); return Array.from(c.getImageData(5, 5, 1, 1).data.slice(0, 3)); })();

    const forgotten = await e.applyRetention({ last: 1 });
    const left = (await e.snapshots()).snapshots.length;

    // Locked, then unlocked offline-style with the passphrase: a wrong one is refused and leaves it locked.
    e.close();
    const wrong = await e.unlock({ origin: ${JSON.stringify(origin)}, passphrase: 'not it' }).then(() => 'unlocked', (err) => err.code);
    const lockedAfterWrong = await e.pending().then(() => 'open', (err) => err.code);
    const right = (await e.unlock({ origin: ${JSON.stringify(origin)}, passphrase: 'browse passphrase' }))?.email;

    const signedOut = await e.signOut(true);
    const afterwards = await e.pending().then(() => 'open', (err) => err.code);
    const staging = await (await navigator.storage.getDirectory()).getDirectoryHandle('kura-staging');
    let staged = 0;
    for await (const _ of staging.keys()) staged++;
    const records = (await j.indexedDbRecords()).filter((r) => r.where.startsWith('kura/')).map((r) => r.where + ':' + r.value[0]);
    const unlocked = await e.unlock({ origin: ${JSON.stringify(origin)} });
    return { wrong, lockedAfterWrong, right, sync, snapshots: snapshots.length, text, thumb: [bitmap.width, bitmap.height], pixel, forgotten: forgotten.length, left,
      signedOut, afterwards, staged, records, unlocked: unlocked ?? null };
  })()`);
  expect(result).toMatchObject({
    wrong: 'unwrap-failed',
    lockedAfterWrong: 'unauthenticated',
    right: 'browse@example.com',
    sync: { kind: 'in-sync' },
    snapshots: 2,
    text: 'changed',
    thumb: [320, 160],
    forgotten: 1,
    left: 1,
    signedOut: { unsentCommits: 0, sessionRevoked: true },
    afterwards: 'unauthenticated',
    staged: 0,
    records: ['kura/settings:device'],
    unlocked: null,
  });
  const [r, g, b] = (result as { pixel: number[] }).pixel;
  expect(g).toBeGreaterThan(150);
  expect(r! + b!).toBeLessThan(60);
  await context.close();
}, 120_000);
