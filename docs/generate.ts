/**
 * Rewrites the generated parts of README.md, manifest.json and
 * dxt_manifest.json from the tool registry: `deno task docs`.
 */
import {
  dxtFromManifest,
  formatJson,
  updateManifest,
  withToolTable,
} from "./catalog.ts";
import { toolsIndexJson, toolsListJson } from "./tools_list.ts";

const root = new URL("../", import.meta.url);
const read = (name: string) => Deno.readTextFile(new URL(name, root));

await Deno.writeTextFile(
  new URL("README.md", root),
  withToolTable(await read("README.md")),
);
const manifest = updateManifest(JSON.parse(await read("manifest.json")));
await Deno.writeTextFile(new URL("manifest.json", root), formatJson(manifest));
await Deno.writeTextFile(
  new URL("dxt_manifest.json", root),
  formatJson(dxtFromManifest(manifest)),
);
await Deno.writeTextFile(
  new URL("src/tools/catalog/tools_list.json", root),
  toolsListJson(),
);
await Deno.writeTextFile(
  new URL("src/tools/catalog/tools_index.json", root),
  toolsIndexJson(),
);
