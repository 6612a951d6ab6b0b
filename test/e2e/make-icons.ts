/**
 * Draws the PNG app icons in public/ from public/icon.svg with the same Chromium as the e2e tests.
 * Run it again only when the design changes, and commit the PNGs:
 *
 *     npx tsx test/e2e/make-icons.ts
 *
 * - icon-192.png, icon-512.png (purpose any): the SVG as it is, corners transparent.
 * - icon-maskable-512.png: full-bleed accent with the glyph scaled to 75 %, so it stays well inside
 *   the maskable safe zone (a centred circle of radius 40 % of the size) whatever shape the OS cuts.
 * - apple-touch-icon.png (180): full-bleed, since iOS fills transparency with black and rounds the
 *   corners itself.
 * Each SVG unit (the viewBox is 64) is drawn as a whole number of pixels: at fractional sizes the
 * door's edge, drawn over the house, leaves a faint seam.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { launchChromium } from './harness.ts';

const BACKGROUND = '#2b3a55';
const svg = readFileSync('public/icon.svg', 'utf8');
const source = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

const icons = [
  { file: 'icon-192.png', size: 192, drawn: 192, bleed: false },
  { file: 'icon-512.png', size: 512, drawn: 512, bleed: false },
  { file: 'icon-maskable-512.png', size: 512, drawn: 384, bleed: true },
  { file: 'apple-touch-icon.png', size: 180, drawn: 160, bleed: true },
];

const browser = await launchChromium();
try {
  for (const { file, size, drawn, bleed } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const offset = (size - drawn) / 2;
    await page.setContent(
      `<body style="margin:0;width:${size}px;height:${size}px;background:${bleed ? BACKGROUND : 'transparent'}">` +
        `<img src="${source}" width="${drawn}" height="${drawn}" style="position:absolute;left:${offset}px;top:${offset}px"></body>`,
    );
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    writeFileSync(`public/${file}`, await page.screenshot({ omitBackground: !bleed, clip: { x: 0, y: 0, width: size, height: size } }));
    await page.close();
    console.log(`public/${file}`);
  }
} finally {
  await browser.close();
}
