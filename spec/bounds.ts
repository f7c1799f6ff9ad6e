/**
 * Bounds: how many files, offsets, physical blocks and processes the model has, and which
 * optional mechanisms (copy-on-write, eviction) are in play. Named presets plus key=value edits.
 */
import * as Either from "effect/Either";
import { VIA } from "./state.js";

/** The dimensions and switches of one bounded run. */
export interface Bounds {
  /** Files A, B, ... on one XFS filesystem mounted -o dax; file A starts with data. */
  readonly files: number;
  /** Page offsets per file (each file is this many 4 KiB pages long). */
  readonly offsets: number;
  /** Physical pmem blocks p1, p2, ... (one struct page each). */
  readonly blocks: number;
  /** Processes X, Y, ...; process i starts with file (i mod files) mmapped MAP_SHARED. */
  readonly procs: number;
  /** How many processes (the first ones) asked for early kill (PR_MCE_KILL_EARLY); the rest are late-kill. */
  readonly early: number;
  /** Most get_user_pages pins one page may hold at once (0 turns pins off). */
  readonly pins: number;
  /** How many poison events (memory_failure calls) a run may have. */
  readonly poisons: number;
  /** Whether write faults on shared extents copy-on-write (variants with DAX CoW only): 1 or 0. */
  readonly cow: number;
  /** Whether the last close of an unlinked file (evict) is modelled: 1 or 0. */
  readonly evict: number;
  /**
   * Which poison events may happen, a bitmask of VIA (state.ts): 1 a media error (badblocks and
   * memory_failure: a consuming machine check, or a patrol-scrub one), 2 madvise(MADV_HWPOISON),
   * 4 corrupt-pfn, 8 an ARS scrub (badblocks only). Written as a number or names joined by `+`
   * (`via=media+madvise`).
   */
  readonly via: number;
}

/** The names of the `via` bits, for `via=media+corrupt-pfn`. */
export const VIA_NAMES: Readonly<Record<string, number>> = { media: VIA.media, madvise: VIA.madvise, "corrupt-pfn": VIA.corruptPfn, ars: VIA.ars };

/** Bounds added after trace files were first written, and the value those files were run with. */
const ADDED_LATER: Partial<Record<keyof Bounds, number>> = { via: 1 };

/** Hard limits of the state layout (bitmasks are one byte). */
export const LIMITS = {
  files: [1, 4],
  offsets: [1, 2],
  blocks: [1, 8],
  procs: [1, 4],
  early: [0, 4],
  pins: [0, 3],
  poisons: [0, 3],
  cow: [0, 1],
  evict: [0, 1],
  via: [1, 15],
} as const satisfies Record<keyof Bounds, readonly [number, number]>;

/** The named presets; `small` is the default. */
export const PRESETS = {
  tiny: { files: 2, offsets: 1, blocks: 2, procs: 2, early: 1, pins: 0, poisons: 1, cow: 0, evict: 0, via: 1 },
  small: { files: 2, offsets: 1, blocks: 2, procs: 2, early: 1, pins: 1, poisons: 1, cow: 1, evict: 1, via: 1 },
  full: { files: 2, offsets: 1, blocks: 3, procs: 2, early: 1, pins: 1, poisons: 1, cow: 1, evict: 1, via: 1 },
  "one-file": { files: 1, offsets: 2, blocks: 2, procs: 2, early: 1, pins: 0, poisons: 1, cow: 0, evict: 0, via: 1 },
} as const satisfies Record<string, Bounds>;

export type PresetName = keyof typeof PRESETS;
export const DEFAULT_PRESET: PresetName = "small";

/** One line per preset, for `daxmc list`. */
export const PRESET_NOTES: Record<PresetName, string> = {
  tiny: "2 files x 1 offset, 2 blocks, 2 processes; no pins, CoW or eviction: the seed's scenarios",
  small: "2 files x 1 offset, 2 blocks, 2 processes; adds DMA pins, CoW and eviction (default)",
  full: "as small with a third block, so allocation and CoW can pick among free blocks (10^7 states)",
  "one-file": "1 file x 2 offsets, 2 blocks, 2 processes: a block shared within one file (FICLONERANGE), where ->index and whole-mapping designs part",
};

const keys = Object.keys(LIMITS) as (keyof Bounds)[];

/** Whether `key` names a bound (an own key of LIMITS, so never `toString` or `__proto__`). */
function isBoundKey(key: string): key is keyof Bounds {
  return Object.hasOwn(LIMITS, key);
}

