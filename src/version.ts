/**
 * The package name and version. They are written here as constants, not
 * imported from `deno.json`: importing the config file as a JSON module
 * measurably slows every start (about 5% of spawn → initialize). A test
 * (`tests/docs/manifest_test.ts`, "one version…") fails when they differ from
 * `deno.json`, which stays the source for releases; the server info,
 * `--version` and both manifests read them from here.
 *
 * @module
 */

/** Package name on JSR. */
export const NAME: string = "@plexmcp/server";

/** Package version. */
export const VERSION: string = "0.1.0";

/** The command's name, as people type it and as Plex shows the device. */
export const CLI_NAME: string = "plexmcp";
