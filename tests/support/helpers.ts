/**
 * Shared helpers for end-to-end tests: start the loopback fake Plex, spawn
 * the real server as a subprocess and drive it with the SDK client.
 */
import {
  Client,
  InMemoryTransport,
  StdioClientTransport,
} from "./sdk_client.ts";
import { Logger } from "../../src/log.ts";
import { PlexClient, type PlexClientOptions } from "../../src/plex/client.ts";
import { createServer, type ServerOptions } from "../../src/server.ts";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { type ServedFake, serveFake } from "../../src/demo/serve.ts";
import { ACCOUNT_TOKEN, SHARED_TOKEN } from "./accounts.ts";

/** The secret token every end-to-end test uses; it must never leak. */
export const TEST_TOKEN = "tok-SECRET-e2e-8f3a9c1d77";

/** Every token the suite uses; none may appear in any captured output. */
export const SECRETS: string[] = [
  TEST_TOKEN,
  "demo-token",
  "live-tok",
  ACCOUNT_TOKEN,
  SHARED_TOKEN,
];

/** How many captured outputs the secret scanner has checked. */
export const scanned = { outputs: 0 };

/**
 * The suite's secret scanner: every helper that captures output (stdout
 * messages, stderr, tool results, log notifications) passes it through here,
 * so a token that leaks anywhere fails the test that produced it.
 */
export function scanForSecrets(text: string, where: string): void {
  scanned.outputs++;
  for (const secret of SECRETS) {
    if (text.includes(secret)) {
      throw new Error(`secret leaked into ${where}: ${text.slice(0, 200)}`);
    }
  }
}

/** Wraps a connected transport so every message it delivers is scanned. */
function scanTransport(
  transport: { onmessage?: (m: unknown, extra?: unknown) => void },
  where: string,
): void {
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    scanForSecrets(JSON.stringify(message), where);
    deliver?.(message, extra);
  };
}

/**
 * `NO_PROXY` for spawned processes: the caller's list plus loopback, so a
 * proxy set in the caller's environment never captures the requests a
 * spawned server makes to the fake on 127.0.0.1.
 */
export function noProxy(): string {
  const own = Deno.env.get("NO_PROXY") ?? Deno.env.get("no_proxy") ?? "";
  return [...own.split(",").filter(Boolean), "127.0.0.1", "localhost"].join(
    ",",
  );
}

let npmCache: string | undefined;

/**
 * `npm_config_cache` for a child that may run npm or npx, when the caller's
 * HOME is unset, empty or relative: npm then takes its default cache
 * `~/.npm` literally, relative to the working directory, and fills the
 * checkout with a folder named `~` (that is how 1,753 cached files once got
 * committed). Empty when HOME is a real directory or the cache is already
 * set.
 */
export function npmCacheEnv(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Record<string, string> {
  const set = Object.entries(env).some(([name, value]) =>
    name.toLowerCase() === "npm_config_cache" && value
  );
  const home = env.HOME ?? "";
  if (set || home.startsWith("/") || /^[A-Za-z]:[\\/]/.test(home)) return {};
  npmCache ??= Deno.makeTempDirSync({ prefix: "plexmcp-npm-cache-" });
  return { npm_config_cache: npmCache };
}

/** The certificate settings Deno and Node read, passed on to children. */
export const CERTIFICATE_VARIABLES: readonly string[] = [
  "DENO_CERT",
  "DENO_TLS_CA_STORE",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];

/**
 * The caller's certificate settings for a child, so that it reaches what
 * the caller reaches (npm through a proxy's CA, say): each of
 * {@link CERTIFICATE_VARIABLES} that is set, and a CA that Deno trusts
 * through DENO_CERT handed to Node as NODE_EXTRA_CA_CERTS when that is not
 * set (npm and npx read only Node's), so that where Deno reaches npm, npm
 * does too.
 */
export function certificateEnv(
  from: Record<string, string | undefined> = Deno.env.toObject(),
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of CERTIFICATE_VARIABLES) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  if (env.DENO_CERT && !env.NODE_EXTRA_CA_CERTS) {
    env.NODE_EXTRA_CA_CERTS = env.DENO_CERT;
  }
  return env;
}

/**
 * The environment of a spawned server when it must not inherit everything
 * (clearEnv, or the SDK's stdio client): what Deno itself needs from the
 * caller's environment `from` (the cache in DENO_DIR, HOME, certificates,
 * proxies with loopback exempted, npm's own settings for children that run
 * npx), then `extra`.
 */
export function childEnv(
  extra: Record<string, string> = {},
  from: Record<string, string | undefined> = Deno.env.toObject(),
): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (
    const name of [
      "PATH",
      "HOME",
      "DENO_DIR",
      "XDG_CACHE_HOME",
      "HTTP_PROXY",
      "HTTPS_PROXY",
      "http_proxy",
      "https_proxy",
    ]
  ) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, certificateEnv(from));
  env.NO_PROXY = noProxy();
  for (const [name, value] of Object.entries(from)) {
    if (/^npm_config_/i.test(name) && value !== undefined) env[name] = value;
  }
  const merged = { ...env, ...extra };
  return { ...merged, ...npmCacheEnv(merged) };
}

