/**
 * The tour's look at the opt-in watch toolset: a line found across a
 * season of The Lantern Coast, and a spoiler-safe recap of the episode in
 * progress.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Logger } from "../log.ts";
import type { PlexClient } from "../plex/client.ts";
import { createServer } from "../server.ts";
import { DEFAULT_TOOLSETS } from "../tools/shared/define_tool.ts";
import type { FakePlex } from "./fake_plex/mod.ts";

/**
 * Shows find_dialogue and get_story_so_far on a server with the watch
 * toolset on; `show` prints one call as the tour does.
 */
export async function dialogueTour(
  fake: FakePlex,
  plex: PlexClient,
  say: (text: string) => void,
  show: (
    client: Client,
    name: string,
    args: Record<string, unknown>,
    why: string,
  ) => Promise<void>,
): Promise<void> {
  const server = createServer(
    { plex, logger: new Logger({ level: "error" }) },
    {
      toolsets: [...DEFAULT_TOOLSETS],
    },
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "demo-tour-watch", version: "1" });
  await Promise.all([server.connect(a), client.connect(b)]);
  const lantern = [...fake.library.items.values()].find((i) =>
    i.raw.title === "The Lantern Coast"
  )!;
  const season = fake.library.items.get(lantern.children[0]!)!;
  say("\nThe watch toolset: a line by its words, a recap without spoilers:");
  await show(
    client,
    "find_dialogue",
    { ratingKey: season.ratingKey, query: "folow the gulls", limit: 2 },
    "where is a line said? a typo is fine; image and embedded subtitles are named, not guessed",
  );
  await show(
    client,
    "get_story_so_far",
    { ratingKey: season.children[4]!, budget_chars: 400 },
    "a recap up to where the user stopped, nothing after it",
  );
  await client.close();
}
