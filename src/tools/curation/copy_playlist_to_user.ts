import { accountOf } from "../../account/mod.ts";
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import type { SharedServer } from "../../plextv/models.ts";
import { confirmInput } from "../shared/confirm.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { plural } from "../shared/format.ts";
import { safeId, shown } from "../shared/ids.ts";
import { libraryUri, PLAYLIST_KIND } from "../shared/playlist_common.ts";
import { nameOrIdInput, resolvePlaylist } from "../shared/resolve.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { notTaken, NotTakenError } from "../shared/readback.ts";

/** Items sent per request (the first batch creates the copy). */
const BATCH = 100;
/** Most items copied. */
const MAX_ITEMS = 5_000;

/**
 * plex.tv's legacy list of a server's shares (`/api/servers/{id}/
 * shared_servers`, the only place it gives another user's token for the
 * server, python-plexapi myplex.py:1232) not answered (404, 410): said
 * plainly, since plex.tv has been retiring its legacy sharing endpoints
 * (pushingkarmaorg/python-plexapi#1504).
 */
function legacyListMissing(error: unknown): unknown {
  const status = (error as { status?: unknown }).status;
  if (
    !(error instanceof Error) || error.name !== "PlexTvError" ||
    (status !== 404 && status !== 410)
  ) {
    return error;
  }
  return new ToolInputError(
    `${error.message}. If it is the owner's, plex.tv no longer answers this legacy list of shares (it has been retiring its legacy sharing endpoints); it is the only place plex.tv gives another user's token for this server, so a playlist cannot be copied to them. Nothing was copied`,
  );
}

/** The share of this server whose user `wanted` names, or a clear refusal. */
async function findShare(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
): Promise<{ share: SharedServer; name: string }> {
  const account = await accountOf(plex);
  const machine = await plex.machineIdentifier({ signal });
  // Names for the shares (a managed user's share has none): the account's
  // friends and Home, asked alongside.
  const [shares, friends, home] = await Promise.all([
    account.sharedServers(machine, signal).catch((error: unknown) => {
      throw legacyListMissing(error);
    }),
    account.friends(signal).catch(() => []),
    account.homeUsers(signal).catch(() => []),
  ]);
  const people = [
    ...home.map((h) => ({
      id: h.id,
      title: h.title,
      username: h.username,
      owner: h.admin,
    })),
    ...friends.map((f) => ({
      id: f.id,
      title: f.title,
      username: f.username,
      owner: false,
    })),
  ];
  const title = (s: SharedServer) =>
    people.find((p) => p.id === s.userID)?.title ?? s.username ?? s.email ??
      `user ${s.userID}`;
  const v = wanted.toLowerCase();
  // Writes: an id, a whole user name, email or display name only.
  const matches = (s: SharedServer) =>
    s.userID === wanted || s.username?.toLowerCase() === v ||
    s.email?.toLowerCase() === v || title(s).toLowerCase() === v;
  const found = shares.filter(matches);
  if (found.length === 1) return { share: found[0]!, name: title(found[0]!) };
  if (found.length > 1) {
    throw new ToolInputError(
      `${shown(wanted)} matches several users this server is shared with: ${
        found.map((s) => `"${title(s)}" (${s.userID})`).join(", ")
      }. Use the plex.tv id`,
    );
  }
  const person = people.find((p) =>
    p.id === wanted || p.title.toLowerCase() === v ||
    p.username?.toLowerCase() === v
  );
  if (person?.owner) {
    throw new ToolInputError(
      `${person.title} is the server's owner: the playlist is already theirs`,
    );
  }
  if (person) {
    throw new ToolInputError(
      `${person.title} has no share of this server: Plex keeps playlists per user, and only a user the server is shared with has playlists here (share a library with them in Plex's settings first)`,
    );
  }
  throw new ToolInputError(
    shares.length
      ? `No user this server is shared with matches ${shown(wanted)}: choose ${
        shares.slice(0, 20).map((s) => `"${title(s)}" (${s.userID})`).join(
          ", ",
        )
      }${shares.length > 20 ? ` and ${shares.length - 20} more` : ""}`
      : `This server is shared with no one, so there is no other user to copy a playlist to (${
        shown(wanted)
      } is not among its users)`,
  );
}

