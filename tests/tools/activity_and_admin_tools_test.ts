/**
 * The activity and admin tools end to end over stdio against the loopback
 * fake Plex: sessions, history, users, butler tasks, and a library scan
 * with its progress. One server process serves the steps.
 */
import assert from "node:assert/strict";
import { textOf } from "../support/helpers.ts";
import { type Any, fails, ok, withServer } from "../support/tool_calls.ts";

Deno.test("activity and admin tools", async (t) => {
  await withServer(async (call, fake, s) => {
    await t.step(
      "get_active_sessions tells transcode from direct play",
      async () => {
        const r = ok(await call("get_active_sessions"));
        assert.equal(r.total, 2);
        const charade = r.sessions.find((x: Any) => x.item.title === "Charade");
        assert.equal(charade.playback, "transcode");
        assert.equal(charade.user, "Alex");
        assert.equal(charade.bandwidthKbps, 4600);
        assert.equal(r.sessions[1].playback, "direct play");
        assert.match(
          textOf(await call("get_active_sessions")),
          /Alex: \[\d+\] Charade \(1963\) · playing · 41m\/1h 53m · on Bedroom Roku/,
        );
      },
    );

    await t.step(
      "get_watch_history filters by account, library and since",
      async () => {
        const all = ok(await call("get_watch_history", { limit: 100 }));
        assert.ok(all.total >= 9);
        const viewed = all.items.map((e: Any) => e.viewedAt);
        assert.deepEqual(viewed, [...viewed].sort().reverse(), "newest first");
        const alex = ok(await call("get_watch_history", { account: "Alex" }));
        assert.ok(
          alex.total === 5 &&
            alex.items.every((e: Any) => e.account === "Alex"),
        );
        const music = ok(
          await call("get_watch_history", { library: "Music", account: "2" }),
        );
        assert.equal(music.total, 5);
        const recent = ok(
          await call("get_watch_history", { since: "2025-11-11" }),
        );
        assert.ok(recent.total < all.total);
        fails(
          await call("get_watch_history", { account: "Nobody" }),
          /No account matches "Nobody"/,
        );
        fails(
          await call("get_watch_history", { since: "yesterday-ish" }),
          /not a date/,
        );
      },
    );

    await t.step("list_users and butler tasks", async () => {
      const users = ok(await call("list_users"));
      assert.deepEqual(users.accounts.map((a: Any) => a.name), [
        "demo-owner",
        "Alex",
        "Sam",
      ]);
      const tasks = ok(await call("list_butler_tasks"));
      assert.ok(tasks.tasks.some((x: Any) => x.name === "BackupDatabase"));
      assert.equal(
        ok(await call("run_butler_task", { name: "BackupDatabase" })).status,
        "started",
      );
      assert.equal(
        ok(await call("run_butler_task", { name: "backup database" })).status,
        "already running",
      );
      assert.ok(
        fake.library.butler.find((b) => b.raw.name === "BackupDatabase")!
          .running,
      );
      fails(
        await call("run_butler_task", { name: "MakeCoffee" }),
        /No maintenance task matches "MakeCoffee". Valid choices:.*BackupDatabase/,
      );
      fails(await call("run_butler_task", {}), /name/);
    });

    await t.step(
      "scan_library waits for the scan and sends progress notifications",
      async () => {
        const before = fake.library.sections.get(1)!.raw.scannedAt;
        const progress: number[] = [];
        const r = await s.client.callTool(
          { name: "scan_library", arguments: { library: "Classic Movies" } },
          undefined,
          { onprogress: (p) => progress.push(p.progress) },
        );
        const out = ok(r);
        assert.equal(out.status, "finished");
        assert.equal(out.itemsBefore, 8);
        assert.equal(out.itemsAfter, 8);
        assert.notEqual(fake.library.sections.get(1)!.raw.scannedAt, before);
        assert.ok(progress.length >= 3, `progress ${progress}`);
        assert.equal(progress.at(-1), 100);
        assert.ok(
          fake.requests.some((q) => q.path === "/library/sections/1/refresh"),
        );
        const quick = ok(
          await call("scan_library", { library: "2", wait: false }),
        );
        assert.equal(quick.status, "started");
        fails(
          await call("scan_library", { library: "Nope" }),
          /No library matches/,
        );
        fails(
          await call("scan_library", { library: "1", timeout_seconds: 0 }),
          /timeout_seconds/,
        );
      },
    );
  });
});
