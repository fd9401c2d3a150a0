import assert from "node:assert/strict";
import { crc32, openZipEntry, readZipDirectory, ZipError } from "./zip.ts";
import { writeZip } from "../demo/fake_plex/zip_writer.ts";

/**
 * Made by Python 3.11's zipfile (not by this code): a deflated
 * "Plex Media Server.log" (40 lines), a stored "Logs/Plex Tuner
 * Service.log" ("stored text\n") and an archive comment.
 */
const PYTHON_ZIP =
  "UEsDBBQAAAAIAK1BgV1kBSgVegAAAAAPAAAVAAAAUGxleCBNZWRpYSBTZXJ2ZXIubG9n7cw9CgIxEAbQ3lN8B9Awk4Qh2dZFsFAXLEXEnykEsVjMssfXY1h89YPX+x2iS0SJBimdpi5aUBGcNEtMuWopqUq1M7b7zQErDC+fsfPH84qjj5OPmDRkDeln7dben4ZhjbnYxfKi58+fP3/+/Pnz58+fP3/+/P/g/wJQSwMEFAAAAAAAAECBXZHu04kMAAAADAAAABsAAABMb2dzL1BsZXggVHVuZXIgU2VydmljZS5sb2dzdG9yZWQgdGV4dApQSwECFAMUAAAACACtQYFdZAUoFXoAAAAADwAAFQAAAAAAAAAAAAAAgAEAAAAAUGxleCBNZWRpYSBTZXJ2ZXIubG9nUEsBAhQDFAAAAAAAAECBXZHu04kMAAAADAAAABsAAAAAAAAAAAAAAIABrQAAAExvZ3MvUGxleCBUdW5lciBTZXJ2aWNlLmxvZ1BLBQYAAAAAAgACAIwAAADyAAAAFgBtYWRlIGJ5IHB5dGhvbiB6aXBmaWxl";

/**
 * Made by Info-ZIP's `zip - -` from stdin ("first line\nsecond line\n"):
 * sizes only in a data descriptor after the data, 0xffffffff and a zip64
 * extra field in the local header, the real sizes in the central
 * directory.
 */
const INFOZIP_STDIN =
  "UEsDBC0ACAAIANxKgV0AAAAA//////////8BABQALQEAEAAAAAAAAAAAAAAAAAAAAAAAS8ssKi5RyMnMS+UqTk3Oz0uBsAFQSwcILFpFXRQAAAAAAAAAFwAAAAAAAABQSwECHgMtAAgACADcSoFdLFpFXRQAAAAXAAAAAQAAAAAAAAABAAAAgBEAAAAALVBLBQYAAAAAAQABAC8AAABfAAAAAAA=";

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}

/** Offset of the first central directory header. */
function centralAt(zip: Uint8Array): number {
  const v = new DataView(zip.buffer);
  for (let i = 0; i < zip.length - 4; i++) {
    if (v.getUint32(i, true) === 0x02014b50) return i;
  }
  throw new Error("no central header");
}

