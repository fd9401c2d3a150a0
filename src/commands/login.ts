/**
 * `plexmcp login`: sign in with Plex (the PIN flow of API.md §2.1), find
 * the account's servers and a working address for each (§2.2), let the
 * user pick, write the settings file (mode 0600) and print the client
 * configuration. Waiting for the sign-in: `login_sign_in.ts`; testing
 * addresses: `probe.ts`; listing and choosing servers: `login_servers.ts`.
 *
 * @module
 */
import { parseArgs, UsageError } from "./args.ts";
import { CLIENT_ID_PATTERN, newClientId } from "../config/client_id.ts";
import {
  MACHINE_IDENTIFIER,
  type ServerConfig,
} from "../config/config_servers.ts";
import {
  DEFAULT_PLEX_TV_URL,
  PlexTvClient,
  PlexTvError,
} from "../plextv/client.ts";
import { type ProbeResult, probeServers } from "./probe.ts";
import { printable } from "../printable.ts";
import { redact } from "../redact.ts";
import {
  defaultSettingsPath,
  exists,
  parseEnvFile,
  renderSettings,
  writeSettingsFile,
} from "../config/settings.ts";
import { CLI_NAME as NAME, VERSION } from "../version.ts";
import {
  CLIENT_FILES,
  clientConfig,
  type ClientKind,
  CLIENTS,
  hostOf,
} from "./client_config.ts";
import type { CommandIo } from "./io.ts";
import { openInBrowser, waitForSignIn } from "./login_sign_in.ts";
import {
  listing,
  pickByFlag,
  pickInteractively,
  serverNames,
} from "./login_servers.ts";
import { plural, shown } from "./login_text.ts";

/** Help for `plexmcp login`. */
export const LOGIN_HELP = `Usage: ${NAME} login [options]

Signs in with Plex in the browser (no password typed here), finds the
account's servers, tests how to reach each, writes the settings file and
prints the configuration for your MCP client.

Options:
  --server NAME|all  Serve this server (name or machine identifier; repeat
                     or separate with commas), or every reachable one
  --yes              Do not ask: take every reachable server unless --server
                     says otherwise, and the default answers
  --env-file PATH    Write the settings here instead of the config directory
  --stdout           Print the settings (tokens included) instead of writing a
                     file, e.g. for the compiled binary, which has no file
                     permissions: (umask 077; plexmcp login --stdout > FILE)
  --force            Overwrite an existing settings file
  --open             Open the sign-in link in the browser
  --client NAME      Configuration to print: ${
  CLIENTS.join(", ")
} (default claude)
  --help             Print this help

Environment: PLEX_TV_URL (default ${DEFAULT_PLEX_TV_URL}).
Permissions: --allow-net (plex.tv and the servers it lists, whose addresses
are only known after sign-in), --allow-env, --allow-read and --allow-write for
the settings file (none with --stdout; --allow-run with --open).

Exit codes: 0 written, or you declined to overwrite the existing settings
file (nothing written); 1 sign-in or discovery failed, or the file exists
and there is no terminal to ask (nothing written: pass --force); 2 bad
usage; 130 stopped with Ctrl+C (nothing written).`;

/**
 * The installation's client identifier for this login: `PLEX_CLIENT_ID`
 * from the environment, else the one the settings file being replaced
 * holds (tokens plex.tv issued stay tied to it), else a new one.
 */
async function clientIdFor(
  path: string,
  replacing: boolean,
  env: Record<string, string | undefined>,
): Promise<string> {
  const fromEnv = env.PLEX_CLIENT_ID?.trim();
  if (fromEnv && CLIENT_ID_PATTERN.test(fromEnv)) return fromEnv;
  if (replacing) {
    try {
      const kept = parseEnvFile(await Deno.readTextFile(path)).PLEX_CLIENT_ID;
      if (kept && CLIENT_ID_PATTERN.test(kept)) return kept;
    } catch { /* unreadable: a new one */ }
  }
  return newClientId();
}

async function askYesNo(question: string, io: CommandIo): Promise<boolean> {
  io.err(`${question} [y/N]: `);
  const line = await io.readLine();
  return /^y(es)?$/i.test(line?.trim() ?? "");
}

