/**
 * Why a session transcodes or buffers, in plain words, from what Plex
 * reports for it (`/status/sessions`: the played rendition, each stream's
 * decision, `TranscodeSession`, the player and its connection; API.md §7),
 * the file it plays (the library item) and the server's load
 * (`/statistics/resources`, §22). Pure: the tool fetches, this reasons.
 *
 * @module
 */
import type { MediaVersion } from "../../plex/models.ts";
import type { PlaybackSession } from "../../plex/watch.ts";

/** Plex Relay's cap (support.plex.tv "Plex Relay": 2 Mbps, 1 without Plex Pass). */
const RELAY_KBPS = 2_000;
/** Above this CPU share the server is busy enough to say so, %. */
const BUSY_CPU = 80;

/** A diagnosis: how it plays, why, and what the user can change. */
export interface Diagnosis {
  /** `direct play`, `direct stream` or `transcode`. */
  playback: "direct play" | "direct stream" | "transcode";
  /** Findings, most telling first. */
  reasons: string[];
  /** What the user can change. */
  fixes: string[];
}

function res(height: number | undefined, label: string | undefined) {
  if (label) return /^\d+$/.test(label) ? `${label}p` : label;
  return height ? `${height}p` : undefined;
}

/** Reasons and fixes for one session. */
export function diagnose(
  s: PlaybackSession,
  source: MediaVersion | undefined,
  hostCpu: number | undefined,
): Diagnosis {
  const t = s.transcode;
  const reasons: string[] = [];
  const fixes: string[] = [];
  const fix = (f: string) => {
    if (!fixes.includes(f)) fixes.push(f);
  };
  const playback = !t
    ? s.partDecision === "transcode" ? "transcode" : "direct play"
    : t.videoDecision === "transcode" || t.audioDecision === "transcode"
    ? "transcode"
    : "direct stream";
  if (playback === "direct play") {
    reasons.push(
      "Direct play: the player takes the file as it is; the server does no conversion.",
    );
  } else if (playback === "direct stream") {
    reasons.push(
      `Direct stream: video and audio are copied; only the container is repackaged${
        s.media.container ? ` (${s.media.container})` : ""
      }, which costs the server little.`,
    );
  }
  const subtitle = s.streams.find((x) => x.kind === "subtitle");
  if (t?.subtitleDecision === "burn" || subtitle?.decision === "burn") {
    reasons.push(
      `Subtitles are burned into the picture${
        subtitle?.codec
          ? ` (${subtitle.codec} subtitles` +
            `${subtitle.title ? `, ${subtitle.title}` : ""})`
          : ""
      }: the player cannot draw them itself, so the whole video is re-encoded.`,
    );
    fix(
      "Turn subtitles off or pick a text (SRT) track (set_subtitles); image subtitles (PGS, VobSub) and styled ASS force a burn-in on many players.",
    );
  }
  if (t?.videoDecision === "transcode") {
    const from = t.sourceVideoCodec ?? source?.videoCodec;
    const to = t.videoCodec;
    const srcRes = res(source?.height, source?.videoResolution);
    const outRes = t.height
      ? `${t.height}p`
      : res(undefined, s.media.videoResolution);
    if (from && to && from.toLowerCase() !== to.toLowerCase()) {
      reasons.push(
        `Video is converted from ${from} to ${to}: the player (${
          s.player.product ?? s.player.title ?? "?"
        }) cannot decode ${from}, or not at this profile or level.`,
      );
      fix(
        `Play it on a player that decodes ${from}, or keep an optimized version (Plex's "Optimize…") in ${to}.`,
      );
    }
    if (srcRes && outRes && srcRes !== outRes) {
      reasons.push(
        `Video is scaled from ${srcRes} to ${outRes}: the player's quality setting or the connection asks for less than the file has${
          source?.bitrate ? ` (${Math.round(source.bitrate)} kbps)` : ""
        }.`,
      );
      fix(
        "Raise the player's streaming quality (Settings > Quality > Remote/Home streaming: Original or Maximum) if the connection allows it.",
      );
    }
    if (
      !(from && to && from.toLowerCase() !== to.toLowerCase()) &&
      !(srcRes && outRes && srcRes !== outRes) &&
      t.subtitleDecision !== "burn"
    ) {
      reasons.push(
        `Video is re-encoded at the same size and codec: the bitrate is lowered to fit the player's quality setting or bandwidth limit${
          source?.bitrate
            ? ` (the file runs at ${Math.round(source.bitrate)} kbps)`
            : ""
        }.`,
      );
      fix("Set the player's streaming quality to Original or Maximum.");
    }
  } else if (t?.videoDecision === "copy") {
    reasons.push("Video is copied as it is.");
  }
  if (t?.audioDecision === "transcode") {
    const from = t.sourceAudioCodec ?? source?.audioCodec;
    reasons.push(
      `Audio is converted${from ? ` from ${from}` : ""}${
        t.audioCodec ? ` to ${t.audioCodec}` : ""
      }: the player or what it is connected to cannot play ${
        from ?? "the original track"
      } (or its channel count).`,
    );
    fix(
      "Pick another audio track (set_player_streams), or let the player pass audio through to a receiver that decodes it.",
    );
  }
  if (s.player.relayed) {
    reasons.push(
      `It goes through Plex Relay, which caps the stream at about ${
        RELAY_KBPS / 1000
      } Mbps (1 Mbps without Plex Pass): anything larger is transcoded down, or buffers.`,
    );
    fix(
      "Make the server directly reachable (Settings > Remote Access: forward the port) so the relay is not used.",
    );
  } else if (
    s.player.local === false || s.location === "wan" ||
    s.location === "cellular"
  ) {
    reasons.push(
      `The player is remote (${
        s.location ?? "wan"
      }): the server's upload speed and its remote streaming limit (Settings > Remote Access > "Limit remote stream bitrate") apply${
        s.bandwidthKbps
          ? `; the session uses ${Math.round(s.bandwidthKbps)} kbps`
          : ""
      }.`,
    );
    fix(
      "Check the server's upload speed and its remote stream limit; lower the player's quality if the upload cannot carry the file.",
    );
  }
  if (t) {
    if (t.throttled) {
      reasons.push(
        "The transcoder is throttled: it is far enough ahead and waits, so the server is not the cause of any buffering.",
      );
    } else if (t.speed !== undefined && t.speed < 1) {
      reasons.push(
        `The transcoder runs at ${
          t.speed.toFixed(1)
        }× real time, slower than playback: that makes it buffer.`,
      );
      fix(
        "Avoid the transcode (see above), turn on hardware-accelerated streaming (Settings > Transcoder, Plex Pass), or lower the quality.",
      );
    } else if (t.speed !== undefined) {
      reasons.push(
        `The transcoder keeps up (${t.speed.toFixed(1)}× real time).`,
      );
    }
    if (t.hwRequested && !t.hwEncoding && !t.hwDecoding) {
      reasons.push(
        "Hardware transcoding was asked for but is not used: the server converts on its CPU.",
      );
      fix(
        "Check the server's GPU and driver (Settings > Transcoder > hardware device).",
      );
    }
  }
  if (hostCpu !== undefined && hostCpu >= BUSY_CPU) {
    reasons.push(
      `The server's CPU is at ${
        Math.round(hostCpu)
      }%: conversions compete for it.`,
    );
    fix(
      "Fewer simultaneous transcodes, or direct play on the players that can.",
    );
  }
  if (s.player.state === "buffering") {
    reasons.unshift("The player reports that it is buffering now.");
  }
  return { playback, reasons, fixes };
}
