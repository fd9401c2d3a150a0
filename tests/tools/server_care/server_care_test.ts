/**
 * Server care end to end, through the real stdio server against the fake
 * Plex: activities, the bandwidth and resources dashboards (filters as
 * python-plexapi sends them), and housekeeping that asks first and reports
 * what the server did.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectStdio, TEST_TOKEN, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function writes(fake: FakePlex, from: number): string[] {
  return fake.requests.slice(from).filter((r) => r.method !== "GET").map((r) =>
    `${r.method} ${r.path}`
  );
}

Deno.test("server care: activities, bandwidth and resources dashboards, housekeeping asked for and reported", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "admin,server_care",
  });
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    // Activities: none, then the scan scan_library starts.
    const idle = await call("list_activities");
    assert.equal(idle.s.total, 0);
    assert.match(idle.text, /not busy/);
    await call("scan_library", { library: "Classic Movies", wait: false });
    const busy = await call("list_activities");
    assert.equal(busy.s.total, 1, busy.text);
    assert.deepEqual(
      { ...busy.s.activities[0], uuid: "" },
      {
        uuid: "",
        type: "library.update.section",
        title: "Scanning Classic Movies",
        subtitle: "Scanning files",
        progress: 0,
        cancellable: false,
        library: "1",
      },
    );

    // Bandwidth: the `at>` filter and the account, as ppa sends them.
    let at = fake.requests.length;
    const before = Math.floor(Date.now() / 1000);
    const bw = await call("get_bandwidth_stats", {
      since_hours: 24,
      account: "demo-owner",
    });
    assert.equal(bw.r.isError, undefined, bw.text);
    const ask = fake.requests.slice(at).find((q) =>
      q.path.startsWith("/statistics/bandwidth")
    )!;
    const q = new URL(`http://x${ask.path}`).searchParams;
    assert.equal(q.get("timespan"), "4", "hours");
    assert.equal(q.get("accountID"), "1");
    assert.ok(
      Math.abs(Number(q.get("at>")) - (before - 24 * 3600)) <= 5,
      ask.path,
    );
    assert.deepEqual(bw.s.accounts.map((a: Any) => a.name), ["demo-owner"]);
    assert.deepEqual(
      bw.s.devices.map((d: Any) => d.name).sort(),
      ["Desk", "Living Room TV"],
    );
    assert.equal(bw.s.remote_bytes, 0, "the owner's devices are local");
    assert.equal(bw.s.total_bytes, bw.s.lan_bytes);
    assert.ok(bw.s.total_bytes > 0);
    assert.equal(
      bw.s.buckets.reduce((n: number, b: Any) => n + b.bytes, 0),
      bw.s.total_bytes,
      "24 hourly buckets, all shown",
    );
    assert.match(bw.text, /Since .*for demo-owner: \d.* streamed \(local/);
    // Everyone, remote only: Alex on the Roku.
    const remote = await call("get_bandwidth_stats", {
      lan: false,
      granularity: "days",
      since_hours: 24 * 30,
    });
    assert.deepEqual(remote.s.accounts.map((a: Any) => a.name), ["Alex"]);
    assert.equal(remote.s.lan_bytes, 0);
    assert.ok(remote.s.buckets.length <= 48);

    // Resources: latest, average, peak.
    const res = await call("get_resource_stats");
    assert.equal(res.r.isError, undefined, res.text);
    assert.equal(res.s.samples, 24);
    assert.equal(res.s.latest.host_memory, 64.9);
    assert.ok(res.s.peak.host_cpu >= res.s.average.host_cpu);
    assert.match(res.text, /latest: CPU [\d.]+% \(Plex [\d.]+%\), memory/);

    // Housekeeping asks first and sends nothing until confirmed.
    at = fake.requests.length;
    for (
      const [name, args, message] of [
        [
          "clean_bundles",
          {},
          /Delete the metadata bundles .* cannot be undone/,
        ],
        [
          "optimize_database",
          {},
          /Optimize the server's database, which rewrites it cannot be undone/,
        ],
        [
          "empty_trash",
          { library: "1" },
          /Empty the trash of library "Classic Movies".* cannot be undone/,
        ],
      ] as const
    ) {
      const r = await call(name, args);
      assert.equal(r.r.isError, true, name);
      assert.match(r.text, message);
    }
    assert.deepEqual(writes(fake, at), []);

    at = fake.requests.length;
    const clean = await call("clean_bundles", { confirm: true });
    assert.equal(clean.r.isError, undefined, clean.text);
    const optimize = await call("optimize_database", { confirm: true });
    assert.equal(optimize.r.isError, undefined, optimize.text);
    assert.match(optimize.text, /Plex accepted the database optimization/);
    assert.deepEqual(writes(fake, at), [
      "PUT /library/clean/bundles?async=1",
      "PUT /library/optimize?async=1",
    ]);

    // Empty trash: two movies whose files are gone disappear, with their
    // places in collections and playlists; the others stay.
    const gone = [...fake.library.sections.get(1)!.items].slice(0, 2);
    for (const rk of gone) {
      fake.library.items.get(rk)!.raw.deletedAt = 1_763_000_000;
    }
    at = fake.requests.length;
    const emptied = await call("empty_trash", {
      library: "Classic Movies",
      confirm: true,
    });
    assert.equal(emptied.r.isError, undefined, emptied.text);
    assert.equal(emptied.s.removed, 2);
    assert.equal(emptied.s.itemsAfter, emptied.s.itemsBefore - 2);
    assert.deepEqual(writes(fake, at), ["PUT /library/sections/1/emptyTrash"]);
    for (const rk of gone) assert.equal(fake.library.items.has(rk), false);
    // The fake's dashboards refuse what Plex is not known to take.
    const direct = await fake.handle(
      new Request(
        `http://fake/statistics/bandwidth?timespan=5&X-Plex-Token=${TEST_TOKEN}`,
      ),
    );
    assert.equal(direct.status, 400);
  } finally {
    await close();
  }
});
