/**
 * Journey 3 (issue 4): no plaintext at rest. Twenty marker strings are planted in a picked
 * folder, ten in file contents and ten in file and folder names (Japanese among them). After the
 * backup, with the upload still pending so everything is staged on the device, every IndexedDB
 * record and every OPFS file of the origin is read back and searched for each marker (UTF-8 and
 * UTF-16); then the browser is closed and the profile's files on disk are searched too. The
 * folder is picked with the fallback input from a folder outside the profile, so the only copies
 * inside the profile are Kura's own.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { journeyPage, prng } from './journeys.ts';
import { useKuraInChromium } from './setup.ts';

const stage = useKuraInChromium({ persistent: true });
let temp: string;
beforeAll(() => void (temp = mkdtempSync(join(tmpdir(), 'kura-markers-'))));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Every byte sequence a marker could rest as: UTF-8, and UTF-16 (how V8 and IndexedDB keep some strings). */
function forms(marker: string): Buffer[] {
  return [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.isFile() ? [full] : [];
  });
}

test('after a backup, no planted marker is found in IndexedDB, OPFS or the profile on disk', async () => {
  const { origin, persistent } = stage;
  const random = prng(Number(process.env.KURA_SEED ?? Date.now() % 1e9));
  const tag = () => Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  const contentMarkers = Array.from({ length: 10 }, (_, i) => `KURA-CONTENT-MARKER-${i}-${tag()}`);
  const nameMarkers = Array.from({ length: 10 }, (_, i) => (i % 2 ? `秘密の名前${i}${tag()}` : `KURA-NAME-MARKER-${i}-${tag()}`));
  const root = join(temp, 'picked');
  const write = (path: string, data: Buffer | string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
  };
  contentMarkers.forEach((marker, i) => {
    // Some markers in small text files, some deep inside larger binary files.
    if (i < 5) write(`notes/note-${i}.txt`, `Dear diary, ${marker} and more.\n`);
    else write(`data/blob-${i}.bin`, Buffer.concat([Buffer.alloc(30_000 * i, i), Buffer.from(marker), Buffer.alloc(5_000, 7)]));
  });
  nameMarkers.forEach((marker, i) => (i < 5 ? write(`${marker}.txt`, `file ${i}`) : write(`${marker}/inside-${i}.txt`, `folder ${i}`)));
  const markers = [...contentMarkers, ...nameMarkers];
  expect(markers).toHaveLength(20);

  const page = await journeyPage(persistent.context, origin);
  // The account's email is kept on the device in the clear (to sign in offline): the scans must find
  // it, which shows they can find what is there.
  const email = `markers-${tag()}@example.com`;
  await page.evaluate(`j.engine().createAccount(${JSON.stringify({ origin, email, passphrase: 'marker passphrase', remember: true })})`);
  await page.evaluate(`(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'pick', multiple: true, webkitdirectory: true });
    document.body.append(input);
  })()`);
  await page.setInputFiles('#pick', root);
  const backup = await page.evaluate(`(async () => {
    const result = await j.engine().backupFiles('picked-source', 'Picked', [...document.getElementById('pick').files]);
    return { files: result.files, failures: result.failures, pending: (await j.engine().pending()).commits };
  })()`);
  expect(backup).toEqual({ files: 20, failures: [], pending: 1 });

  // Through the browser's own APIs: every record of every database, every OPFS file.
  const found = (await page.evaluate(`(async (markers) => {
    const latin1 = (bytes) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
    const text = JSON.stringify(await j.indexedDbRecords(), (_k, v) =>
      v instanceof Uint8Array ? latin1(v) : v instanceof ArrayBuffer ? latin1(new Uint8Array(v)) : v);
    const files = (await j.opfsFiles()).map(([path, bytes]) => path + '\\n' + latin1(bytes));
    const utf8 = (s) => latin1(new TextEncoder().encode(s));
    const utf16 = (s) => Array.from(s, (c) => String.fromCharCode(c.charCodeAt(0) & 255, c.charCodeAt(0) >> 8)).join('');
    const haystacks = [text, ...files];
    return { opfsFiles: files.length, hits: markers.filter((m) => haystacks.some((h) => h.includes(m) || h.includes(utf8(m)) || h.includes(utf16(m)))) };
  })(${JSON.stringify([...markers, email])})`)) as { opfsFiles: number; hits: string[] };
  expect(found.opfsFiles).toBeGreaterThanOrEqual(20); // the staged envelopes are there to be searched
  expect(found.hits).toEqual([email]);

  // And on disk, once the browser has written everything and closed.
  await page.close();
  await persistent.context.close();
  const onDisk = filesUnder(persistent.profile).filter((f) => statSync(f).size > 0);
  expect(onDisk.length).toBeGreaterThan(0);
  const contents = onDisk.map((f) => readFileSync(f));
  const diskHits = [...markers, email].filter((m) => contents.some((c) => forms(m).some((form) => c.includes(form))));
  expect(diskHits).toEqual([email]);
}, 300_000);
