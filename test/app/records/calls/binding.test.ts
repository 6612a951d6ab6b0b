import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test } from 'vitest';
import Calls from '../../../../src/app/screens/records/calls/Calls.svelte';
import { parseCallLog } from '../../../../src/core/records/index.ts';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import Bound from '../calendar/Bound.svelte';

afterEach(() => cleanup());

test('Calls: a parent’s `selected` shows as picked, and picks reach the parent', async () => {
  const user = userEvent.setup();
  const calls = parseCallLog(readFileSync(join(__dirname, '../../../fixtures/records/calls/english.csv'))).records;
  const api = new FakeApi();
  api.recordsFake.seed('calls', calls);
  renderScreen(Bound, { api, props: { view: Calls, initial: [calls[0]!.uid], timeZone: 'UTC' } });
  expect(await screen.findByText('1 call selected')).toBeTruthy();
  expect(screen.getByRole('checkbox', { name: /^Select the call with Hanako Yamada/ })).toHaveProperty('checked', true);
  await user.click(screen.getByRole('button', { name: 'Select all shown' }));
  expect(screen.getByTestId('bound').textContent!.split('|').sort()).toEqual(calls.map((c) => c.uid).sort());
  await user.click(screen.getByRole('button', { name: 'Clear selection' }));
  expect(screen.getByTestId('bound').textContent).toBe('');
});
