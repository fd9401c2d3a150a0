import { z } from "../../zod.ts";
import type { PlexClient, ResponseSchema } from "../../plex/client.ts";
import {
  PlexAuthError,
  PlexError,
  PlexResponseError,
} from "../../transport/errors.ts";
import { LOG_LEVELS, type LogLevel, tailLog } from "../../plex/logs.ts";
import { containerReader, str } from "../../plex/readers.ts";
import { openZipEntry, readZipDirectory, ZipError } from "../../plex/zip.ts";
import { bytes, plural } from "../shared/format.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";

/**
 * Largest archive read: the client's default body cap. A server's whole
 * Logs folder, zipped, is usually a few MB.
 */
const MAX_ARCHIVE_BYTES = 32 * 1024 * 1024;
/** Largest file decompressed (it is streamed, never held whole). */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
const DEFAULT_FILE = "Plex Media Server.log";
const ENDPOINT = "GET /diagnostics/logs";

/** `diagnostics` of `/media/providers`: what the owner may download. */
const diagnosticsSchema: ResponseSchema<string[] | undefined> = containerReader(
  (c) => {
    const d = str(c.diagnostics);
    return d === undefined
      ? undefined
      : d.split(",").map((s) => s.trim()).filter(Boolean);
  },
);

/**
 * Why Plex would not hand over its logs (403, 404): what its capabilities
 * say about them (`diagnostics` on `/media/providers`, API.md §22), read
 * only now, to explain. Plex is not known to refuse on that attribute
 * alone: the one recorded server lists "streaminglogs,databases", and
 * python-plexapi downloads without looking (server.py:574).
 */
async function refusal(
  plex: PlexClient,
  error: PlexError,
  signal: AbortSignal,
): Promise<ToolInputError> {
  const offered = await plex.getJson("/media/providers", diagnosticsSchema, {
    signal,
  }).catch(() => null);
  const why = offered === null
    ? ""
    : offered === undefined
    ? "; its capabilities list no diagnostics"
    : offered.includes("logs")
    ? `, though its capabilities list "logs" among its diagnostics ("${
      offered.join(",")
    }"); the owner's token may be needed (check PLEX_TOKEN)`
    : `; its capabilities list diagnostics "${
      offered.join(",")
    }" without "logs", so it may not offer them for download (read them on the server's disk)`;
  return new ToolInputError(
    `Plex did not hand over its logs (${error.status}) for ${ENDPOINT}${why}`,
  );
}

/** A damaged or unsupported archive as Plex's fault; anything else as is. */
function archiveError(error: unknown): unknown {
  return error instanceof ZipError
    ? new PlexResponseError(
      `Plex answered ${ENDPOINT} with a log archive that cannot be read: ${error.message}`,
      ENDPOINT,
      error,
    )
    : error;
}

/** `get_server_logs`: the last lines of one of the server's log files. */
export const getServerLogs = defineTool({
  name: "get_server_logs",
  title: "Read the server's logs",
  description:
    "Returns the last lines of one of the server's log files (default the main one), optionally only a minimum level or lines holding some text, with tokens redacted; lists the log files. The owner's token is needed.",
  toolset: "server_care",
  annotations: READ_ONLY,
  input: {
    lines: z.number().int().min(1).max(1000).default(100),
    file: z.string().trim().min(1).max(300).optional().describe(
      `Default "${DEFAULT_FILE}"`,
    ),
    level: z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]]).optional()
      .describe("Minimum level"),
    contains: z.string().min(1).max(200).optional().describe(
      "Case-insensitive text",
    ),
  },
  output: {
    file: z.string(),
    files: z.array(z.object({ name: z.string(), bytes: z.number() })),
    lines: z.array(z.string()),
    matched: z.number().int().describe("Lines that match, in the whole file"),
    total: z.number().int(),
  },
  handler: async (args, { plex, signal }) => {
    // python-plexapi downloadLogs(): GET /diagnostics/logs, a zip archive
    // (server.py:574, utils.py:425-500), asked for without checking the
    // `diagnostics` capability first. Read whole (bounded), never cached.
    const archive = await plex.requestBytes("/diagnostics/logs", {
      signal,
      maxBytes: MAX_ARCHIVE_BYTES,
    }).catch(async (error: unknown) => {
      if (
        error instanceof PlexError && !(error instanceof PlexAuthError) &&
        (error.status === 403 || error.status === 404)
      ) {
        throw await refusal(plex, error, signal);
      }
      throw error;
    });
    let entries;
    try {
      entries = readZipDirectory(archive.bytes);
    } catch (error) {
      throw archiveError(error);
    }
    const files = entries.filter((e) => !e.name.endsWith("/"));
    const list = files.map((e) => ({ name: e.name, bytes: e.size }));
    const wanted = args.file ?? DEFAULT_FILE;
    const lower = wanted.toLowerCase();
    const base = (n: string) => n.slice(n.lastIndexOf("/") + 1).toLowerCase();
    const exact = files.filter((e) => e.name === wanted);
    const same = exact.length
      ? exact
      : files.filter((e) => e.name.toLowerCase() === lower);
    const byBase = same.length
      ? same
      : files.filter((e) => base(e.name) === lower);
    const names = () =>
      files.slice(0, 30).map((e) => JSON.stringify(e.name)).join(", ") +
      (files.length > 30 ? ` and ${files.length - 30} more` : "");
    if (byBase.length !== 1) {
      throw new ToolInputError(
        files.length === 0
          ? "The server's log archive holds no files"
          : `${
            byBase.length ? "Several log files are" : "No log file is"
          } named ${JSON.stringify(wanted)}; the archive holds ${names()}`,
      );
    }
    const entry = byBase[0]!;
    if (entry.size > MAX_FILE_BYTES) {
      throw new ToolInputError(
        `${entry.name} is ${
          bytes(entry.size)
        } uncompressed, more than plexmcp reads (${bytes(MAX_FILE_BYTES)})`,
      );
    }
    let result;
    try {
      result = await tailLog(openZipEntry(archive.bytes, entry), {
        lines: args.lines,
        minLevel: args.level,
        contains: args.contains,
        redact: (text) => plex.redact(text),
        signal,
      });
    } catch (error) {
      throw archiveError(error);
    }
    const { entries: kept, matched, scanned } = result;
    const filters = [
      args.level && `level ${args.level} or more severe`,
      args.contains !== undefined &&
      `holding ${JSON.stringify(plex.redact(args.contains))}`,
    ].filter(Boolean).join(", ");
    const lines = kept.map((e) => e.text);
    const where = `${entry.name} (${plural(scanned, "line")})`;
    const head = matched === 0
      ? `No lines of ${where} match${filters ? ` (${filters})` : ""}.`
      : filters
      ? `Last ${lines.length} of ${
        plural(matched, "matching line")
      } (${filters}) in ${where}:`
      : `Last ${plural(lines.length, "line")} of ${where}:`;
    const others = files.filter((e) => e !== entry).map((e) =>
      `${e.name} (${bytes(e.size)})`
    );
    return {
      structured: {
        file: entry.name,
        files: list,
        lines,
        matched,
        total: scanned,
      },
      text: [
        head,
        ...lines,
        others.length ? `Other log files: ${others.join(", ")}.` : "",
      ].filter(Boolean).join("\n"),
    };
  },
});
