/**
 * Runs the plexmcp command the way a person does: `deno run <permissions>
 * src/mod.ts <args>` with no stdin and only the environment given, and
 * checks its stderr for secrets.
 *
 * @module
 */
import { MOD_PATH, scanForSecrets, within } from "./helpers.ts";

/** What a command printed and how it exited. */
export interface CommandResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs `deno run <permissions> src/mod.ts <args>` with no stdin. */
export async function runCommand(
  args: string[],
  env: Record<string, string>,
  permissions: string[],
): Promise<CommandResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...permissions, MOD_PATH, ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const out = await within(
    child.output(),
    65_000,
    `plexmcp ${args.join(" ")} to exit`,
  ).finally(() => clearTimeout(timer));
  const dec = new TextDecoder();
  const result = {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
  scanForSecrets(result.stderr, `plexmcp ${args[0]} stderr`);
  return result;
}
