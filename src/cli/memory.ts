/** `--max-memory SIZE`: how much memory a search may use before it stops "memory", keeping what it found. */
import { totalmem } from "node:os";
import * as Either from "effect/Either";
import { type CliError, cliError } from "./errors.js";
import { safeText } from "./safe-text.js";

/** The default cap: 80% of the machine's memory, so a search stops and reports before the system's OOM killer ends it unreported. */
export function defaultMaxMemory(): number {
  return Math.floor(totalmem() * 0.8);
}

const UNITS: Readonly<Record<string, number>> = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
/** The smallest cap accepted: below it the engine's own buffers would not fit. */
const MIN_BYTES = 64 * 2 ** 20;

/** Bytes from `512M`, `4G`, `1.5G`, `2048K` or a plain number of bytes (default: `defaultMaxMemory()`). */
export function parseMaxMemory(text: string | undefined): Either.Either<number, CliError> {
  if (text === undefined) return Either.right(defaultMaxMemory());
  const m = /^([0-9]{1,9}(?:\.[0-9]{1,3})?)([KMGT]?)(?:i?B)?$/i.exec(text);
  const bytes = m === null ? NaN : Number(m[1]) * (UNITS[m[2].toUpperCase()] ?? NaN);
  if (!(bytes >= MIN_BYTES)) {
    return Either.left(cliError(
      "bad-number",
      `--max-memory '${safeText(text, 80)}' is not valid`,
      "give a size of at least 64M, with a unit K, M, G or T, e.g. --max-memory 4G",
    ));
  }
  return Either.right(Math.floor(bytes));
}
