import { z } from "../../zod.ts";
import { bandwidthSchema } from "../../plex/care.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { bytes, isoTime } from "../shared/format.ts";
import { nameOrIdInput, resolveAccount } from "../shared/resolve.ts";

/** Bucket sizes → python-plexapi's `timespan` numbers (server.py:935). */
const GRANULARITY = {
  months: 1,
  weeks: 2,
  days: 3,
  hours: 4,
  seconds: 6,
} as const;

type Granularity = keyof typeof GRANULARITY;

/** Buckets shown at most (the most recent). */
const MAX_BUCKETS = 48;

const total = z.object({
  id: z.string(),
  name: z.string(),
  bytes: z.number(),
});

/** `get_bandwidth_stats`: what the server streamed, by account and device. */
export const getBandwidthStats = defineTool({
  name: "get_bandwidth_stats",
  title: "Bandwidth used",
  description:
    "Reports what the server streamed over the last since_hours: total, local vs remote, per account (list_users) and per device, and per time bucket. The owner's token is needed.",
  toolset: "server_care",
  annotations: READ_ONLY,
  input: {
    since_hours: z.number().int().min(1).max(24 * 366).default(24),
    granularity: z.enum(Object.keys(GRANULARITY) as [Granularity]).default(
      "hours",
    ).describe("Bucket size"),
    account: nameOrIdInput().optional().describe("Only this account"),
    lan: z.boolean().optional().describe("true: local only; false: remote"),
  },
  output: {
    since: z.string(),
    granularity: z.string(),
    total_bytes: z.number(),
    lan_bytes: z.number(),
    remote_bytes: z.number(),
    accounts: z.array(total),
    devices: z.array(total.extend({ platform: z.string().optional() })),
    buckets: z.array(z.object({ at: z.string(), bytes: z.number() })).describe(
      `The latest ${MAX_BUCKETS}`,
    ),
  },
  handler: async (args, { plex, signal }) => {
    const account = args.account
      ? await resolveAccount(plex, args.account, signal)
      : undefined;
    const since = Math.floor(Date.now() / 1000) - args.since_hours * 3600;
    // API.md §22: filters as python-plexapi sends them, the operator in
    // the key (`at>`, inclusive).
    const stats = await plex.getJson("/statistics/bandwidth", bandwidthSchema, {
      query: {
        timespan: GRANULARITY[args.granularity],
        "at>": since,
        accountID: account?.id,
        lan: args.lan === undefined ? undefined : args.lan ? 1 : 0,
      },
      signal,
      cache: false,
    });
    const samples = stats.samples.filter((s) =>
      s.at >= since && (!account || s.accountID === account.id) &&
      (args.lan === undefined || s.lan === args.lan)
    );
    const sum = (xs: { bytes: number }[]) =>
      xs.reduce((n, s) => n + s.bytes, 0);
    const group = (key: (s: typeof samples[number]) => string | undefined) => {
      const out = new Map<string, number>();
      for (const s of samples) {
        const k = key(s) ?? "?";
        out.set(k, (out.get(k) ?? 0) + s.bytes);
      }
      return [...out.entries()].sort((a, b) => b[1] - a[1]);
    };
    const accounts = group((s) => s.accountID).map(([id, n]) => ({
      id,
      name: stats.accounts.get(id) ?? (id === account?.id ? account.name : id),
      bytes: n,
    }));
    const devices = group((s) => s.deviceID).map(([id, n]) => ({
      id,
      name: stats.devices.get(id)?.name ?? id,
      platform: stats.devices.get(id)?.platform,
      bytes: n,
    }));
    const buckets = [
      ...group((s) => String(s.at)).map(([at, n]) => ({
        at: Number(at),
        bytes: n,
      })),
    ].sort((a, b) => a.at - b.at).slice(-MAX_BUCKETS).map((b) => ({
      at: isoTime(b.at) ?? String(b.at),
      bytes: b.bytes,
    }));
    const totalBytes = sum(samples);
    const lanBytes = sum(samples.filter((s) => s.lan));
    const sinceIso = isoTime(since)!;
    return {
      structured: {
        since: sinceIso,
        granularity: args.granularity,
        total_bytes: totalBytes,
        lan_bytes: lanBytes,
        remote_bytes: totalBytes - lanBytes,
        accounts,
        devices,
        buckets,
      },
      text: samples.length
        ? [
          `Since ${sinceIso}${account ? ` for ${account.name}` : ""}: ${
            bytes(totalBytes)
          } streamed (local ${bytes(lanBytes)}, remote ${
            bytes(totalBytes - lanBytes)
          }).`,
          `By account: ${
            accounts.map((a) => `${a.name} (${a.id}) ${bytes(a.bytes)}`).join(
              ", ",
            )
          }.`,
          `By device: ${
            devices.map((d) => `${d.name} ${bytes(d.bytes)}`).join(", ")
          }.`,
        ].join("\n")
        : `Nothing was streamed since ${sinceIso}${
          account ? ` by ${account.name}` : ""
        } (or the dashboard is off on this server).`,
    };
  },
});
