/** The benchmark's terminal report: markdown tables, readable as plain text. */
import type { BenchResult, SizeResult } from './bench-result.js';

/** A markdown table with padded columns (the report holds no wide characters). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A number with `digits` decimals, or `—` when unknown. */
export function num(x: number | undefined, digits = 0): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio as `12.3×`. */
export function times(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return `${x >= 100 ? num(x) : x >= 10 ? num(x, 1) : num(x, 2)}×`;
}

function pct(x: number): string {
  return `${num(x * 100, x < 0.1 ? 1 : 0)} %`;
}

function seconds(ms: number): string {
  return num(ms / 1000, ms < 10_000 ? 2 : 1);
}

/** Per-step and end-to-end build rates. */
function buildRows(s: SizeResult): string[][] {
  const b = s.build;
  const steps: [string, number][] = [
    ['ingest (read + chunk)', b.stepMs.read + b.stepMs.chunk],
    ['embed (offline)', b.stepMs.embed],
    ['user words', b.stepMs.userWords],
    ['HNSW insert', b.stepMs.vectors],
    ['keyword (BM25)', b.stepMs.keyword],
    ['write + validate', b.stepMs.write],
    ['end to end', b.durationMs],
  ];
  return steps.map(([step, ms], i) => [
    i === 0 ? `${s.label}${b.cached ? ' *' : ''}` : '',
    i === 0 ? num(b.chunks) : '',
    step,
    seconds(ms),
    num((b.chunks / ms) * 1000),
    pct(ms / b.durationMs),
  ]);
}

function latencyRows(s: SizeResult): string[][] {
  const exactP50 = s.serve.sparse.exact.p50;
  return (['keyword', 'vector', 'hybrid'] as const).map((mode, i) => {
    const l = s.serve.latency[mode];
    return [
      i === 0 ? s.label : '',
      mode,
      num(l.single.p50, 1),
      num(l.single.p95, 1),
      num(l.single.p99, 1),
      num(l.singleQps),
      num(l.concurrent.p50, 1),
      num(l.concurrent.p95, 1),
      num(l.concurrent.p99, 1),
      num(l.concurrentQps),
      times(l.single.p50 / exactP50),
    ];
  });
}

function vectorRows(s: SizeResult): string[][] {
  const sp = s.serve.sparse;
  const rows: string[][] = [];
  const row = (kind: string, path: string, recall: number | undefined, p50: number, p95: number, exactP50: number): void => {
    rows.push([rows.length === 0 ? s.label : '', kind, path, recall === undefined ? '—' : num(recall, 3), num(p50, 2), num(p95, 2), times(exactP50 / p50)]);
  };
  const sparseKind = `offline sparse (${num(sp.queryNonZeros.p50)} nnz)`;
  row(sparseKind, 'exact brute force (baseline)', 1, sp.exact.p50, sp.exact.p95, sp.exact.p50);
  row(sparseKind, `served: column scan (${pct(sp.exactScanShare)} of queries)`, sp.served.recall, sp.served.latency.p50, sp.served.latency.p95, sp.exact.p50);
  for (const g of sp.graph) row(sparseKind, `HNSW graph ef=${g.ef}`, g.recall, g.latency.p50, g.latency.p95, sp.exact.p50);
  const d = s.dense;
  if (d !== undefined) {
    const kind = `dense ${d.dimensions}-d clustered`;
    row(kind, 'exact brute force (baseline)', 1, d.exact.p50, d.exact.p95, d.exact.p50);
    row(kind, `column scan${d.servedBy === 'exact scan' ? ' (served)' : ''}`, 1, d.columnScan.p50, d.columnScan.p95, d.exact.p50);
    for (const g of d.graph) row(kind, `HNSW graph ef=${g.ef}${d.servedBy === 'graph' ? ' (served)' : ''}`, g.recall, g.latency.p50, g.latency.p95, d.exact.p50);
  }
  return rows;
}

function startupRow(command: string, medianMs: number, runsMs: readonly number[], bareMs: number): string[] {
  return [command, num(medianMs), num(Math.min(...runsMs)), num(Math.max(...runsMs)), times(medianMs / bareMs)];
}

