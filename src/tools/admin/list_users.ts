import { z } from "../../zod.ts";
import { accountsSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { plural } from "../shared/format.ts";

/** `list_users`: server accounts. */
export const listUsers = defineTool({
  name: "list_users",
  title: "List accounts",
  description:
    "Lists the accounts known to this server (owner, Home members, friends who played here) with the ids get_watch_history uses. Needs the owner's token.",
  toolset: "admin",
  annotations: READ_ONLY,
  input: {},
  output: {
    accounts: z.array(z.object({ id: z.string(), name: z.string() })),
    total: z.number().int(),
  },
  handler: async (_args, { plex, signal }) => {
    const accounts =
      (await plex.getJson("/accounts", accountsSchema, { signal }))
        .filter((a) => a.name !== "");
    return {
      structured: { accounts, total: accounts.length },
      text: accounts.length
        ? `${plural(accounts.length, "account")}:\n` +
          accounts.map((a) => `[${a.id}] ${a.name}`).join("\n")
        : "The server lists no accounts.",
    };
  },
});
