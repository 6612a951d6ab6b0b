/**
 * What the records hub tests share: a minimal `<dialog>` (jsdom has the element but not
 * showModal/close), fixture export files as File objects, and the hub rendered over a FakeApi with
 * stub views in place of the real ones, following the router as the Shell does.
 */
import { readFileSync } from 'node:fs';
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';
import type { Language } from '../../../../src/client/app-api.ts';
import type { RecordKind } from '../../../../src/core/records/kinds.ts';
import { FakeApi } from '../../fake-api.ts';
import { makeKura, renderScreen, type Rendered } from '../../render.ts';
import Harness from './Harness.svelte';

afterEach(() => cleanup());

const dialogProto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal: () => void; close: () => void };
if (typeof dialogProto.showModal !== 'function') {
  dialogProto.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  dialogProto.close = function (this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

/** A file of test/fixtures/records/ (e.g. 'contacts/google.vcf'), under its own name or another. */
export function fixture(path: string, name = path.split('/').pop()!, type = ''): File {
  return new File([readFileSync(`test/fixtures/records/${path}`)], name, { type });
}

export function renderHub(options: { api?: FakeApi; language?: Language; kind?: RecordKind } = {}): Rendered {
  const kura = makeKura(options.api ?? new FakeApi(), { language: options.language ?? 'en' });
  kura.router.go({ name: 'records', kind: options.kind ?? 'contacts' });
  return renderScreen(Harness, { kura });
}
