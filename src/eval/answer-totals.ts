/**
 * Answer-level totals of one mode: how many scored answers were right, overall,
 * per `kind` and per dialogue turn. Pure, over the per-question verdicts, so
 * the report, the JSON and `--compare` read the same numbers.
 */

/** What the totals read of one question's result. */
export interface AnswerOutcome {
  readonly answerable: boolean;
  readonly found: boolean;
  readonly kind?: string;
  readonly turn?: number;
  /** Set when the app completed the question from the previous turn. */
  readonly followUp?: boolean;
  /** Null when the question has no gold strings (not scored at answer level). */
  readonly verdict: { readonly correct: boolean } | null;
}

/** Right answers out of scored ones; `accuracy` is null when none was scored. */
export interface Tally {
  readonly scored: number;
  readonly correct: number;
  readonly accuracy: number | null;
}

export interface AnswerTotals {
  /** Answer accuracy over the answerable questions with gold strings. */
  readonly answerable: Tally;
  /** Answerable questions with gold strings answered 'not found'. */
  readonly falseRefusals: number;
  /** Unanswerable questions answered 'not found' or with the right-year caveat. */
  readonly unanswerable: Tally;
  /** Every scored question (answerable with gold, and unanswerable) per `kind`; unlabelled ones under `-`. */
  readonly byKind: Readonly<Record<string, Tally>>;
  /** Scored dialogue turns: the first turn of each dialogue apart from the follow-ups. */
  readonly byTurn: { readonly first: Tally; readonly followUps: Tally };
  /** Questions outside dialogues (scored or not) that the follow-up logic completed from the question before: should be 0. */
  readonly singlesAltered: number;
}

/** Label of questions without a `kind`. */
export const NO_KIND = '-';

export function answerTotals(results: readonly AnswerOutcome[]): AnswerTotals {
  const scored = results.filter((r) => r.verdict !== null);
  const answerable = scored.filter((r) => r.answerable);
  const kinds = [...new Set(scored.map(kindOf))].sort();
  return {
    answerable: tally(answerable),
    falseRefusals: answerable.filter((r) => !r.found).length,
    unanswerable: tally(scored.filter((r) => !r.answerable)),
    byKind: Object.fromEntries(kinds.map((kind) => [kind, tally(scored.filter((r) => kindOf(r) === kind))])),
    byTurn: {
      first: tally(scored.filter((r) => r.turn === 1)),
      followUps: tally(scored.filter((r) => r.turn !== undefined && r.turn > 1)),
    },
    singlesAltered: results.filter(isAlteredSingle).length,
  };
}

/** A question outside any dialogue that was nevertheless completed as a follow-up. */
export function isAlteredSingle(r: AnswerOutcome): boolean {
  return r.turn === undefined && r.followUp === true;
}

function kindOf(r: AnswerOutcome): string {
  return r.kind ?? NO_KIND;
}

function tally(rs: readonly AnswerOutcome[]): Tally {
  const correct = rs.filter((r) => r.verdict?.correct === true).length;
  return { scored: rs.length, correct, accuracy: rs.length === 0 ? null : correct / rs.length };
}
