import { PlexNotFoundError } from "../../transport/errors.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { itemSummary } from "../shared/items.ts";
import { listPage } from "./listing.ts";
import { pageInput, pageOutput } from "../shared/paging.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";
import { forViewer, viewerInput } from "../shared/viewers.ts";

/** `get_on_deck`: continue watching. */
export const getOnDeck = defineTool({
  name: "get_on_deck",
  title: "On Deck",
  description:
    "In-progress items (with resume position) and next episodes of started shows, latest first; server-wide or one library, paged.",
  toolset: "library",
  annotations: READ_ONLY,
  spansServers: true,
  input: { library: libraryInput.optional(), ...pageInput, ...viewerInput },
  output: pageOutput(itemSummary),
  handler: forViewer(async (args, { plex, signal }) => {
    const section = args.library
      ? await resolveLibrary(plex, args.library, signal)
      : undefined;
    const page = { offset: args.offset, limit: args.limit, signal };
    try {
      return await listPage(
        plex,
        section ? `/library/sections/${section.key}/onDeck` : "/library/onDeck",
        "on deck items",
        page,
      );
    } catch (error) {
      // Newer servers may drop the old On Deck endpoints; Continue Watching
      // is their replacement.
      if (!(error instanceof PlexNotFoundError)) throw error;
      return await listPage(
        plex,
        section
          ? `/hubs/sections/${section.key}/continueWatching/items`
          : "/hubs/continueWatching/items",
        "continue watching items",
        page,
      );
    }
  }),
});
