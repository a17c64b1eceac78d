/**
 * The data that flows through the pipeline: ingest → embed → search → answer.
 * Every stage imports its shapes from here, never from another stage, so the
 * stages stay replaceable. Domain words follow the product contract (README): `source` is a
 * report's file name relative to the reports folder, `paragraph` is a 1-based
 * paragraph number inside that report, `chunkId` is the vector-index label.
 */

/**
 * What a report is about, inferred from its content (src/ingest/report-identity.ts)
 * unless reports.json says otherwise. Questions are matched against it: a
 * question about 郑州 is answered from 郑州's reports, never from another place's.
 */
export interface ReportIdentity {
  /** The place or organisation the report is about (罗星街道, 郑州市, 河南省, 国务院); absent when unknown or masked. */
  readonly subject?: string;
  /** Other names of the subject (郑州 for 郑州市; 全国, 我国 for 国务院), for matching questions. */
  readonly aliases?: readonly string[];
  /** Official names of the places the subject lies in, nearest first (郑州市 → 河南省). */
  readonly within?: readonly string[];
  /** What kind of report it is (政府工作报告, 统计公报, 预算执行报告, 工作总结, 新闻报道…), when recognisable. */
  readonly kind?: string;
  /** Years whose results the report gives (a 2026 政府工作报告 reviews 2025), ascending. */
  readonly years?: readonly number[];
  /** Years the report plans for (the 2026 政府工作报告 plans 2026), ascending. */
  readonly planYears?: readonly number[];
}

/** What a user sees of a report. */
export interface ReportMeta extends ReportIdentity {
  /** File name relative to the reports folder, always with `/` separators. */
  readonly source: string;
  /** Human title: from reports.json, else the document, else the file name. */
  readonly title: string;
  /** Publication date as written (e.g. `2025-01-22`), when known. */
  readonly date?: string;
  /** Region or place the report is about, when known. */
  readonly region?: string;
  /** Publishing body, when the document states it (e.g. 发布单位). */
  readonly publisher?: string;
}

export type ParagraphKind = 'heading' | 'text';

/** One paragraph after cleaning; its number is what citations show. */
export interface Paragraph {
  /** 1-based position in the report after cleaning. */
  readonly paragraph: number;
  readonly text: string;
  readonly kind: ParagraphKind;
  /** Headings above this paragraph, outermost first (article title first on newspaper pages). */
  readonly section: readonly string[];
}

/** A report read and cleaned, ready to be chunked. */
export interface Report extends ReportMeta {
  /** sha256 (hex) of the file's bytes; an unchanged hash means its vectors can be reused. */
  readonly hash: string;
  readonly paragraphs: readonly Paragraph[];
}

/** A file that could not be read; it is skipped, never fatal. */
export interface SkippedFile {
  readonly source: string;
  readonly reason: string;
}

/** Result of reading a reports folder: per-file failures are data, not exceptions. */
export interface ReadReportsResult {
  readonly reports: Report[];
  readonly skipped: SkippedFile[];
}

/**
 * A retrievable piece of one paragraph. Chunks never span paragraphs, so a
 * citation always points at exactly one paragraph.
 */
export interface Chunk {
  readonly source: string;
  readonly paragraph: number;
  /** `text === paragraphText.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly section: readonly string[];
}

/** A chunk as stored in the index; `chunkId` is its label in the vector index. */
export interface IndexedChunk extends Chunk {
  readonly chunkId: number;
}

/** One ranked result of a single index. */
export interface Hit {
  readonly chunkId: number;
  readonly score: number;
  /** 1-based rank in its list. */
  readonly rank: number;
}

export type RetrievalMode = 'hybrid' | 'vector' | 'keyword';

/**
 * Which chunks a search may return (by chunkId): applied inside each index's
 * search, so a search limited to one report's chunks still returns k of them.
 */
export type ChunkFilter = (chunkId: number) => boolean;

/** A retrieved chunk with everything needed to cite it. */
export interface RetrievedChunk {
  readonly chunk: IndexedChunk;
  readonly report: ReportMeta;
  /** Fused score (hybrid) or the single index's score. Higher is better. */
  readonly score: number;
  /** 1-based rank in the final list. */
  readonly rank: number;
  /** The per-index scores behind `score`, when known (used by the relevance decision). */
  readonly vectorScore?: number;
  readonly keywordScore?: number;
}

/** Turns text into unit-length vectors. Queries and documents may be embedded differently. */
export interface Embedder {
  /** Recorded in the manifest, e.g. `offline:hash-v1` or `neural:Xenova/bge-small-zh-v1.5`. */
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: readonly string[], opts?: EmbedOptions): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
}

