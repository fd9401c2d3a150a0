/**
 * Rewrites the generated parts of README.md, manifest.json and
 * dxt_manifest.json from the tool registry: `deno task docs`.
 */
import {
  formatJson,
  updateDxtManifest,
  updateManifest,
  withToolTable,
} from "./catalog.ts";
import { toolsIndexJson, toolsListJson } from "./tools_list.ts";

const root = new URL("../", import.meta.url);
const read = (name: string) => Deno.readTextFile(new URL(name, root));

const denoJson = JSON.parse(await read("deno.json"));
await Deno.writeTextFile(
  new URL("README.md", root),
  withToolTable(await read("README.md")),
);
await Deno.writeTextFile(
  new URL("manifest.json", root),
  formatJson(updateManifest(JSON.parse(await read("manifest.json")))),
);
await Deno.writeTextFile(
  new URL("dxt_manifest.json", root),
  formatJson(
    updateDxtManifest(JSON.parse(await read("dxt_manifest.json")), denoJson),
  ),
);
await Deno.writeTextFile(
  new URL("src/tools/tools_list.json", root),
  toolsListJson(),
);
await Deno.writeTextFile(
  new URL("src/tools/tools_index.json", root),
  toolsIndexJson(),
);
