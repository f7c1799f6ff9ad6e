/** Text from files and arguments on its way to a terminal: control characters escaped, length bounded. */

/** C0 and C1 control characters and DEL, which a terminal would act on (title, colours, cursor). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with each control character written as `\xNN`, so nothing from a file can drive the terminal. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** `text` cut to at most `max` characters, the cut marked with "…". */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Untrusted text, made safe to print inside one line: escaped, then cut to `max` characters. */
export function safeText(text: string, max = 200): string {
  return clip(escapeControls(text), max);
}
