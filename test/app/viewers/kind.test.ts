import { describe, expect, test } from 'vitest';
import { blobType, extensionOf, fileName, folderOf, viewerKind } from '../../../src/app/components/viewers/kind.ts';

const kind = (path: string, type = '') => viewerKind({ path, type });

describe('viewerKind by media type', () => {
  test.each([
    ['image/jpeg', 'image'],
    ['image/png', 'image'],
    ['image/gif', 'image'],
    ['image/webp', 'image'],
    ['image/avif', 'image'],
    ['image/heic', 'image'],
    ['IMAGE/JPEG; foo=bar', 'image'],
    ['application/pdf', 'pdf'],
    ['text/plain', 'text'],
    ['text/csv', 'text'],
    ['text/markdown', 'text'],
    ['text/vcard', 'text'],
    ['text/html', 'text'],
    ['application/json', 'text'],
    ['application/ld+json', 'text'],
    ['application/xml', 'text'],
    ['audio/mpeg', 'audio'],
    ['audio/flac', 'audio'],
    ['video/mp4', 'video'],
    ['video/quicktime', 'video'],
    ['application/zip', 'other'],
    ['application/vnd.ms-excel', 'other'],
    ['image/tiff', 'other'],
  ] as const)('%s → %s', (type, expected) => {
    expect(kind('folder/file.bin', type)).toBe(expected);
  });

  test('SVG is shown as text, never drawn, whatever its name', () => {
    expect(kind('logo.svg', 'image/svg+xml')).toBe('text');
    expect(kind('logo.svg')).toBe('text');
  });

  test('the type wins over the extension when there is one', () => {
    expect(kind('photo.txt', 'image/png')).toBe('image');
    expect(kind('song.jpg', 'audio/mpeg')).toBe('audio');
  });
});

describe('viewerKind by extension when the type is empty or generic', () => {
  test.each([
    ['IMG_0001.JPG', 'image'],
    ['scan.jpeg', 'image'],
    ['a.png', 'image'],
    ['a.webp', 'image'],
    ['doc.pdf', 'pdf'],
    ['notes.txt', 'text'],
    ['data.json', 'text'],
    ['table.csv', 'text'],
    ['README.md', 'text'],
    ['server.log', 'text'],
    ['feed.xml', 'text'],
    ['song.mp3', 'audio'],
    ['voice.m4a', 'audio'],
    ['track.flac', 'audio'],
    ['clip.ogg', 'audio'],
    ['memo.opus', 'audio'],
    ['take.wav', 'audio'],
    ['movie.mp4', 'video'],
    ['movie.webm', 'video'],
    ['IMG_1234.MOV', 'video'],
    ['clip.m4v', 'video'],
    ['archive.zip', 'other'],
    ['Makefile', 'other'],
    ['.bashrc', 'other'],
  ] as const)('%s → %s', (path, expected) => {
    expect(kind(`a/b/${path}`)).toBe(expected);
    expect(kind(path, 'application/octet-stream')).toBe(expected);
  });
});

describe('blobType', () => {
  test('rendered kinds keep their type, or get one from the extension', () => {
    expect(blobType({ path: 'a.jpg', type: 'image/jpeg' })).toBe('image/jpeg');
    expect(blobType({ path: 'doc.pdf', type: '' })).toBe('application/pdf');
    expect(blobType({ path: 'clip.mov', type: '' })).toBe('video/quicktime');
  });

  test('text, HTML and SVG become text/plain, anything else bytes, so no object URL can run', () => {
    expect(blobType({ path: 'page.html', type: 'text/html' })).toBe('text/plain');
    expect(blobType({ path: 'logo.svg', type: 'image/svg+xml' })).toBe('text/plain');
    expect(blobType({ path: 'x.xhtml', type: 'application/xhtml+xml' })).toBe('text/plain');
    expect(blobType({ path: 'a.zip', type: 'application/zip' })).toBe('application/octet-stream');
  });
});

describe('path parts', () => {
  test('name, folder and extension', () => {
    expect(fileName('Photos/2024/IMG_1.JPG')).toBe('IMG_1.JPG');
    expect(folderOf('Photos/2024/IMG_1.JPG')).toBe('Photos/2024');
    expect(folderOf('top.txt')).toBe('');
    expect(extensionOf('Photos/archive.tar.GZ')).toBe('gz');
    expect(extensionOf('dir.d/noext')).toBe('');
  });
});
