import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { REPORT_EXTENSIONS } from '../../../src/ingest/report-formats.js';
import { captureIo } from '../../helpers/capture-io.js';

describe('report-qa index --help', () => {
  it('lists every format the reports folder reads, from the registry', async () => {
    const { io, out } = captureIo({}, process.cwd());
    const makeApp = (): never => {
      throw new Error('help must not build an app');
    };
    expect(await runCli(['index', '--help'], { io, makeApp })).toBe(0);
    const help = out.join('');
    expect(help).toContain(`Reads ${REPORT_EXTENSIONS.join(' ')} files`);
    for (const ext of ['.doc', '.html', '.htm']) expect(help).toContain(ext);
    // reports.json is optional, and its every field is named.
    expect(help).toContain('an optional reports.json');
    for (const field of ['subject', 'kind', 'years', 'planYears']) expect(help).toContain(field);
  });
});
