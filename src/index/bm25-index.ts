import fs from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { describeIssue } from '../schema.js';
import type { ChunkFilter, Hit, Tokenizer } from '../types.js';
import { writeJsonDurable, type Digest } from './durable-fs.js';
import type { KeywordDoc, KeywordIndex } from './keyword-index.js';

export interface Bm25Options {
  /** Term-frequency saturation (default 0.9). */
  readonly k1: number;
  /** Document-length normalisation, 0 (none) to 1 (full) (default 0.4). */
  readonly b: number;
}

/**
 * Measured on the seed questions with the gov-reports corpus as distractors (300-character
 * chunks headed by the report title): k1 0.9 and b 0.3–0.5 gave the best hit@1; Lucene's
 * 1.2/0.75 lost about 2 points. Chunks share a long title header, so strong length
 * normalisation over-rewards short chunks (headings) that match only the place name.
 */
export const DEFAULT_BM25_OPTIONS: Readonly<Bm25Options> = { k1: 0.9, b: 0.4 };

/** Bump when the serialised layout changes; older files are then refused with INDEX_INCOMPATIBLE. */
export const BM25_FORMAT_VERSION = 2;

/**
 * The saved index: postings only, no raw text. Numbers are unsigned LEB128 varints in
 * base64 strings, which keeps 100k chunks to a few tens of MB of JSON.
 */
export interface SerializedBm25 {
  readonly formatVersion: number;
  /** `Tokenizer.id` of the tokenizer that built it; loading with another one is refused. */
  readonly tokenizer: string;
  readonly k1: number;
  readonly b: number;
  readonly docCount: number;
  /** Chunk ids in ascending order, delta-encoded; a chunk's position in this list is its slot. */
  readonly chunkIds: string;
  /** Token count of each slot. */
  readonly lengths: string;
  /** Every term, sorted. */
  readonly terms: readonly string[];
  /**
   * For each term in `terms` order: its document frequency, then per document
   * `2·(slot delta) + (tf > 1 ? 1 : 0)`, followed by `tf − 2` when tf > 1 (most tf are 1).
   */
  readonly postings: string;
}

/** Documents containing a term: parallel lists of slots (ascending) and term frequencies. */
interface Posting {
  readonly slots: ArrayLike<number>;
  readonly tfs: ArrayLike<number>;
}

interface QueryTerm {
  readonly term: string;
  readonly idf: number;
  readonly posting: Posting;
}

/**
 * The open postings are sealed into the table once they hold this many postings, or half
 * as many as the table, whichever is more: adding n documents then costs O(n) overall.
 */
const MIN_SEAL = 1 << 16;

/** Open postings per block: (term id, slot, tf) triples, 768 KB a block. */
const OPEN_BLOCK = 1 << 16;

/**
 * Okapi BM25 over a `Tokenizer`'s terms, kept in memory as postings lists.
 *
 * score(d, q) = Σ over distinct query terms t in d of
 *   idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d|/avgdl)),  idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5))
 *
 * Results depend only on the set of documents, not on the order they were added or removed
 * in: equal scores are ranked by ascending chunk id.
 *
 * Postings live in one table of typed arrays (term t's documents are
 * `slots[start[t]] … slots[start[t+1] − 1]`), about 8 bytes per posting: a quarter of what
 * per-term JavaScript arrays take, and cheap to copy (`clone`), filter (`remove`) and load.
 * Newly added documents go to small open lists first and are sealed into the table in bulk.
 *
 * @example
 * const index = new Bm25Index(new JiebaTokenizer());
 * await index.add([{ chunkId: 0, text: '全年实现地区生产总值108.1亿元' }]);
 * await index.search('地区生产总值是多少', 5); // [{ chunkId: 0, score: <BM25 score>, rank: 1 }]
 */
