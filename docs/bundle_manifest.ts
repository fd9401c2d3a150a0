/**
 * The manifest `deno task bundle` packs: `manifest.json` made to declare
 * exactly the platform of the binary it holds (MCPB
 * `compatibility.platforms`), with that platform's executable name. A
 * bundle holds one binary, built by `deno compile` for one platform.
 *
 * @module
 */

/** MCPB platform names. */
export type BundlePlatform = "darwin" | "linux" | "win32";

/** The platforms MCPB knows. */
export const BUNDLE_PLATFORMS: readonly BundlePlatform[] = [
  "darwin",
  "linux",
  "win32",
];

/**
 * The platform an executable is for, from its first bytes: ELF (Linux),
 * Mach-O, thin or universal (macOS), PE's `MZ` (Windows); undefined for
 * anything else.
 */
export function binaryPlatform(head: Uint8Array): BundlePlatform | undefined {
  const hex = [...head.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  if (hex === "7f454c46") return "linux";
  if (
    ["feedface", "feedfacf", "cefaedfe", "cffaedfe", "cafebabe"].includes(hex)
  ) {
    return "darwin";
  }
  if (hex.startsWith("4d5a")) return "win32";
  return undefined;
}

/** The MCPB name of the platform Deno runs on. */
export function hostPlatform(os: string = Deno.build.os): BundlePlatform {
  return os === "windows" ? "win32" : os === "darwin" ? "darwin" : "linux";
}

/** The executable's name inside the bundle, for `platform`. */
export function bundledBinaryName(platform: BundlePlatform): string {
  return platform === "win32" ? "plexmcp.exe" : "plexmcp";
}

/**
 * `manifest` as packed with one binary for `platform`: only that platform
 * declared, the entry point and command naming its executable, no
 * overrides for platforms it does not hold.
 */
export function packedManifest(
  manifest: Record<string, unknown>,
  platform: BundlePlatform,
): Record<string, unknown> {
  const server = manifest.server as Record<string, unknown>;
  const config = { ...(server.mcp_config as Record<string, unknown>) };
  delete config.platform_overrides;
  const binary = `server/${bundledBinaryName(platform)}`;
  const compatibility = {
    ...(manifest.compatibility as Record<string, unknown> | undefined),
    platforms: [platform],
  };
  return {
    ...manifest,
    server: {
      ...server,
      entry_point: binary,
      mcp_config: { ...config, command: `\${__dirname}/${binary}` },
    },
    compatibility,
  };
}
