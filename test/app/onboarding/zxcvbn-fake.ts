/**
 * A stand-in for @zxcvbn-ts/core in component tests (the real one loads megabytes of
 * dictionaries): a passphrase of four or more words is "Strong", 16+ characters "Good", anything
 * with "password" in it is a common password, the rest is "Weak" with a suggestion.
 */
import type { ZxcvbnResult } from '@zxcvbn-ts/core';

export class ZxcvbnFactory {
  check(password: string): Pick<ZxcvbnResult, 'score' | 'feedback'> {
    if (/password/i.test(password)) return { score: 0, feedback: { warning: 'common', suggestions: ['anotherWord'] } };
    if (password.trim().split(/\s+/).length >= 4) return { score: 4, feedback: { warning: null, suggestions: [] } };
    if (password.length >= 16) return { score: 3, feedback: { warning: null, suggestions: [] } };
    return { score: 1, feedback: { warning: null, suggestions: ['useWords'] } };
  }
}