export class Bm25Index implements KeywordIndex {
  readonly #tokenizer: Tokenizer;
  readonly #k1: number;
  readonly #b: number;
  /** Per slot: chunk id and token count. Slots are dense; `remove` renumbers them. */
  #chunkIds: number[] = [];
  #lengths: number[] = [];
  #slotOf = new Map<number, number>();
  #totalLength = 0;
  /** The sealed table: term id → term, term → id, and each term's range in `#slots`/`#tfs`. */
  #terms: string[] = [];
  #termIds = new Map<string, number>();
  #start: Int32Array = new Int32Array(1);
  #slots: Int32Array = new Int32Array(0);
  #tfs: Int32Array = new Int32Array(0);
  /**
   * Postings added since the last seal, as (term id, slot, tf) triples in fixed blocks:
   * 12 bytes a posting, where per-term JavaScript arrays took several times that (they
   * were most of a 100k-chunk build's peak memory). Term ids of terms the table does not
   * have yet continue after its last id (`#newTerms`).
   */
  #openBlocks: Int32Array[] = [];
  #openCount = 0;
  #newTerms: string[] = [];
  #newTermIds = new Map<string, number>();
  /** Caches for `search`, dropped whenever documents are added or removed. */
  #norms: Float64Array | undefined;
  #scores: Float64Array | undefined;

  constructor(tokenizer: Tokenizer, opts: Partial<Bm25Options> = {}) {
    const { k1, b } = { ...DEFAULT_BM25_OPTIONS, ...opts };
    if (!(Number.isFinite(k1) && k1 >= 0) || !(Number.isFinite(b) && b >= 0 && b <= 1)) {
      throw new AppError('CONFIG_INVALID', `BM25 options k1=${k1}, b=${b} are out of range: use k1 >= 0 and 0 <= b <= 1`);
    }
    this.#tokenizer = tokenizer;
    this.#k1 = k1;
    this.#b = b;
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.#chunkIds.length;
  }

