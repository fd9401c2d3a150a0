/**
 * A server with the watch toolset on, over the demo library, and the keys
 * of The Lantern Coast, for the watch tests.
 */
import type { PlexClientOptions } from "../../src/plex/client.ts";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { connectInMemory } from "../support/helpers.ts";

/** What a watch test gets. */
export interface WatchRig {
  /** The fake Plex. */
  fake: FakePlex;
  /** The show, its season and its ten episodes. */
  show: string;
  season: string;
  episodes: string[];
  /** Calls a tool; text, structured content, error flag, progress seen. */
  call(
    name: string,
    args: Record<string, unknown>,
  ): Promise<
    {
      text: string;
      // deno-lint-ignore no-explicit-any
      data: any;
      isError: boolean;
      progress: number[];
    }
  >;
  /** Requests the fake saw for subtitle files. */
  streamRequests(): string[];
  /** Closes the connection. */
  close(): Promise<void>;
}

/** A fetch in front of the fake's (to answer some requests itself). */
export type FetchWrap = (
  fakeFetch: FakePlex["fetch"],
) => (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/**
 * Connects; `clientOptions` go to the Plex client (e.g. its cache time),
 * `wrap` puts a fetch in front of the fake's.
 */
export async function watchRig(
  clientOptions: Partial<PlexClientOptions> = {},
  wrap?: FetchWrap,
): Promise<WatchRig> {
  const ref: { fake?: FakePlex } = {};
  const { client, fake, close } = await connectInMemory(
    { toolsets: ["library", "watch"] },
    {},
    () => {},
    wrap
      ? {
        ...clientOptions,
        fetch: (input, init) => wrap(ref.fake!.fetch)(input, init),
      }
      : clientOptions,
  );
  ref.fake = fake;
  const show = [...fake.library.items.values()].find((i) =>
    i.raw.title === "The Lantern Coast"
  )!;
  const season = fake.library.items.get(show.children[0]!)!;
  return {
    fake,
    show: show.ratingKey,
    season: season.ratingKey,
    episodes: [...season.children],
    async call(name, args) {
      const progress: number[] = [];
      const r = await client.callTool(
        { name, arguments: args },
        undefined,
        { onprogress: (p) => progress.push(p.progress) },
      );
      const text = (r.content as { type: string; text?: string }[])
        .filter((c) => c.type === "text").map((c) => c.text).join("\n");
      return {
        text,
        data: r.structuredContent,
        isError: r.isError === true,
        progress,
      };
    },
    streamRequests: () =>
      fake.requests.filter((q) => q.path.startsWith("/library/streams/"))
        .map((q) => q.path),
    close,
  };
}
