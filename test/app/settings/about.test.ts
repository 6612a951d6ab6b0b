import { cleanup, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Settings from '../../../src/app/screens/settings/Settings.svelte';
import { renderScreen } from '../render.ts';

vi.mock('virtual:kura-notices', () => ({
  default: [
    { name: 'dexie', version: '4.4.7', licence: 'Apache-2.0' },
    { name: 'mediabunny', version: '1.61.0', licence: 'MPL-2.0' },
    { name: 'svelte', version: '5.57.3', licence: 'MIT' },
  ],
}));

afterEach(cleanup);

const about = (name = 'About') => within(screen.getByRole('region', { name }));

describe('about', () => {
  test('shows the version and the licence, linked to its text', () => {
    renderScreen(Settings);
    expect(about().getByText('0.1.0-test')).toBeTruthy();
    const link = about().getByRole('link', { name: /GNU Affero General Public License v3.0 or later/ });
    expect(link.getAttribute('href')).toBe('https://www.gnu.org/licenses/agpl-3.0.html');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  test('lists the open-source packages with their versions and licences', async () => {
    renderScreen(Settings);
    await userEvent.click(about().getByText('Open-source notices'));
    expect(about().getByText('3 packages')).toBeTruthy();
    const items = about().getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['dexie 4.4.7 Apache-2.0', 'mediabunny 1.61.0 MPL-2.0', 'svelte 5.57.3 MIT']);
  });

  test('in Japanese', () => {
    renderScreen(Settings, { language: 'ja' });
    const section = about('Kura について');
    expect(section.getByText('バージョン')).toBeTruthy();
    expect(section.getByText('3個のパッケージ')).toBeTruthy();
    expect(section.getByRole('link', { name: /GNU Affero General Public License v3.0 以降/ })).toBeTruthy();
  });
});