  /**
   * Indexes more documents. Throws `INPUT_INVALID` (and adds nothing) when a chunk id is not
   * a non-negative integer or is already indexed: `remove` it first to replace it.
   */
  async add(docs: readonly KeywordDoc[]): Promise<void> {
    const seen = new Set<number>();
    for (const { chunkId } of docs) {
      if (!Number.isSafeInteger(chunkId) || chunkId < 0) {
        throw new AppError('INPUT_INVALID', `Chunk id ${chunkId} is not a non-negative integer; BM25 documents need integer chunk ids`);
      }
      if (this.#slotOf.has(chunkId) || seen.has(chunkId)) {
        throw new AppError('INPUT_INVALID', `Chunk id ${chunkId} is already in the BM25 index; remove it before adding it again`);
      }
      seen.add(chunkId);
    }
    for (const { chunkId, text } of docs) {
      const tokens = this.#tokenizer.tokenize(text);
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      const slot = this.#chunkIds.length;
      this.#chunkIds.push(chunkId);
      this.#lengths.push(tokens.length);
      this.#slotOf.set(chunkId, slot);
      this.#totalLength += tokens.length;
      for (const [term, tf] of counts) this.#addOpen(this.#openTermId(term), slot, tf);
    }
    this.#norms = undefined;
    if (this.#openCount >= Math.max(MIN_SEAL, this.#slots.length / 2)) this.#seal();
  }

  /** Drops documents (unknown ids are ignored), in one pass over the postings table. */
  async remove(chunkIds: Iterable<number>): Promise<void> {
    const dropped = new Set<number>();
    for (const id of chunkIds) {
      const slot = this.#slotOf.get(id);
      if (slot !== undefined) dropped.add(slot);
    }
    if (dropped.size === 0) return;
    this.#seal();
    this.#norms = undefined;
    const newSlot = new Int32Array(this.#chunkIds.length).fill(-1);
    const keptIds: number[] = [];
    const keptLengths: number[] = [];
    this.#slotOf = new Map();
    this.#totalLength = 0;
    this.#chunkIds.forEach((chunkId, slot) => {
      if (dropped.has(slot)) return;
      const length = this.#lengths[slot] ?? 0;
      newSlot[slot] = keptIds.length;
      this.#slotOf.set(chunkId, keptIds.length);
      keptIds.push(chunkId);
      keptLengths.push(length);
      this.#totalLength += length;
    });
    this.#chunkIds = keptIds;
    this.#lengths = keptLengths;
    // Filter the table in place (writes never overtake reads). Terms left empty keep their
    // (empty) range until they are a noticeable share, so most removals keep the term map.
    const slots = this.#slots;
    const tfs = this.#tfs;
    const old = this.#start;
    const start = new Int32Array(old.length);
    let write = 0;
    let empty = 0;
    for (let t = 0; t < this.#terms.length; t++) {
      const end = old[t + 1]!;
      for (let i = old[t]!; i < end; i++) {
        const renumbered = newSlot[slots[i]!]!;
        if (renumbered < 0) continue;
        slots[write] = renumbered;
        tfs[write] = tfs[i]!;
        write++;
      }
      start[t + 1] = write;
      if (write === start[t]) empty++;
    }
    if (empty > this.#terms.length / 8) this.#dropEmptyTerms(start, slots.slice(0, write), tfs.slice(0, write));
    else {
      this.#start = start;
      this.#slots = slots.slice(0, write);
      this.#tfs = tfs.slice(0, write);
    }
  }

  /** Installs the table without its empty terms. */
  #dropEmptyTerms(start: Int32Array, slots: Int32Array, tfs: Int32Array): void {
    const terms: string[] = [];
    const starts: number[] = [0];
    this.#terms.forEach((term, t) => {
      if (start[t + 1] === start[t]) return;
      terms.push(term);
      starts.push(start[t + 1] ?? 0);
    });
    this.#setTable(terms, Int32Array.from(starts), slots, tfs);
  }

  /**
   * An independent copy: changing one never changes the other. With `tokenizer`, the copy
   * tokenizes later documents and queries with it; its entries stay as they are, so the
   * caller re-adds those whose tokens differ under it.
   */
  async fork(tokenizer: Tokenizer = this.#tokenizer): Promise<Bm25Index> {
    this.#seal();
    const copy = new Bm25Index(tokenizer, { k1: this.#k1, b: this.#b });
    copy.#chunkIds = [...this.#chunkIds];
    copy.#lengths = [...this.#lengths];
    copy.#slotOf = new Map(this.#slotOf);
    copy.#totalLength = this.#totalLength;
    copy.#terms = this.#terms;
    copy.#termIds = this.#termIds; // never mutated: seal and remove replace them
    copy.#start = this.#start;
    copy.#slots = this.#slots.slice();
    copy.#tfs = this.#tfs.slice();
    return copy;
  }

  /**
   * The `k` best documents for `query` by BM25 score, best first (`rank` is 1-based).
   * Returns `[]` when no query term occurs in the index or `k` < 1.
   */
  async search(query: string, k: number, filter?: ChunkFilter): Promise<Hit[]> {
    const terms = this.#queryTerms(query);
    if (terms.length === 0 || !(k >= 1)) return [];
    const norms = this.#lengthNorms();
    const scores = this.#scoreBuffer(norms.length);
    const saturation = this.#k1 + 1;
    for (const { idf, posting } of terms) {
      const weight = idf * saturation;
      const { slots, tfs } = posting;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] ?? 0;
        const tf = tfs[i] ?? 0;
        scores[slot] = (scores[slot] ?? 0) + (weight * tf) / (tf + (norms[slot] ?? 0));
      }
    }
    return this.#topK(scores, Math.floor(k), filter);
  }

  /**
   * The distinct terms of `query` that occur in the index, in query order, with their IDF.
   * The answer stage uses them to judge whether a retrieved chunk really matches the
   * question (tokenize the chunk with the same tokenizer to see which of them it contains).
   */
  queryTerms(query: string): { term: string; idf: number }[] {
    return this.#queryTerms(query).map(({ term, idf }) => ({ term, idf }));
  }

  /** Writes `toJSON()` to `file`, fsynced. */
  async save(file: string): Promise<Digest> {
    return writeJsonDurable(file, this.toJSON());
  }

  /** A compact, deterministic snapshot: the same documents give the same JSON, however they were added. */
  toJSON(): SerializedBm25 {
    this.#seal();
    const order = this.#chunkIds.map((_, slot) => slot).sort((x, y) => (this.#chunkIds[x] ?? 0) - (this.#chunkIds[y] ?? 0));
    const rank = new Int32Array(order.length);
    order.forEach((slot, r) => {
      rank[slot] = r;
    });
    const ids = new VarintWriter();
    const lengths = new VarintWriter();
    let previous = 0;
    for (const slot of order) {
      const chunkId = this.#chunkIds[slot] ?? 0;
      ids.write(chunkId - previous);
      previous = chunkId;
      lengths.write(this.#lengths[slot] ?? 0);
    }
    // Slots are usually in chunk-id order already (ids grow as reports are added); then the
    // postings are written as they are, else renumbered and sorted.
    const inOrder = order.every((slot, r) => slot === r);
    const terms = this.#terms.filter((_, t) => this.#start[t + 1] !== this.#start[t]).sort();
    const postings = new VarintWriter();
    for (const term of terms) {
      const posting = this.#posting(this.#termIds.get(term) ?? 0);
      writePosting(postings, inOrder ? posting : renumbered(posting, rank));
    }
    return {
      formatVersion: BM25_FORMAT_VERSION,
      tokenizer: this.#tokenizer.id,
      k1: this.#k1,
      b: this.#b,
      docCount: order.length,
      chunkIds: ids.base64(),
      lengths: lengths.base64(),
      terms,
      postings: postings.base64(),
    };
  }
  /**
   * Reads a file `save` wrote. Throws as `fromJSON` does, and the file system's or
   * JSON.parse's own error when the file cannot be read or is not JSON.
   */
  static async load(file: string, tokenizer: Tokenizer): Promise<Bm25Index> {
    return Bm25Index.fromJSON(JSON.parse(await fs.readFile(file, 'utf8')), tokenizer);
  }

  /**
   * Loads a `toJSON` snapshot. Throws `INDEX_INCOMPATIBLE` when it was written by another
   * format version or built with another tokenizer (`tokenizer.id` differs), and
   * `INDEX_CORRUPT` when the data is malformed or inconsistent.
   */
  static fromJSON(value: unknown, tokenizer: Tokenizer): Bm25Index {
    const version = VERSIONED.safeParse(value);
    if (!version.success) throw corrupt('it has no formatVersion');
    if (version.data.formatVersion !== BM25_FORMAT_VERSION) {
      throw new AppError(
        'INDEX_INCOMPATIBLE',
        `The BM25 index has format version ${version.data.formatVersion}, this program reads version ${BM25_FORMAT_VERSION}; rebuild the index (report-qa index)`,
      );
    }
    const parsed = SERIALIZED.safeParse(value, { reportInput: true });
    if (!parsed.success) throw corrupt(describeIssue(parsed.error.issues[0]!));
    const json = parsed.data;
    if (json.tokenizer !== tokenizer.id) {
      throw new AppError(
        'INDEX_INCOMPATIBLE',
        `The BM25 index was built with tokenizer ${json.tokenizer}, but this program uses ${tokenizer.id}; rebuild the index (report-qa index)`,
      );
    }
    let index: Bm25Index;
    try {
      index = new Bm25Index(tokenizer, { k1: json.k1, b: json.b });
    } catch (err) {
      throw corrupt(`its BM25 options k1=${json.k1}, b=${json.b} are invalid`, err);
    }
    index.#load(json);
    return index;
  }

  #load(json: SerializedBm25): void {
    const n = json.docCount;
    const ids = new VarintReader(json.chunkIds, 'chunkIds');
    const lengths = new VarintReader(json.lengths, 'lengths');
    let chunkId = 0;
    for (let slot = 0; slot < n; slot++) {
      const delta = ids.read();
      if (slot > 0 && delta === 0) throw corrupt('its chunk ids are not strictly increasing');
      chunkId += delta;
      const length = lengths.read();
      this.#chunkIds.push(chunkId);
      this.#lengths.push(length);
      this.#slotOf.set(chunkId, slot);
      this.#totalLength += length;
    }
    ids.end();
    lengths.end();
    const tokensPerSlot = new Float64Array(n);
    const postings = new VarintReader(json.postings, 'postings');
    // Every posting takes at least one byte: the byte count bounds the table's size.
    let slots = new Int32Array(postings.byteLength);
    let tfs = new Int32Array(postings.byteLength);
    const start = new Int32Array(json.terms.length + 1);
    const termIds = new Map<string, number>();
    let at = 0;
    json.terms.forEach((term, t) => {
      const df = postings.read();
      if (term === '' || termIds.has(term)) throw corrupt(`term "${term}" is empty or repeated`);
      if (df < 1 || df > n) throw corrupt(`term "${term}" has document frequency ${df} with ${n} documents`);
      termIds.set(term, t);
      let slot = -1;
      for (let i = 0; i < df; i++) {
        const code = postings.read();
        const delta = Math.floor(code / 2);
        const tf = code % 2 === 1 ? postings.read() + 2 : 1;
        slot += delta;
        if (delta < 1 || slot >= n || tf < 1) throw corrupt(`the postings of term "${term}" are out of range`);
        slots[at] = slot;
        tfs[at] = tf;
        at++;
        tokensPerSlot[slot] = (tokensPerSlot[slot] ?? 0) + tf;
      }
      start[t + 1] = at;
    });
    postings.end();
    slots = slots.slice(0, at);
    tfs = tfs.slice(0, at);
    this.#lengths.forEach((length, slot) => {
      if (tokensPerSlot[slot] !== length) throw corrupt(`chunk ${this.#chunkIds[slot]} has length ${length} but ${tokensPerSlot[slot]} postings`);
    });
    this.#terms = [...json.terms];
    this.#termIds = termIds;
    this.#start = start;
    this.#slots = slots;
    this.#tfs = tfs;
  }

  /** Installs a new table (remove, seal): term ids follow the order of `terms`. */
  #setTable(terms: string[], start: Int32Array, slots: Int32Array, tfs: Int32Array): void {
    this.#terms = terms;
    this.#termIds = new Map(terms.map((term, t) => [term, t]));
    this.#start = start;
    this.#slots = slots;
    this.#tfs = tfs;
  }

  /** The term id of `term` for an open posting, numbering terms new to the table after its last. */
  #openTermId(term: string): number {
    const sealed = this.#termIds.get(term);
    if (sealed !== undefined) return sealed;
    let fresh = this.#newTermIds.get(term);
    if (fresh === undefined) {
      fresh = this.#newTerms.length;
      this.#newTerms.push(term);
      this.#newTermIds.set(term, fresh);
    }
    return this.#terms.length + fresh;
  }

  #addOpen(termId: number, slot: number, tf: number): void {
    const at = (this.#openCount % OPEN_BLOCK) * 3;
    if (at === 0) this.#openBlocks.push(new Int32Array(OPEN_BLOCK * 3));
    const block = this.#openBlocks[this.#openBlocks.length - 1]!;
    block[at] = termId;
    block[at + 1] = slot;
    block[at + 2] = tf;
    this.#openCount++;
  }

  /**
   * Moves the open postings into the table: each term's sealed slots, then its open ones
   * in the order they were added (slots only grow, so each list stays ascending).
   */
  #seal(): void {
    if (this.#openCount === 0) return;
    const sealedTerms = this.#terms.length;
    const terms = [...this.#terms, ...this.#newTerms];
    const counts = new Int32Array(terms.length);
    this.#forEachOpen((t) => counts[t]!++);
    const start = new Int32Array(terms.length + 1);
    for (let t = 0; t < terms.length; t++) {
      const sealed = t < sealedTerms ? this.#start[t + 1]! - this.#start[t]! : 0;
      start[t + 1] = start[t]! + sealed + counts[t]!;
    }
    const total = this.#slots.length + this.#openCount;
    const slots = new Int32Array(total);
    const tfs = new Int32Array(total);
    /** Where the next open posting of each term goes. */
    const next = new Int32Array(terms.length);
    for (let t = 0; t < terms.length; t++) {
      const from = t < sealedTerms ? this.#start[t]! : 0;
      const to = t < sealedTerms ? this.#start[t + 1]! : 0;
      slots.set(this.#slots.subarray(from, to), start[t]!);
      tfs.set(this.#tfs.subarray(from, to), start[t]!);
      next[t] = start[t]! + to - from;
    }
    this.#forEachOpen((t, slot, tf) => {
      const at = next[t]!++;
      slots[at] = slot;
      tfs[at] = tf;
    });
    this.#openBlocks = [];
    this.#openCount = 0;
    this.#newTerms = [];
    this.#newTermIds = new Map();
    this.#setTable(terms, start, slots, tfs);
  }

  #forEachOpen(visit: (termId: number, slot: number, tf: number) => void): void {
    let left = this.#openCount;
    for (const block of this.#openBlocks) {
      const n = Math.min(left, OPEN_BLOCK) * 3;
      for (let i = 0; i < n; i += 3) visit(block[i]!, block[i + 1]!, block[i + 2]!);
      left -= OPEN_BLOCK;
    }
  }

  /** The sealed postings of term `t`, as views. */
  #posting(t: number): Posting {
    const from = this.#start[t] ?? 0;
    const to = this.#start[t + 1] ?? 0;
    return { slots: this.#slots.subarray(from, to), tfs: this.#tfs.subarray(from, to) };
  }

  #queryTerms(query: string): QueryTerm[] {
    this.#seal();
    const n = this.#chunkIds.length;
    const seen = new Set<string>();
    const terms: QueryTerm[] = [];
    for (const term of this.#tokenizer.tokenize(query)) {
      if (seen.has(term)) continue;
      seen.add(term);
      const t = this.#termIds.get(term);
      if (t === undefined) continue;
      const posting = this.#posting(t);
      const df = posting.slots.length;
      if (df === 0) continue;
      terms.push({ term, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)), posting });
    }
    return terms;
  }

  /** The best `k` scored slots by (score desc, chunk id asc), through a size-k min-heap. */
  #topK(scores: Float64Array, k: number, filter?: ChunkFilter): Hit[] {
    const ids = this.#chunkIds;
    const worse = (x: number, y: number): boolean => {
      const sx = scores[x] ?? 0;
      const sy = scores[y] ?? 0;
      return sx < sy || (sx === sy && (ids[x] ?? 0) > (ids[y] ?? 0));
    };
    const heap: number[] = [];
    for (let slot = 0; slot < ids.length; slot++) {
      if (scores[slot] === 0) continue; // every matching document scores > 0 (idf > 0)
      if (filter !== undefined && !filter(ids[slot] ?? 0)) continue;
      if (heap.length < k) {
        heap.push(slot);
        siftUp(heap, heap.length - 1, worse);
      } else if (worse(heap[0] ?? 0, slot)) {
        heap[0] = slot;
        siftDown(heap, 0, worse);
      }
    }
    heap.sort((x, y) => (worse(x, y) ? 1 : worse(y, x) ? -1 : 0));
    return heap.map((slot, i) => ({ chunkId: ids[slot] ?? 0, score: scores[slot] ?? 0, rank: i + 1 }));
  }

  /** Per slot `k1·(1 − b + b·|d|/avgdl)`, computed once per change of the document set. */
  #lengthNorms(): Float64Array {
    if (this.#norms === undefined) {
      const { length } = this.#chunkIds;
      const avgLength = this.#totalLength / length;
      const norms = new Float64Array(length);
      for (let slot = 0; slot < length; slot++) norms[slot] = this.#k1 * (1 - this.#b + (this.#b * (this.#lengths[slot] ?? 0)) / avgLength);
      this.#norms = norms;
    }
    return this.#norms;
  }

  /** A zeroed score array, reused between searches to spare the garbage collector. */
  #scoreBuffer(length: number): Float64Array {
    if (this.#scores === undefined || this.#scores.length !== length) this.#scores = new Float64Array(length);
    else this.#scores.fill(0);
    return this.#scores;
  }
}

