/**
 * The hashing trick: a bag of weighted terms becomes a fixed-length vector
 * without a vocabulary, so a vector depends on its own text only. Each term
 * adds (1 + ln tf) × weight at one hash-chosen slot with a hash-chosen sign,
 * so terms that collide cancel out on average instead of inflating each
 * other's similarity.
 *
 * The last slot holds no term: it carries `padding`, a constant that
 * documents get and queries do not. After normalisation a document's term
 * part is scaled by |d| / sqrt(|d|² + padding²), so a one-line heading that
 * shares a single word with the question no longer outranks the paragraph
 * that answers it (pivoted length normalisation, as in BM25), while the
 * query–document score stays a plain inner product.
 */
import type { TermBag } from './term-bag.js';
import { mix32 } from './term-hash.js';
import { l2Normalize } from './vector-math.js';

/**
 * A unit vector of `dimensions` numbers (all zero when the bag is empty and
 * padding is 0). A non-zero `salt` re-deals the slots: averaging scores over
 * salts separates the effect of collisions from that of the features.
 */
export function hashTerms(bag: TermBag, dimensions: number, padding = 0, salt = 0): Float32Array {
  const vector = new Float32Array(dimensions);
  const slots = dimensions - 1;
  bag.forEach((term, count, weight) => {
    const id = salt === 0 ? term : mix32(term ^ salt);
    const value = (1 + Math.log(count)) * weight;
    const slot = (id & 0x7fffffff) % slots;
    vector[slot] = (vector[slot] ?? 0) + (id < 0 ? -value : value);
  });
  vector[slots] = padding;
  return l2Normalize(vector);
}