let cachedDenoDir: Promise<string> | undefined;

/**
 * Where Deno keeps its cache for this process (`deno info --json`), so that
 * a child given another HOME reuses it instead of downloading everything.
 */
export function denoDir(): Promise<string> {
  return cachedDenoDir ??= (async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json"],
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const dir = JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
    if (typeof dir !== "string") throw new Error("deno info names no cache");
    return dir;
  })();
}

/**
 * The environment of a person's shell with `home` as HOME: what Deno needs
 * (its cache kept where it is), no PLEX_* variable, then `extra`.
 */
export async function personEnv(
  home: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return childEnv({ HOME: home, DENO_DIR: await denoDir(), ...extra });
}

/**
 * Rejects with a message saying what was awaited when `promise` takes more
 * than `ms`, so that no test can hang.
 */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command with a time limit; kills it and says what when it hits. */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } =
    {},
): Promise<{ code: number; text: string; timedOut: boolean }> {
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd,
    // A caller without a usable HOME still gives npm a real cache folder;
    // a CA Deno trusts through DENO_CERT is given to Node (npm, npx) too.
    env: {
      ...npmCacheEnv({ ...Deno.env.toObject(), ...options.env }),
      ...certificateEnv({ ...Deno.env.toObject(), ...options.env }),
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 120_000);
  const out = await child.output().finally(() => clearTimeout(timer));
  const dec = new TextDecoder();
  return {
    code: out.code,
    text: dec.decode(out.stdout) + dec.decode(out.stderr),
    timedOut,
  };
}

let npmReachable: Promise<string | undefined> | undefined;

/**
 * Whether npx can fetch packages from the npm registry here (asked once, in
 * 20 s at most): undefined when it can, else why not (to print when a test
 * that needs npm is skipped).
 */
export function npmUnreachable(): Promise<string | undefined> {
  return npmReachable ??= runCommand("npm", ["ping"], { timeoutMs: 20_000 })
    .then((r) =>
      r.code === 0
        ? undefined
        : r.timedOut
        ? "npm ping did not answer within 20 s"
        : `npm ping failed: ${r.text.trim().split("\n").at(-1)}`
    )
    .catch((e) => `npm is not installed (${(e as Error).message})`);
}

const denoReach = new Map<string, Promise<string | undefined>>();

/**
 * Whether Deno, started the way the tests start it (with {@link childEnv}:
 * the caller's certificates and proxies), can fetch the npm package `pkg`
 * from the registry it would use (asked once per package, in 30 s at
 * most): undefined when it can, else why not, to print with a skip. For
 * tests whose npm packages Deno itself runs (`deno run npm:…`).
 */
export function denoNpmUnreachable(pkg: string): Promise<string | undefined> {
  let answer = denoReach.get(pkg);
  if (answer) return answer;
  const registry = (Deno.env.get("NPM_CONFIG_REGISTRY") ??
    "https://registry.npmjs.org/").replace(/\/?$/, "/");
  const url = `${registry}${pkg.replace("/", "%2f")}`;
  answer = (async () => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--quiet",
        `try { const r = await fetch(${
          JSON.stringify(url)
        }, { signal: AbortSignal.timeout(25000) }); await r.body?.cancel();` +
        ` if (!r.ok) { console.log("HTTP " + r.status); Deno.exit(1); } }` +
        ` catch (e) { console.log(String(e?.cause ?? e)); Deno.exit(1); }`,
      ],
      env: childEnv(),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const out = await child.output().finally(() => clearTimeout(timer));
    if (out.code === 0) return undefined;
    const dec = new TextDecoder();
    const text = (dec.decode(out.stdout) + dec.decode(out.stderr)).trim();
    return `Deno could not fetch ${url}: ${
      text.split("\n")[0] || `exit ${out.code}`
    } (Deno reads extra CA certificates from DENO_CERT or NODE_EXTRA_CA_CERTS)`;
  })();
  denoReach.set(pkg, answer);
  return answer;
}

/** Path of the program entry point. */
export const MOD_PATH: string = new URL("../../src/mod.ts", import.meta.url)
  .pathname;

/**
 * `deno run` arguments that start the server the way the tests and
 * benchmarks do: quiet, env access (all variables, or just `allowEnv`), net
 * access to `allowNet` only (`"*"`: any host, as `deno task start`, the
 * binary and the bundle run), then `args` for the program.
 */
export function serverArgs(
  options: { allowNet?: string; allowEnv?: string; args?: string[] } = {},
): string[] {
  return [
    "run",
    "--quiet",
    options.allowEnv ? `--allow-env=${options.allowEnv}` : "--allow-env",
    ...(options.allowNet === "*"
      ? ["--allow-net"]
      : options.allowNet
      ? [`--allow-net=${options.allowNet}`]
      : []),
    MOD_PATH,
    ...(options.args ?? []),
  ];
}

