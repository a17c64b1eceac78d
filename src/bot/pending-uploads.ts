/**
 * Uploads waiting for an admin's answer to "this name is taken" (replace,
 * save under a new name, cancel). Held in memory with their bytes, so the
 * choice needs no second download; at most `max` (the oldest is dropped, its
 * buttons then say the choice expired). A restart forgets them likewise.
 */
import { randomBytes } from 'node:crypto';

export interface PendingUpload {
  /** The safe file name the upload asked for (taken by another file). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Uploads held by default: a few admins' undecided uploads, up to 20 MB each. */
const DEFAULT_MAX = 5;

export class PendingUploads {
  readonly #max: number;
  readonly #uploads = new Map<string, PendingUpload>();

  constructor(max = DEFAULT_MAX) {
    this.#max = max;
  }

  /** Holds `upload`; returns its token (8 hex digits, see report-callback-data.ts). */
  add(upload: PendingUpload): string {
    let token: string;
    do token = randomBytes(4).toString('hex');
    while (this.#uploads.has(token));
    this.#uploads.set(token, upload);
    for (const oldest of this.#uploads.keys()) {
      if (this.#uploads.size <= this.#max) break;
      this.#uploads.delete(oldest);
    }
    return token;
  }

  get(token: string): PendingUpload | undefined {
    return this.#uploads.get(token);
  }

  delete(token: string): void {
    this.#uploads.delete(token);
  }
}
