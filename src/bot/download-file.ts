/**
 * Downloads a Telegram file with a hard size cap. The URL holds the bot token,
 * so it never appears in an error or a log line: errors name the HTTP status
 * or the cap only.
 */
import { AppError } from '../errors.js';

export interface DownloadOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/** Thrown when the file is larger than allowed; carries what was seen. */
export class FileTooLargeError extends AppError {
  readonly bytes: number;

  constructor(bytes: number, maxBytes: number) {
    super('UPLOAD_REFUSED', `The file has more than ${maxBytes} bytes (saw ${bytes}); send a smaller file.`);
    this.name = 'FileTooLargeError';
    this.bytes = bytes;
  }
}

/** Fetches `url` into memory, stopping as soon as more than `maxBytes` arrive. */
export async function downloadFile(url: string, opts: DownloadOptions): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    throw new AppError('UPLOAD_REFUSED', `The file download failed (${err instanceof Error ? err.name : 'error'}); send the file again.`);
  }
  if (!res.ok || res.body === null) {
    await res.body?.cancel();
    throw new AppError('UPLOAD_REFUSED', `The file download failed with HTTP ${res.status}; send the file again.`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await res.body.cancel();
    throw new FileTooLargeError(declared, opts.maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > opts.maxBytes) {
      await reader.cancel();
      throw new FileTooLargeError(total, opts.maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
