/**
 * MCP resources: `plex://libraries`, `plex://library/{key}` and
 * `plex://media/{ratingKey}`, with argument completion for library keys and
 * titles. Each reads live from Plex through the same code as the tools,
 * which loads on the first read; start-up registers four small handlers.
 * Like a tool call, each request's Plex requests share one time budget, and
 * long strings from Plex are cut (in contents, lists and completions).
 *
 * @module
 */
import { clipStrings, type Logger, quoted } from "./log.ts";
import type { PlexClient } from "./plex/client.ts";
import {
  CompleteRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Server,
} from "./sdk.ts";
import type { ToolContext, ToolDefinition } from "./tools/define_tool.ts";

const JSON_TYPE = "application/json";

const LIBRARIES = {
  uri: "plex://libraries",
  name: "libraries",
  title: "Plex libraries",
  description: "Every library section with its key, type and item count",
  mimeType: JSON_TYPE,
};

const LIBRARY_TEMPLATE = {
  uriTemplate: "plex://library/{key}",
  name: "library",
  title: "One Plex library",
  description:
    "A library by key or title: its details, item count and its 10 most recently added items",
  mimeType: JSON_TYPE,
};

const MEDIA_TEMPLATE = {
  uriTemplate: "plex://media/{ratingKey}",
  name: "media",
  title: "One Plex item",
  description: "Full details of an item by ratingKey (as get_media_details)",
  mimeType: JSON_TYPE,
};

/** Resource contents: `value` as JSON, its strings cut first. */
function json(uri: string, value: unknown) {
  return {
    contents: [{
      uri,
      mimeType: JSON_TYPE,
      text: JSON.stringify(clipStrings(value), null, 2),
    }],
  };
}

/** Installs the resource and completion handlers on `server`. */
export function registerResources(
  server: Server,
  plex: PlexClient,
  log: Logger,
): void {
  server.registerCapabilities({
    resources: { listChanged: true },
    completions: {},
  });
  const ctx = (signal: AbortSignal): ToolContext => ({
    plex,
    signal,
    log,
    progress: () => Promise.resolve(),
    confirm: () => Promise.resolve(undefined),
  });
  // The tools behind the resources load on first use, not at start-up.
  const run = async (
    load: () => Promise<ToolDefinition>,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ) => (await (await load()).handler(args, ctx(signal))).structured;

  server.setRequestHandler(ListResourcesRequestSchema, async (_r, extra) => {
    plex.shareBudget(extra.signal);
    const sections = await plex.sections({ signal: extra.signal });
    return {
      resources: [
        LIBRARIES,
        ...clipStrings(sections.map((s) => ({
          uri: `plex://library/${encodeURIComponent(s.key)}`,
          name: s.title,
          title: s.title,
          description: `${s.type} library`,
          mimeType: JSON_TYPE,
        }))),
      ],
    };
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [LIBRARY_TEMPLATE, MEDIA_TEMPLATE],
  }));

  server.setRequestHandler(
    ReadResourceRequestSchema,
    async (request, extra) => {
      const uri = request.params.uri;
      const signal = extra.signal;
      plex.shareBudget(signal);
      if (uri === LIBRARIES.uri) {
        const { getLibraries } = await import("./tools/get_libraries.ts");
        return json(
          uri,
          await run(() => Promise.resolve(getLibraries), {}, signal),
        );
      }
      const library = /^plex:\/\/library\/([^/?#]+)$/.exec(uri);
      if (library) {
        const wanted = decodeURIComponent(library[1]!);
        const [{ resolveLibrary }, { getRecentlyAdded }] = await Promise.all([
          import("./tools/resolve.ts"),
          import("./tools/get_recently_added.ts"),
        ]);
        const section = await resolveLibrary(plex, wanted, signal);
        const count = await plex.sectionItemCount(section.key, { signal });
        const recent = await run(() => Promise.resolve(getRecentlyAdded), {
          library: section.key,
          offset: 0,
          limit: 10,
        }, signal);
        return json(uri, {
          library: section,
          itemCount: count ?? null,
          recentlyAdded: recent.items,
        });
      }
      const media = /^plex:\/\/media\/([^/?#]+)$/.exec(uri);
      if (media) {
        const ratingKey = decodeURIComponent(media[1]!);
        if (!/^\d+$/.test(ratingKey)) {
          throw new McpError(
            -32602,
            `plex://media/${quoted(ratingKey)}: the ratingKey must be numeric`,
          );
        }
        const { getMediaDetails } = await import(
          "./tools/get_media_details.ts"
        );
        return json(
          uri,
          await run(
            () => Promise.resolve(getMediaDetails),
            { ratingKey, cast_limit: 10 },
            signal,
          ),
        );
      }
      throw new McpError(-32602, `Resource ${quoted(uri)} not found`);
    },
  );

  server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
    const ref = request.params.ref;
    const empty = { completion: { values: [], hasMore: false } };
    if (ref.type === "ref/prompt") {
      // Prompt arguments are free text: nothing to offer.
      const { PROMPTS } = await import("./prompts.ts");
      if (PROMPTS.some((p) => p.name === ref.name)) return empty;
      throw new McpError(-32602, `Prompt ${quoted(ref.name)} not found`);
    }
    if (ref.uri === LIBRARIES.uri || ref.uri === MEDIA_TEMPLATE.uriTemplate) {
      return empty;
    }
    if (ref.uri !== LIBRARY_TEMPLATE.uriTemplate) {
      throw new McpError(
        -32602,
        `Resource template ${quoted(ref.uri)} not found`,
      );
    }
    if (request.params.argument.name !== "key") return empty;
    plex.shareBudget(extra.signal);
    const sections = await plex.sections({ signal: extra.signal });
    const v = request.params.argument.value.toLowerCase();
    const values = [
      ...sections.map((s) => s.key).filter((k) => k.startsWith(v)),
      ...sections.map((s) => s.title).filter((t) =>
        t.toLowerCase().startsWith(v)
      ),
    ];
    return {
      completion: {
        values: clipStrings(values.slice(0, 100)),
        total: values.length,
        hasMore: values.length > 100,
      },
    };
  });
}
