/**
 * The page of the end-to-end benchmark: starts e2e-worker.ts and samples memory while it runs,
 * then posts the worker's figures and the memory peaks to /__bench.
 *
 * What is measured: performance.measureUserAgentSpecificMemory() (the page is cross-origin
 * isolated: e2e.ts serves COOP/COEP, and Chromium runs with ForceEagerMeasureMemory so each call
 * answers at once instead of within 20 s). It reports the live JavaScript memory of this page
 * and of its dedicated worker, ArrayBuffer backing stores included, plus shared and DOM memory,
 * after a garbage collection: the live heap, not garbage awaiting collection. performance.memory
 * is no use here: Chromium has it on the window only, and the backup runs in the worker. The
 * figure is the whole measurement (page + worker + shared), sampled every second; its peak per
 * phase is kept, and peak_heap_mib is the peak over the phases that are Kura's work (stage, backup, sync,
 * rescan, restore).
 */
const KURA_PHASES = new Set(['stage', 'backup', 'sync', 'rescan', 'restore']);
const MIB = 1024 * 1024;
/** Sampling interval in ms (query `heapms`, from KURA_BENCH_HEAP_MS; 0 turns sampling off). */
const SAMPLE_MS = Number(new URLSearchParams(location.search).get('heapms') ?? 1000);

interface Measurement {
  bytes: number;
  breakdown: { bytes: number; attribution: { scope: string }[] }[];
}
const measure = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<Measurement> }).measureUserAgentSpecificMemory;

let phase = 'start';
let running = true;
const peaks: Record<string, { total: number; worker: number; page: number }> = {};
let samples = 0;
let sampleMs = 0;

async function sampleMemory(): Promise<void> {
  while (running && measure && crossOriginIsolated && SAMPLE_MS > 0) {
    const at = phase;
    const start = performance.now();
    const m = await measure.call(performance);
    sampleMs += performance.now() - start;
    samples++;
    const scoped = (scope: string) => m.breakdown.filter((b) => b.attribution.some((a) => a.scope === scope)).reduce((n, b) => n + b.bytes, 0);
    const peak = (peaks[at] ??= { total: 0, worker: 0, page: 0 });
    peak.total = Math.max(peak.total, m.bytes);
    peak.worker = Math.max(peak.worker, scoped('DedicatedWorkerGlobalScope'));
    peak.page = Math.max(peak.page, scoped('Window'));
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
}

const post = (body: unknown) => fetch('/__bench', { method: 'POST', body: JSON.stringify(body) });
const worker = new Worker(new URL('./e2e-worker.ts' + location.search, import.meta.url), { type: 'module' });
const sampling = sampleMemory().catch((e: unknown) => void fetch('/__bench/log', { method: 'POST', body: `  (memory sampling failed: ${e})` }));
worker.onerror = (event) => void post({ error: `worker error: ${event.message}` });
worker.onmessage = async (event: MessageEvent<{ phase?: string; result?: Record<string, number>; error?: string }>) => {
  const data = event.data;
  if (data.phase) phase = data.phase;
  if (data.error) await post({ error: data.error });
  if (!data.result) return;
  running = false;
  await sampling;
  const kura = Object.entries(peaks).filter(([p]) => KURA_PHASES.has(p));
  const heap: Record<string, number | null> = {
    peak_heap_mib: kura.length > 0 ? Math.max(...kura.map(([, v]) => v.total)) / MIB : null,
    peak_heap_worker_mib: kura.length > 0 ? Math.max(...kura.map(([, v]) => v.worker)) / MIB : null,
    peak_heap_page_mib: kura.length > 0 ? Math.max(...kura.map(([, v]) => v.page)) / MIB : null,
    heap_samples: samples,
    heap_sample_ms: samples > 0 ? sampleMs / samples : null,
  };
  for (const [p, v] of Object.entries(peaks)) heap[`peak_heap_${p}_mib`] = v.total / MIB;
  await post({ result: { ...data.result, ...heap, isolated: crossOriginIsolated ? 1 : 0 } });
};
