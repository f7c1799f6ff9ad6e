/** parseCommand, limitsOf, usageOf and quote: each bad argv gets one exact, one-line, escaped message. */
import * as Either from "effect/Either";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Parsed, limitsOf, parseCommand, quote, usageOf } from "../../src/cli/args.js";
import { formatCliError } from "../../src/cli/errors.js";
import { boundsFromText } from "../../src/cli/wiring.js";

/** The options of `check` (a copy, so this test does not load the engine). */
const TABLE = {
  variant: { type: "string" },
  invariant: { type: "string" },
  bounds: { type: "string" },
  json: { type: "boolean" },
  "max-states": { type: "string" },
  "max-depth": { type: "string" },
  timeout: { type: "string" },
  out: { type: "string" },
  "no-symmetry": { type: "boolean" },
  "no-por": { type: "boolean" },
} as const;

const USAGE = usageOf("check", TABLE);

/** Parses `argv` as `check`, then reads the limits. */
const run = (argv: readonly string[]) => Either.flatMap(parseCommand("check", argv, TABLE), limitsOf);

/** The `[code, what, fix]` of a failed run. */
const failure = (argv: readonly string[]) =>
  Either.match(run(argv), { onLeft: (e) => [e.code, e.what, e.fix], onRight: () => "accepted" });

/** The parse of argv that must succeed. */
const parsed = (argv: readonly string[]): Parsed => Either.getOrThrow(parseCommand("check", argv, TABLE));

describe("usageOf", () => {
  it("lists the options, and the positionals when named", () => {
    expect(USAGE).toBe("daxmc check takes --variant VALUE, --invariant VALUE, --bounds VALUE, --json, --max-states VALUE, --max-depth VALUE, --timeout VALUE, --out VALUE, --no-symmetry, --no-por");
    expect(usageOf("replay", { "path-only": { type: "boolean" } }, "FILE")).toBe("daxmc replay FILE takes --path-only");
    expect(usageOf("list", {})).toBe("daxmc list takes no options");
  });
  it("is the fix of parseCommand's errors", () => {
    expect(Either.getOrThrow(Either.flip(parseCommand("list", ["x"], {}))).fix).toBe("daxmc list takes no options");
    expect(failure(["--frob"])).toEqual(["bad-option", "unknown option '--frob'", USAGE]);
  });
});

describe("quote", () => {
  it("quotes, escapes control characters as \\xNN and caps at 80 UTF-16 units, the cut marked by …", () => {
    expect(quote("v4.18")).toBe("'v4.18'");
    expect(quote("a\x00b\nc\x1b[31m\x7f\x85\x9f")).toBe("'a\\x00b\\x0ac\\x1b[31m\\x7f\\x85\\x9f'");
    expect(quote("\u2028")).toBe("'\\u2028'");
    expect(quote("é✓")).toBe("'é✓'");
    expect(quote("x".repeat(81))).toBe(`'${"x".repeat(79)}…'`);
    expect(quote("x".repeat(80))).toBe(`'${"x".repeat(80)}'`);
    expect(quote("😀".repeat(81))).toBe(`'${"😀".repeat(39)}…'`);
  });
  it("is used for user text in messages", () => {
    expect(failure(["--\x1b[2J"])).toEqual(["bad-option", "unknown option '--\\x1b[2J'", USAGE]);
    expect(failure(["a\nb"])).toEqual(["unexpected-argument", "unexpected argument 'a\\x0ab'", USAGE]);
    expect(failure(["--max-states", `1\r${"9".repeat(100)}`])[1]).toBe(`--max-states '1\\x0d${"9".repeat(74)}…' is not valid`);
  });
});

describe("parseCommand", () => {
  it("parses options and positionals, help false", () => {
    expect(parsed(["--variant", "v4.18", "--json", "--bounds=tiny"])).toEqual({
      values: { variant: "v4.18", json: true, bounds: "tiny" }, positionals: [], help: false,
    });
    const p = Either.getOrThrow(parseCommand("replay", ["t.itf.json"], { "path-only": { type: "boolean" } }, 1));
    expect(p.positionals).toEqual(["t.itf.json"]);
  });
  it("recognises --help and -h anywhere before --, whatever else is wrong", () => {
    for (const argv of [["--help"], ["-h"], ["--frob", "-h"], ["stray", "--max-states", "x", "--help"], ["--variant", "--help"]]) {
      expect(parsed(argv)).toEqual({ values: {}, positionals: [], help: true });
    }
    expect(failure(["--", "--help"])).toEqual(["unexpected-argument", "unexpected argument '--help'", USAGE]);
    expect(parsed(["--variant=--help"]).help).toBe(false);
  });
  it("rejects an option given twice, boolean ones too", () => {
    expect(failure(["--bounds", "tiny", "--bounds", "full"])).toEqual(["bad-option", "option '--bounds' is given twice", USAGE]);
    expect(failure(["--json", "--variant", "v", "--json"])).toEqual(["bad-option", "option '--json' is given twice", USAGE]);
    expect(failure(["--out=a", "--out", "b"])).toEqual(["bad-option", "option '--out' is given twice", USAGE]);
  });
  it("rejects an empty value of a string option", () => {
    for (const name of ["bounds", "out", "variant", "max-depth"]) {
      expect(failure([`--${name}`, ""])).toEqual(["bad-option", `option '--${name}' has an empty value`, USAGE]);
      expect(failure([`--${name}=`])).toEqual(["bad-option", `option '--${name}' has an empty value`, USAGE]);
    }
  });
  it("keeps the other option errors", () => {
    expect(failure(["--variant"])).toEqual(["bad-option", "option '--variant' needs a value", USAGE]);
    expect(failure(["--json=yes"])).toEqual(["bad-option", "option '--json' takes no value", USAGE]);
    expect(failure(["--variant", "--json"])).toEqual([
      "bad-option", "option '--variant' is followed by another option, not a value (write --variant=VALUE for a value starting with '-')", USAGE,
    ]);
    expect(failure(["--x=1"])).toEqual(["bad-option", "unknown option '--x'", USAGE]);
    expect(failure(["-1"])).toEqual(["bad-option", "unknown option '-1'", USAGE]);
    expect(failure(["--toString"])).toEqual(["bad-option", "unknown option '--toString'", USAGE]);
    expect(failure(["--__proto__=1"])).toEqual(["bad-option", "unknown option '--__proto__'", USAGE]);
  });
});

