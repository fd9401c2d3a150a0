/**
 * Output size: bytes of text per listed item for search, browse and recently
 * added (20-item pages), with every ratingKey present; text and structured
 * sizes of a page.
 */
import { createScaleLibrary } from "../src/demo/scale.ts";
import { median, type Section, startRig } from "./lib.ts";

/** Measures pages of each list tool. */
export async function outputSize(): Promise<Section> {
  const rig = await startRig({
    library: createScaleLibrary({ movies: 1_000, episodes: 500 }),
  });
  const cases: [string, Record<string, unknown>][] = [
    ["search_media", { query: "episode 00", limit: 20 }],
    ["browse_library", { library: "Generated Movies", limit: 20 }],
    ["browse_library", {
      library: "Generated Shows",
      type: "episode",
      limit: 20,
    }],
    ["get_recently_added", { limit: 20 }],
  ];
  const rows: string[] = [];
  const perItem: number[] = [];
  let allKeys = true;
  try {
    for (const [tool, args] of cases) {
      const r = await rig.call(tool, args);
      const items = (r.structured as { items: { ratingKey: string }[] }).items;
      const lines = r.text.split("\n").filter((l) => /^\[\d+\]/.test(l));
      const enc = new TextEncoder();
      const lineBytes = lines.map((l) => enc.encode(l).length + 1);
      perItem.push(...lineBytes);
      const keysPresent = items.every((i) =>
        r.text.includes(`[${i.ratingKey}]`)
      );
      allKeys &&= keysPresent && items.length === 20;
      rows.push(
        `| ${tool} ${JSON.stringify(args)} | ${items.length} | ${r.bytes} | ${
          (r.bytes / items.length).toFixed(0)
        } | ${median(lineBytes)} | ${
          enc.encode(JSON.stringify(r.structured)).length
        } | ${keysPresent ? "yes" : "**no**"} |`,
      );
    }
  } finally {
    await rig.close();
  }
  const m = median(perItem);
  return {
    title: "Output size of 20-item pages",
    lines: [
      "| call | items | text bytes | text bytes/item (incl. header) | median line bytes | structured bytes | every ratingKey in text |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
    ],
    targets: [
      {
        name: "median text bytes per listed item ≤ 120",
        met: m <= 120,
        detail: `${m} bytes`,
      },
      {
        name: "every ratingKey present in the text",
        met: allKeys,
        detail: allKeys ? "yes" : "no",
      },
    ],
  };
}
