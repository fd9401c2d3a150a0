import { z } from "../../zod.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { sendPlayerCommand } from "../shared/playback_common.ts";
import { requireCapability } from "./remote_common.ts";
import { resolvePlayer } from "../shared/resolve.ts";

/** Actions → `/player/navigation/{command}` (API.md §17.4). */
const COMMANDS = {
  home: "home",
  back: "back",
  up: "moveUp",
  down: "moveDown",
  left: "moveLeft",
  right: "moveRight",
  select: "select",
  page_up: "pageUp",
  page_down: "pageDown",
  menu: "contextMenu",
  toggle_osd: "toggleOSD",
} as const;

/** `navigate_player`: moves through a player's menus. */
export const navigatePlayer = defineTool({
  name: "navigate_player",
  title: "Navigate a player",
  description:
    "Presses a remote-control key on a player (from list_clients) that advertises navigation: home, back, up/down/left/right, select, page up/down, menu, on-screen display; repeat with times.",
  toolset: "remote",
  annotations: writes({ idempotent: false }),
  input: {
    client: z.string().min(1).describe("Player name or machine identifier"),
    action: z.enum(Object.keys(COMMANDS) as [keyof typeof COMMANDS]),
    times: z.number().int().min(1).max(20).default(1),
  },
  output: { player: z.string(), action: z.string(), sent: z.number().int() },
  handler: async (args, { plex, signal }) => {
    const player = await resolvePlayer(plex, args.client, signal, {
      exact: true,
    });
    requireCapability(player, "navigation", "moving through its menus");
    let sent = 0;
    for (let i = 0; i < args.times; i++) {
      await sendPlayerCommand(
        plex,
        player,
        `navigation/${COMMANDS[args.action]}`,
        {},
        signal,
      );
      sent++;
    }
    return {
      structured: { player: player.name, action: args.action, sent },
      text: `Sent ${args.action.replace("_", " ")}${
        sent > 1 ? ` ×${sent}` : ""
      } to ${player.name}.`,
    };
  },
});
