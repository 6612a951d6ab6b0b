import { RECORD_KINDS, type RecordKind } from '../../core/records/kinds.ts';
import { privacySection, type PrivacySectionId } from '../screens/privacy/sections.ts';

/**
 * Hash routes (#/browse, #/browse/<snapshot>, #/records/<kind>, #/devices, #/settings, #/privacy/<section>), so the back button, a
 * reload and a bookmark land where the user was, and the service worker serves one index.html.
 */
export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'browse' }
  | { readonly name: 'snapshot'; readonly id: string }
  | { readonly name: 'records'; readonly kind: RecordKind }
  | { readonly name: 'devices' }
  | { readonly name: 'settings' }
  | { readonly name: 'privacy'; readonly section: PrivacySectionId };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'browse':
      return parts[1] ? { name: 'snapshot', id: parts[1] } : { name: 'browse' };
    case 'records':
      return { name: 'records', kind: RECORD_KINDS.find((k) => k === parts[1]) ?? 'contacts' };
    case 'devices':
      return { name: 'devices' };
    case 'settings':
      return { name: 'settings' };
    case 'privacy':
      return { name: 'privacy', section: privacySection(parts[1]) };
    default:
      return { name: 'home' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'snapshot':
      return `#/browse/${encodeURIComponent(route.id)}`;
    case 'records':
      return `#/records/${route.kind}`;
    case 'privacy':
      return `#/privacy/${route.section}`;
    default:
      return `#/${route.name}`;
  }
}

export class Router {
  route = $state<Route>({ name: 'home' });

  constructor(private readonly location: Pick<Location, 'hash'> & { assign?: (url: string) => void } = globalThis.location) {
    this.route = parseRoute(location?.hash ?? '');
  }

  /** Follows hashchange; returns the function that stops listening. */
  listen(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
    const onChange = () => (this.route = parseRoute(this.location.hash));
    target.addEventListener('hashchange', onChange);
    return () => target.removeEventListener('hashchange', onChange);
  }

  go(route: Route): void {
    this.route = route;
    if (this.location) this.location.hash = hrefOf(route);
  }
}
