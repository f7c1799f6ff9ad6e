/** Number formatting shared by the text reports. */

/** An integer with thousands separators: 1234567 -> "1,234,567". */
export function int(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Milliseconds as seconds with two decimals: "1.68 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A small probability in scientific notation: "4.9e-9" (or "0"). */
export function probability(p: number): string {
  return p === 0 ? "0" : p.toExponential(1);
}

/** "1 step" / "3 steps". */
export function plural(n: number, word: string): string {
  return `${int(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** A size in bytes with a binary unit and one decimal: 512 -> "512 B", 4823449 -> "4.6 MiB". */
export function bytes(n: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (n < 1024) return `${Math.round(n)} B`;
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
