/**
 * Posters end to end over stdio: get_media_details with include_poster
 * returns the poster as an MCP image block, resized by Plex's photo
 * transcoder (the fake serves a real JPEG), with no URL or token reaching
 * the client; without the flag nothing is fetched; an item without art
 * says so; oversized or non-image answers are refused; and
 * plex://media/{ratingKey}/poster serves the same bytes as a blob.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { POSTER_JPEG } from "../../../src/demo/fake_plex/routes/insights.ts";
import {
  MAX_POSTER_BYTES,
  POSTER_BOX,
} from "../../../src/tools/library/poster.ts";
import { connectStdio, TEST_TOKEN, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function key(fake: FakePlex, title: string, type?: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(title);
}

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** A real JPEG made larger by a comment segment of `size` bytes. */
function paddedJpeg(size: number): Uint8Array {
  const out = new Uint8Array(POSTER_JPEG.length + size + 4);
  out.set(POSTER_JPEG.subarray(0, 2)); // SOI
  out.set([0xff, 0xfe, ((size + 2) >> 8) & 0xff, (size + 2) & 0xff], 2);
  out.fill(0x20, 6, 6 + size);
  out.set(POSTER_JPEG.subarray(2), 6 + size);
  return out;
}

Deno.test("get_media_details include_poster: an image block from Plex's photo transcoder, no URL or token", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "library",
  });
  try {
    const detour = key(fake, "Detour");
    const thumb = String(fake.library.items.get(detour)!.raw.thumb);
    const seen = fake.requests.length;
    const r = await client.callTool({
      name: "get_media_details",
      arguments: { ratingKey: detour, include_poster: true },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const content = r.content as Any[];
    assert.equal(content.length, 2);
    assert.equal(content[0].type, "text");
    assert.equal(content[1].type, "image");
    assert.equal(content[1].mimeType, "image/jpeg");
    const image = bytesOf(content[1].data);
    assert.deepEqual(image, POSTER_JPEG, "the transcoder's bytes, unchanged");
    assert.ok(image.length <= MAX_POSTER_BYTES);
    assert.deepEqual((r.structuredContent as Any).poster, {
      mimeType: "image/jpeg",
      bytes: POSTER_JPEG.length,
    });
    assert.match(
      textOf(r),
      new RegExp(`Poster: image/jpeg, ${POSTER_JPEG.length} bytes`),
    );
    const photo = fake.requests.slice(seen).filter((q) =>
      q.path.startsWith("/photo/:/transcode")
    );
    assert.equal(photo.length, 1);
    const q = new URL(`http://x${photo[0]!.path}`).searchParams;
    assert.equal(q.get("url"), thumb);
    assert.equal(q.get("width"), String(POSTER_BOX.width));
    assert.equal(q.get("height"), String(POSTER_BOX.height));
    assert.equal(q.get("minSize"), "0");
    assert.equal(q.get("upscale"), "0");
    // Neither the token nor any address of the server reaches the client.
    const all = JSON.stringify(r);
    assert.ok(!all.includes(TEST_TOKEN));
    assert.ok(!/https?:\/\//.test(all.replace(content[1].data, "")), all);

    // Off by default: a text-only client pays nothing.
    const before = fake.requests.length;
    const plain = await client.callTool({
      name: "get_media_details",
      arguments: { ratingKey: detour },
    });
    assert.equal((plain.content as Any[]).length, 1);
    assert.equal((plain.structuredContent as Any).poster, undefined);
    assert.ok(
      !fake.requests.slice(before).some((x) => x.path.startsWith("/photo")),
    );

    // An episode of a show without art: said, no image.
    const episode = [...fake.library.items.values()].find((i) =>
      i.raw.type === "episode"
    )!.ratingKey;
    const none = await client.callTool({
      name: "get_media_details",
      arguments: { ratingKey: episode, include_poster: true },
    });
    assert.equal(none.isError, undefined);
    assert.equal((none.content as Any[]).length, 1);
    assert.match(
      textOf(none),
      /Poster: none \(Plex has no art for this item\)/,
    );
  } finally {
    await close();
  }
});

Deno.test("posters over the size limit are asked for smaller once, then refused; a non-image is refused", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "library",
  });
  try {
    const detour = key(fake, "Detour");
    fake.posterBytes = paddedJpeg(60_000);
    const seen = fake.requests.length;
    const big = await client.callTool({
      name: "get_media_details",
      arguments: { ratingKey: detour, include_poster: true },
    });
    assert.equal(big.isError, true);
    assert.match(
      textOf(big),
      /poster for item \d+ is over 50 KB even at 200×300: not sent/,
    );
    const sizes = fake.requests.slice(seen).filter((q) =>
      q.path.startsWith("/photo/:/transcode")
    ).map((q) => new URL(`http://x${q.path}`).searchParams.get("width"));
    assert.deepEqual(sizes, ["320", "200"]);
    fake.posterBytes = new TextEncoder().encode("<html>Not Found</html>");
    const html = await client.callTool({
      name: "get_media_details",
      arguments: { ratingKey: detour, include_poster: true },
    });
    assert.match(textOf(html), /not a JPEG or PNG image/);
  } finally {
    await close();
  }
});

Deno.test("plex://media/{ratingKey}/poster serves the poster as a blob", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const templates = (await client.listResourceTemplates()).resourceTemplates;
    assert.ok(
      templates.some((t) =>
        t.uriTemplate === "plex://media/{ratingKey}/poster"
      ),
    );
    const detour = key(fake, "Detour");
    const read = await client.readResource({
      uri: `plex://media/${detour}/poster`,
    });
    const c = read.contents[0] as Any;
    assert.equal(c.mimeType, "image/jpeg");
    assert.deepEqual(bytesOf(c.blob), POSTER_JPEG);
    const episode = [...fake.library.items.values()].find((i) =>
      i.raw.type === "episode"
    )!.ratingKey;
    await assert.rejects(
      client.readResource({ uri: `plex://media/${episode}/poster` }),
      /has no poster \(Plex has no art for it\)/,
    );
    await assert.rejects(
      client.readResource({ uri: "plex://media/abc/poster" }),
      /the ratingKey must be numeric/,
    );
  } finally {
    await close();
  }
});