/** Runs `plexmcp login`; returns the exit code. */
export async function runLogin(
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  let flags: Record<string, string | boolean | undefined>;
  const servers: string[] = [];
  try {
    const spec = {
      server: { type: "string" },
      yes: { type: "boolean", short: "y" },
      "env-file": { type: "string" },
      stdout: { type: "boolean" },
      force: { type: "boolean" },
      open: { type: "boolean" },
      client: { type: "string" },
      help: { type: "boolean", short: "h" },
    } as const;
    // --server may repeat: collect every value.
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--server" && i + 1 < args.length) {
        servers.push(...args[++i]!.split(",").map((s) => s.trim()));
      } else if (a.startsWith("--server=")) {
        servers.push(...a.slice(9).split(",").map((s) => s.trim()));
      } else rest.push(a);
    }
    const parsed = parseArgs(rest, spec);
    if (parsed.positionals.length) {
      throw new UsageError(`Unexpected argument '${parsed.positionals[0]}'`);
    }
    flags = parsed.flags;
    if (
      flags.client !== undefined &&
      !(CLIENTS as readonly string[]).includes(String(flags.client))
    ) {
      throw new UsageError(
        `Unknown client '${flags.client}': choose ${CLIENTS.join(", ")}`,
      );
    }
    if (servers.some((s) => !s)) {
      throw new UsageError(
        "--server needs a name, a machine identifier or all",
      );
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${NAME} login: ${error.message}\n${LOGIN_HELP.split("\n")[0]}\n`);
    return 2;
  }
  if (flags.help) {
    io.out(LOGIN_HELP);
    return 0;
  }
  const client = (flags.client as ClientKind | undefined) ?? "claude";
  const yes = flags.yes === true;
  const toStdout = flags.stdout === true;
  if (toStdout && (flags["env-file"] !== undefined || flags.force)) {
    io.err(
      `${NAME} login: --stdout writes no file: leave out --env-file and --force\n`,
    );
    return 2;
  }

  const path = (flags["env-file"] as string | undefined) ??
    defaultSettingsPath(io.env) ?? (toStdout ? "plexmcp.env" : undefined);
  if (!path) {
    io.err(
      `${NAME} login: cannot tell where the settings go (HOME, XDG_CONFIG_HOME or APPDATA is not set): pass --env-file PATH\n`,
    );
    return 2;
  }
  const tvUrl = io.env.PLEX_TV_URL?.trim() || DEFAULT_PLEX_TV_URL;
  try {
    const u = new URL(tvUrl);
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error();
  } catch {
    io.err(
      `${NAME} login: PLEX_TV_URL must be an http(s) address such as ${DEFAULT_PLEX_TV_URL}\n`,
    );
    return 2;
  }

  const secrets: string[] = [];
  // Every message goes through the one filter for outside text: names and
  // versions come from plex.tv and the servers (a friend names a shared
  // server), and their control characters must not reach the terminal.
  const say = (text: string) => io.err(printable(redact(text, secrets)));
  try {
    // Never overwrite without asking: settle it before the sign-in.
    let overwrite = flags.force === true;
    if (!toStdout && !overwrite && await exists(path)) {
      if (io.interactive && !yes) {
        overwrite = await askYesNo(
          `${path} exists. Overwrite it?`,
          io,
        );
        if (!overwrite) {
          // The answer was no: done as asked, not a failure.
          say(
            `Nothing was written: ${path} is kept as it was. (Pass --env-file PATH to write the settings elsewhere.)\n`,
          );
          return 0;
        }
      }
      if (!overwrite) {
        say(
          `${NAME} login: ${path} already exists; nothing was changed. Pass --force to overwrite it, or --env-file PATH to write elsewhere\n`,
        );
        return 1;
      }
    }

    const clientId = await clientIdFor(path, !toStdout && overwrite, io.env);
    const tv = new PlexTvClient({
      baseUrl: tvUrl,
      clientIdentifier: clientId,
      product: NAME,
      version: VERSION,
      fetch: io.fetch,
      // Ctrl+C cancels the request in flight (a PIN poll that hangs).
      signal: io.interrupt,
    });
    const pin = await tv.createPin();
    const link = tv.authUrl(pin, NAME);
    say(
      `Sign in to Plex to link ${NAME} (nothing else is shared):\n\n  ${link}\n\n`,
    );
    if (flags.open) {
      const failed = await openInBrowser(link);
      if (failed) {
        say(
          `Could not open the browser (${failed}); open the link yourself.\n`,
        );
      }
    }
    const token = await waitForSignIn(tv, pin, io, say);
    secrets.push(token);
    const account = await tv.user(token);
    say(`Signed in as ${shown(account.title || account.username, 80)}.\n`);

    const resources = await tv.servers(token);
    for (const r of resources) if (r.accessToken) secrets.push(r.accessToken);
    if (resources.length === 0) {
      say(
        "This account has no Plex Media Server of its own and none shared with it: nothing was written\n",
      );
      return 1;
    }
    say(`Testing ${plural(resources.length, "server")}…\n`);
    const results = await probeServers(resources, {
      fetch: io.fetch,
      version: VERSION,
      clientIdentifier: clientId,
      signal: io.interrupt,
      resolve: io.resolve,
    });
    results.forEach((r, i) => say(listing(r, i + 1)));
    const reachable = results.filter((r) => r.connection);
    if (reachable.length === 0) {
      say(
        "No server could be reached from here: nothing was written. Check that this machine can reach the server (same network, or remote access on), then try again\n",
      );
      return 1;
    }
    let chosen: ProbeResult[];
    if (servers.length) chosen = pickByFlag(servers, results);
    else if (yes) chosen = reachable;
    else if (io.interactive) chosen = await pickInteractively(results, io);
    else {
      say(
        `${NAME} login: choose the servers with --server NAME (or --server all), or pass --yes for every reachable one; nothing was written\n`,
      );
      return 2;
    }

    // Ctrl+C while the servers were tested or the choice was asked for.
    if (io.interrupt.aborted) throw io.interrupt.reason;
    const names = serverNames(chosen.map((r) => r.resource));
    const configs: ServerConfig[] = chosen.map((r, i) => ({
      name: names[i]!,
      url: r.connection!.uri,
      token: r.resource.accessToken!,
      owned: r.resource.owned,
      // The probe checked it: /identity there answered this identifier.
      ...(MACHINE_IDENTIFIER.test(r.resource.machineIdentifier)
        ? { machineIdentifier: r.resource.machineIdentifier }
        : {}),
    }));
    const text = renderSettings({
      servers: configs,
      account: account.username || account.title,
      writtenAt: new Date(),
      // plex.tv's features (watchlist, Plex Home, sharing) need the
      // account's own token: a shared server's token gets 401 there.
      accountToken: token,
      clientId,
    });
    if (toStdout) {
      io.out(text.trimEnd());
      say(
        `Printed the settings for ${plural(configs.length, "server")}: ${
          configs.map((c) => c.name).join(", ")
        }. They hold Plex tokens: keep the file private (mode 0600). Then: ${NAME} config ${client} --env-file FILE [--binary PATH]\n`,
      );
      return 0;
    }
    await writeSettingsFile(path, text, { overwrite });
    say(
      `Wrote ${path} (mode 0600) with ${plural(configs.length, "server")}: ${
        configs.map((c) => c.name).join(", ")
      }.\n\n${CLIENT_FILES[client]}:\n`,
    );
    io.out(clientConfig(client, {
      mode: { kind: "jsr" },
      // plex.tv too: a Plex Home member's views switch to them there.
      hosts: [...configs.map((c) => hostOf(c.url)), hostOf(tvUrl)],
      envFile: path,
    }));
    return 0;
  } catch (error) {
    if (io.interrupt.aborted) {
      if (io.interactive) io.err("\n");
      say("Stopped: nothing was written.\n");
      return 130;
    }
    if (error instanceof UsageError) {
      say(`${NAME} login: ${error.message}\n`);
      return 2;
    }
    if (error instanceof PlexTvError) {
      if (io.interactive) io.err("\n");
      say(`${NAME} login: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Deno.errors.NotCapable) {
      say(
        `${NAME} login: ${
          error.message.split("\n")[0]
        }. Run login with --allow-net --allow-env --allow-read and --allow-write for the settings file\n`,
      );
      return 2;
    }
    if (error instanceof Deno.errors.AlreadyExists) {
      say(
        `${NAME} login: ${
          error.message.includes("not a plain file")
            ? error.message
            : `${path} appeared meanwhile; nothing was changed`
        }\n`,
      );
      return 1;
    }
    // Anything else (a disk full, a directory that cannot be made): say
    // what, without a stack, and exit 1.
    say(
      `${NAME} login: could not finish: ${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }\n`,
    );
    return 1;
  }
}
