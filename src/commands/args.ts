/**
 * A small command-line parser (instead of `node:util`'s `parseArgs`, which
 * costs start-up time): `--flag`, `--name value`, `--name=value`, short
 * aliases, positionals, and an error naming any unknown flag.
 *
 * @module
 */

/** One flag: boolean, or taking a string value. */
export interface FlagSpec {
  /** `boolean` (no value) or `string` (takes a value). */
  type: "boolean" | "string";
  /** One-letter alias, e.g. `h` for `-h`. */
  short?: string;
}

/** Parsed flags and the remaining positional arguments. */
export interface ParsedArgs {
  /** Flag values by long name (booleans are `true` when given). */
  flags: Record<string, string | boolean | undefined>;
  /** Arguments that are not flags, in order. */
  positionals: string[];
}

/** Bad command line: the message says what and how to fix it. */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses `args` against `spec`. Throws {@link UsageError} for an unknown
 * flag, a missing value, or a value given to a boolean flag. `--` ends the
 * flags.
 */
export function parseArgs(
  args: readonly string[],
  spec: Readonly<Record<string, FlagSpec>>,
): ParsedArgs {
  const flags: ParsedArgs["flags"] = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(spec).filter(([, s]) => s.short).map((
      [name, s],
    ) => [s.short!, name]),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let value: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      value = eq < 0 ? undefined : arg.slice(eq + 1);
      if (!(name in spec)) throw new UsageError(`Unknown option '--${name}'`);
    } else if (arg.startsWith("-") && arg.length === 2) {
      name = byShort.get(arg[1]!);
      if (!name) throw new UsageError(`Unknown option '${arg}'`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name]!;
    if (s.type === "boolean") {
      if (value !== undefined) {
        throw new UsageError(`Option '--${name}' does not take a value`);
      }
      flags[name] = true;
    } else {
      if (value === undefined) {
        value = args[++i];
        if (value === undefined || value.startsWith("--")) {
          throw new UsageError(`Option '--${name}' needs a value`);
        }
      }
      flags[name] = value;
    }
  }
  return { flags, positionals };
}
