import { z } from "../../zod.ts";
import { clientsSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { parts, plural } from "../shared/format.ts";

/** `list_clients`: players that can be controlled. */
export const listClients = defineTool({
  name: "list_clients",
  title: "List players",
  description:
    "Lists players advertising now: name, machine identifier, app, device, whether they take playback control. Many apps show only while open.",
  toolset: "playback",
  annotations: READ_ONLY,
  input: {},
  output: {
    players: z.array(z.object({
      name: z.string(),
      machineIdentifier: z.string(),
      product: z.string().optional(),
      deviceClass: z.string().optional(),
      address: z.string().optional(),
      controllable: z.boolean().describe("Accepts play/pause/seek commands"),
    })),
    total: z.number().int(),
  },
  handler: async (_args, { plex, signal }) => {
    const clients = await plex.getJson("/clients", clientsSchema, { signal });
    const players = clients.map((c) => ({
      name: c.name,
      machineIdentifier: c.machineIdentifier,
      product: c.product,
      deviceClass: c.deviceClass,
      address: c.address,
      controllable: c.capabilities.includes("playback"),
    }));
    const text = players.length
      ? `${plural(players.length, "player")}:\n` + players.map((p) =>
        parts([
          `${p.name} (${p.machineIdentifier})`,
          p.product,
          p.deviceClass,
          p.controllable ? "controllable" : "no remote control",
        ])
      ).join("\n")
      : "No players are advertising right now. Open the Plex app on the device and try again.";
    return { structured: { players, total: players.length }, text };
  },
});
