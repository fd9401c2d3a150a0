/**
 * The readers every answer schema is built from: Plex's loose scalars
 * (numbers as strings, 0/1 booleans), lists Plex omits when empty or sends
 * as a lone object, and plain-function readers for the hot paths.
 *
 * @module
 */
import { z } from "../../zod.ts";
import { bool, containerReader, isObject, num, str } from "../readers.ts";
import type { ResponseSchema } from "../../transport/types.ts";

// ---------------------------------------------------------------- primitives

/** `true/false`, `0/1`, `"0"/"1"`, `"true"/"false"` → boolean. */
export const plexBool = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v) => v === true || v === 1 || v === "1" || v === "true");

/** A number that may arrive as a numeric string. */
export const plexNum = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === "number" ? v : Number(v)))
  .pipe(z.number());

/** A string that may arrive as a number (ids). */
export const plexStr = z
  .union([z.string(), z.number()])
  .transform((v) => String(v));

// Optional scalars are coerced by one cheap transform each (a union with a
// pipe and a catch per field made item parsing the bulk of a call's cost).
// Anything that cannot be read as the type becomes undefined, never an error.

// `.optional()` first: zod 4 then accepts a missing key and still runs the
// transform on undefined.
export const optBool = z.unknown().optional().transform(bool);
export const optNum = z.unknown().optional().transform(num);
export const optStr = z.unknown().optional().transform(str);

/**
 * An array that Plex omits when empty, or sends as a lone object. Elements
 * that do not fit `item` are dropped rather than failing the whole answer.
 */
export function list<T extends z.ZodType>(
  item: T,
): z.ZodPipe<
  z.ZodOptional<z.ZodUnknown>,
  z.ZodTransform<z.output<T>[], unknown>
> {
  return z.unknown().optional().transform((v): z.output<T>[] => {
    if (v === undefined || v === null) return [];
    const out: z.output<T>[] = [];
    for (const element of Array.isArray(v) ? v : [v]) {
      const parsed = item.safeParse(element);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  });
}

// ------------------------------------------------------------- media items

// Items, sections and search hubs are the hot path (a page or a search reads
// dozens), so their fields are read by plain functions instead of a zod
// schema per field or per element: same tolerance, a fraction of the cost.

/** Reads one raw field. */
export type Reader = (value: unknown) => unknown;
/** Field name → reader. */
export type Spec = Record<string, Reader>;
/** What a spec reads. */
export type Read<S extends Spec> = { [K in keyof S]: ReturnType<S[K]> };

/**
 * A response schema that reads `MediaContainer` with a plain function. Used
 * on hot paths (sections, search) where a zod call per element costs more
 * than the request; readers are tolerant and never throw.
 */
export interface ContainerSchema<T> extends ResponseSchema<T> {
  /** Like `safeParse`, throwing on a missing `MediaContainer`. */
  parse(data: unknown): T;
}

export function containerSchema<T>(
  read: (c: Record<string, unknown>) => T,
): ContainerSchema<T> {
  const { safeParse } = containerReader(read);
  return {
    safeParse,
    parse(data) {
      const result = safeParse(data);
      if (!result.success) {
        throw new TypeError("expected an object at MediaContainer");
      }
      return result.data;
    },
  };
}

/** Compiles a spec into a reader of objects (entries resolved once). */
export function fieldsReader<S extends Spec>(
  spec: S,
): (o: Record<string, unknown>) => Read<S> {
  const entries = Object.entries(spec);
  return (o) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < entries.length; i++) {
      const [key, read] = entries[i]!;
      out[key] = read(o[key]);
    }
    return out as Read<S>;
  };
}

/** Reader of an optional single object. */
export function one<S extends Spec>(
  spec: S,
): (v: unknown) => Read<S> | undefined {
  const read = fieldsReader(spec);
  return (v) => (isObject(v) ? read(v) : undefined);
}

export function readTagNames(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const out: string[] = [];
  for (const t of Array.isArray(v) ? v : [v]) {
    const name = str((t as { tag?: unknown } | null)?.tag);
    if (name !== undefined) out.push(name);
  }
  return out;
}

/** Each object of a list (omitted → [], lone object → [it]) through `read`. */
export function objects<T>(
  v: unknown,
  read: (o: Record<string, unknown>) => T,
): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return isObject(v) ? [read(v)] : [];
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) {
    const element = v[i];
    if (isObject(element)) out.push(read(element));
  }
  return out;
}
