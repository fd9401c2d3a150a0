/**
 * `deno task bench`: runs every benchmark in one process, prints each figure
 * and target, and writes docs/BENCHMARKS.md. `--quick` runs tiny sizes (a
 * smoke check; targets are reported but do not set the exit code),
 * `--only overhead,scale` runs just the named sections (and writes no
 * report) and `--no-write` leaves docs/BENCHMARKS.md alone. A section that
 * ran while other processes competed for the CPU carries a warning (printed
 * and at the top of the report); its targets are still checked.
 */
import { parseArgs } from "node:util";
import type { Section } from "./lib.ts";
import { caching } from "./caching.ts";
import { catalogue } from "./catalogue.ts";
import { coldStart } from "./coldstart.ts";
import { concurrency } from "./concurrency.ts";
import { connections } from "./connections.ts";
import { httpSessions } from "./http_sessions.ts";
import { memory } from "./memory.ts";
import { outputSize } from "./output.ts";
import { overhead } from "./overhead.ts";
import { scale } from "./scale.ts";
import { soak } from "./soak.ts";
import { watch } from "./watch.ts";
import { v8Flags } from "./v8_flags.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean" },
    "no-write": { type: "boolean" },
    only: { type: "string" },
  },
});
const quick = values.quick === true;

const out = new TextEncoder();
function say(text: string): void {
  Deno.stdout.writeSync(out.encode(text + "\n"));
}

const all: [string, () => Promise<Section>][] = [
  ["overhead", () => overhead(quick ? 10 : 300, quick ? 20 : 1_000)],
  ["cold-start", () => coldStart(quick ? 2 : 40, { compile: !quick })],
  ["scale", () => quick ? scale(3, 5_000, 1_000) : scale(60)],
  ["output", () => outputSize()],
  ["catalogue", () => catalogue()],
  ["concurrency", () => concurrency(100)],
  ["caching", () => caching()],
  ["connections", () => connections(quick ? 50 : 1_000)],
  ["soak", () => soak(quick ? 200 : 10_000)],
  ["memory", () => memory(quick ? 100 : 1_000)],
  ["http", () => httpSessions(quick ? 10 : 200)],
  // Quick: Deno's defaults and the shipped set only.
  [
    "v8-flags",
    () => v8Flags(quick ? 30 : 1_000, quick ? 1 : 15, quick ? [""] : undefined),
  ],
  // The watch-smarter tools (issue 24): find_dialogue over a 10-episode
  // season (subtitles fetched once, then searched) and get_story_so_far,
  // with time and peak memory.
  ["watch", () => watch(quick ? 3 : 20)],
];
const only = values.only?.split(",").map((name) => name.trim());
const unknown = only?.filter((name) => !all.some(([n]) => n === name)) ?? [];
if (unknown.length) {
  say(
    `unknown section ${unknown.map((n) => `"${n}"`).join(", ")}; sections: ${
      all.map(([n]) => n).join(", ")
    }`,
  );
  Deno.exit(2);
}

const sections: Section[] = [];
for (const [name, run] of all) {
  if (only && !only.includes(name)) continue;
  say(`running ${name}…`);
  const section = await run();
  sections.push(section);
  say(`\n## ${section.title}\n${section.lines.join("\n")}`);
  for (const t of section.targets) {
    say(`${t.met ? "MET " : "MISS"} ${t.name}: ${t.detail}`);
  }
  for (const w of section.warnings ?? []) say(`WARNING ${section.title}: ${w}`);
  say("");
}

const targets = sections.flatMap((s) => s.targets);
const warnings = sections.flatMap((s) =>
  (s.warnings ?? []).map((warning) => ({ title: s.title, warning }))
);
const missed = targets.filter((t) => !t.met);
say(
  `${targets.length - missed.length} of ${targets.length} targets met${
    quick ? " (quick run)" : ""
  }${
    warnings.length
      ? `; ${warnings.length} section(s) ran on a loaded machine`
      : ""
  }`,
);

// A partial run (--only) does not overwrite the full report.
if (!values["no-write"] && !quick && !only) {
  const md = [
    "# Benchmarks",
    "",
    `Written by \`deno task bench\` on ${
      new Date().toISOString().slice(0, 10)
    } (Deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores). Every ratio is measured within one run on one machine; absolute times vary between machines.`,
    "",
    ...warnings.flatMap(({ title, warning }) => [
      `> **Warning** (${title}): ${warning}.`,
      "",
    ]),
    "## Targets",
    "",
    "| target | met | measured |",
    "| --- | --- | --- |",
    ...targets.map((t) =>
      `| ${t.name} | ${t.met ? "yes" : "**no**"} | ${t.detail} |`
    ),
    "",
    ...sections.flatMap((s) => [
      `## ${s.title}`,
      "",
      ...(s.warnings ?? []).flatMap((w) => [`> **Warning:** ${w}.`, ""]),
      ...s.lines,
      "",
    ]),
  ].join("\n");
  await Deno.writeTextFile(
    new URL("../docs/BENCHMARKS.md", import.meta.url),
    md,
  );
  say("wrote docs/BENCHMARKS.md");
}
Deno.exit(missed.length && !quick ? 1 : 0);
