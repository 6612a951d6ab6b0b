/**
 * The open-source notices About lists, generated at build time from the bundled packages' own
 * package.json files (server/build/notices.ts serves the virtual module). Behind this one module
 * so the component tests can replace the list.
 */
import notices from 'virtual:kura-notices';

export interface Notice {
  readonly name: string;
  readonly version: string;
  readonly licence: string;
}

export const NOTICES: readonly Notice[] = notices;
