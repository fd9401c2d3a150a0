/**
 * Caching: a session where the assistant re-reads what it just read (as
 * models do), with one write in the middle; upstream requests with and
 * without the cache, and proof that the write is seen.
 */
import { validArgs } from "../tests/support/tool_args.ts";
import { type Section, startRig } from "./lib.ts";

async function session(env: Record<string, string>) {
  const rig = await startRig({ env });
  const args = validArgs(rig.fake.library);
  const rk = String(args.get_media_details!.ratingKey);
  try {
    const before = rig.fake.requests.length;
    for (let round = 0; round < 5; round++) {
      await rig.call("get_libraries");
      await rig.call("browse_library", args.browse_library);
      await rig.call("get_media_details", { ratingKey: rk });
    }
    await rig.call("mark_watched", { ratingKey: rk });
    const after = await rig.call("get_media_details", { ratingKey: rk });
    for (let round = 0; round < 5; round++) await rig.call("get_libraries");
    return {
      requests: rig.fake.requests.length - before,
      seenWrite: (after.structured as { watched: boolean }).watched,
    };
  } finally {
    await rig.close();
  }
}

/** Compares the session with the default cache and with it off. */
export async function caching(): Promise<Section> {
  const on = await session({});
  const off = await session({ PLEX_CACHE_TTL: "0" });
  return {
    title: "Caching: 22 calls re-reading the same things, one write",
    lines: [
      "| cache | Plex requests | read after write sees the change |",
      "| --- | --- | --- |",
      `| default (\`PLEX_CACHE_TTL=5\`) | ${on.requests} | ${
        on.seenWrite ? "yes" : "**no**"
      } |`,
      `| off (\`PLEX_CACHE_TTL=0\`) | ${off.requests} | ${
        off.seenWrite ? "yes" : "**no**"
      } |`,
    ],
    targets: [
      {
        name: "cache cuts upstream requests",
        met: on.requests < off.requests,
        detail: `${on.requests} vs ${off.requests}`,
      },
      {
        name: "a write invalidates the cache",
        met: on.seenWrite,
        detail: on.seenWrite ? "fresh read after write" : "stale",
      },
    ],
  };
}
