/**
 * The first run in Japanese: the intro, the consent screen (summary, purposes, agreement) and
 * the create step's strength feedback, all from the Japanese catalogue.
 */
import { cleanup, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Onboarding from '../../../src/app/screens/onboarding/Onboarding.svelte';
import { renderScreen } from '../render.ts';

vi.mock('@zxcvbn-ts/core', () => import('./zxcvbn-fake.ts'));
vi.mock('@zxcvbn-ts/language-common', () => ({ dictionary: {}, adjacencyGraphs: {} }));
vi.mock('@zxcvbn-ts/language-en', () => ({ dictionary: {} }));

afterEach(cleanup);

describe('first run in Japanese', () => {
  test('consent and create screens', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding, { language: 'ja' });
    expect((screen.getByRole('radio', { name: '日本語' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: '次へ' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('大切なファイルを、安全に、あなただけのものに');
    await user.click(screen.getByRole('button', { name: 'アカウントを作成' }));

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('プライバシーについて');
    expect(screen.getByText('ステップ 3/5')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'プライバシーポリシーの概要' })).toBeTruthy();
    expect(screen.getByText('プライバシーポリシーの全文を読む')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: '匿名の利用統計' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('checkbox', { name: 'サービスの提供' }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getAllByText('必須')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: '次へ' }));
    expect(screen.getByText('続けるには、プライバシーポリシーへの同意にチェックを入れてください。')).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: 'プライバシーポリシーを読み、同意します' }));
    await user.click(screen.getByRole('button', { name: '次へ' }));

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('アカウントを作成');
    await user.type(screen.getByLabelText('パスフレーズ'), 'password12345');
    // zxcvbn's feedback keys come back translated.
    await waitFor(() => expect(screen.getByText('弱い')).toBeTruthy());
    expect(screen.getByText(/よく使われているパスワードです。/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'アカウントを作成' }));
    expect(screen.getByText('メールアドレスを入力してください。')).toBeTruthy();
    expect(screen.getByText('推測されやすいパスフレーズです。単語を足すか、もっと長くしてください。')).toBeTruthy();
    expect(api.createAccount).not.toHaveBeenCalled();
  });
});
