/**
 * Choosing servers for `plexmcp login`: the listing of each server and how
 * it was reached, the choice by `--server` or by number, and a usable,
 * unique name for each chosen one.
 *
 * @module
 */
import { UsageError } from "./args.ts";
import { SERVER_NAME } from "../config/config_servers.ts";
import { PlexTvError } from "../plextv/client.ts";
import type { PlexResource } from "../plextv/resources.ts";
import type { ProbeResult } from "./probe.ts";
import type { CommandIo } from "./io.ts";
import { plural, shown } from "./login_text.ts";

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

/** Picks servers from `--server` values; errors name the choices. */
export function pickByFlag(
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
export async function pickInteractively(
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
export function listing(r: ProbeResult, n: number): string {
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
