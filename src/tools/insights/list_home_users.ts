import { accountOf } from "../../account/mod.ts";
import { z } from "../../zod.ts";
import { accountsSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { homeUsers } from "../shared/viewers.ts";

/** `list_home_users`: who the viewer-dependent tools can answer for. */
export const listHomeUsers = defineTool({
  name: "list_home_users",
  title: "Plex Home users",
  description:
    "Lists the account's Plex Home members (the names user takes; protected ones need pin) and the friends the server is shared with, who cannot be viewed as; with each one's account id here (list_users).",
  toolset: "insights",
  annotations: READ_ONLY,
  input: {},
  output: {
    users: z.array(z.object({
      name: z.string(),
      admin: z.boolean(),
      managed: z.boolean(),
      protected: z.boolean().describe("Needs pin"),
      accountId: z.string().optional().describe("This server's account id"),
    })),
    friends: z.array(z.object({
      name: z.string(),
      accountId: z.string().optional(),
    })),
  },
  handler: async (_args, { plex, signal }) => {
    // The server's accounts first (names to ids; the owner's token only).
    const accounts = await plex.getJson("/accounts", accountsSchema, {
      signal,
    });
    const idOf = (name: string) =>
      accounts.find((a) => a.name.toLowerCase() === name.toLowerCase())?.id;
    const [home, friends] = await Promise.all([
      homeUsers(plex, signal),
      accountOf(plex).then((a) => a.friends(signal)),
    ]);
    const users = home.map((u) => ({
      name: u.title,
      admin: u.admin,
      managed: u.restricted,
      protected: u.protected,
      accountId: u.admin ? "1" : idOf(u.title) ?? idOf(u.username ?? ""),
    }));
    const shared = friends.filter((f) => !f.home).map((f) => ({
      name: f.title,
      accountId: idOf(f.title) ?? idOf(f.username ?? ""),
    }));
    const text = [
      users.length
        ? `${users.length} in the Plex Home:\n` +
          users.map((u) =>
            `${u.name}${u.admin ? " (admin)" : ""}${
              u.managed ? " · managed" : ""
            }${u.protected ? " · PIN" : ""}${
              u.accountId ? ` · account ${u.accountId}` : ""
            }`
          ).join("\n")
        : "This account has no Plex Home.",
      shared.length
        ? `Shared with (not in the Home, cannot be viewed as): ${
          shared.map((f) => f.name).join(", ")
        }`
        : "",
    ].filter(Boolean).join("\n");
    return { structured: { users, friends: shared }, text };
  },
});
