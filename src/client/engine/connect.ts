/** The page's handle on the engine worker. */
import { wrap, type Remote } from 'comlink';
import { installErrorTransfer } from './errors.ts';
import type { EngineService } from './service.ts';

export type Engine = Remote<EngineService>;

export function startEngine(): { engine: Engine; worker: Worker } {
  installErrorTransfer();
  // Written literally so Vite finds and bundles the worker (DESIGN.md section 9).
  const worker = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module' });
  return { engine: wrap<EngineService>(worker), worker };
}

/** Wraps a callback (progress, sync state) so the worker can call back into the page. */
export { proxy } from 'comlink';
