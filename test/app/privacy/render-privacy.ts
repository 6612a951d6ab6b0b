/**
 * Renders the privacy center at one section over a FakePrivacy (and the app's FakeApi), in the
 * language asked for, online or not.
 */
import { render } from '@testing-library/svelte';
import type { Component } from 'svelte';
import type { Language } from '../../../src/client/app-api.ts';
import PrivacyCenter from '../../../src/app/screens/privacy/PrivacyCenter.svelte';
import { privacyContext } from '../../../src/app/screens/privacy/context.ts';
import type { PrivacySectionId } from '../../../src/app/screens/privacy/sections.ts';
import { kuraContext } from '../../../src/app/state/context.ts';
import type { DeviceId } from '../../../src/core/ids.ts';
import { FakeApi } from '../fake-api.ts';
import { FakePrivacy } from '../fake-privacy.ts';
import { makeKura } from '../render.ts';

export function renderPrivacy(section: PrivacySectionId, options: { privacy?: FakePrivacy; language?: Language; online?: boolean } = {}) {
  const privacy = options.privacy ?? new FakePrivacy();
  const api = new FakeApi();
  // The ledger names devices as the Devices screen does.
  api.deviceList = [{ id: 'dev_this' as DeviceId, name: 'Hana’s laptop', model: 'Chromebook', createdAt: 0, lastSeenAt: 0, current: true }];
  const kura = makeKura(api, options);
  const context = new Map<symbol, unknown>([...kuraContext(kura), ...privacyContext(privacy)]);
  const result = render(PrivacyCenter as Component<Record<string, unknown>>, { props: { section }, context });
  return { privacy, kura, result };
}

/** A privacy api whose policy has a significant revision waiting, with two sections changed. */
export function awaitingReview(): FakePrivacy {
  const privacy = new FakePrivacy();
  for (const language of ['en', 'ja'] as const) {
    const view = privacy.views[language];
    privacy.views[language] = {
      current: { ...view.current, significant: true },
      accepted: { ...view.current, version: '1.0', date: '2025-04-01' },
      changed: [
        { id: 'statistics', title: view.current.sections[2]!.title, change: 'changed' },
        { id: 'sharing', title: language === 'en' ? 'Sharing with partners' : 'パートナーとの共有', change: 'removed' },
      ],
      mustReview: true,
    };
  }
  return privacy;
}
