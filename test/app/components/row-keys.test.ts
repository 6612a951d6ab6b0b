import { afterEach, expect, test } from 'vitest';
import { rowMove, rowOf } from '../../../src/app/components/row-keys.ts';

afterEach(() => document.body.replaceChildren());

/** A list of two rows, each with a button; returns the second row's button. */
function list(): HTMLButtonElement {
  document.body.innerHTML = '<ul><li data-row="0"><button>a</button></li><li data-row="1"><button>b</button></li></ul><button id="outside">c</button>';
  return document.querySelector<HTMLButtonElement>('[data-row="1"] button')!;
}

function press(target: HTMLElement, key: string, init: KeyboardEventInit = {}): { move: ReturnType<typeof rowMove>; prevented: boolean } {
  let result: { move: ReturnType<typeof rowMove>; prevented: boolean } | undefined;
  target.addEventListener('keydown', (event) => (result = { move: rowMove(event), prevented: event.defaultPrevented }), { once: true });
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  return result!;
}

test('a focus or key event names the row it happened in', () => {
  expect.assertions(2);
  const button = list();
  button.addEventListener('focusin', (event) => expect(rowOf(event)).toBe(1), { once: true });
  button.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
  document.getElementById('outside')!.addEventListener('focusin', (event) => expect(rowOf(event)).toBeUndefined(), { once: true });
  document.getElementById('outside')!.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
});

test('arrows move one row, pages eight, Home and End to either end, and the page does not scroll', () => {
  const button = list();
  expect(press(button, 'ArrowUp')).toEqual({ move: { from: 1, step: -1 }, prevented: true });
  expect(press(button, 'ArrowDown').move).toEqual({ from: 1, step: 1 });
  expect(press(button, 'PageUp').move).toEqual({ from: 1, step: -8 });
  expect(press(button, 'PageDown').move).toEqual({ from: 1, step: 8 });
  expect(press(button, 'Home').move).toEqual({ from: 1, step: -Infinity });
  expect(press(button, 'End').move).toEqual({ from: 1, step: Infinity });
});

test('other keys, modified keys and keys outside a row are left to the browser', () => {
  const button = list();
  expect(press(button, 'Enter')).toEqual({ move: undefined, prevented: false });
  expect(press(button, 'ArrowDown', { altKey: true })).toEqual({ move: undefined, prevented: false });
  expect(press(button, 'ArrowDown', { ctrlKey: true })).toEqual({ move: undefined, prevented: false });
  expect(press(button, 'ArrowDown', { metaKey: true })).toEqual({ move: undefined, prevented: false });
  expect(press(document.getElementById('outside')!, 'ArrowDown')).toEqual({ move: undefined, prevented: false });
});
