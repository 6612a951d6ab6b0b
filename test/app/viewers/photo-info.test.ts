import { describe, expect, test } from 'vitest';
import { photoInfo } from '../../../src/app/components/viewers/photo-info.ts';

describe('photoInfo', () => {
  const taken = new Date(2024, 2, 12, 14, 5);

  test('date taken and camera', () => {
    expect(photoInfo({ DateTimeOriginal: taken, Make: 'Canon', Model: 'Canon EOS R6' })).toEqual({ taken: taken.getTime(), camera: 'Canon EOS R6' });
  });

  test('the make is added when the model does not start with it', () => {
    expect(photoInfo({ Make: 'Apple', Model: 'iPhone 15 Pro' })).toEqual({ camera: 'Apple iPhone 15 Pro' });
    expect(photoInfo({ Make: 'NIKON CORPORATION', Model: 'NIKON Z 6_2' })).toEqual({ camera: 'NIKON Z 6_2' });
    expect(photoInfo({ Make: ' SONY ', Model: 'ILCE-7M3\u0000 ' })?.camera).toBe('SONY ILCE-7M3');
  });

  test('nothing when the tags are absent or unusable', () => {
    expect(photoInfo(undefined)).toBeUndefined();
    expect(photoInfo({})).toBeUndefined();
    expect(photoInfo({ DateTimeOriginal: new Date(Number.NaN), Make: '  ' })).toBeUndefined();
    expect(photoInfo({ DateTimeOriginal: '2024:03:12 14:05:00' })).toBeUndefined();
  });
});
