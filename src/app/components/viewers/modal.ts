/**
 * A `<dialog>` opened as a modal while it is mounted (`<dialog {@attach modal}>`): showModal()
 * puts it in the top layer, makes the page behind inert and moves focus in; on unmount it closes
 * and focus goes back to what had it before. The parent decides when the dialog exists, so
 * closing is always the parent's `onclose`, never the dialog closing itself.
 *
 * jsdom (the component tests) has no showModal: the dialog is then simply `open`.
 */
export function modal(dialog: HTMLDialogElement): () => void {
  const before = dialog.ownerDocument.activeElement;
  if (typeof dialog.showModal === 'function') {
    if (!dialog.open) dialog.showModal();
  } else {
    dialog.setAttribute('open', '');
  }
  return () => {
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
    if (before instanceof HTMLElement && before.isConnected) before.focus();
  };
}
