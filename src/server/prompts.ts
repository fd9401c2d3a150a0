/**
 * MCP prompts: "what should I watch" and "library report". They tell the
 * model which tools to use; the answers come from live Plex data. Declared
 * as plain data and served by two small handlers, so that start-up builds
 * no schema for them.
 *
 * @module
 */
import {
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  McpError,
  type Server,
} from "../sdk.ts";
import { quoted } from "../log.ts";

/** One argument of a prompt (every argument is an optional string). */
export interface PromptArgument {
  /** Name. */
  name: string;
  /** What to put there. */
  description: string;
}

/** A prompt as `prompts/list` shows it. */
export interface PromptInfo {
  /** Name. */
  name: string;
  /** Human title. */
  title: string;
  /** What it is for. */
  description: string;
  /** Its optional arguments. */
  arguments: readonly PromptArgument[];
}

/** Every prompt, as listed in manifest.json. */
export const PROMPTS: readonly PromptInfo[] = [
  {
    name: "what_should_i_watch",
    title: "What should I watch?",
    description:
      "Suggest something to watch from the library for a mood, a time budget and an audience.",
    arguments: [
      { name: "mood", description: "e.g. funny, scary, something light" },
      { name: "time_available", description: "e.g. 90 minutes, an evening" },
      { name: "who_is_watching", description: "e.g. me, the kids, a couple" },
    ],
  },
  {
    name: "library_report",
    title: "Library report",
    description:
      "Write a report on the libraries: size, recent additions, what gets watched.",
    arguments: [
      { name: "library", description: "Only this library (key or title)" },
    ],
  },
  {
    name: "what_did_i_miss",
    title: "What did I miss?",
    description:
      "A spoiler-safe recap of a show or film up to where you are in it.",
    arguments: [
      {
        name: "title",
        description: "What you are watching (default: in progress)",
      },
      {
        name: "position",
        description: "Where you are, e.g. 23:10 (default: your progress)",
      },
    ],
  },
];

/** The text of a prompt for the given arguments. */
export function promptText(
  name: string,
  args: Readonly<Record<string, string | undefined>>,
  offered: (tool: string) => boolean = () => false,
): string {
  if (name === "what_should_i_watch") {
    const { mood, time_available, who_is_watching } = args;
    return [
      "Help me choose something to watch from my Plex server.",
      mood && `Mood: ${mood}.`,
      time_available && `Time available: ${time_available}.`,
      who_is_watching && `Who is watching: ${who_is_watching}.`,
      "",
      offered("get_recommendations")
        ? "Steps: call get_on_deck for anything in progress; call get_recommendations (max_minutes for the time available, type movie or show if that is clear; user for a Plex Home member who is watching) for unwatched picks ranked from what was watched and rated, each with its reasons; pick those that fit the mood (too few: browse_library with unwatched: true and a genre for it) and use get_media_details for content rating and summary of the best candidates."
        : "Steps: call get_on_deck for anything in progress; call get_libraries, then browse_library on the movie and TV libraries with unwatched: true (and a genre that fits the mood); use get_media_details for runtime, content rating and summary of the best candidates.",
      "Only suggest what fits the time available and suits who is watching (check the content rating).",
      "Give three suggestions, each with title, year, runtime, one line on why it fits, and its ratingKey. Offer to start one with play_media.",
    ].filter((l): l is string => typeof l === "string").join("\n");
  }
  if (name === "what_did_i_miss") return whatDidIMiss(args, offered);
  const { library } = args;
  return [
    library
      ? `Write a short report on my Plex library "${library}".`
      : "Write a short report on my Plex libraries.",
    "Use get_libraries for sizes and last scans, get_recently_added for what is new, get_watch_history with since: 30d for what was watched, and get_active_sessions for what is playing now.",
    "Report: items per library, the newest additions, the most watched titles and accounts in the last 30 days, and anything that looks wrong (libraries never scanned, failed calls). Keep it under 300 words and include ratingKeys for titles you mention.",
  ].join("\n");
}

/** The `what_did_i_miss` prompt: a recap built from get_story_so_far. */
function whatDidIMiss(
  args: Readonly<Record<string, string | undefined>>,
  offered: (tool: string) => boolean,
): string {
  const { title, position } = args;
  return [
    title
      ? `Catch me up on "${title}" without spoilers.`
      : "Catch me up on what I am watching without spoilers.",
    position && `I am at ${position}.`,
    "",
    title
      ? "Find it with search_media (for a show, the episode I am on: get_on_deck or get_children)."
      : "Find what I am in the middle of with get_on_deck (or get_active_sessions if it is playing now).",
    offered("get_story_so_far")
      ? `Call get_story_so_far with its ratingKey${
        position ? " and position_seconds for that position" : ""
      }: it gives the earlier episodes' summaries and the dialogue up to there, nothing later.`
      : "get_story_so_far, which makes this spoiler-safe, is in the watch toolset, which is off: say so and suggest turning it on (PLEX_TOOLSETS with watch, or enable_toolset). Meanwhile recap only from the summaries of the episodes before this one (get_children of the season), never this episode's or later ones.",
    "Write a short recap (under 250 words) from that material only: who is who, what happened, where things stand now. Nothing from after my position, and no guesses about what comes next.",
  ].filter((l): l is string => typeof l === "string").join("\n");
}

/**
 * Installs `prompts/list` and `prompts/get` on `server`. `offered` says
 * whether a tool is offered now (the prompts name the tools to use).
 */
export function registerPrompts(
  server: Server,
  offered: (tool: string) => boolean = () => false,
): void {
  server.registerCapabilities({ prompts: { listChanged: true } });
  const list = {
    prompts: PROMPTS.map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      arguments: p.arguments.map((a) => ({ ...a, required: false })),
    })),
  };
  server.setRequestHandler(ListPromptsRequestSchema, () => list);
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const prompt = PROMPTS.find((p) => p.name === request.params.name);
    if (!prompt) {
      throw new McpError(
        -32602,
        `Prompt ${quoted(request.params.name)} not found`,
      );
    }
    const args = request.params.arguments ?? {};
    for (const [key, value] of Object.entries(args)) {
      if (!prompt.arguments.some((a) => a.name === key)) {
        throw new McpError(
          -32602,
          `Invalid arguments for prompt ${prompt.name}: unknown argument ${
            quoted(key)
          } (it takes ${prompt.arguments.map((a) => a.name).join(", ")})`,
        );
      }
      if (typeof value !== "string") {
        throw new McpError(
          -32602,
          `Invalid arguments for prompt ${prompt.name}: ${key} must be a string`,
        );
      }
    }
    return {
      description: prompt.description,
      messages: [{
        role: "user" as const,
        content: {
          type: "text" as const,
          text: promptText(prompt.name, args, offered),
        },
      }],
    };
  });
}
