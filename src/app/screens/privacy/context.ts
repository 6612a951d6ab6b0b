/**
 * The privacy center's api: `AppApi.privacy`, read from the app's context. A test may put another
 * PrivacyApi above the center with `privacyContext` (it wins over the app's).
 */
import { getContext, setContext } from 'svelte';
import type { PrivacyApi } from '../../../client/privacy-api.ts';
import { useKura } from '../../state/context.ts';

const KEY = Symbol('kura-privacy');

export function providePrivacy(api: PrivacyApi): PrivacyApi {
  return setContext(KEY, api);
}

export function usePrivacy(): PrivacyApi {
  return getContext<PrivacyApi | undefined>(KEY) ?? useKura().api.privacy;
}

/** The context as a Map entry, to merge with kuraContext when mounting a screen on its own (tests). */
export function privacyContext(api: PrivacyApi): Map<symbol, PrivacyApi> {
  return new Map([[KEY, api]]);
}
