/**
 * The AppApi in the browser (being written: see app-api.ts for the contract).
 */
import type { AppApi } from './app-api.ts';

export function createAppClient(): AppApi {
  throw new Error('not yet');
}
