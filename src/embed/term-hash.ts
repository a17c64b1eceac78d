/**
 * Two independent 32-bit hash lanes over UTF-16 code units, extended one
 * character at a time. The offline embedder walks Chinese text character by
 * character and looks each growing substring up in the dictionary by both
 * lanes (64 bits, so a false dictionary match is practically impossible)
 * without ever building a substring.
 */

/** Lane seeds: hash the first code unit with `lane1(SEED1, c)` / `lane2(SEED2, c)`. */
export const SEED1 = 0x811c9dc5;
export const SEED2 = 0x3c6ef372;

/** FNV-1a step. */
export function lane1(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Murmur-style multiply-xorshift step, independent of lane 1. */
export function lane2(h: number, c: number): number {
  const x = Math.imul(h ^ c, 0x5bd1e995);
  return x ^ (x >>> 15);
}

/** murmur3's finaliser: every input bit flips each output bit with probability ~1/2. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Both lanes over `s[start, end)`, skipping code units for which `skip` is true. */
export function hashRange(s: string, start = 0, end = s.length, skip?: (c: number) => boolean): [number, number] {
  let h1 = SEED1;
  let h2 = SEED2;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (skip?.(c)) continue;
    h1 = lane1(h1, c);
    h2 = lane2(h2, c);
  }
  return [h1, h2];
}
