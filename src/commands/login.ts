/**
 * `plexmcp login`: sign in with Plex (the PIN flow of API.md §2.1), find
 * the account's servers and a working address for each (§2.2), let the
 * user pick, write the settings file (mode 0600) and print the client
 * configuration.
 *
 * @module
 */
import { parseArgs, UsageError } from "./args.ts";
import { CLIENT_ID_PATTERN, newClientId } from "../config/client_id.ts";
import {
  MACHINE_IDENTIFIER,
  SERVER_NAME,
  type ServerConfig,
} from "../config/config_servers.ts";
import { cut } from "../log.ts";
import {
  DEFAULT_PLEX_TV_URL,
  type PlexPin,
  PlexTvClient,
  PlexTvError,
} from "../plextv/client.ts";
import { type ProbeResult, probeServers } from "./probe.ts";
import type { PlexResource } from "../plextv/resources.ts";
import { printable, printableLine } from "../printable.ts";
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
import { type CommandIo, sleepUnless } from "./io.ts";

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

/** How often the PIN is polled (python-plexapi polls every second). */
const POLL_MS = 1_000;

/**
 * Longest wait for the sign-in, whatever plex.tv says of the code's life:
 * 15 minutes, the lifetime plex.tv itself gives a PIN (`expiresIn` 900 in
 * the recorded `POST /api/v2/pins`). A later `expiresAt` (one plex.tv
 * stand-in sent 9999-12-31) is not waited for.
 */
export const MAX_SIGN_IN_WAIT_MS = 15 * 60_000;

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

