/**
 * The search of an item's match candidates, shared by `list_matches` and
 * `match_item` (the same search must find the same entries).
 *
 * @module
 */
import type { PlexClient } from "../../plex/client.ts";
import type { EditableItem } from "../../plex/editable.ts";
import type { QueryValue } from "../../transport/request.ts";
import { ToolInputError } from "../shared/define_tool.ts";

/**
 * The query of `GET /library/metadata/{rk}/matches`: `manual=1` alone
 * (what Plex Web asks first, API.md §20.4), or, once a title or a year is
 * given, both (the other taken from the item) with the library's `agent`
 * and `language`, as python-plexapi sends them (mixins.py:223-240) and
 * Plex's OpenAPI lists them for the matches call.
 */
export async function matchesQuery(
  plex: PlexClient,
  item: EditableItem,
  search: { title?: string; year?: number },
  signal: AbortSignal,
): Promise<Record<string, QueryValue>> {
  if (search.title === undefined && search.year === undefined) {
    return { manual: 1 };
  }
  const section = (await plex.sections({ signal })).find((s) =>
    s.key === item.librarySectionID
  );
  if (!section?.agent) {
    throw new ToolInputError(
      `Plex did not say which agent the library of "${item.title}" uses, which a search by title or year needs; search without them`,
    );
  }
  return {
    manual: 1,
    title: search.title ?? item.title,
    year: search.year ?? item.year ?? "",
    language: section.language,
    agent: section.agent,
  };
}
