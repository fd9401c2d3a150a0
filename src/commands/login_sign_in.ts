/**
 * Signing in for `plexmcp login`: opening the sign-in link in the browser
 * and waiting for the user to sign in on the PIN (API.md §2.1), within the
 * code's life and never longer than {@link MAX_SIGN_IN_WAIT_MS}.
 *
 * @module
 */
import {
  type PlexPin,
  type PlexTvClient,
  PlexTvError,
} from "../plextv/client.ts";
import { type CommandIo, sleepUnless } from "./io.ts";

/** How often the PIN is polled (python-plexapi polls every second). */
const POLL_MS = 1_000;

/**
 * Longest wait for the sign-in, whatever plex.tv says of the code's life:
 * 15 minutes, the lifetime plex.tv itself gives a PIN (`expiresIn` 900 in
 * the recorded `POST /api/v2/pins`). A later `expiresAt` (one plex.tv
 * stand-in sent 9999-12-31) is not waited for.
 */
export const MAX_SIGN_IN_WAIT_MS = 15 * 60_000;

function minutesLeft(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Opens `url` in the browser; returns why it could not, if it could not. */
export async function openInBrowser(url: string): Promise<string | undefined> {
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
export async function waitForSignIn(
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
