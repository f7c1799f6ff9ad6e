/**
 * A linear pre-scan of untrusted JSON text, run before JSON.parse: the decoders after it
 * (effect Schema, canonicalJson, flatten) recurse once per nesting level and spend microseconds
 * per item, so depth, item count and literal lengths are bounded before any of them runs.
 */

/** Deepest nesting of arrays and objects accepted; daxmc's own traces nest 7 deep. */
export const MAX_JSON_DEPTH = 64;
/** Longest string literal accepted, in characters of the file (escapes included); daxmc's longest is under 200. */
export const MAX_JSON_STRING_CHARS = 64 * 1024;
/** Longest number literal accepted; a safe integer needs at most 17 characters. */
export const MAX_JSON_NUMBER_CHARS = 32;
/**
 * Most items (array elements, object fields) accepted, counted as commas plus opening brackets:
 * Schema decoding costs one to two microseconds per item, so this bounds decoding to a few
 * seconds, while a 40,000-step trace (about 3.1 million items, 68 MB, integers tagged as ITF requires) still reads.
 */
export const MAX_JSON_ITEMS = 4_000_000;

/** Why text was refused by `checkJsonShape`. */
export interface JsonLimitError {
  readonly code: "too-deep" | "too-large";
  readonly reason: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** The first limit `text` breaks, skipping string contents; undefined if none (the text need not be valid JSON). */
export function checkJsonShape(text: string): JsonLimitError | undefined {
  let depth = 0;
  let items = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end - i - 1 > MAX_JSON_STRING_CHARS) return tooLarge(`a string longer than ${MAX_JSON_STRING_CHARS} characters`, i);
      i = end + 1;
    } else if (isNumberStart(c)) {
      const end = numberEnd(text, i);
      if (end - i > MAX_JSON_NUMBER_CHARS) return tooLarge(`a number longer than ${MAX_JSON_NUMBER_CHARS} characters`, i);
      i = end;
    } else {
      if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        depth++;
        items++;
      } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
      else if (c === COMMA) items++;
      if (depth > MAX_JSON_DEPTH) return { code: "too-deep", reason: `it nests deeper than ${MAX_JSON_DEPTH} levels (at character ${i})` };
      if (items > MAX_JSON_ITEMS) return tooLarge(`more than ${MAX_JSON_ITEMS} items (array elements and object fields)`, i);
      i++;
    }
  }
  return undefined;
}

/** The index of the quote closing the string opened at `start`, or text.length when it is unterminated. */
function stringEnd(text: string, start: number): number {
  let i = start;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return text.length;
    // A quote ends the string unless an odd run of backslashes escapes it; runs are disjoint, so this stays linear.
    let slashes = 0;
    while (text.charCodeAt(i - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return i;
  }
}

function numberEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && isNumberPart(text.charCodeAt(i))) i++;
  return i;
}

function isNumberStart(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39);
}

function isNumberPart(c: number): boolean {
  return isNumberStart(c) || c === 0x2b || c === 0x2e || c === 0x45 || c === 0x65;
}

function tooLarge(what: string, at: number): JsonLimitError {
  return { code: "too-large", reason: `it has ${what} (at character ${at})` };
}
