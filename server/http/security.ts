/**
 * Security headers on every response (DESIGN.md section 7): a strict CSP without inline script
 * ('wasm-unsafe-eval' for the Argon2id WebAssembly, blob: frames for decrypted PDFs), nosniff, no
 * framing of Kura itself, an isolated browsing context, no referrer; API responses are never cached.
 */
import type { MiddlewareHandler } from 'hono';
import { API_PREFIX } from '../../src/core/protocol.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  // Svelte sets style attributes for transitions; no inline <style> or script is ever needed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  // Only the PDF viewer's frame, showing a document decrypted in the page; nothing from elsewhere.
  'frame-src blob:',
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const h = c.res.headers;
  h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('X-Frame-Options', 'DENY');
  h.set('Referrer-Policy', 'no-referrer');
  h.set('Cross-Origin-Opener-Policy', 'same-origin');
  h.set('Cross-Origin-Resource-Policy', 'same-origin');
  h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (c.req.path.startsWith(API_PREFIX)) h.set('Cache-Control', 'no-store');
};
