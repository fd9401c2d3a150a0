import assert from "node:assert/strict";
import {
  MAX_ENTRIES_PER_FRAME,
  MAX_FRAME_CHARS,
  NotificationStream,
  notificationUrl,
  parseFrame,
  type PlexChange,
  type SocketLike,
} from "./notifications.ts";

Deno.test("notificationUrl() keeps the host and path prefix, picks ws/wss, never carries a query", () => {
  assert.equal(
    notificationUrl("http://192.168.1.10:32400"),
    "ws://192.168.1.10:32400/:/websockets/notifications",
  );
  assert.equal(
    notificationUrl("https://plex.example.com/plex/"),
    "wss://plex.example.com/plex/:/websockets/notifications",
  );
});

Deno.test("parseFrame() reads playing, timeline and activity entries, ids as strings or numbers", () => {
  const frame = (type: string, key: string, entries: unknown[]) =>
    JSON.stringify({
      NotificationContainer: { type, size: entries.length, [key]: entries },
    });
  assert.deepEqual(
    parseFrame(frame("playing", "PlaySessionStateNotification", [{
      sessionKey: "41",
      ratingKey: "1003",
      viewOffset: 1000,
      state: "paused",
    }])).changes,
    [{ kind: "playing", ratingKey: "1003", sessionKey: "41", state: "paused" }],
  );
  // goplex sends numbers, @ctrl/plex strings (API.md §23).
  assert.deepEqual(
    parseFrame(frame("timeline", "TimelineEntry", [
      {
        identifier: "com.plexapp.plugins.library",
        sectionID: 2,
        itemID: 7,
        state: 5,
      },
      { sectionID: "3", itemID: "8", state: 0 },
      { identifier: "com.plexapp.plugins.other", sectionID: 2, itemID: 9 },
    ])).changes,
    [
      { kind: "timeline", sectionId: "2", itemId: "7", state: 5 },
      { kind: "timeline", sectionId: "3", itemId: "8", state: 0 },
    ],
  );
  assert.deepEqual(
    parseFrame(frame("activity", "ActivityNotification", [{
      event: "ended",
      uuid: "u1",
      Activity: {
        uuid: "u1",
        type: "library.update.section",
        Context: { librarySectionID: "1" },
      },
    }])).changes,
    [{ kind: "activity", uuid: "u1", event: "ended", sectionId: "1" }],
  );
  assert.deepEqual(
    parseFrame(frame("transcodeSession.end", "TranscodeSession", [{}])).changes,
    [{ kind: "transcode" }],
  );
});

Deno.test("parseFrame() skips what it cannot read, within its limits", () => {
  assert.match(parseFrame("{").unreadable!, /not JSON/);
  assert.match(
    parseFrame("null").unreadable!,
    /without a NotificationContainer/,
  );
  assert.match(
    parseFrame('{"NotificationContainer":{"size":1}}').unreadable!,
    /type/,
  );
  const long = JSON.stringify({
    NotificationContainer: { type: "playing", x: "y".repeat(MAX_FRAME_CHARS) },
  });
  assert.match(parseFrame(long).unreadable!, /more than 1048576/);
  // Unknown and unused types: read, no changes.
  for (
    const type of [
      "status",
      "log",
      "preference",
      "update.statechange",
      "new.thing",
    ]
  ) {
    const r = parseFrame(JSON.stringify({ NotificationContainer: { type } }));
    assert.equal(r.unreadable, undefined);
    assert.deepEqual(r.changes, []);
  }
  // Malformed entries are dropped; long lists are read only so far.
  const many = JSON.stringify({
    NotificationContainer: {
      type: "timeline",
      TimelineEntry: [
        null,
        "x",
        [1],
        { sectionID: { nested: 1 }, itemID: "z".repeat(100), state: "5" },
        ...Array.from(
          { length: MAX_ENTRIES_PER_FRAME * 3 },
          () => ({ itemID: 1 }),
        ),
      ],
    },
  });
  const changes = parseFrame(many).changes as Extract<
    PlexChange,
    { kind: "timeline" }
  >[];
  assert.equal(changes.length, MAX_ENTRIES_PER_FRAME - 3);
  assert.deepEqual(changes[0], {
    kind: "timeline",
    sectionId: undefined,
    itemId: undefined,
    state: undefined,
  });
});

