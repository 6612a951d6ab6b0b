import { cleanup, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import PrivacyCenter from '../../../src/app/screens/privacy/PrivacyCenter.svelte';
import Settings from '../../../src/app/screens/settings/Settings.svelte';
import { hrefOf, parseRoute } from '../../../src/app/state/router.svelte.ts';
import { renderScreen } from '../render.ts';

vi.mock('virtual:kura-notices', async () => ({ default: (await import('../settings/notices-mock.ts')).NOTICES }));

afterEach(cleanup);

describe('privacy routes', () => {
  test('#/privacy/<section> names the section; an unknown or missing one is the policy', () => {
    expect(parseRoute('#/privacy/access-log')).toEqual({ name: 'privacy', section: 'access-log' });
    expect(parseRoute('#/privacy')).toEqual({ name: 'privacy', section: 'policy' });
    expect(parseRoute('#/privacy/nonsense')).toEqual({ name: 'privacy', section: 'policy' });
    expect(hrefOf({ name: 'privacy', section: 'external' })).toBe('#/privacy/external');
  });

  test('Settings links to the privacy center, in both languages', async () => {
    renderScreen(Settings);
    expect(screen.getByRole('link', { name: 'Open the privacy center' }).getAttribute('href')).toBe('#/privacy/policy');
    cleanup();
    renderScreen(Settings, { language: 'ja' });
    expect(screen.getByRole('link', { name: 'プライバシーセンターを開く' }).getAttribute('href')).toBe('#/privacy/policy');
  });

  test('in the app, the center reads the AppApi\'s privacy api (no separate provider needed)', async () => {
    const { api } = renderScreen(PrivacyCenter, { props: { section: 'policy' } });
    expect(screen.getByRole('navigation', { name: 'Privacy center sections' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'What we collect' })).toBeTruthy();
    expect(api.privacy.policy).toHaveBeenCalledWith('en');
    cleanup();
    const ja = renderScreen(PrivacyCenter, { props: { section: 'policy' }, language: 'ja' });
    expect(screen.getByRole('navigation', { name: 'プライバシーセンターの項目' })).toBeTruthy();
    await waitFor(() => expect(ja.api.privacy.policy).toHaveBeenCalledWith('ja'));
  });
});