export interface EmbedOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each batch with the number of texts embedded so far. */
  onProgress?: (done: number, total: number) => void;
}

/** Splits text into index terms; the same instance serves indexing and querying. */
export interface Tokenizer {
  /** Recorded in the manifest: a different tokenizer means a rebuild. */
  readonly id: string;
  tokenize(text: string): string[];
}

/** A tokenizer that can keep an index's own names whole (see `extractUserWords`). */
export interface UserWordTokenizer extends Tokenizer {
  /** A tokenizer like this one with exactly `words` as user words; its id names them (a hash), so an index records the words its keyword postings were made with. */
  withWords(words: readonly string[]): Tokenizer;
}

/** A citation as shown to the user: report, paragraph and the quoted text. */
export interface Citation {
  /** 1-based marker used in the answer text as `[n]`. */
  readonly n: number;
  readonly source: string;
  readonly title: string;
  readonly paragraph: number;
  /** The paragraph quoted, trimmed around the used sentence when long. */
  readonly text: string;
}

export interface Answer {
  /** Short answer with `[n]` markers, or the not-found message. */
  readonly text: string;
  readonly found: boolean;
  readonly citations: readonly Citation[];
  /** Which answerer produced it (e.g. `extractive`, `llm:qwen2.5`), for logs and tests. */
  readonly answerer: string;
}

export interface AnswerOptions {
  signal?: AbortSignal;
  /** Reads any paragraph of an indexed report: a list's items follow the retrieved lead-in. */
  paragraphAt?: (source: string, paragraph: number) => Paragraph | undefined;
}

/** What the answer stage knows of one paragraph: the retrieved chunks of it, merged (src/answer/passages.ts). */
export interface Passage {
  readonly report: ReportMeta;
  readonly paragraph: number;
  readonly section: readonly string[];
  /** The retrieved text of the paragraph; separate pieces are joined by ` … `. */
  readonly text: string;
  /** True when `text` does not start at the paragraph's beginning. */
  readonly startsMidParagraph: boolean;
  /** Best (lowest) retrieval rank among its chunks. */
  readonly rank: number;
}

/**
 * A quotable span of a passage (a sentence, a window of clauses of a long one, a table row):
 * `text === passage.text.slice(start, end)`, except that a table row reads its cells under their header.
 */
export interface AnswerUnit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Offsets of the whole sentence the unit belongs to. */
  readonly sentenceStart: number;
  readonly sentenceEnd: number;
}

/** A unit of a passage chosen to answer from. */
export interface Evidence {
  readonly passage: Passage;
  readonly unit: AnswerUnit;
}

/**
 * What the decide stage (src/ask/decide.ts) concluded from a question and its
 * ranked chunks. Every answerer gets the same decision and only writes it up,
 * so the extractive and the LLM answerer refuse, caveat and answer alike.
 */
export type Decision = AnswerDecision | OtherYearDecision | NotFoundDecision;

/** The chunks answer the question. */
export interface AnswerDecision {
  readonly kind: 'answer';
  readonly question: string;
  /** Why, in English, for logs. */
  readonly reason: string;
  /** Chunks the answer may use, in ranking order. */
  readonly usable: readonly RetrievedChunk[];
  /** The units that answer it together, best first; never empty. */
  readonly evidence: readonly Evidence[];
}

/** The asked year is not answered, the same question about another year is: that figure, with its own year. */
export interface OtherYearDecision {
  readonly kind: 'other-year';
  readonly question: string;
  readonly reason: string;
  readonly askedYear: string;
  /** The year `evidence` is about. */
  readonly year: string;
  readonly evidence: Evidence;
}

/** Nothing retrieved answers the question. */
export interface NotFoundDecision {
  readonly kind: 'not-found';
  readonly question: string;
  readonly reason: string;
  /** Weakly related chunks, whose reports the reply may name. */
  readonly related: readonly RetrievedChunk[];
}

/** Decides from the ranked chunks whether and from what a question is answered. */
export interface Decider {
  decide(question: string, ranked: readonly RetrievedChunk[]): Decision;
}

/**
 * Reorders retrieved candidates by their fit to the question (a cross-encoder,
 * say); the pipeline keeps the first k of its order. The default keeps the
 * retriever's order.
 */
export interface Reranker {
  rerank(question: string, candidates: readonly RetrievedChunk[]): Promise<RetrievedChunk[]>;
}

/** Writes the user-facing answer of a decision. */
export interface Answerer {
  readonly id: string;
  answer(decision: Decision, opts?: AnswerOptions): Promise<Answer>;
}