Deno.test("crc32() matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  // Running: in two pieces, the same.
  const a = crc32(new TextEncoder().encode("1234"));
  assert.equal(crc32(new TextEncoder().encode("56789"), a), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

Deno.test("readZipDirectory() and openZipEntry() read Python's zip: deflated and stored entries", async () => {
  const zip = bytesOf(PYTHON_ZIP);
  const entries = readZipDirectory(zip);
  assert.deepEqual(entries.map((e) => [e.name, e.method, e.size]), [
    ["Plex Media Server.log", 8, 3840],
    ["Logs/Plex Tuner Service.log", 0, 12],
  ]);
  const log = await text(openZipEntry(zip, entries[0]!));
  const lines = log.split("\n");
  assert.equal(lines.length, 41);
  assert.equal(
    lines[0],
    "Dec 01, 2026 08:13:26.100 [140234918839096] INFO - Plex Media Server v1.41.3 - ubuntu PC x86_64",
  );
  assert.equal(await text(openZipEntry(zip, entries[1]!)), "stored text\n");
});

Deno.test("openZipEntry() reads an Info-ZIP entry written with a data descriptor", async () => {
  const zip = bytesOf(INFOZIP_STDIN);
  const [entry] = readZipDirectory(zip);
  assert.equal(entry!.name, "-");
  assert.equal(entry!.flags & 0x08, 0x08, "sizes in a data descriptor");
  assert.equal(
    await text(openZipEntry(zip, entry!)),
    "first line\nsecond line\n",
  );
});

Deno.test("writeZip() output reads back, every entry intact", async () => {
  const enc = new TextEncoder();
  const big = enc.encode(
    "Dec 01, 2026 08:13:26.100 [1] DEBUG - x\n".repeat(50_000),
  );
  const zip = await writeZip([
    { name: "Plex Media Server.log", data: big, modified: new Date() },
    {
      name: "PMS Plugin Logs/com.plexapp.system.log",
      data: enc.encode("é ✓\n"),
      modified: new Date(Date.UTC(2026, 11, 1, 8, 13, 26)),
      store: true,
    },
    { name: "empty.log", data: new Uint8Array(), modified: new Date() },
  ]);
  assert.ok(zip.length < big.length / 20, "deflated");
  const entries = readZipDirectory(zip);
  assert.deepEqual(entries.map((e) => [e.name, e.method, e.size]), [
    ["Plex Media Server.log", 8, big.length],
    ["PMS Plugin Logs/com.plexapp.system.log", 0, 7],
    ["empty.log", 8, 0],
  ]);
  const back = new Uint8Array(
    await new Response(openZipEntry(zip, entries[0]!)).arrayBuffer(),
  );
  assert.equal(back.length, big.length);
  assert.equal(crc32(back), crc32(big));
  assert.equal(await text(openZipEntry(zip, entries[1]!)), "é ✓\n");
  assert.equal(await text(openZipEntry(zip, entries[2]!)), "");
});

const unzip = (() => {
  try {
    return new Deno.Command("unzip", { args: ["-v"], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "writeZip() output passes Info-ZIP's own test (unzip -t)",
  ignore: !unzip,
  fn: async () => {
    const zip = await writeZip([
      {
        name: "Plex Media Server.log",
        data: new TextEncoder().encode("a\nb\n".repeat(1000)),
        modified: new Date(),
      },
      {
        name: "stored.log",
        data: new TextEncoder().encode("s\n"),
        modified: new Date(),
        store: true,
      },
    ]);
    const path = await Deno.makeTempFile({ suffix: ".zip" });
    try {
      await Deno.writeFile(path, zip);
      const out = await new Deno.Command("unzip", {
        args: ["-t", path],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const said = new TextDecoder().decode(out.stdout);
      assert.ok(out.success, said + new TextDecoder().decode(out.stderr));
      assert.match(said, /No errors detected/);
    } finally {
      await Deno.remove(path);
    }
  },
});

Deno.test("readZipDirectory() refuses what is not a zip, zip64 and split archives", () => {
  assert.throws(
    () => readZipDirectory(new TextEncoder().encode("<html>login</html>")),
    (e: unknown) =>
      e instanceof ZipError && /not a zip archive: 18 bytes/.test(e.message),
  );
  assert.throws(
    () => readZipDirectory(new TextEncoder().encode("x".repeat(100))),
    /not a zip archive: no end of central directory/,
  );
  const zip = bytesOf(PYTHON_ZIP);
  const end = zip.length - 22 - "made by python zipfile".length;
  const count = zip.slice();
  new DataView(count.buffer).setUint16(end + 10, 0xffff, true);
  assert.throws(() => readZipDirectory(count), /zip64 format/);
  const entrySize = zip.slice();
  new DataView(entrySize.buffer).setUint32(
    centralAt(entrySize) + 24,
    0xffffffff,
    true,
  );
  assert.throws(
    () => readZipDirectory(entrySize),
    /"Plex Media Server\.log" is stored in the zip64 format/,
  );
  const split = zip.slice();
  new DataView(split.buffer).setUint16(end + 4, 1, true);
  assert.throws(() => readZipDirectory(split), /split over several disks/);
  const cut = zip.slice(0, end - 10);
  assert.throws(() => readZipDirectory(cut), /no end of central directory/);
});

Deno.test("openZipEntry() refuses encrypted entries and other methods, and catches damage", async () => {
  const zip = bytesOf(PYTHON_ZIP);
  const [log, stored] = readZipDirectory(zip);
  assert.throws(
    () => openZipEntry(zip, { ...log!, flags: log!.flags | 1 }),
    /"Plex Media Server\.log" is encrypted/,
  );
  assert.throws(
    () => openZipEntry(zip, { ...log!, method: 12 }),
    /compressed with method 12; only stored \(0\) and deflated \(8\)/,
  );
  assert.throws(
    () => openZipEntry(zip, { ...log!, compressedSize: zip.length }),
    /is cut short/,
  );
  assert.throws(
    () => openZipEntry(zip, { ...log!, localHeaderOffset: 10 }),
    /local header of "Plex Media Server\.log" is missing/,
  );
  // A changed byte of stored data: the checksum says so.
  const flipped = zip.slice();
  const storedData = stored!.localHeaderOffset + 30 + stored!.name.length;
  flipped[storedData] = flipped[storedData]! ^ 0x20;
  await assert.rejects(
    text(openZipEntry(flipped, stored!)),
    /"Logs\/Plex Tuner Service\.log" does not match its checksum/,
  );
  // Deflate data that is not deflate.
  const garbled = zip.slice();
  const logData = log!.localHeaderOffset + 30 + log!.name.length;
  garbled.fill(0xff, logData, logData + 8);
  await assert.rejects(
    text(openZipEntry(garbled, log!)),
    (e: unknown) =>
      e instanceof ZipError &&
      /"Plex Media Server\.log" (does not decompress|does not match its checksum|holds)/
        .test(e.message),
  );
  // A directory size that is not the data's.
  await assert.rejects(
    text(openZipEntry(zip, { ...log!, size: 100 })),
    /holds more than the 100 bytes its directory says/,
  );
  await assert.rejects(
    text(openZipEntry(zip, { ...log!, size: 5000 })),
    /holds 3840 bytes, its directory says 5000/,
  );
});