/** A usable, unique name for each chosen server. */
export function serverNames(resources: readonly PlexResource[]): string[] {
  const used = new Set<string>();
  return resources.map((r) => {
    let base = r.name.trim().replace(/[^A-Za-z0-9 ._'()-]+/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "").slice(0, 56);
    if (!base || !SERVER_NAME.test(base) || base.toLowerCase() === "all") {
      base = `server-${r.machineIdentifier.slice(0, 8)}`;
    }
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${
    n === 1 ? "" : /(s|ss|sh|ch|x)$/.test(word) ? "es" : "s"
  }`;
}

/**
 * Text from plex.tv or a server as it may be printed in one line: every
 * control character shown, not obeyed (`printable.ts`), and cut short.
 */
function shown(text: string, max = 300): string {
  return cut(printableLine(text), max);
}

function minutesLeft(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

async function openInBrowser(url: string): Promise<string | undefined> {
  const [cmd, ...args] = Deno.build.os === "darwin"
    ? ["open", url]
    : Deno.build.os === "windows"
    ? ["cmd", "/c", "start", "", url]
    : ["xdg-open", url];
  try {
    const child = new Deno.Command(cmd!, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const status = await child.status;
    return status.success ? undefined : `${cmd} exited with ${status.code}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Waits for the user to sign in on the PIN; returns the account token.
 * Waits until the code expires, and never longer than
 * {@link MAX_SIGN_IN_WAIT_MS}, saying so when plex.tv promised more.
 */
async function waitForSignIn(
  tv: PlexTvClient,
  pin: PlexPin,
  io: CommandIo,
  say: (text: string) => void,
): Promise<string> {
  const clock = io.now ?? Date.now;
  const started = clock();
  const capped = pin.expiresAt > started + MAX_SIGN_IN_WAIT_MS;
  const deadline = capped ? started + MAX_SIGN_IN_WAIT_MS : pin.expiresAt;
  if (capped) {
    const until = new Date(pin.expiresAt);
    say(
      `plex.tv says this code is valid ${
        Number.isNaN(until.getTime())
          ? "for longer"
          : `until ${until.toISOString().slice(0, 16).replace("T", " ")} UTC`
      }; waiting at most ${
        MAX_SIGN_IN_WAIT_MS / 60_000
      } minutes for the sign-in.\n`,
    );
  }
  let lastLine = 0;
  while (true) {
    await sleepUnless(POLL_MS, io.interrupt, io.sleep);
    const now = clock();
    if (now > deadline) {
      throw new PlexTvError(
        capped
          ? `Nobody signed in within ${
            MAX_SIGN_IN_WAIT_MS / 60_000
          } minutes: run \`plexmcp login\` again`
          : "The sign-in code expired before it was used: run `plexmcp login` again",
        "expired",
      );
    }
    const checked = await tv.checkPin(pin.id);
    if (checked.authToken) {
      if (io.interactive) io.err("\r\x1b[2K");
      return checked.authToken;
    }
    const waited = Math.round((now - started) / 1000);
    const line = `Waiting for sign-in… ${waited} s (code expires in ${
      minutesLeft(deadline - now)
    }; Ctrl+C to stop)`;
    // Our own progress line: its control codes are ours, not outside text.
    if (io.interactive) io.err(`\r\x1b[2K${line}`);
    else if (now - lastLine >= 10_000 || lastLine === 0) {
      io.err(line + "\n");
      lastLine = now;
    }
  }
}

/** Picks servers from `--server` values; errors name the choices. */
function pickByFlag(
  wanted: string[],
  results: ProbeResult[],
): ProbeResult[] {
  const reachable = results.filter((r) => r.connection);
  if (wanted.some((w) => w.toLowerCase() === "all")) return reachable;
  const picked: ProbeResult[] = [];
  for (const w of wanted) {
    const matches = results.filter((r) =>
      r.resource.name.toLowerCase() === w.toLowerCase() ||
      r.resource.machineIdentifier === w
    );
    if (matches.length > 1) {
      throw new UsageError(
        `${matches.length} servers are named ${
          JSON.stringify(shown(w, 60))
        }: name one by its machine identifier (${
          matches.map((r) => shown(r.resource.machineIdentifier, 60)).join(
            ", ",
          )
        })`,
      );
    }
    const match = matches[0];
    if (!match) {
      throw new UsageError(
        `No server named ${
          JSON.stringify(shown(w, 60))
        } on this account; choose from ${
          results.map((r) => JSON.stringify(shown(r.resource.name, 60)))
            .join(", ")
        } or all`,
      );
    }
    if (!match.connection) {
      throw new PlexTvError(
        `${
          shown(match.resource.name, 60)
        } could not be reached, so it was not added (see above)`,
        "connection",
      );
    }
    if (!picked.includes(match)) picked.push(match);
  }
  return picked;
}

/** Asks which reachable servers to serve. */
async function pickInteractively(
  results: ProbeResult[],
  io: CommandIo,
): Promise<ProbeResult[]> {
  const reachable = results.filter((r) => r.connection);
  while (true) {
    io.err(
      `Serve which servers? Numbers separated by commas, or all [all]: `,
    );
    const line = await io.readLine();
    if (line === null) throw new UsageError("No answer: nothing was written");
    const answer = line.trim().toLowerCase();
    if (answer === "" || answer === "all") return reachable;
    const numbers = answer.split(/[\s,]+/).filter(Boolean).map(Number);
    const chosen = numbers.map((n) => results[n - 1]);
    if (
      numbers.length && chosen.every((r) => r?.connection)
    ) {
      return [...new Set(chosen as ProbeResult[])];
    }
    io.err(`Choose among the reachable servers by number.\n`);
  }
}

/**
 * One server's lines in the listing: how it was reached, or that it was
 * not; then every address that failed or was skipped, with its reason.
 */
function listing(r: ProbeResult, n: number): string {
  const who = r.resource.owned
    ? "owned"
    : `shared${
      r.resource.sourceTitle ? ` by ${shown(r.resource.sourceTitle, 60)}` : ""
    }`;
  const head = `  ${n}) ${shown(r.resource.name, 60)} (${who})`;
  const failed = r.tries.filter((t) => t.error !== undefined);
  const lines: string[] = [];
  if (r.connection) {
    const relay = r.connection.relay ? " (through Plex's relay: slow)" : "";
    lines.push(
      `${head} ✓ ${shown(r.connection.uri)}${relay}, version ${
        shown(r.info?.version ?? "unknown", 40)
      }`,
    );
  } else {
    const tried = r.tries.filter((t) => !t.skipped && t.uri).length;
    const skipped = r.tries.filter((t) => t.skipped).length;
    const counts = [
      ...(tried ? [`${plural(tried, "address")} tried`] : []),
      ...(skipped ? [`${skipped} skipped`] : []),
      ...(r.untried.length ? [`${r.untried.length} not tried`] : []),
    ];
    lines.push(
      `${head} ✗ not reachable (${
        counts.length ? counts.join(", ") : "plex.tv listed no address"
      })`,
    );
  }
  for (const t of failed) {
    const mark = t.skipped ? "–" : "✗";
    lines.push(
      `       ${mark} ${t.uri ? `${shown(t.uri)}: ` : ""}${shown(t.error!)}`,
    );
  }
  if (!r.connection) {
    for (const uri of r.untried) {
      lines.push(
        `       – ${
          shown(uri)
        }: not tried, plain http across the internet would expose the token`,
      );
    }
  }
  return lines.join("\n") + "\n";
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
