/**
 * The passphrase strength estimate (zxcvbn-ts). Its dictionaries weigh about a megabyte, so they
 * are imported only when the create-account step opens, never in the app's first bundle. The
 * factory gets no translations: its warnings and suggestions come back as plain keys
 * ("wordByItself"), which the screen looks up in the onboarding catalogue, in English or Japanese.
 */

export type Score = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  readonly score: Score;
  /** A zxcvbn warning key, if any. */
  readonly warning: string | undefined;
  /** zxcvbn suggestion keys. */
  readonly suggestions: readonly string[];
}

export type Estimator = (passphrase: string, userInputs: readonly string[]) => Strength;

/** The score a new passphrase needs ("Good"), and its minimum length in characters. */
export const MIN_SCORE: Score = 3;
export const MIN_LENGTH = 10;

let loading: Promise<Estimator> | undefined;

export function loadEstimator(): Promise<Estimator> {
  loading ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')])
    .then(([core, common, en]) => {
      const zxcvbn = new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...en.dictionary },
        graphs: common.adjacencyGraphs,
        useLevenshteinDistance: true,
      });
      return (passphrase: string, userInputs: readonly string[]): Strength => {
        const result = zxcvbn.check(passphrase, [...userInputs]);
        return { score: result.score, warning: result.feedback.warning ?? undefined, suggestions: result.feedback.suggestions };
      };
    })
    .catch((error: unknown) => {
      loading = undefined; // a failed chunk load (offline before the app was cached) may work later
      throw error;
    });
  return loading;
}

/** Characters as the user counts them (an emoji or a kanji is one). */
export function length(passphrase: string): number {
  return [...passphrase].length;
}
