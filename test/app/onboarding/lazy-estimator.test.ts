/**
 * zxcvbn-ts and its dictionaries are imported only when the create-account step opens (they are
 * large; the first screens must not wait for them).
 */
import { cleanup, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test, vi } from 'vitest';
import Onboarding from '../../../src/app/screens/onboarding/Onboarding.svelte';
import { renderScreen } from '../render.ts';

const imported = vi.hoisted(() => ({ core: 0 }));
vi.mock('@zxcvbn-ts/core', async () => {
  imported.core++;
  return import('./zxcvbn-fake.ts');
});
vi.mock('@zxcvbn-ts/language-common', () => ({ dictionary: {}, adjacencyGraphs: {} }));
vi.mock('@zxcvbn-ts/language-en', () => ({ dictionary: {} }));

afterEach(cleanup);

test('the estimator is imported when the create step opens, not before', async () => {
  const user = userEvent.setup();
  renderScreen(Onboarding);
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  await user.click(screen.getByRole('button', { name: /I already have an account/ }));
  await user.click(screen.getByRole('checkbox', { name: 'I have read and agree to the privacy policy' }));
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Sign in on this device');
  expect(imported.core).toBe(0);
  await user.click(screen.getByRole('button', { name: 'Back' }));
  await user.click(screen.getByRole('button', { name: 'Back' }));
  await user.click(screen.getByRole('button', { name: 'Create an account' }));
  await waitFor(() => expect(imported.core).toBe(1));
});
