/**
 * Writes a real zip archive for the fake Plex's log download: each file
 * deflated with `CompressionStream("deflate-raw")` (or stored), with its
 * CRC-32, a local file header before its data and a central directory and
 * end-of-central-directory record after them (PKWARE APPNOTE.TXT 6.3.10
 * §4.3.7, §4.3.12, §4.3.16), so that any zip tool (`unzip -t`, Python's
 * zipfile) reads it.
 *
 * @module
 */
import { crc32 } from "../../plex/zip.ts";

/** One file to put in the archive. */
export interface ZipInput {
  /** Path inside the archive. */
  name: string;
  /** Contents. */
  data: Uint8Array;
  /** Last modified. */
  modified: Date;
  /** Store it uncompressed instead of deflating it. */
  store?: boolean;
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(
    new CompressionStream("deflate-raw"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** MS-DOS time and date (APPNOTE 4.4.6), local fields of `d` in UTC. */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) |
      Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) |
      d.getUTCDate(),
  };
}

/** Builds the archive. */
export async function writeZip(
  files: readonly ZipInput[],
): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = enc.encode(file.name);
    const body = file.store ? file.data : await deflate(file.data);
    const crc = crc32(file.data);
    const { time, date } = dosTime(file.modified);
    // Bit 11: the name is UTF-8.
    const flags = 0x0800;
    const method = file.store ? 0 : 8;
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    l.setUint16(6, flags, true);
    l.setUint16(8, method, true);
    l.setUint16(10, time, true);
    l.setUint16(12, date, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, body.length, true);
    l.setUint32(22, file.data.length, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    local.set(name, 30);
    const header = new Uint8Array(46 + name.length);
    const c = new DataView(header.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, (3 << 8) | 20, true); // made by: Unix, 2.0
    c.setUint16(6, 20, true);
    c.setUint16(8, flags, true);
    c.setUint16(10, method, true);
    c.setUint16(12, time, true);
    c.setUint16(14, date, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, body.length, true);
    c.setUint32(24, file.data.length, true);
    c.setUint16(28, name.length, true);
    // extra, comment, disk, internal attributes: 0
    c.setUint32(38, (0o100644 << 16) >>> 0, true); // a regular file, rw-r--r--
    c.setUint32(42, offset, true);
    header.set(name, 46);
    parts.push(local, body);
    central.push(header);
    offset += local.length + body.length;
  }
  const directorySize = central.reduce((n, h) => n + h.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, files.length, true);
  e.setUint16(10, files.length, true);
  e.setUint32(12, directorySize, true);
  e.setUint32(16, offset, true);
  const all = new Uint8Array(offset + directorySize + end.length);
  let at = 0;
  for (const part of [...parts, ...central, end]) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}
