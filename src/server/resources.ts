/**
 * MCP resources: `plex://libraries`, `plex://library/{key}`,
 * `plex://media/{ratingKey}` and its poster `plex://media/{ratingKey}/poster`
 * (a JPEG blob), `plex://sessions` (what is playing now) and
 * `plex://activities` (what the server is busy with), with argument
 * completion for library keys and titles. Each reads live from Plex through
 * the same code as the tools, which loads on the first read; start-up
 * registers a few small handlers.
 *
 * Subscriptions (`resources/subscribe`): `plex://sessions`,
 * `plex://activities`, `plex://library/{key}` and `plex://media/{ratingKey}`
 * get `notifications/resources/updated` when Plex's notification socket
 * reports a change that touches them. The socket code
 * (`live_resources.ts`, `plex/notifications.ts`) loads on the first
 * subscription; no socket is opened before one, and each server's closes
 * with its last subscription or when the session ends.
 * Like a tool call, each request's Plex requests share one time budget, and
 * long strings from Plex are cut (in contents, lists and completions).
 *
 * With several servers, every URI may end in `?server=<name>` (the default
 * server without it), resource lists name each server's libraries with it,
 * and the templates show it (`plex://media/{ratingKey}{?server}`).
 *
 * @module
 */
import { clipStrings, type Logger, quoted } from "../log.ts";
import { boundStructured } from "../structured.ts";
import { redactor } from "../redact.ts";
import type { PlexClient } from "../plex/client.ts";
import { type PlexServers, UnknownServerError } from "../servers.ts";
import {
  CompleteRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Server,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "../sdk.ts";
import type {
  ToolContext,
  ToolDefinition,
} from "../tools/shared/define_tool.ts";
import type { LiveResources, LiveTarget } from "./live_resources.ts";

const JSON_TYPE = "application/json";

const LIBRARIES = {
  uri: "plex://libraries",
  name: "libraries",
  title: "Plex libraries",
  description: "Every library section with its key, type and item count",
  mimeType: JSON_TYPE,
};

const SESSIONS = {
  uri: "plex://sessions",
  name: "sessions",
  title: "Now playing",
  description:
    "What is playing now (as get_active_sessions); subscribe for updates when playback changes",
  mimeType: JSON_TYPE,
};

const ACTIVITIES = {
  uri: "plex://activities",
  name: "activities",
  title: "Server activities",
  description:
    "Scans and other work in progress (as list_activities); subscribe for updates as they start, progress and end",
  mimeType: JSON_TYPE,
};

/**
 * The resources that are one tool's answer, by URI; each tool loads on
 * first use, not at start-up.
 */
const FIXED_TOOLS: ReadonlyMap<string, () => Promise<ToolDefinition>> = new Map(
  [
    [
      LIBRARIES.uri,
      () =>
        import("../tools/server/get_libraries.ts").then((m) => m.getLibraries),
    ],
    [
      SESSIONS.uri,
      () =>
        import("../tools/activity/get_active_sessions.ts").then((m) =>
          m.getActiveSessions
        ),
    ],
    [
      ACTIVITIES.uri,
      () =>
        import("../tools/server_care/list_activities.ts").then((m) =>
          m.listActivities
        ),
    ],
  ],
);

/** What subscriptions are for (in the error for any other URI). */
const LIVE_URIS =
  "plex://sessions, plex://activities, plex://library/{key} or plex://media/{ratingKey}";

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

const POSTER_TEMPLATE = {
  uriTemplate: "plex://media/{ratingKey}/poster",
  name: "poster",
  title: "An item's poster",
  description:
    "The item's poster as a small JPEG (fitted into 320×480 by Plex's photo transcoder, at most 50 KB)",
  mimeType: "image/jpeg",
};

/**
 * Resource contents: `value` as JSON, its strings and arrays bounded first
 * as a tool's structured content is (`structured.ts`); the arrays cut are
 * listed in the contents' `_meta["plexmcp/cut"]`.
 */
function json(uri: string, value: unknown, secrets: readonly string[]) {
  const { value: bounded, cuts } = boundStructured(value, redactor(secrets));
  return {
    contents: [{
      uri,
      mimeType: JSON_TYPE,
      text: JSON.stringify(bounded, null, 2),
      ...(cuts.length ? { _meta: { "plexmcp/cut": cuts } } : {}),
    }],
  };
}

/** Percent-decodes a URI part; bad escapes are the client's error. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new McpError(
      -32602,
      `${quoted(part)} is not valid percent-encoding in a resource URI`,
    );
  }
}

/** A URI without its `?server=` part, and the server it names. */
function splitServer(uri: string): { path: string; server?: string } {
  const m = /^([^?#]*)\?server=([^&#]*)$/.exec(uri);
  return m ? { path: m[1]!, server: decode(m[2]!) } : { path: uri };
}

/** What {@link registerResources} installed, to end with the session. */
export interface RegisteredResources {
  /** Ends every subscription of the session (closing idle sockets). */
  close(): void;
}

/**
 * Installs the resource, subscription and completion handlers on `server`.
 * Call `close()` on the result when the session ends.
 */
export function registerResources(
  server: Server,
  servers: PlexServers,
  log: Logger,
): RegisteredResources {
  const several = servers.multiple;
  const suffix = (name: string) =>
    several ? `?server=${encodeURIComponent(name)}` : "";
  const clientFor = async (
    name: string | undefined,
    signal: AbortSignal,
  ): Promise<PlexClient> => {
    if (name !== undefined && !several) {
      throw new McpError(
        -32602,
        "Only one server is configured: leave ?server= out of the URI",
      );
    }
    try {
      return (await servers.resolve(name, signal)).client;
    } catch (error) {
      if (error instanceof UnknownServerError) {
        throw new McpError(-32602, error.message);
      }
      throw error;
    }
  };
  server.registerCapabilities({
    resources: { listChanged: true, subscribe: true },
    completions: {},
  });
  const ctx = (plex: PlexClient, signal: AbortSignal): ToolContext => ({
    plex,
    servers,
    signal,
    log,
    progress: () => Promise.resolve(),
    confirm: () => Promise.resolve(undefined),
  });
  // The tools behind the resources load on first use, not at start-up.
  const run = async (
    plex: PlexClient,
    load: () => Promise<ToolDefinition>,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ) => (await (await load()).handler(args, ctx(plex, signal))).structured;

  server.setRequestHandler(ListResourcesRequestSchema, async (_r, extra) => {
    const lists = await Promise.all(
      servers.all().map(async (entry) => {
        const plex = entry.client;
        plex.shareBudget(extra.signal);
        try {
          const sections = await plex.sections({ signal: extra.signal });
          return [
            ...[LIBRARIES, SESSIONS, ACTIVITIES].map((r) =>
              several
                ? {
                  ...r,
                  uri: r.uri + suffix(entry.name),
                  name: `${r.name} on ${entry.name}`,
                  title: `${r.title} on ${entry.name}`,
                }
                : r
            ),
            ...clipStrings(sections.map((s) => ({
              uri: `plex://library/${encodeURIComponent(s.key)}${
                suffix(entry.name)
              }`,
              name: s.title,
              title: several ? `${s.title} (${entry.name})` : s.title,
              description: `${s.type} library`,
              mimeType: JSON_TYPE,
            }))),
          ];
        } catch (error) {
          // One server down does not hide the others' libraries.
          if (!several || extra.signal.aborted) throw error;
          log.warn(
            `resources/list: ${entry.name}: ${
              error instanceof Error ? error.message : String(error)
            }`,
          );
          return [];
        }
      }),
    );
    return { resources: lists.flat() };
  });

  const templates = several
    ? [LIBRARY_TEMPLATE, MEDIA_TEMPLATE, POSTER_TEMPLATE].map((t) => ({
      ...t,
      uriTemplate: `${t.uriTemplate}{?server}`,
    }))
    : [LIBRARY_TEMPLATE, MEDIA_TEMPLATE, POSTER_TEMPLATE];
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: templates,
  }));

  server.setRequestHandler(
    ReadResourceRequestSchema,
    async (request, extra) => {
      const uri = request.params.uri;
      const signal = extra.signal;
      const { path, server: wanted } = splitServer(uri);
      const plex = await clientFor(wanted, signal);
      plex.shareBudget(signal);
      const tool = FIXED_TOOLS.get(path);
      if (tool) {
        return json(
          uri,
          await run(plex, tool, {}, signal),
          servers.secrets(),
        );
      }
      const library = /^plex:\/\/library\/([^/?#]+)$/.exec(path);
      if (library) {
        const wanted = decode(library[1]!);
        const [{ resolveLibrary }, { getRecentlyAdded }] = await Promise.all([
          import("../tools/shared/resolve.ts"),
          import("../tools/library/get_recently_added.ts"),
        ]);
        const section = await resolveLibrary(plex, wanted, signal);
        const count = await plex.sectionItemCount(section.key, { signal });
        const recent = await run(
          plex,
          () => Promise.resolve(getRecentlyAdded),
          {
            library: section.key,
            offset: 0,
            limit: 10,
          },
          signal,
        );
        return json(uri, {
          library: section,
          itemCount: count ?? null,
          recentlyAdded: recent.items,
        }, servers.secrets());
      }
      const media = /^plex:\/\/media\/([^/?#]+)$/.exec(path);
      if (media) {
        const ratingKey = decode(media[1]!);
        if (!/^\d+$/.test(ratingKey)) {
          throw new McpError(
            -32602,
            `plex://media/${quoted(ratingKey)}: the ratingKey must be numeric`,
          );
        }
        const { getMediaDetails } = await import(
          "../tools/library/get_media_details.ts"
        );
        return json(
          uri,
          await run(
            plex,
            () => Promise.resolve(getMediaDetails),
            { ratingKey, cast_limit: 10 },
            signal,
          ),
          servers.secrets(),
        );
      }
      const poster = /^plex:\/\/media\/([^/?#]+)\/poster$/.exec(path);
      if (poster) {
        const ratingKey = decode(poster[1]!);
        if (!/^\d+$/.test(ratingKey)) {
          throw new McpError(
            -32602,
            `plex://media/${
              quoted(ratingKey)
            }/poster: the ratingKey must be numeric`,
          );
        }
        const [{ fetchItem }, { fetchPoster }] = await Promise.all([
          import("../tools/shared/watch_state.ts"),
          import("../tools/library/poster.ts"),
        ]);
        const item = await fetchItem(plex, ratingKey, signal);
        const image = await fetchPoster(plex, item, signal);
        if (!image) {
          throw new McpError(
            -32602,
            `plex://media/${ratingKey}/poster: item ${ratingKey} has no poster (Plex has no art for it)`,
          );
        }
        return {
          contents: [{ uri, mimeType: image.mimeType, blob: image.data }],
        };
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
    const template = ref.uri.replace(/\{\?server\}$/, "");
    if (
      FIXED_TOOLS.has(template) || template === MEDIA_TEMPLATE.uriTemplate ||
      template === POSTER_TEMPLATE.uriTemplate
    ) {
      return empty;
    }
    if (template !== LIBRARY_TEMPLATE.uriTemplate) {
      throw new McpError(
        -32602,
        `Resource template ${quoted(ref.uri)} not found`,
      );
    }
    if (request.params.argument.name === "server" && several) {
      const v = request.params.argument.value.toLowerCase();
      const names = servers.all().map((e) => e.name).filter((n) =>
        n.toLowerCase().startsWith(v)
      );
      return {
        completion: { values: names, total: names.length, hasMore: false },
      };
    }
    if (request.params.argument.name !== "key") return empty;
    const context = (request.params as {
      context?: { arguments?: Record<string, string> };
    }).context?.arguments?.server;
    const plex = await clientFor(several ? context : undefined, extra.signal);
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

  /** A URI a subscription may name, checked (a library resolved). */
  const liveTarget = async (
    uri: string,
    signal: AbortSignal,
  ): Promise<LiveTarget> => {
    const { path, server: wanted } = splitServer(uri);
    const plex = await clientFor(wanted, signal);
    plex.shareBudget(signal);
    if (path === SESSIONS.uri) return { uri, client: plex, kind: "sessions" };
    if (path === ACTIVITIES.uri) {
      return { uri, client: plex, kind: "activities" };
    }
    const library = /^plex:\/\/library\/([^/?#]+)$/.exec(path);
    if (library) {
      const { resolveLibrary } = await import("../tools/shared/resolve.ts");
      const section = await resolveLibrary(plex, decode(library[1]!), signal);
      return { uri, client: plex, kind: "library", id: section.key };
    }
    const media = /^plex:\/\/media\/([^/?#]+)$/.exec(path);
    if (media) {
      const ratingKey = decode(media[1]!);
      if (!/^\d+$/.test(ratingKey)) {
        throw new McpError(
          -32602,
          `plex://media/${quoted(ratingKey)}: the ratingKey must be numeric`,
        );
      }
      return { uri, client: plex, kind: "media", id: ratingKey };
    }
    if (
      path === LIBRARIES.uri || /^plex:\/\/media\/[^/?#]+\/poster$/.test(path)
    ) {
      throw new McpError(
        -32602,
        `${
          quoted(uri)
        } does not change live: subscriptions are for ${LIVE_URIS}`,
      );
    }
    throw new McpError(
      -32602,
      `Resource ${quoted(uri)} not found: subscriptions are for ${LIVE_URIS}`,
    );
  };

  // The socket code loads with the first subscription.
  let live: Promise<LiveResources> | undefined;
  let closed = false;
  server.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
    const target = await liveTarget(request.params.uri, extra.signal);
    live ??= import("./live_resources.ts").then(({ LiveResources }) =>
      new LiveResources({
        notify: (uri) => server.sendResourceUpdated({ uri }),
        log,
      })
    );
    const subscriptions = await live;
    if (closed) return {};
    try {
      subscriptions.subscribe(target);
    } catch (error) {
      if (error instanceof RangeError) {
        throw new McpError(-32602, error.message);
      }
      throw error;
    }
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    // Not subscribed (or never): nothing to undo.
    if (live) (await live).unsubscribe(request.params.uri);
    return {};
  });
  return {
    close: () => {
      closed = true;
      live?.then((l) => l.close());
    },
  };
}
