import { cleanup, screen } from '@testing-library/svelte';
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

  test('without a PrivacyApi provided, the center says it is not available instead of failing', () => {
    renderScreen(PrivacyCenter, { props: { section: 'policy' } });
    expect(screen.getByText('The privacy center is not available in this version of the app yet.')).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});
