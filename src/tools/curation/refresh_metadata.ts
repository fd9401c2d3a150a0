import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { fetchEditable } from "./curation_common.ts";
import {
  changedFields,
  changeLines,
  metadataChangeOutput,
  viewOf,
} from "./metadata_fields.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import {
  REFRESH_WAIT_MS,
  refreshOf,
  sendAndSettle,
} from "../shared/care_common.ts";

/** `refresh_metadata`: asks Plex's agent to refresh one item. */
export const refreshMetadata = defineTool({
  name: "refresh_metadata",
  title: "Refresh an item's metadata",
  description:
    "Has Plex refresh one item's metadata from its agent, asking the user first: unlocked fields may be replaced, locked ones are kept. Returns what changed so far.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: { ratingKey: ratingKeyInput, confirm: confirmInput },
  output: metadataChangeOutput,
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const item = await fetchEditable(plex, args.ratingKey, signal);
    const before = viewOf(item);
    await requireConfirmation(
      ctx,
      `Refresh the metadata of ${item.type} "${item.title}" from its agent, replacing fields that are not locked (locked: ${
        before.locked.join(", ") || "none"
      })`,
      args.confirm,
    );
    // API.md §20.4: PUT /library/metadata/{rk}/refresh (spec; ppa
    // base.py:693); locked fields are not modified (ppa library.py:214).
    // Answered at once; the refresh runs on as an activity: wait a little.
    const work = await sendAndSettle(
      plex,
      () =>
        plex.send(`/library/metadata/${args.ratingKey}/refresh`, {
          method: "PUT",
          signal,
        }),
      signal,
      { waitMs: REFRESH_WAIT_MS, mine: refreshOf(args.ratingKey) },
    );
    const after = viewOf(await fetchEditable(plex, args.ratingKey, signal));
    const changed = changedFields(before, after);
    return {
      structured: {
        ratingKey: args.ratingKey,
        type: item.type,
        before,
        after,
        changed,
      },
      text: [
        `Asked Plex to refresh [${args.ratingKey}] ${item.type} "${after.title}"; ${
          changed.length
            ? `changed so far: ${changed.join(", ")}`
            : "nothing changed yet (Plex may still be fetching; read it again with get_media_details)"
        }${
          work.running.length ? " (Plex is still refreshing it)" : ""
        }. Locked fields kept: ${after.locked.join(", ") || "none"}.`,
        ...changeLines(before, after, changed),
      ].join("\n"),
    };
  },
});
