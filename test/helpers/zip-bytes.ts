/**
 * A raw zip writer for hostile-archive tests: each entry's bytes are given
 * already compressed (or stored) together with the sizes its headers claim,
 * so a test can build archives that lie about their contents, which no zip
 * library will write.
 */
import { constants, deflateRawSync } from 'node:zlib';

export interface RawZipEntry {
  readonly name: string;
  /** The entry's data as stored in the archive. */
  readonly data: Uint8Array;
  /** 0 stored, 8 deflated. */
  readonly method: 0 | 8;
  /** Uncompressed size written to both headers. */
  readonly declaredSize: number;
}

/** A stored entry whose headers tell the truth. */
export function storedEntry(name: string, content: string | Uint8Array): RawZipEntry {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  return { name, data, method: 0, declaredSize: data.length };
}

/** A deflated entry whose headers tell the truth unless `declaredSize` is given. */
export function deflatedEntry(name: string, content: string | Uint8Array, declaredSize?: number): RawZipEntry {
  const raw = typeof content === 'string' ? Buffer.from(content) : content;
  return { name, data: deflateRawSync(raw), method: 8, declaredSize: declaredSize ?? raw.length };
}

/**
 * Raw deflate data that inflates to `mib` MiB of zero bytes, built without
 * ever holding them: sync-flushed blocks of one MiB each, then a final empty block.
 */
export function deflatedZeros(mib: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_SYNC_FLUSH });
  return new Uint8Array(Buffer.concat([...Array.from({ length: mib }, () => block), deflateRawSync(Buffer.alloc(0))]));
}

/** Local headers, data, central directory and end record; CRCs are left 0 (the readers under test do not check them first). */
export function zipBytes(entries: readonly RawZipEntry[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, Buffer.from(e.data));
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.declaredSize, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}
