/**
 * The core benchmark inside a Chromium module worker, where Kura's backup really runs. Started by
 * chromium-page.html, which test/bench/chromium.ts opens in a Chromium launched directly (not
 * under DevTools, which slows the browser: DESIGN.md section 9). Results are posted back.
 */
import { chunkStream } from '../../src/core/chunking/stream.ts';
import { createMasterKey } from '../../src/core/crypto/masterkey.ts';
import { deriveAccountKeys } from '../../src/core/crypto/subkeys.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';

const MIB = 1024 * 1024;
const params = new URLSearchParams(self.location.search);
const TOTAL = Number(params.get('mib') ?? 128) * MIB;
const ROUNDS = Number(params.get('rounds') ?? 3);

async function run(): Promise<Record<string, number>> {
  const data = new Uint8Array(TOTAL);
  const words = new Uint32Array(data.buffer);
  let x = 0x2545f491;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  const file = new Blob([data]); // read back through Blob.stream(), as a picked file is
  const keys = await deriveAccountKeys(createMasterKey());
  const iv = new Uint8Array(12);

  const perPiece = async (size: number, call: (p: Uint8Array<ArrayBuffer>) => Promise<unknown>) => {
    for (let at = 0; at < TOTAL; at += size) await call(data.subarray(at, at + size));
  };
  const measurements: Record<string, () => Promise<void>> = {
    aesgcm_1mib: () => perPiece(MIB, (p) => crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys.chunk, p)),
    aesgcm_256kib: () => perPiece(256 * 1024, (p) => crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys.chunk, p)),
    hmac_1mib: () => perPiece(MIB, (p) => crypto.subtle.sign('HMAC', keys.chunkId, p)),
    chunker: async () => {
      for await (const c of chunkStream(file.stream(), keys.gear)) void c;
    },
    pipeline: async () => {
      const meta = { path: 'bench.bin', lastModified: 0, type: '', size: TOTAL };
      for await (const item of sealFile(file.stream(), keys, meta)) void item;
    },
  };
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, measure] of Object.entries(measurements)) {
      const start = performance.now();
      await measure();
      (samples[name] ??= []).push(TOTAL / MIB / ((performance.now() - start) / 1000));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, Math.round(median(xs) * 10) / 10]));
}

run().then(
  (result) => fetch('/__bench', { method: 'POST', body: JSON.stringify({ result }) }),
  (error: unknown) => fetch('/__bench', { method: 'POST', body: JSON.stringify({ error: String(error) }) }),
);