/** A posting with its slots renumbered by `rank` and sorted. */
function renumbered(posting: Posting, rank: Int32Array): Posting {
  const pairs = Array.from({ length: posting.slots.length }, (_, i) => ({ slot: rank[posting.slots[i] ?? 0] ?? 0, tf: posting.tfs[i] ?? 0 }));
  pairs.sort((x, y) => x.slot - y.slot);
  return { slots: pairs.map((p) => p.slot), tfs: pairs.map((p) => p.tf) };
}

/** Document frequency, then per document `2·(slot delta) + (tf > 1)` and, when tf > 1, `tf − 2`. */
function writePosting(out: VarintWriter, { slots, tfs }: Posting): void {
  out.write(slots.length);
  let last = -1;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] ?? 0;
    const tf = tfs[i] ?? 0;
    out.write((slot - last) * 2 + (tf > 1 ? 1 : 0));
    if (tf > 1) out.write(tf - 2);
    last = slot;
  }
}

function siftUp(heap: number[], at: number, worse: (x: number, y: number) => boolean): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(heap[i] ?? 0, heap[parent] ?? 0)) return;
    swap(heap, i, parent);
    i = parent;
  }
}

function siftDown(heap: number[], at: number, worse: (x: number, y: number) => boolean): void {
  let i = at;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && worse(heap[left] ?? 0, heap[least] ?? 0)) least = left;
    if (right < heap.length && worse(heap[right] ?? 0, heap[least] ?? 0)) least = right;
    if (least === i) return;
    swap(heap, i, least);
    i = least;
  }
}

