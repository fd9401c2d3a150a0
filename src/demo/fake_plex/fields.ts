/**
 * Which fields the fake's list views keep, and which ones its hostile mode
 * (`echoToken`) writes the token into.
 *
 * @module
 */

/** Tags a list view keeps, and how many of each (see `listView`). */
export const LIST_TAGS: [string, number][] = [
  ["Genre", 2],
  ["Director", 2],
  ["Writer", 2],
  ["Country", 2],
  ["Role", 3],
];

/** Fields the hostile mode writes the token into, as text. */
export const ECHO_TEXT_FIELDS = new Set([
  "title",
  "summary",
  "tagline",
  "studio",
  "originalTitle",
  "parentTitle",
  "grandparentTitle",
  "librarySectionTitle",
  "title1",
  "title2",
  "friendlyName",
  "displayTitle",
  "extendedDisplayTitle",
  "file",
  "tag",
  "role",
  "description",
  "product",
  "device",
]);

/** Fields the hostile mode writes the token into, as a URL parameter. */
export const ECHO_URL_FIELDS = new Set(["thumb", "art", "grandparentThumb"]);
