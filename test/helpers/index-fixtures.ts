/**
 * Hand-made index snapshots for unit tests of the store and the retriever: no
 * ingest, no jieba. Each paragraph becomes one chunk, embedded by the given
 * (fake) embedder and indexed under a character tokenizer.
 */
import { createKeywordIndex, HNSW_VECTORS } from '../../src/index/index-factory.js';
import { INDEX_FORMAT_VERSION, newBuildId, type IndexSnapshot } from '../../src/index/index-store.js';
import type { VectorIndexKind } from '../../src/index/vector-index.js';
import type { Embedder, IndexedChunk, Report, Tokenizer, UserWordTokenizer } from '../../src/types.js';

const charTokens = (text: string): string[] => text.toLowerCase().match(/[\p{Script=Han}]|[a-z0-9.]+/gu) ?? [];

/** Han characters and ASCII words as terms: enough for BM25 tests without jieba. User words only change its id. */
export const charTokenizer: UserWordTokenizer = {
  id: 'test:chars-v1',
  tokenize: charTokens,
  withWords: (words): Tokenizer => ({ id: words.length === 0 ? 'test:chars-v1' : `test:chars-v1+${words.join(',')}`, tokenize: charTokens }),
};

/** A report whose paragraphs are the given texts. */
export function makeReport(source: string, texts: readonly string[], title = source): Report {
  return {
    source,
    title,
    hash: `hash-of-${source}-${texts.join('|').length}`,
    paragraphs: texts.map((text, i) => ({ paragraph: i + 1, text, kind: 'text' as const, section: [] })),
  };
}

export async function makeSnapshot(
  reports: readonly Report[],
  embedder: Embedder,
  base: UserWordTokenizer = charTokenizer,
  vectorKind: VectorIndexKind = HNSW_VECTORS,
): Promise<IndexSnapshot> {
  const userWords = ['测试词'];
  const tokenizer = base.withWords(userWords);
  const chunks = new Map<number, IndexedChunk>();
  for (const r of reports) {
    for (const p of r.paragraphs) {
      const chunkId = chunks.size;
      chunks.set(chunkId, { chunkId, source: r.source, paragraph: p.paragraph, start: 0, end: p.text.length, text: p.text, section: p.section });
    }
  }
  const list = [...chunks.values()];
  const vectorList = await embedder.embedDocuments(list.map((c) => c.text));
  const vectors = vectorKind.create(embedder.dimensions);
  await vectors.add(list.map((c) => c.chunkId), vectorList);
  const keyword = createKeywordIndex(tokenizer);
  await keyword.add(list.map((c) => ({ chunkId: c.chunkId, text: c.text })));
  const { kind, params } = vectors.describe();
  return {
    manifest: {
      formatVersion: INDEX_FORMAT_VERSION,
      buildId: newBuildId(),
      builtAt: new Date().toISOString(),
      embedder: { id: embedder.id, dimensions: embedder.dimensions },
      tokenizer: tokenizer.id,
      vectorIndex: { kind, params },
      chunking: '{}',
      counts: { reports: reports.length, paragraphs: list.length, chunks: list.length },
      reports: reports.map((r) => ({ source: r.source, title: r.title, hash: r.hash, paragraphs: r.paragraphs.length, chunks: r.paragraphs.length })),
      nextChunkId: chunks.size,
      files: {},
    },
    reports: new Map(reports.map((r) => [r.source, r])),
    chunks,
    vectors,
    keyword,
    userWords,
    reportWords: new Map(reports.map((r, i) => [r.source, { sure: i === 0 ? ['测试词'] : [], unsure: {} }])),
  };
}
