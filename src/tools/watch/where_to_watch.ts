import { accountOf } from "../../account/mod.ts";
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { parts, plural } from "../shared/format.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { targetOf, videoSections } from "../insights/watchlist_common.ts";

/** Offers shown at most. */
const MAX_OFFERS = 30;
/** Copies listed per server at most. */
const MAX_COPIES = 10;

const copy = z.object({
  server: z.string(),
  ratingKey: z.string(),
  library: z.string(),
  quality: z.string().optional().describe("Resolution, codec, bitrate"),
});

/**
 * The copies of `guid` in one server's film and show libraries (`guid=`
 * per library, python-plexapi's getGuid; API.md §24.1), each with the
 * quality of its versions (a show: its episode count).
 */
async function copiesOn(
  server: string,
  plex: PlexClient,
  guid: string,
  type: string,
  signal: AbortSignal,
): Promise<z.output<typeof copy>[]> {
  const sections = (await videoSections(plex, signal)).filter((s) =>
    s.type === type
  );
  const found = await Promise.all(sections.map(async (s) => {
    const c = await plex.getJson(
      `/library/sections/${encodeURIComponent(s.key)}/all`,
      itemsContainerSchema,
      { query: { guid }, signal },
    );
    return c.Metadata.filter((i) => i.guid === guid).map((i) => ({
      server,
      ratingKey: i.ratingKey,
      library: s.title,
      quality: i.type === "show"
        ? i.leafCount !== undefined ? plural(i.leafCount, "episode") : undefined
        : i.media.map((m) =>
          parts([
            m.videoResolution &&
            (/^\d+$/.test(m.videoResolution)
              ? `${m.videoResolution}p`
              : m.videoResolution),
            m.videoCodec,
            m.bitrate !== undefined && `${Math.round(m.bitrate)} kbps`,
          ], " ")
        ).filter(Boolean).join(" / ") || undefined,
    }));
  }));
  return found.flat().slice(0, MAX_COPIES);
}

/** `where_to_watch`: streaming offers and the servers that have a title. */
export const whereToWatch = defineTool({
  name: "where_to_watch",
  title: "Where to watch",
  description:
    "Where a film or show streams, rents or sells (plex.tv Discover: service, offer, price, link) and which servers have it in what quality; by ratingKey or title.",
  toolset: "watch",
  annotations: READ_ONLY,
  input: {
    ratingKey: ratingKeyInput.optional(),
    title: z.string().min(1).max(200).optional(),
    year: z.number().int().min(1870).max(2100).optional(),
    type: z.enum(["movie", "show"]).optional(),
  },
  output: {
    id: z.string().describe("plex.tv id"),
    title: z.string(),
    offers: z.array(z.object({
      service: z.string(),
      offer: z.string().optional().describe("subscription, rent, buy, free"),
      price: z.string().optional(),
      quality: z.string().optional(),
      url: z.string().optional(),
    })),
    servers: z.array(copy),
    unreachable: z.array(z.string()).optional(),
  },
  handler: async (args, { plex, servers, signal }) => {
    const account = await accountOf(plex);
    const target = await targetOf(args, plex, account, signal);
    const guid = `plex://${target.type}/${target.id}`;
    const [offers, found] = await Promise.all([
      account.availabilities(target.id, signal),
      Promise.all(
        (servers.multiple
          ? servers.all()
          : [{ name: servers.default.name, client: plex }]).map(async (s) => {
            try {
              return {
                copies: await copiesOn(
                  s.name,
                  s.client,
                  guid,
                  target.type,
                  signal,
                ),
              };
            } catch (error) {
              if (!servers.multiple) throw error;
              return {
                failed: `${s.name}: ${
                  error instanceof Error ? error.message : String(error)
                }`,
              };
            }
          }),
      ),
    ]);
    const shownOffers = offers.slice(0, MAX_OFFERS).map((o) => ({
      service: o.title,
      offer: o.offerType,
      price: o.priceDescription ??
        (o.price !== undefined ? String(o.price) : undefined),
      quality: o.quality,
      url: o.url,
    }));
    const copies = found.flatMap((f) => f.copies ?? []);
    const unreachable = found.flatMap((f) => f.failed ?? []);
    const here = (c: z.output<typeof copy>) =>
      parts([
        servers.multiple && c.server,
        `${c.library} [${c.ratingKey}]`,
        c.quality,
      ]);
    const text = [
      `${target.name} (plex.tv id ${target.id})`,
      shownOffers.length
        ? `Streaming: ${
          shownOffers.map((o) =>
            parts([o.service, o.offer, o.price, o.quality, o.url], " ")
          ).join("; ")
        }`
        : "Streaming: plex.tv Discover lists no service offering it (in this account's country).",
      copies.length
        ? `On your servers: ${copies.map(here).join("; ")}`
        : "Not on your servers.",
      ...unreachable.map((u) => `Could not check ${u}`),
    ];
    return {
      structured: {
        id: target.id,
        title: target.name,
        offers: shownOffers,
        servers: copies,
        unreachable: unreachable.length ? unreachable : undefined,
      },
      text: text.join("\n"),
    };
  },
});
