/**
 * MCP resources: `plex://libraries`, `plex://library/{key}` and
 * `plex://media/{ratingKey}`, with argument completion for library keys and
 * titles. Each reads live from Plex through the same code as the tools.
 *
 * @module
 */
import type { Logger } from "./log.ts";
import type { PlexClient } from "./plex/client.ts";
import { type McpServer, ResourceTemplate } from "./sdk.ts";
import type { ToolContext, ToolDefinition } from "./tools/define_tool.ts";

// The tools behind the resources load on first use, not at start-up.
const getLibraries = async () =>
  (await import("./tools/get_libraries.ts")).getLibraries;
const getMediaDetails = async () =>
  (await import("./tools/get_media_details.ts")).getMediaDetails;
const getRecentlyAdded = async () =>
  (await import("./tools/get_recently_added.ts")).getRecentlyAdded;
const resolveLibrary = async (
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
) => (await import("./tools/resolve.ts")).resolveLibrary(plex, wanted, signal);

function json(uri: string, value: unknown) {
  return {
    contents: [{
      uri,
      mimeType: "application/json",
      text: JSON.stringify(value, null, 2),
    }],
  };
}

/** Registers the resources on `server`. */
export function registerResources(
  server: McpServer,
  plex: PlexClient,
  log: Logger,
): void {
  const ctx = (signal: AbortSignal): ToolContext => ({
    plex,
    signal,
    log,
    progress: () => Promise.resolve(),
    confirm: () => Promise.resolve(undefined),
  });
  const run = async (
    load: () => Promise<ToolDefinition>,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ) => (await (await load()).handler(args, ctx(signal))).structured;

  server.registerResource(
    "libraries",
    "plex://libraries",
    {
      title: "Plex libraries",
      description: "Every library section with its key, type and item count",
      mimeType: "application/json",
    },
    async (uri, extra) =>
      json(uri.href, await run(getLibraries, {}, extra.signal)),
  );

  const completeLibrary = async (value: string): Promise<string[]> => {
    const sections = await plex.sections();
    const v = value.toLowerCase();
    return [
      ...sections.map((s) => s.key).filter((k) => k.startsWith(v)),
      ...sections.map((s) => s.title).filter((t) =>
        t.toLowerCase().startsWith(v)
      ),
    ];
  };

  server.registerResource(
    "library",
    new ResourceTemplate("plex://library/{key}", {
      list: async () => ({
        resources: (await plex.sections()).map((s) => ({
          uri: `plex://library/${s.key}`,
          name: s.title,
          description: `${s.type} library`,
          mimeType: "application/json",
        })),
      }),
      complete: { key: completeLibrary },
    }),
    {
      title: "One Plex library",
      description:
        "A library by key or title: its details, item count and its 10 most recently added items",
      mimeType: "application/json",
    },
    async (uri, variables, extra) => {
      const wanted = decodeURIComponent(String(variables.key));
      const section = await resolveLibrary(plex, wanted, extra.signal);
      const count = await plex.sectionItemCount(section.key, {
        signal: extra.signal,
      });
      const recent = await run(getRecentlyAdded, {
        library: section.key,
        offset: 0,
        limit: 10,
      }, extra.signal);
      return json(uri.href, {
        library: section,
        itemCount: count ?? null,
        recentlyAdded: recent.items,
      });
    },
  );

  server.registerResource(
    "media",
    new ResourceTemplate("plex://media/{ratingKey}", { list: undefined }),
    {
      title: "One Plex item",
      description:
        "Full details of an item by ratingKey (as get_media_details)",
      mimeType: "application/json",
    },
    async (uri, variables, extra) => {
      const ratingKey = String(variables.ratingKey);
      if (!/^\d+$/.test(ratingKey)) {
        throw new Error(
          `plex://media/${ratingKey}: the ratingKey must be numeric`,
        );
      }
      return json(
        uri.href,
        await run(getMediaDetails, { ratingKey, cast_limit: 10 }, extra.signal),
      );
    },
  );
}