function swap(heap: number[], i: number, j: number): void {
  const t = heap[i] ?? 0;
  heap[i] = heap[j] ?? 0;
  heap[j] = t;
}

function corrupt(detail: string, cause?: unknown): AppError {
  return new AppError('INDEX_CORRUPT', `The BM25 index data is malformed: ${detail}; rebuild the index (report-qa index)`, { cause });
}

/** Read first, so that a file of another format version is refused as such, whatever its other fields. */
const VERSIONED = z.looseObject({ formatVersion: z.number() });

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64');

const SERIALIZED = z.object({
  formatVersion: z.literal(BM25_FORMAT_VERSION),
  tokenizer: z.string(),
  k1: z.number(),
  b: z.number(),
  docCount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  chunkIds: base64,
  lengths: base64,
  terms: z.array(z.string()),
  postings: base64,
}) satisfies z.ZodType<SerializedBm25>;

/** Unsigned LEB128 varints into a growing byte buffer. */
class VarintWriter {
  #bytes = new Uint8Array(1024);
  #length = 0;

  write(value: number): void {
    if (this.#length + 8 > this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    const bytes = this.#bytes;
    let at = this.#length;
    let v = value;
    while (v > 0x7fffffff) {
      bytes[at++] = (v % 0x80) | 0x80; // beyond 31 bits: no bitwise operators
      v = Math.floor(v / 0x80);
    }
    while (v >= 0x80) {
      bytes[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    bytes[at++] = v;
    this.#length = at;
  }

  base64(): string {
    return Buffer.from(this.#bytes.buffer, 0, this.#length).toString('base64');
  }
}

class VarintReader {
  readonly #bytes: Buffer;
  readonly #field: string;
  #pos = 0;

  constructor(base64: string, field: string) {
    this.#bytes = Buffer.from(base64, 'base64');
    this.#field = field;
  }

  get byteLength(): number {
    return this.#bytes.length;
  }

  read(): number {
    const bytes = this.#bytes;
    let at = this.#pos;
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++];
      if (byte === undefined) throw corrupt(`${this.#field} ends early`);
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 49) throw corrupt(`${this.#field} holds a number that is too large`);
    }
    this.#pos = at;
    return value;
  }

  /** Checks that nothing is left over. */
  end(): void {
    if (this.#pos !== this.#bytes.length) throw corrupt(`${this.#field} has ${this.#bytes.length - this.#pos} extra bytes`);
  }
}
