/**
 * Real files for the UI journeys, made in Node: a photo (PNG), a one-page PDF, a one-second song
 * (WAV), a note; and the page-side strings that put them in an OPFS folder standing in for the
 * folder picker (the only shortcut the journeys take), and read a restored folder back.
 */
import type { Page } from 'playwright-core';
import { gradientPhoto } from '../bench/png.ts';

export interface FixtureFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** A minimal valid PDF with one page of text; xref offsets computed, so viewers accept it. */
export function onePagePdf(text: string): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 18 Tf 40 100 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 40 100 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/** `seconds` of a 440 Hz tone, 16-bit mono PCM at 8 kHz. */
export function toneWav(seconds: number): Uint8Array {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const view = new DataView(new ArrayBuffer(44 + samples * 2));
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), true);
  return new Uint8Array(view.buffer);
}

export function libraryFiles(): FixtureFile[] {
  return [
    { path: '写真/京都の紅葉.png', bytes: gradientPhoto(480, 7) },
    { path: '写真/beach.png', bytes: gradientPhoto(320, 3) },
    { path: 'documents/invoice.pdf', bytes: onePagePdf('Invoice 2026-11') },
    { path: 'music/tone.wav', bytes: toneWav(1) },
    { path: 'documents/メモ.txt', bytes: new TextEncoder().encode('買い物: 牛乳、卵\nshopping: milk, eggs\n') },
  ];
}

/**
 * Replaces the folder picker with OPFS folders: each call returns the folder named in
 * `window.__kuraPickFolder` (set by the test before the click). Installed before the app loads.
 */
export const OPFS_PICKER = `
  window.showDirectoryPicker = async () => {
    const name = window.__kuraPickFolder;
    if (!name) throw new DOMException('The user aborted a request.', 'AbortError');
    const root = await navigator.storage.getDirectory();
    return root.getDirectoryHandle(name, { create: true });
  };
`;

/** Writes the files into the OPFS folder `folder` (emptied first). */
export async function writeOpfsFolder(page: Page, folder: string, files: readonly FixtureFile[]): Promise<void> {
  const payload = files.map((f) => ({ path: f.path, data: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate(
    `(async () => {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(${JSON.stringify(folder)}, { recursive: true }).catch(() => undefined);
      const top = await root.getDirectoryHandle(${JSON.stringify(folder)}, { create: true });
      for (const f of ${JSON.stringify(payload)}) {
        const parts = f.path.split('/');
        let dir = top;
        for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
        const w = await (await dir.getFileHandle(parts.at(-1), { create: true })).createWritable();
        await w.write(Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0)));
        await w.close();
      }
    })()`,
  );
}

/** Every file under the OPFS folder, as path → base64 of its bytes. */
export async function readOpfsFolder(page: Page, folder: string): Promise<Record<string, string>> {
  return (await page.evaluate(
    `(async () => {
      const out = {};
      const walk = async (dir, prefix) => {
        for await (const [name, handle] of dir.entries()) {
          if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
          else {
            const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
            let s = '';
            for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            out[prefix + name] = btoa(s);
          }
        }
      };
      const root = await navigator.storage.getDirectory();
      await walk(await root.getDirectoryHandle(${JSON.stringify(folder)}), '');
      return out;
    })()`,
  )) as Record<string, string>;
}
