/** `daxmc list [--json]`: the variants, invariants and bound presets a run can name. */
import * as Either from "effect/Either";
import { parseCommand } from "./args.js";
import type { CliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, println } from "./io.js";
import { DEFAULT_PRESET, INVARIANTS, PRESETS, PRESET_NOTES, type PresetName, VARIANTS, expectedFor } from "./wiring.js";

/** Prints every variant, invariant and preset: as text, or with --json as one document. */
export function list(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.map(parseCommand("list", argv, { json: { type: "boolean" } }), (parsed) => {
    if (parsed.values.json === true) printListJson(io);
    else printListText(io);
    return EXIT.ok;
  });
}

/** Every variant (id, kernel, summary), invariant (id, meaning, partner) and preset (name, values, note). */
function printListText(io: Io): void {
  println(io.stdout, "variants (--variant ID)");
  for (const v of VARIANTS) println(io.stdout, `  ${v.id}`, `      models   ${v.kernel}`, `      summary  ${v.summary}`);
  println(io.stdout, "", "invariants (--invariant ID), each with the 'sometimes' partner that shows it is not vacuous");
  for (const i of INVARIANTS) {
    println(io.stdout, `  ${i.id}`, `      ${i.meaning}`, `      partner  ${i.partner}: ${i.partnerMeaning}`);
  }
  println(io.stdout, "", `bound presets (--bounds NAME, or NAME,key=value,...; default ${DEFAULT_PRESET})`);
  const names = Object.keys(PRESETS) as PresetName[];
  const width = Math.max(...names.map((n) => n.length));
  for (const name of names) {
    const values = Object.entries(PRESETS[name]).map(([k, v]) => `${k}=${v}`).join(",");
    println(io.stdout, `  ${name.padEnd(width)}  ${values}`, `  ${"".padEnd(width)}  ${PRESET_NOTES[name]}`);
  }
}

/** The same as one JSON document, for scripts. */
function printListJson(io: Io): void {
  const doc = {
    variants: VARIANTS.map((v) => ({
      id: v.id, kernel: v.kernel, summary: v.summary,
      expected: INVARIANTS.map((inv) => ({ invariant: inv.id, ...expectedFor(v, inv.id) })),
    })),
    invariants: INVARIANTS.map((i) => ({ id: i.id, meaning: i.meaning, partner: i.partner, partnerMeaning: i.partnerMeaning })),
    presets: (Object.keys(PRESETS) as PresetName[]).map((name) => ({
      name, default: name === DEFAULT_PRESET, bounds: PRESETS[name], note: PRESET_NOTES[name],
    })),
  };
  io.stdout.write(JSON.stringify(doc, null, 2) + "\n");
}