/** `copy_playlist_to_user`: a copy of a playlist in another user's account. */
export const copyPlaylistToUser = defineTool({
  name: "copy_playlist_to_user",
  title: "Copy a playlist to another user",
  description:
    "Copies a playlist (ratingKey or full title) into the playlists of a user this server is shared with, as a regular playlist of the same title holding its current items (a smart one's too); asks first if they already have one of that title.",
  toolset: "curation",
  annotations: writes({ idempotent: false }),
  input: {
    playlist: nameOrIdInput().describe("Playlist ratingKey or title"),
    user: z.string().trim().min(1).max(200).describe(
      "Name, user name, email or plex.tv id",
    ),
    confirm: confirmInput,
  },
  output: {
    source: z.object({ ratingKey: z.string(), title: z.string() }),
    user: z.string(),
    copy: z.object({ ratingKey: z.string(), items: z.number().int() }),
    sent: z.number().int(),
    smart: z.boolean(),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const source = await resolvePlaylist(plex, args.playlist, signal, {
      exact: true,
    });
    // The items as they are now (a smart playlist's too), in order.
    const keys: string[] = [];
    let kind = source.playlistType;
    for await (
      const item of plex.iterate(`/playlists/${source.ratingKey}/items`, {
        signal,
        cache: false,
      })
    ) {
      if (keys.length >= MAX_ITEMS) {
        throw new ToolInputError(
          `"${source.title}" holds more than ${MAX_ITEMS} items, more than plexmcp copies`,
        );
      }
      keys.push(safeId(item.ratingKey, "item"));
      kind ??= PLAYLIST_KIND[item.type];
    }
    if (keys.length === 0) {
      throw new ToolInputError(
        `"${source.title}" is empty: Plex creates no playlist without items, so there is nothing to copy`,
      );
    }
    if (!kind) {
      throw new ToolInputError(
        `Cannot tell what kind of playlist "${source.title}" is (video, audio or photo)`,
      );
    }
    const { share, name } = await findShare(plex, args.user, signal);
    if (!share.accessToken) {
      throw new ToolInputError(
        `plex.tv lists ${name}'s share of this server without a token for it (an invitation not accepted yet?): nothing was copied`,
      );
    }
    // Their token is a secret like ours: redacted from every answer and log.
    plex.addSecret(share.accessToken);
    const theirs = plex.actingAs(share.accessToken, share.accessToken);
    theirs.shareBudget(signal);
    const existing = await theirs.getJson("/playlists", itemsContainerSchema, {
      signal,
      cache: false,
    });
    const same = existing.Metadata.filter((p) =>
      p.title.toLowerCase() === source.title.toLowerCase()
    );
    if (same.length) {
      const action = `${name} already has a playlist "${
        same[0]!.title
      }"; copying makes a second one of that title`;
      const answer = await ctx.confirm(`${action}. Copy anyway?`);
      if (answer === false) {
        throw new ToolInputError(
          "Cancelled: the user did not confirm. Nothing was copied",
        );
      }
      if (answer !== true && args.confirm !== true) {
        throw new ToolInputError(
          `${action}: ask the user, then call again with confirm: true. Nothing was copied`,
        );
      }
    }
    // With their token, on this server: POST /playlists with the items'
    // server:// URI (python-plexapi Playlist.copyToUser → create, API.md
    // §21), the rest added in batches (PUT /playlists/{id}/items).
    const machine = await plex.machineIdentifier({ signal });
    const created = await theirs.getJson("/playlists", itemsContainerSchema, {
      method: "POST",
      query: {
        type: kind,
        title: source.title,
        smart: 0,
        uri: libraryUri(machine, keys.slice(0, BATCH)),
      },
      signal,
    });
    const made = created.Metadata[0];
    if (!made?.ratingKey) {
      throw new Error(
        `Plex accepted the copy for ${name} but did not return it`,
      );
    }
    const id = safeId(made.ratingKey, "playlist");
    for (let at = BATCH; at < keys.length; at += BATCH) {
      await theirs.send(`/playlists/${id}/items`, {
        method: "PUT",
        query: { uri: libraryUri(machine, keys.slice(at, at + BATCH)) },
        signal,
      });
    }
    // Read back as them.
    const request =
      `the copy of [${source.ratingKey}] "${source.title}" for ${name}`;
    const back = await theirs.getJson(
      `/playlists/${id}`,
      itemsContainerSchema,
      {
        signal,
        cache: false,
      },
    ).catch((e: unknown) => {
      if (e instanceof PlexNotFoundError) {
        throw new NotTakenError(
          request,
          `it answered with playlist ${id} and then ${name} has no such playlist`,
        );
      }
      throw e;
    });
    const items = Math.round(back.Metadata[0]?.leafCount ?? 0);
    const missing = keys.length - items;
    if (items === 0) {
      return notTaken(
        {
          source: { ratingKey: source.ratingKey, title: source.title },
          user: name,
          copy: { ratingKey: id, items },
          sent: keys.length,
          smart: source.smart,
        },
        request,
        `their playlist [${id}] holds none of the ${
          plural(keys.length, "item")
        } sent (Plex leaves out items of libraries not shared with them)`,
      );
    }
    return {
      structured: {
        source: { ratingKey: source.ratingKey, title: source.title },
        user: name,
        copy: { ratingKey: id, items },
        sent: keys.length,
        smart: source.smart,
      },
      text:
        `Copied [${source.ratingKey}] "${source.title}" to ${name}: their playlist [${id}] holds ${
          plural(items, "item")
        }${
          missing > 0
            ? ` of the ${keys.length} sent (Plex left out ${
              plural(missing, "item")
            }, e.g. from libraries not shared with them)`
            : ""
        }${
          source.smart
            ? "; it is a regular playlist with the smart one's current items"
            : ""
        }.`,
    };
  },
});
