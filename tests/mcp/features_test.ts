/** Elicitation for destructive tools, resources, completion and prompts. */
import assert from "node:assert/strict";
import { connectInMemory, textOf } from "../support/helpers.ts";
import { ElicitRequestSchema } from "../support/sdk_client.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** The JSON text of a resource read. */
function body(r: { contents: unknown[] }): Any {
  return JSON.parse((r.contents[0] as { text: string }).text);
}

async function elicitingClient(
  answer: "accept" | "decline" | "cancel",
  confirm = true,
) {
  const asked: string[] = [];
  const conn = await connectInMemory({}, { elicitation: {} }, (client) => {
    client.setRequestHandler(ElicitRequestSchema, (req) => {
      asked.push(String(req.params.message));
      return answer === "accept"
        ? { action: "accept", content: { confirm } }
        : { action: answer };
    });
  });
  return { ...conn, asked };
}

Deno.test("delete_playlist asks through elicitation and deletes when the user accepts", async () => {
  const { client, fake, asked, close } = await elicitingClient("accept");
  try {
    const r = await client.callTool({
      name: "delete_playlist",
      arguments: { playlist: "Halloween Night" },
    });
    assert.notEqual(r.isError, true, textOf(r));
    assert.deepEqual(asked, ['Delete playlist "Halloween Night" (3 items)?']);
    assert.equal(fake.library.playlists.size, 0);
  } finally {
    await close();
  }
});

Deno.test("delete_playlist and remove_from_playlist change nothing when the user declines", async () => {
  for (const answer of ["decline", "cancel"] as const) {
    const { client, fake, asked, close } = await elicitingClient(answer);
    try {
      const entries = [...fake.library.playlists.values()][0]!.entries.length;
      const d = await client.callTool({
        name: "delete_playlist",
        arguments: { playlist: "Halloween Night", confirm: true },
      });
      assert.equal(d.isError, true);
      assert.match(
        textOf(d),
        answer === "decline"
          ? /Cancelled: the user did not confirm. Nothing was changed/
          : /dismissed without an answer, so nothing was changed/,
      );
      const rm = await client.callTool({
        name: "remove_from_playlist",
        arguments: {
          playlist: "Halloween Night",
          ratingKey:
            [...fake.library.playlists.values()][0]!.entries[0]!.ratingKey,
        },
      });
      assert.equal(rm.isError, true);
      assert.equal(asked.length, 2);
      assert.equal(fake.library.playlists.size, 1, "nothing deleted");
      assert.equal(
        [...fake.library.playlists.values()][0]!.entries.length,
        entries,
      );
    } finally {
      await close();
    }
  }
  // Accepting the form but leaving the box unticked is not consent either.
  const { client, fake, close } = await elicitingClient("accept", false);
  try {
    const r = await client.callTool({
      name: "delete_playlist",
      arguments: { playlist: "Halloween Night" },
    });
    assert.equal(r.isError, true);
    assert.equal(fake.library.playlists.size, 1);
  } finally {
    await close();
  }
});

Deno.test("tools without arguments reject unknown ones, naming them", async () => {
  const { client, close } = await connectInMemory();
  try {
    for (
      const name of [
        "get_plex_status",
        "get_libraries",
        "get_active_sessions",
        "list_clients",
        "list_users",
        "list_butler_tasks",
      ]
    ) {
      const r = await client.callTool({ name, arguments: { bogus: 1 } });
      assert.equal(r.isError, true, name);
      assert.match(textOf(r), /Unrecognized key: "bogus"/);
    }
    const typo = await client.callTool({
      name: "browse_library",
      arguments: { library: "1", limt: 5 },
    });
    assert.match(textOf(typo), /Unrecognized key: "limt"/);
  } finally {
    await close();
  }
});

Deno.test("resources: libraries, one library by key or title, one item", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.includes("plex://libraries"));
    assert.ok(uris.includes("plex://library/1"));
    assert.ok(uris.includes("plex://sessions"));
    assert.ok(uris.includes("plex://activities"));
    const sessions = body(
      await client.readResource({ uri: "plex://sessions" }),
    );
    assert.equal(sessions.total, fake.library.sessions.length);
    assert.equal(sessions.sessions[0].user, "Alex");
    const activities = body(
      await client.readResource({ uri: "plex://activities" }),
    );
    assert.deepEqual(activities, { activities: [], total: 0 });
    const templates = (await client.listResourceTemplates()).resourceTemplates
      .map((t) => t.uriTemplate);
    assert.deepEqual(templates.sort(), [
      "plex://library/{key}",
      "plex://media/{ratingKey}",
      "plex://media/{ratingKey}/poster",
    ]);

    const libs = body(await client.readResource({ uri: "plex://libraries" }));
    assert.equal(libs.libraries.length, 6);
    const byTitle = body(
      await client.readResource({ uri: "plex://library/Silent%20Films" }),
    );
    assert.equal(byTitle.library.key, "2");
    assert.equal(byTitle.itemCount, 6);
    assert.ok(byTitle.recentlyAdded.length > 0);
    const rk = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Nosferatu"
    )!.ratingKey;
    const media = body(
      await client.readResource({ uri: `plex://media/${rk}` }),
    );
    assert.equal(media.title, "Nosferatu");
    await assert.rejects(
      client.readResource({ uri: "plex://media/999999" }),
      /404/,
    );
    await assert.rejects(
      client.readResource({ uri: "plex://library/Nope" }),
      /No library matches "Nope"/,
    );
  } finally {
    await close();
  }
});

Deno.test("completion offers library keys and titles", async () => {
  const { client, close } = await connectInMemory();
  try {
    const r = await client.complete({
      ref: { type: "ref/resource", uri: "plex://library/{key}" },
      argument: { name: "key", value: "s" },
    });
    assert.deepEqual(r.completion.values, ["Silent Films"]);
    const k = await client.complete({
      ref: { type: "ref/resource", uri: "plex://library/{key}" },
      argument: { name: "key", value: "" },
    });
    assert.ok(
      k.completion.values.includes("1") &&
        k.completion.values.includes("Music"),
    );
  } finally {
    await close();
  }
});

Deno.test("prompts: what should I watch, library report", async () => {
  const { client, close } = await connectInMemory();
  try {
    const names = (await client.listPrompts()).prompts.map((p) => p.name)
      .sort();
    assert.deepEqual(names, [
      "library_report",
      "what_did_i_miss",
      "what_should_i_watch",
    ]);
    const p = await client.getPrompt({
      name: "what_should_i_watch",
      arguments: {
        mood: "spooky",
        time_available: "90 minutes",
        who_is_watching: "two adults",
      },
    });
    const text = (p.messages[0]!.content as { text: string }).text;
    assert.match(text, /Mood: spooky\./);
    assert.match(text, /Time available: 90 minutes\./);
    assert.match(text, /browse_library/);
    const report = await client.getPrompt({
      name: "library_report",
      arguments: { library: "Music" },
    });
    assert.match(
      (report.messages[0]!.content as { text: string }).text,
      /library "Music"/,
    );
  } finally {
    await close();
  }
});
