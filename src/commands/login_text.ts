/**
 * How `plexmcp login` prints: text from plex.tv or a server made printable
 * and short, counts with their noun.
 *
 * @module
 */
import { cut } from "../log.ts";
import { printableLine } from "../printable.ts";

/** `n` and its noun, plural unless one ("2 addresses"). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${
    n === 1 ? "" : /(s|ss|sh|ch|x)$/.test(word) ? "es" : "s"
  }`;
}

/**
 * Text from plex.tv or a server as it may be printed in one line: every
 * control character shown, not obeyed (`printable.ts`), and cut short.
 */
export function shown(text: string, max = 300): string {
  return cut(printableLine(text), max);
}
