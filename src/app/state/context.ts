/**
 * The app's services and shared state reach components through Svelte context, so a component
 * test renders a screen with a fake AppApi and the real app with the browser one.
 */
import { getContext, setContext } from 'svelte';
import type { AppApi } from '../../client/app-api.ts';
import type { Connectivity } from './connectivity.svelte.ts';
import type { LaunchedFiles } from './launched.svelte.ts';
import type { PreferencesState } from './preferences.svelte.ts';
import type { Router } from './router.svelte.ts';
import type { Session } from './session.svelte.ts';
import type { SyncStatus } from './sync.svelte.ts';

export interface Kura {
  readonly api: AppApi;
  readonly session: Session;
  readonly prefs: PreferencesState;
  readonly router: Router;
  readonly sync: SyncStatus;
  readonly connectivity: Connectivity;
  readonly launched: LaunchedFiles;
}

const KEY = Symbol('kura');

export function provideKura(kura: Kura): Kura {
  return setContext(KEY, kura);
}

export function useKura(): Kura {
  const kura = getContext<Kura | undefined>(KEY);
  if (!kura) throw new Error('Kura: a component was rendered outside the app (no context)');
  return kura;
}

/** The context as a Map, for mounting one screen on its own (component tests). */
export function kuraContext(kura: Kura): Map<symbol, Kura> {
  return new Map([[KEY, kura]]);
}
