/**
 * The package version. `deno.json` is the single source; everything else
 * (server info, `--version`, manifests) reads it from here.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

/** Package name on JSR. */
export const NAME: string = denoJson.name;

/** Package version. */
export const VERSION: string = denoJson.version;
