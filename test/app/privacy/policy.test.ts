import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { policyBlocks } from '../../../src/app/screens/privacy/policy-text.ts';
import { awaitingReview, renderPrivacy } from './render-privacy.ts';

afterEach(cleanup);

describe('policy text', () => {
  test('blank lines part paragraphs and "- " lines make one list', () => {
    expect(policyBlocks('One line\nand its wrap.\n\n- a\n- b\nAfter.\n\n\nLast')).toEqual([
      { kind: 'paragraph', text: 'One line and its wrap.' },
      { kind: 'list', items: ['a', 'b'] },
      { kind: 'paragraph', text: 'After.' },
      { kind: 'paragraph', text: 'Last' },
    ]);
  });
});

describe('the policy', () => {
  test('shows the document with its version, date, contents, lists and the operator', async () => {
    renderPrivacy('policy');
    const doc = await screen.findByRole('article', { name: 'Kura Privacy Policy' });
    expect(within(doc).getByText('Version 2.0, effective November 1, 2026')).toBeTruthy();
    const toc = within(doc).getByRole('navigation', { name: 'Contents' });
    expect(within(toc).getAllByRole('link').map((a) => a.textContent)).toEqual(['What we collect', 'Why we use it', 'Usage statistics', 'Contact']);
    expect(within(doc).getAllByRole('heading', { level: 3 }).map((h) => h.textContent?.trim())).toEqual([
      'Contents',
      'What we collect',
      'Why we use it',
      'Usage statistics',
      'Contact',
    ]);
    expect(within(doc).getByText('Each device’s name, model and identifier').tagName).toBe('LI');
    const operator = await screen.findByRole('region', { name: 'Who runs this Kura server' });
    expect(within(operator).getByText('Kura Storehouse K.K.')).toBeTruthy();
    expect(within(operator).getByText('1-2-3 Kanda, Chiyoda-ku, Tokyo')).toBeTruthy();
    expect(within(operator).getByRole('link', { name: 'privacy@kura.example' }).getAttribute('href')).toBe('mailto:privacy@kura.example');
    // No review is asked for when nothing significant waits.
    expect(screen.queryByRole('button', { name: /Accept/ })).toBeNull();
  });

  test('a contents link moves focus to its section without changing the route', async () => {
    const { kura } = renderPrivacy('policy');
    const doc = await screen.findByRole('article');
    await userEvent.click(within(within(doc).getByRole('navigation')).getByRole('link', { name: 'Usage statistics' }));
    expect(document.activeElement).toBe(within(doc).getByRole('heading', { level: 3, name: 'Usage statistics' }));
    expect(kura.router.route).toEqual({ name: 'home' });
  });

  test('in Japanese, the Japanese document is asked for and shown', async () => {
    const { privacy } = renderPrivacy('policy', { language: 'ja' });
    const doc = await screen.findByRole('article', { name: 'Kura プライバシーポリシー' });
    expect(privacy.policy).toHaveBeenCalledWith('ja');
    expect(within(doc).getByText('バージョン 2.0（2026年11月1日 施行）')).toBeTruthy();
    expect(within(doc).getByRole('navigation', { name: '目次' })).toBeTruthy();
    expect(await screen.findByRole('region', { name: 'この Kura サーバーの運営者' })).toBeTruthy();
  });

  test('changing the language fetches the policy in that language', async () => {
    const { privacy, kura } = renderPrivacy('policy');
    await screen.findByRole('article', { name: 'Kura Privacy Policy' });
    kura.prefs.update({ language: 'ja' });
    expect(await screen.findByRole('article', { name: 'Kura プライバシーポリシー' })).toBeTruthy();
    expect(privacy.policy).toHaveBeenLastCalledWith('ja');
  });

  test('a failed load says why and Try again loads it', async () => {
    const { FakePrivacy } = await import('../fake-privacy.ts');
    const privacy = new FakePrivacy();
    privacy.failNext('policy', 'internal');
    renderPrivacy('policy', { privacy });
    expect((await screen.findByRole('alert')).textContent).toContain('The server had a problem. Try again later.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('article', { name: 'Kura Privacy Policy' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('offline, it says nothing can be fetched and asks for nothing', () => {
    const { privacy } = renderPrivacy('policy', { online: false });
    expect(screen.getByText(/You are offline\. The privacy center reads everything from the server/)).toBeTruthy();
    expect(screen.getByText('This cannot be fetched while you are offline. Connect to the internet to see it.')).toBeTruthy();
    expect(privacy.policy).not.toHaveBeenCalled();
  });

  test('while loading, it says so', async () => {
    const { FakePrivacy } = await import('../fake-privacy.ts');
    const privacy = new FakePrivacy();
    privacy.hold('policy');
    renderPrivacy('policy', { privacy });
    expect((await screen.findByRole('status', { name: '' })).textContent).toBe('Loading…');
  });
});

describe('changes and review', () => {
  test('lists what changed since the accepted version and marks it in the text', async () => {
    renderPrivacy('policy', { privacy: awaitingReview() });
    const changes = await screen.findByRole('region', { name: 'What changed since the version you accepted' });
    expect(within(changes).getByText('Between version 1.0, which you accepted, and version 2.0:')).toBeTruthy();
    expect(within(changes).getByRole('link', { name: 'Usage statistics' })).toBeTruthy();
    // A removed section is named, with nothing to link to.
    expect(within(changes).queryByRole('link', { name: 'Sharing with partners' })).toBeNull();
    expect(within(changes).getByText('Sharing with partners')).toBeTruthy();
    expect(within(changes).getByText('(Removed)')).toBeTruthy();
    const marked = screen.getByRole('region', { name: 'Usage statistics Changed' });
    expect(marked.classList.contains('changed')).toBe(true);
    expect(screen.getByRole('region', { name: 'Why we use it' }).classList.contains('changed')).toBe(false);
    await userEvent.click(within(changes).getByRole('link', { name: 'Usage statistics' }));
    expect(document.activeElement).toBe(within(marked).getByRole('heading', { level: 3 }));
  });

  test('a significant revision pauses sync until accepted; Accept records it', async () => {
    const { privacy } = renderPrivacy('policy', { privacy: awaitingReview() });
    const review = await screen.findByRole('region', { name: 'The privacy policy has changed' });
    expect(within(review).getByText(/so sync is paused until you review it/)).toBeTruthy();
    await userEvent.click(within(review).getByRole('button', { name: 'Accept version 2.0' }));
    expect(privacy.acceptPolicy).toHaveBeenCalledWith('2.0');
    await waitFor(() => expect(screen.queryByRole('region', { name: 'The privacy policy has changed' })).toBeNull());
    expect(await screen.findByText('You accepted version 2.0. Sync resumes.')).toBeTruthy();
  });

  test('Decline explains the data stays and offers download and deletion', async () => {
    const { privacy } = renderPrivacy('policy', { privacy: awaitingReview() });
    const review = await screen.findByRole('region', { name: 'The privacy policy has changed' });
    await userEvent.click(within(review).getByRole('button', { name: 'Decline' }));
    expect(privacy.acceptPolicy).not.toHaveBeenCalled();
    const heading = within(review).getByRole('heading', { name: 'If you do not accept' });
    expect(document.activeElement).toBe(heading);
    expect(within(review).getByText(/Nothing is deleted: your data stays intact and sync stays paused/)).toBeTruthy();
    await userEvent.click(within(review).getByRole('button', { name: 'Download my data' }));
    expect(privacy.downloadDisclosure).toHaveBeenCalledTimes(1);
    expect(await within(review).findByText('Your download has started. Check your browser’s downloads.')).toBeTruthy();
    expect(within(review).getByRole('link', { name: 'Delete account…' }).getAttribute('href')).toBe('#/privacy/data');
  });

  test('in Japanese, the review and the changes read in Japanese', async () => {
    const { privacy } = renderPrivacy('policy', { privacy: awaitingReview(), language: 'ja' });
    const review = await screen.findByRole('region', { name: 'プライバシーポリシーが変更されました' });
    expect(screen.getByRole('region', { name: '同意済みのバージョンからの変更点' })).toBeTruthy();
    await userEvent.click(within(review).getByRole('button', { name: 'バージョン 2.0 に同意する' }));
    expect(privacy.acceptPolicy).toHaveBeenCalledWith('2.0');
    expect(await screen.findByText('バージョン 2.0 に同意しました。同期を再開します。')).toBeTruthy();
  });

  test('a failed acceptance keeps the review and says why', async () => {
    const privacy = awaitingReview();
    privacy.failNext('acceptPolicy', 'network-unavailable');
    renderPrivacy('policy', { privacy });
    const review = await screen.findByRole('region', { name: 'The privacy policy has changed' });
    await userEvent.click(within(review).getByRole('button', { name: 'Accept version 2.0' }));
    expect((await within(review).findByRole('alert')).textContent).toBe('The server cannot be reached. Check your connection.');
    expect(within(review).getByRole('button', { name: 'Accept version 2.0' })).toBeTruthy();
  });
});

describe('the privacy center', () => {
  test('has a nav of its sections with the current one marked', async () => {
    renderPrivacy('policy');
    const nav = screen.getByRole('navigation', { name: 'Privacy center sections' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Policy', '#/privacy/policy'],
      ['Consent', '#/privacy/consent'],
      ['Your data', '#/privacy/data'],
      ['Access log', '#/privacy/access-log'],
      ['Inquiries', '#/privacy/inquiries'],
      ['External services', '#/privacy/external'],
    ]);
    expect(links[0]!.getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('heading', { level: 1, name: 'Privacy center' })).toBeTruthy();
  });
});
