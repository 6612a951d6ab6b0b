import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import App from '../../src/app/App.svelte';

describe('App entry', () => {
  afterEach(() => vi.unstubAllGlobals());

  test('mounts and names the product', () => {
    render(App);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Kura');
  });

  test('follows a Japanese browser language', () => {
    vi.stubGlobal('navigator', { ...navigator, language: 'ja-JP' });
    const { container } = render(App);
    expect(container.querySelector('main')?.getAttribute('lang')).toBe('ja');
    expect(container.textContent).toContain('蔵');
    expect(container.textContent).toMatch(/暗号化/);
  });
});
