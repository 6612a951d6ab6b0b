/**
 * Renders one screen inside the app's context over a FakeApi, in the language asked for, so a
 * component test sees exactly what the app would show.
 */
import { render, type RenderResult } from '@testing-library/svelte';
import type { Component } from 'svelte';
import type { Language } from '../../src/client/app-api.ts';
import { startI18n } from '../../src/app/i18n/index.ts';
import { kuraContext, type Kura } from '../../src/app/state/context.ts';
import { Connectivity } from '../../src/app/state/connectivity.svelte.ts';
import { LaunchedFiles } from '../../src/app/state/launched.svelte.ts';
import { PreferencesState } from '../../src/app/state/preferences.svelte.ts';
import { Router } from '../../src/app/state/router.svelte.ts';
import { Session } from '../../src/app/state/session.svelte.ts';
import { SyncStatus } from '../../src/app/state/sync.svelte.ts';
import { FakeApi } from './fake-api.ts';

export interface Rendered {
  readonly api: FakeApi;
  readonly kura: Kura;
  readonly result: RenderResult<Component<Record<string, unknown>>>;
}

export function makeKura(api = new FakeApi(), options: { language?: Language; online?: boolean } = {}): Kura {
  api.preferences = { ...api.preferences, language: options.language ?? 'en' };
  startI18n(options.language ?? 'en');
  const location = { hash: '' };
  return {
    api,
    prefs: new PreferencesState(api),
    session: new Session(api),
    router: new Router(location),
    sync: new SyncStatus(api),
    connectivity: new Connectivity({ onLine: options.online ?? true }),
    launched: new LaunchedFiles(),
  };
}

export function renderScreen<Props extends Record<string, unknown>>(
  component: Component<Props>,
  options: { api?: FakeApi; kura?: Kura; props?: Props; language?: Language; online?: boolean } = {},
): Rendered {
  const kura = options.kura ?? makeKura(options.api, options);
  const result = render(component as Component<Record<string, unknown>>, { props: options.props ?? {}, context: kuraContext(kura) });
  return { api: kura.api as FakeApi, kura, result };
}
