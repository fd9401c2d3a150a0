import { z } from "../../zod.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { isoTime, parts, plural } from "../shared/format.ts";

const library = z.object({
  key: z.string().describe("Section key; pass it as `library` to other tools"),
  title: z.string(),
  type: z.string().describe("movie, show, artist or photo"),
  agent: z.string().optional(),
  scanner: z.string().optional(),
  language: z.string().optional(),
  uuid: z.string().optional(),
  createdAt: z.string().optional().describe("ISO 8601"),
  updatedAt: z.string().optional().describe("ISO 8601"),
  scannedAt: z.string().optional().describe("ISO 8601"),
  refreshing: z.boolean().describe("A scan is running"),
  itemCount: z.number().int().nullable().describe(
    "Top-level items (movies, shows, artists, photos); null if Plex did not say",
  ),
});

/** `get_libraries`: every library section with item counts. */
export const getLibraries = defineTool({
  name: "get_libraries",
  title: "List Plex libraries",
  description:
    "Lists the library sections: key, title, type, agent, scan times and item count.",
  toolset: "server",
  annotations: READ_ONLY,
  input: {},
  output: {
    libraries: z.array(library),
    total: z.number().int(),
  },
  handler: async (_args, { plex, signal, log }) => {
    const sections = await plex.sections({ signal });
    const counts = await Promise.all(
      sections.map((s) =>
        plex.sectionItemCount(s.key, { signal }).catch((error: unknown) => {
          if (signal.aborted) throw error;
          log.warn(
            `Could not count items of library ${s.key}: ${
              error instanceof Error ? error.message : String(error)
            }`,
          );
          return undefined;
        })
      ),
    );
    const libraries = sections.map((s, i) => ({
      key: s.key,
      title: s.title,
      type: s.type,
      agent: s.agent,
      scanner: s.scanner,
      language: s.language,
      uuid: s.uuid,
      createdAt: isoTime(s.createdAt),
      updatedAt: isoTime(s.updatedAt),
      scannedAt: isoTime(s.scannedAt),
      refreshing: s.refreshing,
      itemCount: counts[i] ?? null,
    }));
    const text = libraries.length
      ? `${plural(libraries.length, "library", "libraries")}:\n` +
        libraries.map((l) =>
          parts([
            `[${l.key}] ${l.title}`,
            l.type,
            l.itemCount === null
              ? "count unknown"
              : plural(l.itemCount, "item"),
            l.scannedAt && `scanned ${l.scannedAt.slice(0, 10)}`,
            l.refreshing && "scanning now",
          ])
        ).join("\n")
      : "The server has no libraries.";
    return { structured: { libraries, total: libraries.length }, text };
  },
});
