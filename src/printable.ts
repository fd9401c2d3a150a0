/**
 * One filter for text that came from outside (a Plex server, plex.tv, a
 * log file, a zip entry's name) and is shown to a person or a model: a
 * friend who shares a server chooses its name, and a terminal obeys the
 * escape sequences in what it prints (OSC 52 writes the clipboard, CSI
 * clears the screen, a bare CR overwrites the line). Control characters
 * are not dropped silently but shown: C0 and DEL as their Unicode control
 * pictures (`␛`, `␇`), C1 and the invisible direction and line-separator
 * characters as `\u{…}` text. With the ESC shown, the rest of its sequence
 * is inert printable text. Newline and tab are kept.
 *
 * @module
 */

// C0 but tab (09) and newline (0a), DEL, C1, the bidi embeddings,
// overrides and isolates (Trojan Source), and the line/paragraph
// separators that some renderers treat as newlines.
/** The characters {@link printable} shows, as a regular expression class. */
export const UNSAFE_CLASS: string =
  "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]";
const UNSAFE = new RegExp(UNSAFE_CLASS);
const UNSAFE_ALL = new RegExp(UNSAFE_CLASS, "g");

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return `\\u{${code.toString(16)}}`;
}

/**
 * Whether `text` holds a character {@link printable} would show (CR
 * included): when not, both it and `readable` return `text` as it is.
 */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * `text` with every control character (but newline and tab) made visible,
 * so no escape sequence in it reaches a terminal or a reader as a command.
 * Text without any comes back as it was (the same string).
 */
export function printable(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, visible) : text;
}

/** {@link printable} for one line: newlines and tabs are shown too. */
export function printableLine(text: string): string {
  return printable(text).replace(/[\n\t]/g, visible);
}

/**
 * `value` as JSON text (`JSON.stringify`) in which the characters that
 * {@link printable} shows and JSON leaves raw (DEL, C1, the bidi and line
 * separators) are `\u` escapes too: the same JSON once parsed, and nothing
 * a terminal obeys when it is printed.
 */
export function printableJson(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space) ?? "null";
  return UNSAFE.test(text)
    ? text.replace(
      UNSAFE_ALL,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    )
    : text;
}