export function renderReport(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  const calibration = r.calibrationMs;
  out.push(`# report-qa benchmark — ${r.startedAt}`);
  out.push('');
  out.push(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}`);
  out.push(
    `load average 1/5/15 min: start ${r.loadAverage.start.join(' / ')}, end ${r.loadAverage.end.join(' / ')}; ` +
      `calibration loop: start ${calibration.start} ms, end ${calibration.end} ms (${times(calibration.end / calibration.start)})`,
  );
  out.push(`options: sizes ${r.options.sizes.join(', ')}${r.options.quick ? ', quick' : ''}${r.options.fresh ? ', fresh' : ''}${r.options.rebuild ? ', rebuild' : ''}`);
  out.push('');

  out.push('## Index build from scratch (offline embedder; share = of the end-to-end time)');
  out.push('');
  out.push(table(['size', 'chunks', 'step', 'time s', 'chunks/s', 'share'], r.sizes.flatMap(buildRows)));
  const cached = r.sizes.filter((s) => s.build.cached);
  if (cached.length > 0) {
    out.push(
      `* build measured by an earlier run (cached index): ${cached.map((s) => `${s.label} at ${s.build.measuredAt}, load ${s.build.loadAverage.join('/')}`).join('; ')}`,
    );
  }
  out.push('');

  const incremental = r.sizes.filter((s) => s.incremental !== undefined);
  if (incremental.length > 0) {
    out.push('## Incremental re-index: one report changed (a new paragraph with a new quoted name)');
    out.push('');
    out.push(
      table(
        ['size', 'full build s', 're-index s', 'share of full', 'before: load index s', 'jieba warm-up s', 'embedded', 'learned words', 're-tokenized', 'peak RSS MB'],
        incremental.map((s) => {
          const i = s.incremental!;
          return [
            s.label,
            seconds(s.build.durationMs),
            seconds(i.durationMs),
            pct(i.share),
            seconds(i.loadMs),
            seconds(i.warmUpMs),
            num(i.embedded),
            num(i.learnedWords),
            num(i.retokenized),
            num(i.peakRssMb),
          ];
        }),
      ),
    );
    out.push('');
  }

  out.push(`## Query latency, ms (retrieve k=5; ${r.sizes[0]?.serve.latency.hybrid.single.n ?? 0} questions; ratio = single p50 / exact brute-force vector p50)`);
  out.push('');
  out.push(
    table(
      ['size', 'mode', 'p50', 'p95', 'p99', 'q/s', '8 in flight p50', 'p95', 'p99', 'q/s', 'vs exact'],
      r.sizes.flatMap(latencyRows),
    ),
  );
  out.push('');

  out.push('## Vector search against exact brute force (ExactVectorIndex) on the same vectors; k=10');
  out.push('');
  out.push(table(['size', 'vectors', 'path', 'recall@10', 'p50 ms', 'p95 ms', 'speed-up'], r.sizes.flatMap(vectorRows)));
  out.push('');

  out.push('## Memory, disk, start-up');
  out.push('');
  out.push(
    table(
      ['size', 'build peak RSS MB', 'serve peak RSS MB', 'index on disk MB', 'corpus text MB', 'disk / text', 'load s', 'first query ms'],
      r.sizes.map((s) => [
        s.label,
        num(s.build.peakRssMb),
        num(s.serve.servePeakRssMb),
        num(s.build.diskBytes / 1e6, 1),
        num(s.corpus.textMb, 1),
        times(s.build.diskBytes / 1e6 / s.corpus.textMb),
        seconds(s.serve.loadMs),
        num(s.serve.firstQueryMs),
      ]),
    ),
  );
  out.push('');

  const st = r.startup;
  out.push(`## Command start-up: \`report-qa ask\` on the seeds index against the bare jieba dictionary load (median of ${st.runs} runs each, run alternately)`);
  out.push('');
  out.push(
    table(
      ['command', 'median ms', 'min ms', 'max ms', 'vs bare jieba load'],
      [
        startupRow('node bin/report-qa.js ask "…" (compiled dist/)', st.askMs, st.askRunsMs, st.bareJiebaMs),
        startupRow("node -e \"require('nodejieba').load(); cut('测试')\"", st.bareJiebaMs, st.bareJiebaRunsMs, st.bareJiebaMs),
      ],
    ),
  );
  out.push('');

  out.push('## Neural embedder: bge-small-zh-v1.5 architecture, random weights (fp32 ONNX, CPU)');
  out.push('');
  if ('skipped' in r.neural) out.push(`skipped: ${r.neural.skipped}`);
  else {
    const n = r.neural;
    const base = n.batches[0]?.chunksPerSec;
    out.push(`${n.id}, ${n.dimensions} dims, loaded in ${seconds(n.loadMs)} s; ${n.batches[0]?.texts ?? 0} chunks of ${num(n.meanChars)} characters on average`);
    out.push('');
    out.push(table(['batch size', 'chunks/s', 'vs batch ' + (n.batches[0]?.batchSize ?? 1)], n.batches.map((b) => [String(b.batchSize), num(b.chunksPerSec, 1), times(b.chunksPerSec / (base ?? 1))])));
    out.push('');
    out.push(`question embedding: p50 ${num(n.query.p50, 1)} ms, p95 ${num(n.query.p95, 1)} ms (${n.query.n} questions)`);
  }
  out.push('');

  out.push('## Targets');
  out.push('');
  out.push(table(['target', 'measured', 'met', 'note'], r.targets.map((t) => [`${t.name}: ${t.target}`, t.measured, t.met ? 'yes' : 'NO', t.note])));
  out.push('');
  out.push(`JSON: ${r.file}`);
  return out.join('\n');
}
