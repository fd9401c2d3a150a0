/**
 * `deno task bundle`: packs the MCP bundle (`dist/plexmcp.mcpb`) from
 * `manifest.json` and a compiled binary (`deno task compile` first), with the
 * official bundle CLI from npm. The packed manifest declares only the
 * binary's platform (read from the file; see `bundle_manifest.ts`).
 *
 * Options: `--binary <path>` (default `./plexmcp`, `plexmcp.exe` on Windows),
 * `--out <dir>` (default `dist`), and `--platform darwin|linux|win32` for a
 * file whose platform cannot be read from it (it must agree when it can).
 */
import { parseArgs } from "node:util";
import {
  binaryPlatform,
  BUNDLE_PLATFORMS,
  bundledBinaryName,
  type BundlePlatform,
  hostPlatform,
  packedManifest,
} from "./bundle_manifest.ts";

function fail(message: string): never {
  // deno-lint-ignore no-console
  console.error(`bundle: ${message}`);
  Deno.exit(1);
}

const root = new URL("../", import.meta.url);
const { values } = parseArgs({
  args: Deno.args,
  options: {
    binary: { type: "string" },
    out: { type: "string" },
    platform: { type: "string" },
  },
});
const binary = values.binary ??
  new URL(bundledBinaryName(hostPlatform()), root).pathname;
const out = values.out ?? new URL("dist", root).pathname;

let head: Uint8Array;
try {
  const file = await Deno.open(binary);
  head = new Uint8Array(4);
  await file.read(head);
  file.close();
} catch {
  fail(`no binary at ${binary}; run \`deno task compile\` first`);
}
const asked = values.platform;
if (asked !== undefined && !BUNDLE_PLATFORMS.includes(asked as never)) {
  fail(`--platform must be one of ${BUNDLE_PLATFORMS.join(", ")}`);
}
const found = binaryPlatform(head);
if (found && asked && found !== asked) {
  fail(`${binary} is a ${found} executable, not ${asked}`);
}
const platform = (found ?? asked ?? hostPlatform()) as BundlePlatform;
// deno-lint-ignore no-console
console.error(
  `bundle: packing ${binary} as the ${platform} binary${
    found ? "" : asked ? " (as --platform says)" : " (this machine's platform)"
  }`,
);

const stage = `${out}/bundle`;
const name = bundledBinaryName(platform);
await Deno.remove(stage, { recursive: true }).catch(() => {});
await Deno.mkdir(`${stage}/server`, { recursive: true });
const manifest = JSON.parse(
  await Deno.readTextFile(new URL("manifest.json", root)),
);
await Deno.writeTextFile(
  `${stage}/manifest.json`,
  JSON.stringify(packedManifest(manifest, platform), null, 2) + "\n",
);
await Deno.copyFile(new URL("README.md", root), `${stage}/README.md`);
await Deno.copyFile(binary, `${stage}/server/${name}`);
if (platform !== "win32") await Deno.chmod(`${stage}/server/${name}`, 0o755);

const { code } = await new Deno.Command("npx", {
  args: ["-y", "@anthropic-ai/mcpb@2", "pack", stage, `${out}/plexmcp.mcpb`],
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);
