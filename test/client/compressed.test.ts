import { expect, test } from 'vitest';
import { isAlreadyCompressed } from '../../src/client/restore/compressed.ts';

test.each<[string, string, boolean]>([
  ['DCIM/IMG_0001.JPG', '', true],
  ['clip.MOV', '', true],
  ['song.flac', '', true],
  ['backup.tar.gz', '', true],
  ['report.pdf', '', true],
  ['no-extension', 'image/heic', true],
  ['no-extension', 'video/mp4; codecs="avc1"', true],
  ['scan.bmp', 'image/bmp', false],
  ['voice.wav', 'audio/wav', false],
  ['logo.svg', 'image/svg+xml', false],
  ['src/main.ts', 'video/mp2t', true], // the type wins where the extension says nothing
  ['src/main.ts', '', false], // TypeScript, not MPEG-TS: deflated
  ['notes.txt', 'text/plain', false],
  ['.jpg', '', false], // a hidden file named ".jpg" has no extension
])('%s (%s) stored as is: %s', (path, type, stored) => {
  expect(isAlreadyCompressed({ path, type })).toBe(stored);
});
