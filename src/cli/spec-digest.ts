/** A digest of the spec's sources, written into docs/verdicts.md so a test can tell when the spec changed after the file was written. */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./version.js";

/** sha256 over every spec/*.ts file (names and contents, in name order), or undefined where the sources are not installed. */
export function specDigest(root: string | undefined = packageRoot()): string | undefined {
  if (root === undefined) return undefined;
  let names: string[];
  try {
    names = readdirSync(join(root, "spec")).filter((n) => n.endsWith(".ts")).sort();
  } catch {
    return undefined;
  }
  const hash = createHash("sha256");
  for (const name of names) hash.update(`${name}\0`).update(readFileSync(join(root, "spec", name))).update("\0");
  return hash.digest("hex");
}
