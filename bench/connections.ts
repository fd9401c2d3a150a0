/**
 * Connection reuse: TCP connections the server opens to Plex for many calls
 * (keep-alive), counted at the loopback fake.
 */
import { type Section, startRig } from "./lib.ts";

/** Runs `calls` calls and counts connections. */
export async function connections(calls: number): Promise<Section> {
  const rig = await startRig({ env: { PLEX_CACHE_TTL: "0" } });
  try {
    const before = rig.fake.requests.length;
    for (let i = 0; i < calls; i++) {
      await rig.call(i % 2 ? "get_plex_status" : "get_libraries");
    }
    const requests = rig.fake.requests.length - before;
    const opened = rig.served.connections.size;
    return {
      title: `Connection reuse: ${calls} calls`,
      lines: [
        "| figure | value |",
        "| --- | --- |",
        `| requests to Plex | ${requests} |`,
        `| TCP connections opened | ${opened} |`,
        `| requests per connection | ${(requests / opened).toFixed(0)} |`,
      ],
      targets: [{
        name: "keep-alive: connections ≤ 10 for all calls",
        met: opened <= 10,
        detail: `${opened} connections`,
      }],
    };
  } finally {
    await rig.close();
  }
}
