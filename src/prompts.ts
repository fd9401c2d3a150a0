/**
 * MCP prompts: "what should I watch" and "library report". They tell the
 * model which tools to use; the answers come from live Plex data.
 *
 * @module
 */
import { z } from "zod";
import type { McpServer } from "./sdk.ts";

/** Prompt names, as listed in manifest.json. */
export const PROMPTS: readonly { name: string; description: string }[] = [
  {
    name: "what_should_i_watch",
    description:
      "Suggest something to watch from the library for a mood, a time budget and an audience.",
  },
  {
    name: "library_report",
    description:
      "Write a report on the libraries: size, recent additions, what gets watched.",
  },
];

function user(text: string) {
  return {
    messages: [{
      role: "user" as const,
      content: { type: "text" as const, text },
    }],
  };
}

/** Registers the prompts on `server`. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    "what_should_i_watch",
    {
      title: "What should I watch?",
      description: PROMPTS[0]!.description,
      argsSchema: {
        mood: z.string().optional().describe(
          "e.g. funny, scary, something light",
        ),
        time_available: z.string().optional().describe(
          "e.g. 90 minutes, an evening",
        ),
        who_is_watching: z.string().optional().describe(
          "e.g. me, the kids, a couple",
        ),
      },
    },
    ({ mood, time_available, who_is_watching }) =>
      user(
        [
          "Help me choose something to watch from my Plex server.",
          mood && `Mood: ${mood}.`,
          time_available && `Time available: ${time_available}.`,
          who_is_watching && `Who is watching: ${who_is_watching}.`,
          "",
          "Steps: call get_on_deck for anything in progress; call get_libraries, then browse_library on the movie and TV libraries with unwatched: true (and a genre that fits the mood); use get_media_details for runtime, content rating and summary of the best candidates.",
          "Only suggest what fits the time available and suits who is watching (check the content rating).",
          "Give three suggestions, each with title, year, runtime, one line on why it fits, and its ratingKey. Offer to start one with play_media.",
        ].filter((l): l is string => typeof l === "string").join("\n"),
      ),
  );

  server.registerPrompt(
    "library_report",
    {
      title: "Library report",
      description: PROMPTS[1]!.description,
      argsSchema: {
        library: z.string().optional().describe(
          "Only this library (key or title)",
        ),
      },
    },
    ({ library }) =>
      user(
        [
          library
            ? `Write a short report on my Plex library "${library}".`
            : "Write a short report on my Plex libraries.",
          "Use get_libraries for sizes and last scans, get_recently_added for what is new, get_watch_history with since: 30d for what was watched, and get_active_sessions for what is playing now.",
          "Report: items per library, the newest additions, the most watched titles and accounts in the last 30 days, and anything that looks wrong (libraries never scanned, failed calls). Keep it under 300 words and include ratingKeys for titles you mention.",
        ].join("\n"),
      ),
  );
}
