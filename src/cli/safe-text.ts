/** Text from files and arguments on its way to a terminal: control characters escaped, length bounded (one implementation, trace/reason.ts). */
import { oneLine } from "../trace/reason.js";

/** Untrusted text, made safe to print inside one line: control characters as `\xNN`, cut to `max` characters with "…". */
export function safeText(text: string, max = 200): string {
  return oneLine(text, max);
}