describe("limitsOf", () => {
  const bad = (name: string, raw: string, fix: string) => ["bad-number", `--${name} ${quote(raw)} is not valid`, fix];
  const states = (why: string) => `give ${why}, e.g. --max-states 1000000`;
  it("reads whole counts and positive seconds", () => {
    expect(Either.getOrThrow(run(["--max-states", "1000", "--max-depth", "0", "--timeout", "2.5"]))).toEqual({
      maxStates: 1000, maxDepth: 0, timeoutMs: 2500, symmetry: true, por: true,
    });
    expect(Either.getOrThrow(run(["--no-symmetry"])).symmetry).toBe(false);
    expect(Either.getOrThrow(run(["--no-por"]))).toMatchObject({ symmetry: true, por: false });
    expect(Either.getOrThrow(run(["--max-states", "999999999999999"])).maxStates).toBe(999999999999999);
    expect(Either.getOrThrow(run([]))).toEqual({ maxStates: undefined, maxDepth: undefined, timeoutMs: undefined, symmetry: true, por: true });
  });
  it("takes a negative number after an option as its value, and names the problem", () => {
    expect(failure(["--max-states", "-1"])).toEqual(bad("max-states", "-1", states("a whole number of states, 0 or more")));
    expect(failure(["--max-depth", "-3"])).toEqual(bad("max-depth", "-3", "give a whole number of steps, 0 or more, e.g. --max-depth 20"));
    expect(failure(["--timeout", "-.5"])).toEqual(bad("timeout", "-.5", "give a positive number of seconds, e.g. --timeout 60"));
    expect(failure(["--bounds", "-1"])).toEqual("accepted");
    expect(parsed(["--bounds", "-1"]).values.bounds).toBe("-1");
  });
  it("accepts only decimal digits for counts", () => {
    for (const raw of ["0x10", "1e3", " 5", "5 ", "+5", "1_000", "many", "٣", "Infinity", "0b1"]) {
      expect(failure(["--max-states", raw])).toEqual(bad("max-states", raw, states("a whole number in decimal digits")));
    }
    expect(failure(["--max-states", "1.5"])).toEqual(bad("max-states", "1.5", states("a whole number of states, not a fraction")));
    expect(failure(["--max-states", "1234567890123456"])).toEqual(bad("max-states", "1234567890123456", states("at most 15 digits")));
  });
  it("accepts only positive decimal seconds for --timeout", () => {
    const seconds = (why: string) => `give ${why}, e.g. --timeout 60`;
    expect(failure(["--timeout", "0"])).toEqual(bad("timeout", "0", seconds("a positive number of seconds")));
    expect(failure(["--timeout", "0.000"])).toEqual(bad("timeout", "0.000", seconds("a positive number of seconds")));
    for (const raw of ["1e3", ".5", "5.", "0x10", " 1", "NaN"]) {
      expect(failure(["--timeout", raw])).toEqual(bad("timeout", raw, seconds("a number of seconds in decimal digits")));
    }
    expect(failure(["--timeout", "1".repeat(16)])).toEqual(bad("timeout", "1".repeat(16), seconds("at most 15 digits before the point")));
  });
});

const WORDS = ["--bounds", "--max-states", "--max-depth", "--timeout", "--json", "--help", "-h", "--variant", "-1", "0x10", "toString", "=", "--", "--x=1"];

/** Fails unless `message` is one line with no control characters. */
const expectClean = (message: string): void => {
  expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
};

describe("any argv", () => {
  it("parses to a value or a one-line error, never a throw", () => {
    const argv = fc.array(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom(...WORDS)), { maxLength: 8 });
    fc.assert(
      fc.property(argv, (args) => {
        const p = parseCommand("check", args, TABLE);
        if (Either.isLeft(p)) {
          expectClean(formatCliError(p.left));
          return;
        }
        const limits = limitsOf(p.right);
        if (Either.isLeft(limits)) expectClean(formatCliError(limits.left));
        const bounds = boundsFromText(typeof p.right.values.bounds === "string" ? p.right.values.bounds : undefined);
        if (Either.isLeft(bounds)) expectClean(formatCliError(bounds.left));
      }),
      { numRuns: 5000 },
    );
  });
});
