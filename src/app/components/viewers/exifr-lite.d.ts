// exifr ships types for its main entry only; the lite build (JPEG, HEIC, TIFF; EXIF, GPS) has the
// same API in about half the size, and it is all the viewer needs.
declare module 'exifr/dist/lite.esm.mjs' {
  import exifr from 'exifr';
  export default exifr;
}
