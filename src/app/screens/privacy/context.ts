/**
 * The privacy center's api reaches its screens through its own Svelte context, apart from AppApi,
 * so the server half can be wired in without touching the app's contract. The app (App.svelte or
 * Shell.svelte) calls `providePrivacy(realImplementation)`; tests pass a fake with
 * `privacyContext`. Until something provides it, the privacy center says it is not available.
 */
import { getContext, hasContext, setContext } from 'svelte';
import type { PrivacyApi } from '../../../client/privacy-api.ts';

const KEY = Symbol('kura-privacy');

export function providePrivacy(api: PrivacyApi): PrivacyApi {
  return setContext(KEY, api);
}

export function usePrivacy(): PrivacyApi {
  const api = getContext<PrivacyApi | undefined>(KEY);
  if (!api) throw new Error('Kura: the privacy center was rendered without a PrivacyApi (providePrivacy)');
  return api;
}

/** True when a PrivacyApi was provided above this component. */
export function hasPrivacy(): boolean {
  return hasContext(KEY) && getContext(KEY) !== undefined;
}

/** The context as a Map entry, to merge with kuraContext when mounting a screen on its own (tests). */
export function privacyContext(api: PrivacyApi): Map<symbol, PrivacyApi> {
  return new Map([[KEY, api]]);
}
