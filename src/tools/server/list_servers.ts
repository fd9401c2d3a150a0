import { z } from "../../zod.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { parts, plural } from "../shared/format.ts";

/**
 * `list_servers`: every configured Plex server, whether it answers, and
 * what it is. Offered when several servers are configured.
 */
export const listServers = defineTool({
  name: "list_servers",
  title: "List Plex servers",
  description:
    "Lists the configured Plex servers: name, machine identifier, version, reachable, owned or shared, library count. Other tools take one name as server.",
  toolset: "server",
  annotations: READ_ONLY,
  severalServersOnly: true,
  input: {},
  output: {
    servers: z.array(z.object({
      name: z.string().describe("What server takes"),
      default: z.boolean(),
      reachable: z.boolean(),
      friendlyName: z.string().optional(),
      machineIdentifier: z.string().optional(),
      version: z.string().optional(),
      owned: z.boolean().nullable().describe("null: not recorded"),
      libraries: z.number().int().optional(),
      error: z.string().optional(),
    })),
  },
  handler: async (_args, { servers, signal }) => {
    const entries = servers.all();
    type Row = {
      name: string;
      default: boolean;
      reachable: boolean;
      owned: boolean | null;
      friendlyName?: string;
      machineIdentifier?: string;
      version?: string;
      libraries?: number;
      error?: string;
    };
    const rows = await Promise.all(entries.map(async (entry): Promise<Row> => {
      const base = {
        name: entry.name,
        default: entry.name === servers.default.name,
        owned: entry.owned ?? null,
      };
      try {
        const [info, sections] = await Promise.all([
          entry.client.serverInfo({ signal }),
          entry.client.sections({ signal }),
        ]);
        return {
          ...base,
          reachable: true,
          friendlyName: info.name,
          machineIdentifier: info.machineIdentifier,
          version: info.version,
          libraries: sections.length,
        };
      } catch (error) {
        if (signal.aborted) throw error;
        return {
          ...base,
          reachable: false,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }));
    const text = rows.map((r) =>
      r.reachable
        ? parts([
          `${r.name}${r.default ? " (default)" : ""}`,
          r.friendlyName !== r.name && r.friendlyName,
          `v${r.version}`,
          `machine ${r.machineIdentifier}`,
          r.owned === null ? undefined : r.owned ? "owned" : "shared",
          r.libraries !== undefined &&
          plural(r.libraries, "library", "libraries"),
        ])
        : `${r.name}${r.default ? " (default)" : ""}: unreachable: ${r.error}`
    ).join("\n");
    return { structured: { servers: rows }, text };
  },
});
