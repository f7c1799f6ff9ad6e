/** Reasons are printed on one terminal line, and may quote untrusted text: this keeps them short and inert. */

/** The longest reason returned: a file's text quoted in a parser message can be megabytes long. */
export const MAX_REASON_CHARS = 200;

// C0 and C1 controls, DEL, and the JavaScript line separators: none may reach a terminal raw.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` with control characters escaped as \xNN (\uNNNN for line separators), cut to `max` characters with "…". */
export function oneLine(text: string, max: number = MAX_REASON_CHARS): string {
  const escaped = text.slice(0, max + 1).replace(UNPRINTABLE, escapeChar);
  if (escaped.length <= max) return escaped;
  const cut = isHighSurrogate(escaped.charCodeAt(max - 2)) ? max - 2 : max - 1;
  return `${escaped.slice(0, cut)}…`;
}

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
