/** An email address as typed: trimmed, and whether it can be one (the server checks for real). */
export function checkEmail(raw: string): { email: string; valid: boolean } {
  const email = raw.trim();
  return { email, valid: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 };
}

/** A confirmation code as typed: spaces and dashes people add are dropped. */
export function cleanCode(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}
