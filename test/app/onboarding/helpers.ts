/**
 * Walking the first-run flow as a user would, for the tests that start further in.
 */
import { screen } from '@testing-library/svelte';
import type { UserEvent } from '@testing-library/user-event';
import { expect, vi } from 'vitest';

export const STRONG = 'maple lantern orbit velvet';

/** jsdom has no object URLs; the recovery step makes one for its download link. */
export function stubObjectUrls(): void {
  URL.createObjectURL = vi.fn(() => 'blob:kura-recovery');
  URL.revokeObjectURL = vi.fn();
}

/** Language → intro → the path chosen → consent ticked → the account step. */
export async function toAccountStep(user: UserEvent, path: 'create' | 'signin', options: { statistics?: boolean; support?: boolean } = {}): Promise<void> {
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  await user.click(screen.getByRole('button', { name: path === 'create' ? 'Create an account' : /I already have an account/ }));
  expect(screen.getByRole('heading', { level: 1, name: 'Your privacy' })).toBeTruthy();
  if (options.statistics) await user.click(screen.getByRole('checkbox', { name: 'Anonymous usage statistics' }));
  if (options.support) await user.click(screen.getByRole('checkbox', { name: 'Help with support requests' }));
  await user.click(screen.getByRole('checkbox', { name: 'I have read and agree to the privacy policy' }));
  await user.click(screen.getByRole('button', { name: 'Continue' }));
}

export async function fillCreate(user: UserEvent, email: string, passphrase: string, confirm = passphrase): Promise<void> {
  await user.type(screen.getByLabelText('Email address'), email);
  await user.type(screen.getByLabelText('Passphrase'), passphrase);
  await user.type(screen.getByLabelText('Type the passphrase again'), confirm);
}
