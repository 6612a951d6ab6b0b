/**
 * An inquiry as the form holds it, checked before it is sent: a message (not empty, not over the
 * limit, counted in characters as people see them) and at most a few small attachments. The
 * server enforces the same limits; the form says them first.
 */
export const MESSAGE_MAX = 2000;
export const ATTACHMENTS_MAX = 3;
export const ATTACHMENT_BYTES_MAX = 2_000_000;

export type InquiryProblem =
  | { readonly kind: 'message-empty' }
  | { readonly kind: 'message-too-long'; readonly over: number }
  | { readonly kind: 'too-many-files'; readonly count: number }
  | { readonly kind: 'file-too-large'; readonly name: string };

export function messageLength(message: string): number {
  return [...message.trim()].length;
}

export function checkMessage(message: string): InquiryProblem | undefined {
  const length = messageLength(message);
  if (length === 0) return { kind: 'message-empty' };
  if (length > MESSAGE_MAX) return { kind: 'message-too-long', over: length - MESSAGE_MAX };
  return undefined;
}

export function checkAttachments(files: readonly Pick<File, 'name' | 'size'>[]): InquiryProblem[] {
  const problems: InquiryProblem[] = [];
  if (files.length > ATTACHMENTS_MAX) problems.push({ kind: 'too-many-files', count: files.length });
  for (const file of files) if (file.size > ATTACHMENT_BYTES_MAX) problems.push({ kind: 'file-too-large', name: file.name });
  return problems;
}