/** A question, its answer and what retrieval returned. */
export interface AskResult {
  readonly question: string;
  readonly answer: Answer;
  readonly retrieved: readonly RetrievedChunk[];
  /**
   * The reports of the index that answered (their hashes name the cited
   * reports in citation buttons). A re-index may swap the index while the
   * answer is being written, so `App.sources()` afterwards may differ.
   */
  readonly sources: readonly ReportSummary[];
  /**
   * The question as it was understood, when that differs from what was typed
   * (Traditional script folded, pleasantries dropped, a follow-up completed
   * from the conversation): shown to the user so a wrong guess is visible.
   */
  readonly understood?: string;
  /** True when the question was completed from an earlier turn of its conversation. */
  readonly followUp?: boolean;
}

export interface AskOptions {
  /** Number of retrieved chunks (default 5). */
  k?: number;
  mode?: RetrievalMode;
  signal?: AbortSignal;
  /**
   * Conversation key (the bot uses chat id + user id): questions asked with
   * the same key are one conversation, so a follow-up (那南星街道呢？) is
   * completed from the turns before it. Without a key every question stands alone.
   */
  conversation?: string;
}

/** Options of `App.retrieve`. */
export interface RetrievalOptions extends AskOptions {
  /** False: the retriever's ranking, before the rerank stage (the eval scores both). Default true. */
  rerank?: boolean;
}

export type BuildPhase = 'read' | 'embed' | 'index' | 'write';

/** Progress of an index build, for the CLI bar and the bot's edited message. */
export interface BuildProgress {
  readonly phase: BuildPhase;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

export interface BuildOptions {
  signal?: AbortSignal;
  onProgress?: (p: BuildProgress) => void;
}

/** What a finished build reports. */
export interface BuildSummary {
  readonly buildId: string;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  readonly reports: number;
  readonly paragraphs: number;
  readonly chunks: number;
  /** Chunks that went through the embedder in this build (reused ones excluded). */
  readonly embedded: number;
  readonly skipped: readonly SkippedFile[];
  readonly durationMs: number;
}

/** What `/status` and `report-qa status` show. */
export interface IndexStatus {
  readonly buildId: string;
  readonly builtAt: string;
  readonly reports: number;
  readonly paragraphs: number;
  readonly chunks: number;
  readonly embedder: { readonly id: string; readonly dimensions: number };
  readonly tokenizer: string;
  readonly answerer: string;
  /** Why the configured embedder was chosen (EMBEDDER, MODEL_DIR's files), when the settings chose it. */
  readonly embedderReason?: string;
}

/** A report as listed by `/sources`. */
export interface ReportSummary extends ReportMeta {
  readonly hash: string;
  readonly paragraphs: number;
  readonly chunks: number;
}

/** One whole paragraph, for the citation button. */
export interface ParagraphView {
  readonly source: string;
  readonly title: string;
  readonly paragraph: number;
  readonly section: readonly string[];
  readonly text: string;
}

/**
 * What the bot and the CLI commands use. Built by `createApp` (src/app.ts);
 * tests substitute fakes. It holds one reference to the loaded index and swaps
 * it atomically when a re-index completes, so readers never see a mixture.
 */
export interface App {
  /** Retrieves and answers. Throws `INDEX_MISSING` when no index is loaded. */
  ask(question: string, opts?: AskOptions): Promise<AskResult>;
  /** Retrieval only (the eval command). */
  retrieve(question: string, opts?: RetrievalOptions): Promise<RetrievedChunk[]>;
  /**
   * Builds or updates the index from the reports folder and swaps it in only
   * when complete and valid. Throws `REINDEX_RUNNING` if one is under way.
   */
  reindex(opts?: BuildOptions): Promise<BuildSummary>;
  /** True while a re-index runs. */
  readonly reindexing: boolean;
  /** Loads the index from disk, building it first if none exists. */
  ready(opts?: BuildOptions): Promise<void>;
  /**
   * Swaps in the build `CURRENT` names if another process made it live since
   * this one was loaded, like a re-index (questions under way finish on the
   * old index). Resolves its id, or undefined when there is nothing new (or a
   * re-index of ours runs). Rejects when it cannot be loaded; the loaded index
   * stays, and that build is not tried again.
   */
  pickUpCurrent(): Promise<string | undefined>;
  /** Throws `INDEX_MISSING` when no index is loaded. */
  status(): IndexStatus;
  sources(): readonly ReportSummary[];
  paragraph(source: string, paragraph: number): ParagraphView | undefined;
  /** Forgets a conversation (/new): its next question stands alone. */
  forget(conversation: string): void;
  /** Releases resources; waits for a running re-index to stop. */
  close(): Promise<void>;
}
