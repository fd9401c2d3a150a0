/**
 * Fake plex.tv Discover: where a title can be streamed,
 * `GET /library/metadata/{id}/availabilities` → `MediaContainer
 * .Availability[]` with the fields python-plexapi reads (media.py:1305-1339:
 * `country`, `offerType`, `platform`, `platformColorThumb`, `platformInfo`,
 * `platformUrl`, `price`, `priceDescription`, `quality`, `title`, `url`;
 * the request is mixins.py:1215-1229 `streamingServices`). As Discover's
 * other calls it wants an account's own token (401 otherwise, API.md
 * §24.1) and answers an id it does not know 404, like the watchlist
 * actions; only GET is routed. No recording exists: the offers are the
 * demo's own, one set per title picked from its id.
 *
 * @module
 */
type Offer = Record<string, unknown>;

/** What the offers are made from: a Discover title (fake_plextv/state.ts). */
interface Title {
  /** 24 hex digits. */
  id: string;
  /** `movie` or `show`. */
  type: string;
}

function offer(
  title: string,
  platform: string,
  offerType: string,
  id: string,
  extra: Offer = {},
): Offer {
  return {
    country: "US",
    offerType,
    platform,
    platformColorThumb:
      `https://provider-static.plex.tv/epg/images/ott_channels/logos/${platform}.png`,
    platformUrl: `https://watch.example.invalid/${platform}/${id}`,
    title,
    url:
      `https://app.plex.tv/desktop/#!/provider/tv.plex.provider.discover/details?key=%2Flibrary%2Fmetadata%2F${id}`,
    ...extra,
  };
}

/** The demo's offers for a title (some titles have none). */
export function demoAvailabilities(item: Title): Offer[] {
  const pick = parseInt(item.id.slice(-2), 16) % 3;
  if (item.type === "show") {
    return pick === 2 ? [] : [offer("Pluto TV", "pluto", "free", item.id)];
  }
  if (pick === 2) return [];
  const out = [
    offer("Tubi", "tubi", "free", item.id, { quality: "HD" }),
    offer("Prime Video", "amazon", "rent", item.id, {
      price: 3.99,
      priceDescription: "$3.99",
      quality: "HD",
    }),
  ];
  if (pick === 1) {
    out.push(offer("Apple TV", "itunes", "buy", item.id, {
      price: 9.99,
      priceDescription: "$9.99",
      quality: "4K",
    }));
  }
  return out;
}

/**
 * Answers the availabilities path for `account` (undefined: the token is
 * no account's): `unauthorized` and `notFound` make plex.tv's error bodies.
 */
export function availabilitiesAnswer(
  req: Request,
  id: string,
  account: string | undefined,
  catalog: readonly Title[],
  answers: {
    unauthorized: () => Response;
    notFound: () => Response;
  },
): Response {
  if (req.method !== "GET") return answers.notFound();
  if (!account) return answers.unauthorized();
  const item = catalog.find((c) => c.id === id);
  if (!item) return answers.notFound();
  const list = demoAvailabilities(item);
  return new Response(
    JSON.stringify({
      MediaContainer: {
        size: list.length,
        identifier: "tv.plex.provider.discover",
        ...(list.length ? { Availability: list } : {}),
      },
    }),
    {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
    },
  );
}
