/**
 * `deno task demo`: a guided tour of plexmcp on the built-in demo library.
 * It starts the real MCP server in process with the fake Plex injected as
 * `fetch`, connects an MCP client to it, and prints each step for a person to
 * read. Needs no Plex server and no permissions.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Logger } from "../log.ts";
import { PlexClient } from "../plex/client.ts";
import { createServer } from "../server.ts";
import { DEFAULT_TOOLSETS, TOOLSETS } from "../tools/shared/define_tool.ts";
import { NAME, VERSION } from "../version.ts";
import { FakePlex } from "./fake_plex/mod.ts";
import { dialogueTour } from "./tour_watch.ts";

const out = new TextEncoder();
function say(text = ""): void {
  Deno.stdout.writeSync(out.encode(text + "\n"));
}

/** Calls one tool and prints its text the way a model would see it. */
async function show(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  why: string,
): Promise<void> {
  say(`\n▶ ${name} ${JSON.stringify(args)}`);
  say(`  (${why})`);
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text?: string }[])
    .filter((c) => c.type === "text").map((c) => c.text).join("\n");
  const marker = result.isError ? "  ✗ " : "  ";
  say(text.split("\n").map((l) => marker + l).join("\n"));
}

/**
 * The `watch` toolset (on by default), briefly: a second client on the
 * same server with only that toolset.
 */
async function watchTour(plex: PlexClient, fake: FakePlex): Promise<void> {
  const server = createServer({
    plex,
    logger: new Logger({ level: "error" }),
  }, { toolsets: ["watch"] });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "demo-tour-watch", version: VERSION });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  say(
    "\nThe watch toolset: subtitles, where to watch, why a stream transcodes:",
  );
  const charade = [...fake.library.items.values()].find((i) =>
    i.raw.title === "Charade"
  )!;
  await show(
    client,
    "search_subtitles",
    { ratingKey: charade.ratingKey, language: "en" },
    "Plex's own subtitle search, and what the film already has",
  );
  await show(
    client,
    "where_to_watch",
    { ratingKey: charade.ratingKey },
    "streaming offers from plex.tv Discover, and the copies here",
  );
  await show(
    client,
    "diagnose_playback",
    { session: "Bedroom Roku" },
    "why that stream transcodes, and what to change",
  );
  await client.close();
}

/** Runs the tour. */
export async function tour(): Promise<void> {
  const fake = new FakePlex({ token: "demo-token" });
  const plex = new PlexClient({
    baseUrl: "http://plex-demo.invalid:32400",
    token: "demo-token",
    fetch: fake.fetch,
  });
  // What a client gets by default: PLEX_TOOLSETS unset.
  const server = createServer({
    plex,
    logger: new Logger({ level: "error" }),
  }, { toolsets: [...DEFAULT_TOOLSETS] });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "demo-tour", version: VERSION });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);

  say(`${NAME} ${VERSION}: demo tour on the built-in public-domain library`);
  say(
    "An MCP client is connected to the real server; Plex is an in-process stand-in.",
  );
  const { tools } = await client.listTools();
  say(
    `\nThe server offers ${tools.length} tools by default (the opt-in toolsets ${
      Object.keys(TOOLSETS).filter((t) =>
        !(DEFAULT_TOOLSETS as readonly string[]).includes(t)
      ).join(", ")
    } add more: PLEX_TOOLSETS=all):`,
  );
  for (const t of tools) {
    say(
      `  - ${t.name}${
        t.annotations?.readOnlyHint ? "" : " (changes things)"
      }: ${t.title}`,
    );
  }

  await show(
    client,
    "get_plex_status",
    {},
    "is the server up, and which one is it?",
  );
  await show(
    client,
    "get_libraries",
    {},
    "what libraries are there, and how big?",
  );
  await show(
    client,
    "search_media",
    { query: "sherlock" },
    "find things by name",
  );
  await show(
    client,
    "browse_library",
    {
      library: "Classic Movies",
      genre: "Horror",
      unwatched: true,
      sort: "year_asc",
      limit: 3,
    },
    "unwatched horror, oldest first, a page of 3",
  );
  const noir = [...fake.library.items.values()].find((i) =>
    i.raw.title === "Detour"
  )!;
  await show(
    client,
    "get_media_details",
    { ratingKey: noir.ratingKey, cast_limit: 2 },
    "everything about one film",
  );
  await show(client, "get_on_deck", {}, "what to continue");
  await show(
    client,
    "get_active_sessions",
    {},
    "who is watching what right now",
  );
  await show(
    client,
    "create_playlist",
    { title: "Noir Night", ratingKeys: [noir.ratingKey] },
    "a write, verified by reading it back",
  );
  await show(
    client,
    "delete_playlist",
    { playlist: "Noir Night" },
    "destructive: refused until the user agrees",
  );
  await dialogueTour(fake, plex, say, show);

  await watchTour(plex, fake);

  say(`\nPlex saw ${fake.requests.length} requests, for example:`);
  for (const r of fake.requests.slice(0, 4)) say(`  ${r.method} ${r.path}`);
  say(
    "\nAlso offered: resources plex://libraries, plex://library/{key}, plex://media/{ratingKey}; prompts what_should_i_watch, library_report and what_did_i_miss.",
  );
  await client.close();

  // The same server from the command line: `plexmcp tools` and `call`.
  const { runTools } = await import("../commands/tools.ts");
  const { runCall } = await import("../commands/call.ts");
  const io = {
    env: {},
    out: (text: string) =>
      say(text.split("\n").map((l) => "  " + l).join("\n")),
    err: () => {},
    interactive: false,
    readLine: () => Promise.resolve(null),
    interrupt: new AbortController().signal,
  };
  say("\n▶ plexmcp tools   (the catalogue as a table; first lines)");
  const lines: string[] = [];
  await runTools([], { ...io, out: (t) => lines.push(...t.split("\n")) });
  for (const l of lines.slice(0, 6)) say("  " + l);
  say(`  … ${lines.length - 6} more`);
  say(
    `\n▶ plexmcp call --demo get_recently_added '{"limit":3}'   (one tool, its text)`,
  );
  await runCall(["--demo", "get_recently_added", '{"limit":3}'], io);

  say(
    '\nNext: `deno task install` installs the plexmcp command from this checkout (README: "Install the plexmcp command"); then `plexmcp login` signs in with Plex and writes your settings, and `plexmcp doctor` checks them.',
  );
}

if (import.meta.main) await tour();
