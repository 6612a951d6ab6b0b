/**
 * First-run consent lists each external connection the server offers as a purpose of its own:
 * off until switched on, described in the operator's words, and recorded in the ledger with the
 * other first-run entries once the account exists. With none offered it says so; when the list
 * cannot be read, nothing is connected and the user can check again.
 */
import { cleanup, screen, waitFor } from '@testing-library/svelte';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import Onboarding from '../../../src/app/screens/onboarding/Onboarding.svelte';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';

afterEach(cleanup);

const PRINT = { id: 'print-partner', name: 'Print Partner', description: 'Orders prints of photos you choose.', stores: 'The photos you send to print' };
const MAIL = { id: 'mail-link', name: 'Mail Link', description: '', stores: 'Your email address' };

function offering(...services: (typeof PRINT)[]): FakeApi {
  const api = new FakeApi();
  api.offered = services;
  return api;
}

async function toConsent(user: UserEvent, language: 'en' | 'ja' = 'en'): Promise<void> {
  await user.click(screen.getByRole('button', { name: language === 'en' ? 'Continue' : '次へ' }));
  await user.click(screen.getByRole('button', { name: language === 'en' ? /I already have an account/ : /アカウントをお持ちの方/ }));
}

async function agreeAndSignIn(user: UserEvent): Promise<void> {
  await user.click(screen.getByRole('checkbox', { name: 'I have read and agree to the privacy policy' }));
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  await user.type(screen.getByLabelText('Email address'), 'hana@example.jp');
  await user.type(screen.getByLabelText('Passphrase'), 'maple lantern orbit velvet');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('external connections at first run', () => {
  test('each one offered is listed off, with what it would receive; only the one switched on is granted', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding, { api: offering(PRINT, MAIL) });
    await toConsent(user);
    const print = (await screen.findByRole('checkbox', { name: 'Connection to Print Partner' })) as HTMLInputElement;
    const mail = screen.getByRole('checkbox', { name: 'Connection to Mail Link' }) as HTMLInputElement;
    expect([print.checked, mail.checked, print.disabled]).toEqual([false, false, false]);
    expect(print.getAttribute('aria-describedby')).toContain('purpose-external-print-partner-why');
    expect(document.getElementById('purpose-external-print-partner-why')!.textContent).toContain('Orders prints of photos you choose.');
    expect(document.getElementById('purpose-external-print-partner-why')!.textContent).toContain('What it would receive: The photos you send to print');
    // support, statistics and the two connections
    expect(screen.getAllByText('Optional')).toHaveLength(4);
    expect(api.offeredExternalServices).toHaveBeenCalledTimes(1);

    await user.click(print);
    await agreeAndSignIn(user);
    await waitFor(() => expect(api.privacy.recordFirstRunConsent).toHaveBeenCalledTimes(1));
    expect(api.privacy.recordFirstRunConsent).toHaveBeenCalledWith({ 'usage-statistics': false, support: false, 'external:print-partner': true, 'external:mail-link': false });
    await waitFor(async () => expect((await api.privacy.consents()).entries).toHaveLength(3));
    expect((await api.privacy.consents()).current).toEqual({ 'service-operation': true, 'security-logging': true, 'external:print-partner': true });
  });

  test('with none offered the step says nothing is shared outside Kura, and no connection is recorded', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding, { api: offering() });
    await toConsent(user);
    expect((await screen.findByRole('status')).textContent).toContain('This server offers no external services, so nothing is shared outside Kura.');
    expect(screen.queryByRole('checkbox', { name: /^Connection to/ })).toBeNull();
    await agreeAndSignIn(user);
    await waitFor(() => expect(api.privacy.recordFirstRunConsent).toHaveBeenCalledWith({ 'usage-statistics': false, support: false }));
  });

  test('while the list is read it says so; when it cannot be read nothing is connected, and Check again lists them', async () => {
    const user = userEvent.setup();
    const api = offering(PRINT);
    const held = api.hold('offeredExternalServices');
    renderScreen(Onboarding, { api });
    await toConsent(user);
    expect(screen.getByRole('status').textContent).toContain('Checking which external services this server offers…');
    held.reject(new Error('network'));
    await screen.findByText(/could not be checked, so none will be connected/);
    expect(screen.queryByRole('checkbox', { name: 'Connection to Print Partner' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(((await screen.findByRole('checkbox', { name: 'Connection to Print Partner' })) as HTMLInputElement).checked).toBe(false);
    expect(screen.queryByRole('button', { name: 'Check again' })).toBeNull();
    expect(api.offeredExternalServices).toHaveBeenCalledTimes(2);
  });

  test('a choice survives Back and forth without asking the server again', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding, { api: offering(PRINT) });
    await toConsent(user);
    await user.click(await screen.findByRole('checkbox', { name: 'Connection to Print Partner' }));
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await user.click(screen.getByRole('button', { name: /I already have an account/ }));
    expect((screen.getByRole('checkbox', { name: 'Connection to Print Partner' }) as HTMLInputElement).checked).toBe(true);
    expect(api.offeredExternalServices).toHaveBeenCalledTimes(1);
  });

  test('in Japanese', async () => {
    const user = userEvent.setup();
    renderScreen(Onboarding, { api: offering(PRINT), language: 'ja' });
    await toConsent(user, 'ja');
    const box = (await screen.findByRole('checkbox', { name: 'Print Partner との連携' })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(document.getElementById('purpose-external-print-partner-why')!.textContent).toContain('提供される情報: The photos you send to print');
    expect(screen.getAllByText('任意')).toHaveLength(3);
    cleanup();
    renderScreen(Onboarding, { api: offering(), language: 'ja' });
    await toConsent(user, 'ja');
    expect((await screen.findByRole('status')).textContent).toContain('このサーバーには連携できる外部サービスがないため');
  });
});
