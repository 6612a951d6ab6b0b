/** A picked File as `<input webkitdirectory>` gives it: with its relative path. */
export function pickedFile(path: string, data: Uint8Array<ArrayBuffer> | string, lastModified = 1_700_000_000_000): File {
  const file = new File([data], path.split('/').at(-1)!, { lastModified, type: path.endsWith('.txt') ? 'text/plain' : '' });
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}
