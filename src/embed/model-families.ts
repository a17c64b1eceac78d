/**
 * How known embedding-model families turn token vectors into one text vector,
 * and what they expect in front of queries and passages. A model's id picks
 * its family; unknown models get mean pooling without prefixes, the most
 * common convention for sentence-embedding exports. All vectors are then
 * L2-normalised (the vector index compares by inner product).
 */
export type Pooling = 'cls' | 'mean';

export interface ModelFamily {
  readonly name: string;
  readonly pooling: Pooling;
  /** Prepended to queries (retrieval instruction). */
  readonly queryPrefix: string;
  /** Prepended to passages. */
  readonly passagePrefix: string;
}

const FAMILIES: ReadonlyArray<{ readonly match: RegExp; readonly family: ModelFamily }> = [
  // BGE-M3 is trained without an instruction.
  { match: /bge-m3/i, family: { name: 'bge-m3', pooling: 'cls', queryPrefix: '', passagePrefix: '' } },
  // BGE v1.5 Chinese models: CLS pooling, the Chinese instruction for short queries only.
  {
    match: /bge-.*zh|bge-zh/i,
    family: { name: 'bge-zh', pooling: 'cls', queryPrefix: '为这个句子生成表示以用于检索相关文章：', passagePrefix: '' },
  },
  {
    match: /bge-/i,
    family: { name: 'bge-en', pooling: 'cls', queryPrefix: 'Represent this sentence for searching relevant passages: ', passagePrefix: '' },
  },
  // E5 (incl. multilingual-e5): mean pooling, "query: " / "passage: " on every input.
  { match: /(^|[/_-])e5([_-]|$)/i, family: { name: 'e5', pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ' } },
];

export const DEFAULT_MODEL_FAMILY: ModelFamily = { name: 'default', pooling: 'mean', queryPrefix: '', passagePrefix: '' };

/** The family of a model id such as `Xenova/bge-small-zh-v1.5`. */
export function modelFamily(model: string): ModelFamily {
  return FAMILIES.find((f) => f.match.test(model))?.family ?? DEFAULT_MODEL_FAMILY;
}
