/**
 * The state file (`PLEX_HTTP_STATE`): the registered clients and the
 * grants (hashes of their tokens, never the tokens), as JSON, so that
 * connected assistants stay connected across restarts.
 *
 * Written atomically (a new file beside it, mode 0600, then renamed over
 * it), one write at a time, never through a symbolic link and never over
 * anything but a plain file, like the settings file (`src/config/settings.ts`).
 *
 * @module
 */
import { dirname } from "../../config/settings.ts";
import { randomSecret } from "./crypto.ts";

/** A state file that cannot be used; the message says why and what to do. */
export class StateFileError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

/** Reads and writes one state file. */
export class StateFile {
  /** The file's path. */
  readonly path: string;
  #writing: Promise<void> = Promise.resolve();

  /** A state file at `path` (nothing is read or written yet). */
  constructor(path: string) {
    this.path = path;
  }

  async #checkPlain(): Promise<boolean> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw this.#failed("cannot be read", error);
    }
    if (!info.isFile) {
      throw new StateFileError(
        `PLEX_HTTP_STATE ${this.path} is not a plain file (a symbolic link or a directory): it is neither read nor written through. Point PLEX_HTTP_STATE at a plain file`,
      );
    }
    return true;
  }

  #failed(what: string, error: unknown): StateFileError {
    const name = (error as Error)?.name;
    return new StateFileError(
      `PLEX_HTTP_STATE ${this.path} ${what}: ${
        name === "NotCapable" || name === "PermissionDenied"
          ? `Deno may not use it: add --allow-read=${this.path} --allow-write=${
            dirname(this.path)
          }`
          : ((error as Error)?.message ?? String(error)).split("\n")[0]
      }`,
    );
  }

  /**
   * The file's JSON; undefined when there is no file yet. Throws
   * {@link StateFileError} when it is not a plain file or not JSON (it is
   * then left as it is: nothing is lost).
   */
  async load(): Promise<unknown> {
    if (!await this.#checkPlain()) return undefined;
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      throw this.#failed("cannot be read", error);
    }
    if (Deno.build.os !== "windows") {
      // Only hashes are kept, but the file is still nobody else's to read.
      const info = await Deno.stat(this.path);
      if (info.mode !== null && (info.mode & 0o077) !== 0) {
        await Deno.chmod(this.path, 0o600).catch(() => {});
      }
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new StateFileError(
        `PLEX_HTTP_STATE ${this.path} is not the JSON plexmcp writes: it was left as it is. Move it away (clients will sign in again) or fix it`,
      );
    }
  }

  /**
   * Replaces the file with `data` as JSON: written beside it (mode 0600),
   * then renamed over it. Writes run one at a time, in call order.
   */
  save(data: unknown): Promise<void> {
    const text = JSON.stringify(data);
    const run = this.#writing.then(() => this.#write(text));
    this.#writing = run.catch(() => {});
    return run;
  }

  async #write(text: string): Promise<void> {
    await this.#checkPlain();
    const dir = dirname(this.path);
    const temp = `${this.path}.${randomSecret(6)}.tmp`;
    try {
      await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(temp, text, { mode: 0o600, createNew: true });
      if (Deno.build.os !== "windows") await Deno.chmod(temp, 0o600);
      await Deno.rename(temp, this.path);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      throw this.#failed("cannot be written", error);
    }
  }
}