/** `initialize` params of the raw-protocol tests and benchmarks. */
export function initializeParams(clientName: string): {
  protocolVersion: string;
  capabilities: Record<string, never>;
  clientInfo: { name: string; version: string };
} {
  return {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: clientName, version: "1" },
  };
}

/** A running fake on loopback. */
export function startFake(): { fake: FakePlex; served: ServedFake } {
  const fake = new FakePlex({ token: TEST_TOKEN });
  return { fake, served: serveFake(fake) };
}

/** A connected client plus everything the process wrote. */
export interface Spawned {
  client: Client;
  /** The server's process id. */
  pid: number;
  stderr: () => string;
  /** Errors the client saw while reading stdout (non-JSON-RPC lines). */
  protocolErrors: Error[];
  close: () => Promise<void>;
}

/** Spawns `deno run <flags> src/mod.ts <args>` and connects a client. */
export async function spawnServer(options: {
  env: Record<string, string>;
  allowNet?: string;
  /** Value for `--allow-env=`; default: all variables. */
  allowEnv?: string;
  args?: string[];
}): Promise<Spawned> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: serverArgs(options),
    env: childEnv(options.env),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Uint8Array | string) => {
    stderr += typeof chunk === "string"
      ? chunk
      : new TextDecoder().decode(chunk);
  });
  const client = new Client({ name: "e2e", version: "1.0.0" });
  const protocolErrors: Error[] = [];
  client.onerror = (e) => protocolErrors.push(e);
  await within(
    client.connect(transport),
    30_000,
    `the server to answer initialize (stderr so far: ${stderr.slice(0, 300)})`,
  );
  scanTransport(transport as never, "stdout");
  return {
    client,
    pid: transport.pid!,
    stderr: () => stderr,
    protocolErrors,
    close: async () => {
      await client.close();
      scanForSecrets(stderr, "stderr");
    },
  };
}

/**
 * Peak resident memory of a process so far, in MiB (Linux `VmHWM`; read
 * with `cat`, as Deno asks for more permissions to read another process's
 * /proc entry).
 */
export function peakRssMiB(pid: number): number {
  const out = new Deno.Command("cat", {
    args: [`/proc/${pid}/status`],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const kb = /VmHWM:\s+(\d+)/.exec(new TextDecoder().decode(out.stdout))?.[1];
  return Number(kb ?? NaN) / 1024;
}

/** Text of the first content block of a tool result. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] })
    .content;
  return content?.find((c) => c.type === "text")?.text ?? "";
}

/** Runs the program once with no stdin and returns its exit code and output. */
export async function runOnce(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-env", MOD_PATH, ...args],
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const out = await within(
    child.output(),
    35_000,
    `deno run src/mod.ts ${args.join(" ")} to exit`,
  ).finally(() => clearTimeout(timer));
  const dec = new TextDecoder();
  const result = {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
  scanForSecrets(result.stdout, "stdout");
  scanForSecrets(result.stderr, "stderr");
  return result;
}

/**
 * The real server as a process over stdio, talking to a fresh fake served
 * on loopback (the fake stays in this process, so its request log and
 * library can be read and changed), with a connected client. The read
 * cache is off unless `env` sets `PLEX_CACHE_TTL`, so request counts on the
 * fake's log are per call; `env` adds or overrides settings.
 */
export async function connectStdio(
  env: Record<string, string> = {},
): Promise<{ client: Client; fake: FakePlex; close: () => Promise<void> }> {
  const { fake, served } = startFake();
  const s = await spawnServer({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
      ...env,
    },
    allowNet: served.host,
  });
  return {
    client: s.client,
    fake,
    close: async () => {
      await s.close();
      await served.close();
    },
  };
}

/**
 * The real server, in process, over the demo fake, with a connected client
 * (in-memory transport). Logs are discarded.
 */
export async function connectInMemory(
  options: ServerOptions = {},
  clientCapabilities: Record<string, unknown> = {},
  setup: (client: Client) => void = () => {},
  clientOptions: Partial<PlexClientOptions> = {},
): Promise<{ client: Client; fake: FakePlex; close: () => Promise<void> }> {
  const fake = new FakePlex();
  const plex = new PlexClient({
    baseUrl: "http://fake:32400",
    token: "demo-token",
    fetch: fake.fetch,
    ...clientOptions,
  });
  const server = createServer(
    { plex, logger: new Logger({ write: () => {} }) },
    options,
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "in-memory", version: "1" }, {
    capabilities: clientCapabilities,
  });
  setup(client);
  await Promise.all([server.connect(a), client.connect(b)]);
  scanTransport(b as never, "in-memory messages");
  return { client, fake, close: () => client.close() };
}
