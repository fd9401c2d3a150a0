/**
 * Limits on the structure of a JSON answer, checked in one linear pass
 * before `JSON.parse`, so that an answer under the body cap cannot blow up
 * when parsed (millions of tiny values, arrays nested millions deep, one
 * enormous string). Real Plex answers are far inside these limits: a
 * 100-item page of full metadata has some 20,000 values, nests about eight
 * levels deep, and its longest string is a summary of a few KB.
 *
 * @module
 */

/** What one answer may hold. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most values: objects and arrays, plus members and elements after the first of each. */
  maxValues: number;
  /** Longest single string, in characters of JSON text. */
  maxStringLength: number;
}

/** The limits the client applies to every answer. */
export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxDepth: 64,
  maxValues: 1_000_000,
  maxStringLength: 1_048_576,
});

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Returns why `text` is over `limits`, or undefined when it is within them.
 * Does not validate JSON syntax (`JSON.parse` does that next). Values are
 * counted at each container opening and each comma (outside strings), which
 * bounds every member and element.
 */
export function jsonOverLimit(
  text: string,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): string | undefined {
  let depth = 0;
  let values = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote: the next quote not escaped by an odd
      // number of backslashes (indexOf is native, and most of an answer's
      // text is inside strings).
      const start = i;
      let end = i + 1;
      while (true) {
        end = text.indexOf('"', end);
        if (end < 0) {
          end = n;
          break;
        }
        let backslashes = 0;
        for (
          let k = end - 1;
          k > start && text.charCodeAt(k) === BACKSLASH;
          k--
        ) {
          backslashes++;
        }
        if (backslashes % 2 === 0) break;
        end++;
      }
      if (end - start - 1 > limits.maxStringLength) {
        return `a string of more than ${
          limits.maxStringLength.toLocaleString("en")
        } characters`;
      }
      i = end;
      continue;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limits.maxDepth) {
        return `nesting deeper than ${limits.maxDepth} levels`;
      }
      values++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA) {
      values++;
    } else {
      continue;
    }
    if (values > limits.maxValues) {
      return `more than ${limits.maxValues.toLocaleString("en")} values`;
    }
  }
  return undefined;
}
