/**
 * A small zip reader for the one archive Plex serves, its logs
 * (`GET /diagnostics/logs`, API.md §22): the central directory is read from
 * the end of the archive (end-of-central-directory record, then one header
 * per file), and one entry at a time is streamed out of the bytes, stored
 * (method 0) or deflated (method 8, through `DecompressionStream
 * ("deflate-raw")`), with its CRC-32 and size checked against the
 * directory as the last bytes go by. Sizes and offsets come from the
 * central directory, so entries written with a data descriptor (flag bit 3,
 * zero sizes in the local header) read like any other. Zip64, archives
 * split over several disks, encryption and other methods are refused with
 * a {@link ZipError} that says which.
 *
 * Layout per PKWARE's APPNOTE.TXT (6.3.10): §4.3.7 local file header,
 * §4.3.12 central directory header, §4.3.16 end of central directory,
 * §4.3.15 zip64 locator.
 *
 * @module
 */

/** An archive that cannot be read, with the reason. */
export class ZipError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

/** One file of the archive, as the central directory describes it. */
export interface ZipEntry {
  /** Path inside the archive (`/` separated). */
  name: string;
  /** Compression method: 0 stored, 8 deflated (others are refused). */
  method: number;
  /** General purpose flags (bit 0: encrypted). */
  flags: number;
  /** CRC-32 of the uncompressed bytes. */
  crc32: number;
  /** Bytes in the archive. */
  compressedSize: number;
  /** Bytes once uncompressed. */
  size: number;
  /** Where its local header starts. */
  localHeaderOffset: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
/** End-of-central-directory record without its comment. */
const EOCD_BYTES = 22;
/** Longest archive comment. */
const MAX_COMMENT = 0xffff;

let table: Uint32Array | undefined;

/**
 * Adds `bytes` to a running CRC-32 (ISO 3309, the zip and gzip one;
 * reflected polynomial 0xEDB88320). Start with 0; the result of the last
 * call is the checksum.
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}

/**
 * The files of a zip archive, from its central directory. Throws a
 * {@link ZipError} for something that is not a zip, a damaged directory,
 * zip64 or a multi-disk archive.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < EOCD_BYTES) {
    throw new ZipError(
      `not a zip archive: ${bytes.length} bytes, too short for one`,
    );
  }
  // The record is the last thing in the file but for its comment; a
  // signature inside a comment is skipped because its length must reach
  // the end exactly.
  let end = -1;
  const lowest = Math.max(0, bytes.length - EOCD_BYTES - MAX_COMMENT);
  for (let i = bytes.length - EOCD_BYTES; i >= lowest; i--) {
    if (
      view.getUint32(i, true) === END_OF_DIRECTORY &&
      i + EOCD_BYTES + view.getUint16(i + 20, true) === bytes.length
    ) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    throw new ZipError("not a zip archive: no end of central directory");
  }
  const disk = view.getUint16(end + 4, true);
  const directoryDisk = view.getUint16(end + 6, true);
  const onThisDisk = view.getUint16(end + 8, true);
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (
    (end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR) ||
    count === 0xffff || directorySize === 0xffffffff ||
    directoryOffset === 0xffffffff
  ) {
    throw new ZipError(
      "the archive is in the zip64 format (for archives over 4 GiB or 65,535 files), which is not supported",
    );
  }
  if (disk !== 0 || directoryDisk !== 0 || onThisDisk !== count) {
    throw new ZipError(
      "the archive is split over several disks, which is not supported",
    );
  }
  if (directoryOffset + directorySize > end) {
    throw new ZipError(
      "the archive is damaged: its central directory lies outside it",
    );
  }
  const entries: ZipEntry[] = [];
  const utf8 = new TextDecoder("utf-8");
  let at = directoryOffset;
  const limit = directoryOffset + directorySize;
  for (let n = 0; n < count; n++) {
    if (at + 46 > limit || view.getUint32(at, true) !== CENTRAL_HEADER) {
      throw new ZipError(
        `the archive is damaged: central directory entry ${
          n + 1
        } of ${count} is missing`,
      );
    }
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > limit) {
      throw new ZipError(
        `the archive is damaged: central directory entry ${
          n + 1
        } runs past the directory`,
      );
    }
    const entry: ZipEntry = {
      name: utf8.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    if (
      entry.compressedSize === 0xffffffff || entry.size === 0xffffffff ||
      entry.localHeaderOffset === 0xffffffff
    ) {
      throw new ZipError(
        `"${entry.name}" is stored in the zip64 format (a file over 4 GiB), which is not supported`,
      );
    }
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Bytes handed to the decompressor at a time. */
const CHUNK = 64 * 1024;

/**
 * The uncompressed bytes of one entry, streamed (only this entry is
 * decompressed, a chunk at a time). The stream errors with a
 * {@link ZipError} when the entry is encrypted, uses another method, lies
 * outside the archive, does not decompress, or does not match its CRC-32
 * or size.
 */
export function openZipEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
): ReadableStream<Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const name = JSON.stringify(entry.name);
  if (entry.flags & 0x41) {
    throw new ZipError(`${name} is encrypted, which is not supported`);
  }
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipError(
      `${name} is compressed with method ${entry.method}; only stored (0) and deflated (8) entries are supported`,
    );
  }
  const header = entry.localHeaderOffset;
  if (
    header + 30 > bytes.length || view.getUint32(header, true) !== LOCAL_HEADER
  ) {
    throw new ZipError(
      `the archive is damaged: the local header of ${name} is missing`,
    );
  }
  // The local name and extra field can differ in length from the central
  // directory's (APPNOTE 4.4.11): read them here.
  const start = header + 30 + view.getUint16(header + 26, true) +
    view.getUint16(header + 28, true);
  const stop = start + entry.compressedSize;
  if (stop > bytes.length) {
    throw new ZipError(`the archive is damaged: ${name} is cut short`);
  }
  if (entry.method === 0 && entry.compressedSize !== entry.size) {
    throw new ZipError(
      `the archive is damaged: stored entry ${name} has two different sizes`,
    );
  }
  let offset = start;
  const raw = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= stop) return controller.close();
      const end = Math.min(stop, offset + CHUNK);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
  let crc = 0;
  let size = 0;
  const check = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > entry.size) {
        throw new ZipError(
          `the archive is damaged: ${name} holds more than the ${entry.size} bytes its directory says`,
        );
      }
      crc = crc32(chunk, crc);
      controller.enqueue(chunk);
    },
    flush() {
      if (size !== entry.size) {
        throw new ZipError(
          `the archive is damaged: ${name} holds ${size} bytes, its directory says ${entry.size}`,
        );
      }
      if (crc !== entry.crc32) {
        throw new ZipError(
          `the archive is damaged: ${name} does not match its checksum`,
        );
      }
    },
  });
  const data = entry.method === 8 ? raw.pipeThrough(decompressing(name)) : raw;
  return data.pipeThrough(check);
}

/** `deflate-raw` decompression whose failure is a {@link ZipError}. */
function decompressing(
  name: string,
): ReadableWritablePair<Uint8Array, Uint8Array> {
  const inflate = new DecompressionStream("deflate-raw");
  const reader = inflate.readable.getReader();
  const readable = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        throw new ZipError(
          `the archive is damaged: ${name} does not decompress (${
            error instanceof Error ? error.message : String(error)
          })`,
        );
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  // It takes any BufferSource, so Uint8Array chunks too.
  const writable = inflate.writable as WritableStream<Uint8Array>;
  return { writable, readable };
}
