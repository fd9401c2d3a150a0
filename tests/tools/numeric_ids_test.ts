/**
 * Clients that parse JSON (the MCP Inspector CLI, other models) send ids as
 * numbers: `ratingKey: 1003`. Every id argument of every tool accepts both
 * forms, handlers see the same string, and the listed schemas say so. The
 * id arguments are read from the listed schemas, so a new one cannot be
 * left out of the test.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { connectStdio, textOf } from "../support/helpers.ts";
import { idArguments } from "../support/id_arguments.ts";
import { PLEX_TV_TOOLS, validArgs } from "../support/tool_args.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/**
 * A numeric value for id argument `name` of `tool` that names something on
 * a fresh demo library (from the tool's valid arguments where they have
 * one). Unknown argument names fail, so a new id argument must be added.
 */
function numericValue(
  fake: FakePlex,
  tool: string,
  name: string,
  base: Record<string, unknown>,
): number {
  const lib = fake.library;
  const halloween = [...lib.playlists.entries()].find(([, p]) =>
    p.raw.title === "Halloween Night"
  )!;
  const movie = [...lib.items.values()].find((i) => i.raw.title === "Detour")!;
  switch (name) {
    case "ratingKey":
      return Number(base.ratingKey ?? movie.ratingKey);
    case "library":
      return 1;
    case "account":
      return lib.accounts.find((a) => a.name !== "")!.id;
    case "playlist":
      return Number(halloween[0]);
    case "playlistItemId":
      return halloween[1].entries[0]!.id;
    default:
      throw new Error(`${tool}.${name}: no numeric test value; add one`);
  }
}

/** Arguments that exclude each other: the other one is left out. */
const EXCLUSIVE: Record<string, string> = {
  playlistItemId: "ratingKey",
  ratingKey: "playlistItemId",
};

Deno.test("every id argument of every tool accepts a number", async () => {
  const listing = await connectStdio();
  let tools: Any[];
  try {
    tools = (await listing.client.listTools()).tools;
  } finally {
    await listing.close();
  }
  const calls: string[] = [];
  // A server over stdio reaches plex.tv only in demo mode: the tools that
  // talk to it get the same check with a fake plex.tv
  // (tests/tools/insights/watchlist_and_home_users_test.ts).
  for (const tool of tools.filter((t) => !PLEX_TV_TOOLS.includes(t.name))) {
    for (const [name, isArray] of idArguments(tool)) {
      const { client, fake, close } = await connectStdio();
      try {
        const base = validArgs(fake.library)[tool.name];
        assert.ok(base, `${tool.name} has valid test arguments`);
        const args: Record<string, unknown> = { ...base };
        if (EXCLUSIVE[name]) delete args[EXCLUSIVE[name]!];
        let sent: number[];
        if (isArray) {
          sent = (base[name] as string[]).map(Number);
          args[name] = sent;
        } else {
          sent = [numericValue(fake, tool.name, name, base)];
          args[name] = sent[0];
        }
        if ("confirm" in (tool.inputSchema.properties ?? {})) {
          args.confirm = true;
        }
        const seen = fake.requests.length;
        const r = await client.callTool({ name: tool.name, arguments: args });
        assert.notEqual(
          r.isError,
          true,
          `${tool.name} ${name}=${JSON.stringify(args[name])}: ${textOf(r)}`,
        );
        // The number was used as the id it stands for: sent to Plex, or
        // (an entry picked from a list) named in the result.
        const used = fake.requests.slice(seen).map((q) => q.path).join(" ") +
          " " + JSON.stringify(r.structuredContent);
        for (const id of sent) {
          assert.match(
            used,
            new RegExp(`[/=,"]${id}($|[/&?, "])`),
            `${tool.name} ${name}=${id} was used: ${used}`,
          );
        }
        calls.push(`${tool.name}.${name}`);
      } finally {
        await close();
      }
    }
  }
  // The list comes from the schemas; these are among it.
  for (
    const must of [
      "get_media_details.ratingKey",
      "create_playlist.ratingKeys",
      "remove_from_playlist.playlistItemId",
      "get_watch_history.account",
      "get_watch_history.library",
      "get_watch_history.ratingKey",
      "search_media.library",
      "get_recently_added.library",
      "get_on_deck.library",
    ]
  ) {
    assert.ok(calls.includes(must), `${must} in ${calls.join(", ")}`);
  }
});

Deno.test("numeric ids: the schema declares a string, numbers are taken, bad values still name the field", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const { tools } = await client.listTools();
    const details = tools.find((t) => t.name === "get_media_details")!;
    // One declared type (a type list is refused by strict clients, see
    // tests/tools/schema_portability_test.ts); numbers are still taken (below).
    assert.equal(
      (details.inputSchema.properties as Record<string, { type: unknown }>)
        .ratingKey!.type,
      "string",
    );
    const rate = tools.find((t) => t.name === "rate_media")!;
    assert.equal(
      (rate.inputSchema.properties as Record<string, { type: unknown }>)
        .rating!.type,
      "number",
      "a plain number type for clients that convert arguments by it",
    );
    // A rating as a numeric string, as clients that send what was typed do.
    for (const [rating, stored] of [["8", 8], [" 6.5 ", 6.5]] as const) {
      const r = await client.callTool({
        name: "rate_media",
        arguments: { ratingKey: "1003", rating },
      });
      assert.equal(r.isError, undefined, textOf(r));
      assert.equal((r.structuredContent as Any).rating, stored);
      assert.equal(fake.item("1003")!.raw.userRating, stored);
    }
    // -1 clears (Plex's own convention), also as "-1"; null is still taken.
    for (const rating of [-1, "-1", null]) {
      fake.item("1003")!.raw.userRating = 5;
      const r = await client.callTool({
        name: "rate_media",
        arguments: { ratingKey: 1003, rating, confirm: true },
      });
      assert.equal(r.isError, undefined, textOf(r));
      assert.equal(fake.item("1003")!.raw.userRating, undefined, `${rating}`);
    }
    for (const bad of [-0.5, "-0.5", "12", "8a", "", "1e1"]) {
      const r = await client.callTool({
        name: "rate_media",
        arguments: { ratingKey: 1003, rating: bad },
      });
      assert.equal(r.isError, true, `rating ${JSON.stringify(bad)}`);
      assert.match(textOf(r), /rating/);
    }
    for (const bad of [-1, 1.5, "12a", ""]) {
      const r = await client.callTool({
        name: "get_media_details",
        arguments: { ratingKey: bad },
      });
      assert.equal(r.isError, true);
      assert.match(
        textOf(r),
        /must be a numeric ratingKey such as 1003.* at ratingKey/s,
      );
    }
  } finally {
    await close();
  }
});