/** Whether `name` names a preset (an own key of PRESETS). */
function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** User text quoted in a reason, cut to 80 characters then "…" (the CLI escapes control characters when it prints the line). */
function shown(text: string): string {
  const chars = [...text];
  return chars.length > 80 ? `${chars.slice(0, 80).join("")}…` : text;
}

/** Validates a bounds object from any source (CLI, trace file); Left is a one-line reason. */
export function decodeBounds(input: unknown): Either.Either<Bounds, string> {
  if (typeof input !== "object" || input === null || Array.isArray(input) || !isPlain(input)) {
    return Either.left(`bounds must be an object with the keys ${keys.join(", ")}`);
  }
  const record = input as Record<string, unknown>;
  const extra = Object.keys(record).find((k) => !isBoundKey(k));
  if (extra !== undefined) return Either.left(`unknown bound '${shown(extra)}': the keys are ${keys.join(", ")}`);
  const missing = keys.find((k) => !Object.hasOwn(record, k) && ADDED_LATER[k] === undefined);
  if (missing !== undefined) return Either.left(`bound '${missing}' is missing`);
  const bad = keys.find((k) => Object.hasOwn(record, k) && !inRange(record[k], LIMITS[k]));
  if (bad !== undefined) return Either.left(`bound '${bad}' must be an integer from ${LIMITS[bad][0]} to ${LIMITS[bad][1]}`);
  return checkRelations(Object.fromEntries(keys.map((k) => [k, Object.hasOwn(record, k) ? record[k] : ADDED_LATER[k]])) as unknown as Bounds);
}

/** Whether `o`'s prototype is Object.prototype or null (as JSON.parse and literals give). */
function isPlain(o: object): boolean {
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

/** Whether `v` is a safe integer within `[lo, hi]`. */
function inRange(v: unknown, [lo, hi]: readonly [number, number]): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= lo && v <= hi;
}

/** The checks between bounds: early kills need processes, and file A's data needs blocks. */
function checkRelations(b: Bounds): Either.Either<Bounds, string> {
  if (b.early > b.procs) return Either.left(`bound 'early' (${b.early}) cannot exceed 'procs' (${b.procs})`);
  if (b.blocks < b.offsets) return Either.left(`bound 'blocks' (${b.blocks}) must be at least 'offsets' (${b.offsets}): file A starts with data`);
  return Either.right(b);
}

/**
 * Parses `--bounds`: a preset name, `key=value,...` edits of the default preset, or a preset
 * followed by edits (`tiny,blocks=3`). Left is a one-line reason naming the fix.
 */
export function parseBounds(text: string | undefined): Either.Either<Bounds, string> {
  const parts = (text ?? DEFAULT_PRESET).split(",").map((p) => p.trim()).filter((p) => p !== "");
  let base: Bounds = PRESETS[DEFAULT_PRESET];
  const edits: Record<string, number> = {};
  for (const [i, part] of parts.entries()) {
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (!isPresetName(part)) {
        return Either.left(`unknown bounds preset '${shown(part)}': use one of ${Object.keys(PRESETS).join(", ")}, or key=value pairs`);
      }
      if (i !== 0) return Either.left(`preset '${part}' must come first: write '${part},key=value,...'`);
      base = PRESETS[part];
      continue;
    }
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!isBoundKey(key)) return Either.left(`unknown bound '${shown(key)}': the keys are ${keys.join(", ")}`);
    const value = key === "via" && !/^[0-9]+$/.test(raw) ? viaMask(raw) : /^[0-9]+$/.test(raw) ? Number(raw) : undefined;
    if (value === undefined) {
      return Either.left(key === "via"
        ? `bound 'via=${shown(raw)}' must be a number from 1 to 15 or names joined by '+': ${Object.keys(VIA_NAMES).join(", ")}`
        : `bound '${key}=${shown(raw)}' is not a whole number`);
    }
    edits[key] = value;
  }
  return decodeBounds({ ...base, ...edits });
}

/** The bitmask of `media+madvise`-style text, or undefined if a name is unknown. */
function viaMask(text: string): number | undefined {
  let mask = 0;
  for (const name of text.split("+")) {
    if (!Object.hasOwn(VIA_NAMES, name)) return undefined;
    mask |= VIA_NAMES[name];
  }
  return mask;
}

/** The name of the preset equal to these bounds, if any. */
export function presetOf(b: Bounds): PresetName | undefined {
  return (Object.keys(PRESETS) as PresetName[]).find((n) => keys.every((k) => PRESETS[n][k] === b[k]));
}

/** `key=value,...` text that parses back to these bounds. */
export function formatBounds(b: Bounds): string {
  return presetOf(b) ?? keys.map((k) => `${k}=${b[k]}`).join(",");
}
