import { z } from "../../zod.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { parts } from "../shared/format.ts";

/** `get_plex_status`: is the server up, what is it, is it signed in. */
export const getPlexStatus = defineTool({
  name: "get_plex_status",
  title: "Plex server status",
  description:
    "Checks that Plex answers: server name, version, platform, machine identifier, plex.tv sign-in and active transcodes. Call it first when calls fail.",
  toolset: "server",
  annotations: READ_ONLY,
  input: {},
  output: {
    url: z.string().describe("Server address this MCP server uses"),
    name: z.string(),
    version: z.string(),
    platform: z.string().optional(),
    platformVersion: z.string().optional(),
    machineIdentifier: z.string(),
    myPlex: z.object({
      signedIn: z.boolean(),
      username: z.string().optional(),
      signinState: z.string().optional(),
      mappingState: z.string().optional(),
      plexPass: z.boolean().optional(),
    }),
    activeTranscodes: z.number().int().optional().describe(
      "Video transcodes running now, when the server reports it",
    ),
  },
  handler: async (_args, { plex, signal }) => {
    const info = await plex.serverInfo({ signal });
    const structured = {
      url: plex.baseUrl,
      name: info.name,
      version: info.version,
      platform: info.platform,
      platformVersion: info.platformVersion,
      machineIdentifier: info.machineIdentifier,
      myPlex: {
        signedIn: info.myPlex,
        username: info.myPlexUsername,
        signinState: info.myPlexSigninState,
        mappingState: info.myPlexMappingState,
        plexPass: info.myPlexSubscription,
      },
      activeTranscodes: info.transcoderActiveVideoSessions,
    };
    const text = [
      `Plex "${info.name}" is up at ${plex.baseUrl}`,
      parts([
        `version ${info.version}`,
        info.platform &&
        `${info.platform}${
          info.platformVersion ? " " + info.platformVersion : ""
        }`,
        `machine ${info.machineIdentifier}`,
      ]),
      parts([
        info.myPlex
          ? `plex.tv: signed in${
            info.myPlexUsername ? " as " + info.myPlexUsername : ""
          }${info.myPlexSigninState ? ` (${info.myPlexSigninState})` : ""}`
          : "plex.tv: not signed in",
        info.myPlexSubscription !== undefined &&
        `Plex Pass: ${info.myPlexSubscription ? "yes" : "no"}`,
        info.transcoderActiveVideoSessions !== undefined &&
        `active transcodes: ${info.transcoderActiveVideoSessions}`,
      ]),
    ].join("\n");
    return { structured, text };
  },
});
