/** The main navigation has Records, current on every kind's route, and the route shows the hub. */
import { act, screen, within } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import Shell from '../../../../src/app/Shell.svelte';
import type { Language } from '../../../../src/client/app-api.ts';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import './fixtures.ts';

function renderShell(language: Language) {
  return renderScreen(Shell, { api: new FakeApi(), language });
}

describe('Shell: Records in the main navigation', () => {
  test.each([
    ['en', ['Backup', 'Browse', 'Records', 'Devices', 'Settings'], 'Records'],
    ['ja', undefined, '連絡先・予定'],
  ] as const)('%s', async (language, names, records) => {
    const { kura } = renderShell(language);
    const nav = screen.getAllByRole('navigation')[0]!;
    const links = within(nav).getAllByRole('link');
    if (names) expect(links.map((l) => l.textContent?.trim())).toEqual(names);
    const item = within(nav).getByRole('link', { name: records });
    expect(item.getAttribute('href')).toBe('#/records/contacts');
    expect(item.getAttribute('aria-current')).toBeNull();

    await act(() => kura.router.go({ name: 'records', kind: 'calls' }));
    expect(within(nav).getByRole('link', { name: records }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('heading', { level: 1, name: records })).toBeTruthy();
  });
});
