/**
 * A stand-in for neural sentence embeddings: unit vectors around random topic
 * centres with Gaussian noise (cosine to the centre ≈ 0.7), so near neighbours
 * exist as they do among real passages. Deterministic for a seed.
 */
import { normalize, seededRandom } from '../test/helpers/random-vectors.js';

export interface ClusteredVectorOptions {
  readonly count: number;
  readonly queries: number;
  /** Default 512 (bge-small-zh's width). */
  readonly dimensions?: number;
  /** Default 2,000. */
  readonly centres?: number;
  /** Default 11. */
  readonly seed?: number;
}

/** `count` base vectors and `queries` held-out query vectors drawn from the same clusters. */
export function clusteredVectors(opts: ClusteredVectorOptions): { base: Float32Array[]; queries: Float32Array[] } {
  const dimensions = opts.dimensions ?? 512;
  const rand = seededRandom(opts.seed ?? 11);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: opts.centres ?? 2000 }, () => normalize(Float32Array.from({ length: dimensions }, gauss)));
  // 0.045 per component at 512 dimensions: noise of norm ≈ 1 around a unit centre, cosine ≈ 0.7.
  const sigma = 0.045 * Math.sqrt(512 / dimensions);
  const sample = (): Float32Array => {
    const c = centres[Math.floor(rand() * centres.length)] as Float32Array;
    return normalize(c.map((x) => x + gauss() * sigma));
  };
  return { base: Array.from({ length: opts.count }, sample), queries: Array.from({ length: opts.queries }, sample) };
}