/** A socket the test drives, and the stream's timers run by hand. */
function harness(options: { healthyMs?: number } = {}) {
  const sockets:
    (SocketLike & { closed: boolean; headers: Record<string, string> })[] = [];
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const logs: string[] = [];
  const changes: PlexChange[][] = [];
  let resyncs = 0;
  const stream = new NotificationStream({
    baseUrl: "http://plex.test:32400",
    headers: () => Promise.resolve({ "X-Plex-Token": "tok-unit" }),
    log: {
      debug: (m) => logs.push(m),
      info: (m) => logs.push(m),
      warn: (m) => logs.push(m),
    },
    redact: (t) => t.replaceAll("tok-unit", "[REDACTED]"),
    open: (_url, headers) => {
      const socket = {
        onopen: null,
        onmessage: null,
        onerror: null,
        onclose: null,
        closed: false,
        headers,
        close() {
          this.closed = true;
        },
      };
      sockets.push(socket);
      return socket;
    },
    schedule: (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    healthyMs: options.healthyMs,
  });
  const listener = {
    changes: (c: readonly PlexChange[]) => changes.push([...c]),
    resync: () => resyncs++,
  };
  /** Runs the pending timer of `ms` (the only live one of that length). */
  const fire = (ms: number) => {
    const t = timers.find((x) => !x.cancelled && x.ms === ms);
    assert.ok(
      t,
      `a pending ${ms} ms timer (have ${
        timers.filter((x) => !x.cancelled).map((x) => x.ms)
      })`,
    );
    t.cancelled = true;
    t.fn();
  };
  const fail = (socket: SocketLike, message = "Invalid status code: 503") => {
    socket.onerror?.({ message } as unknown as Event);
    socket.onclose?.({ code: 1006 } as CloseEvent);
  };
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return {
    stream,
    listener,
    sockets,
    timers,
    logs,
    changes,
    fire,
    fail,
    tick,
    resyncs: () => resyncs,
  };
}

Deno.test("NotificationStream retries after 1, 2, 4 … 60 s and resets after a healthy minute", async () => {
  const h = harness();
  const stop = h.stream.listen(h.listener);
  await h.tick();
  assert.equal(h.sockets.length, 1);
  assert.equal(h.sockets[0]!.headers["X-Plex-Token"], "tok-unit");
  const delays: number[] = [];
  for (let i = 0; i < 9; i++) {
    h.fail(h.sockets.at(-1)!);
    const next = h.timers.filter((t) => !t.cancelled && t.ms !== 30_000).at(
      -1,
    )!;
    delays.push(next.ms);
    h.fire(next.ms);
    await h.tick();
  }
  assert.deepEqual(delays, [
    1_000,
    2_000,
    4_000,
    8_000,
    16_000,
    32_000,
    60_000,
    60_000,
    60_000,
  ]);
  // Three warnings, then quieter; the token never in a line.
  assert.equal(h.logs.filter((l) => /retrying/.test(l)).length, 9);
  assert.ok(h.logs.every((l) => !l.includes("tok-unit")));
  // Open, healthy for a minute, then dropped: back to 1 s.
  const socket = h.sockets.at(-1)!;
  socket.onopen?.(new Event("open"));
  assert.equal(h.stream.connected, true);
  assert.equal(h.resyncs(), 0, "the first connection is no reconnection");
  h.fire(60_000);
  h.fail(socket, "closed");
  assert.equal(h.timers.filter((t) => !t.cancelled).at(-1)!.ms, 1_000);
  h.fire(1_000);
  await h.tick();
  h.sockets.at(-1)!.onopen?.(new Event("open"));
  assert.equal(h.resyncs(), 1, "reconnected: the listener re-reads");
  // Dropped again at once (not healthy): 2 s.
  h.fail(h.sockets.at(-1)!, "closed");
  assert.equal(
    h.timers.filter((t) => !t.cancelled && t.ms !== 30_000).at(-1)!.ms,
    2_000,
  );
  // The last listener goes: no socket, no retry.
  stop();
  assert.ok(h.timers.every((t) => t.cancelled), "every timer cancelled");
  assert.equal(h.stream.active, false);
});

Deno.test("NotificationStream hands changes to every listener, closes with the last, gives up a silent handshake", async () => {
  const h = harness();
  const other: PlexChange[][] = [];
  const stopA = h.stream.listen(h.listener);
  const stopB = h.stream.listen({
    changes: (c) => other.push([...c]),
    resync: () => {},
  });
  await h.tick();
  assert.equal(h.sockets.length, 1, "one socket for both");
  const s = h.sockets[0]!;
  s.onopen?.(new Event("open"));
  s.onmessage?.({
    data:
      '{"NotificationContainer":{"type":"playing","PlaySessionStateNotification":[{"ratingKey":"5"}]}}',
  } as MessageEvent);
  s.onmessage?.(
    { data: '{"NotificationContainer":{"type":"status"}}' } as MessageEvent,
  );
  s.onmessage?.({ data: new Uint8Array(4) } as MessageEvent);
  assert.equal(h.changes.length, 1);
  assert.equal(other.length, 1);
  assert.equal(h.stream.stats.unreadable, 1);
  stopA();
  assert.equal(s.closed, false);
  stopB();
  assert.equal(s.closed, true);
  stopB();

  // A server that takes the connection and never answers the handshake.
  const g = harness();
  g.stream.listen(g.listener);
  await g.tick();
  g.fire(30_000);
  assert.equal(g.sockets[0]!.closed, true);
  assert.match(
    g.logs.at(-1)!,
    /no answer to the handshake within 30 s; retrying in 1 s/,
  );
  g.stream.close();
});
