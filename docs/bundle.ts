/**
 * `deno task bundle`: packs the MCP bundle (`dist/plexmcp.mcpb`) from
 * `manifest.json` and a compiled binary (`deno task compile` first), with the
 * official bundle CLI from npm.
 *
 * Options: `--binary <path>` (default `./plexmcp`, `plexmcp.exe` on Windows)
 * and `--out <dir>` (default `dist`).
 */
import { parseArgs } from "node:util";

const root = new URL("../", import.meta.url);
const isWindows = Deno.build.os === "windows";
const binaryName = isWindows ? "plexmcp.exe" : "plexmcp";
const { values } = parseArgs({
  args: Deno.args,
  options: { binary: { type: "string" }, out: { type: "string" } },
});
const binary = values.binary ?? new URL(binaryName, root).pathname;
const out = values.out ?? new URL("dist", root).pathname;

try {
  await Deno.stat(binary);
} catch {
  // deno-lint-ignore no-console
  console.error(
    `bundle: no binary at ${binary}; run \`deno task compile\` first`,
  );
  Deno.exit(1);
}

const stage = `${out}/bundle`;
await Deno.remove(stage, { recursive: true }).catch(() => {});
await Deno.mkdir(`${stage}/server`, { recursive: true });
await Deno.copyFile(new URL("manifest.json", root), `${stage}/manifest.json`);
await Deno.copyFile(new URL("README.md", root), `${stage}/README.md`);
await Deno.copyFile(binary, `${stage}/server/${binaryName}`);
if (!isWindows) await Deno.chmod(`${stage}/server/${binaryName}`, 0o755);

const { code } = await new Deno.Command("npx", {
  args: ["-y", "@anthropic-ai/mcpb@2", "pack", stage, `${out}/plexmcp.mcpb`],
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);
