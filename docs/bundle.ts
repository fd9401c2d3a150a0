/**
 * `deno task bundle`: packs the MCP bundle (`dist/plexmcp.mcpb`) from
 * `manifest.json` and a compiled binary (`deno task compile` first). Uses the
 * official bundle CLI from npm.
 */
const root = new URL("../", import.meta.url);
const isWindows = Deno.build.os === "windows";
const binaryName = isWindows ? "plexmcp.exe" : "plexmcp";
const binary = new URL(binaryName, root);

try {
  await Deno.stat(binary);
} catch {
  // deno-lint-ignore no-console
  console.error(
    `bundle: no ${binaryName} in the project folder; run \`deno task compile\` first`,
  );
  Deno.exit(1);
}

const stage = new URL("dist/bundle/", root);
await Deno.remove(stage, { recursive: true }).catch(() => {});
await Deno.mkdir(new URL("server/", stage), { recursive: true });
await Deno.copyFile(
  new URL("manifest.json", root),
  new URL("manifest.json", stage),
);
await Deno.copyFile(new URL("README.md", root), new URL("README.md", stage));
await Deno.copyFile(binary, new URL(`server/${binaryName}`, stage));
if (!isWindows) await Deno.chmod(new URL(`server/${binaryName}`, stage), 0o755);

const out = new URL("dist/plexmcp.mcpb", root);
const { code } = await new Deno.Command("npx", {
  args: ["-y", "@anthropic-ai/mcpb@2", "pack", stage.pathname, out.pathname],
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);
