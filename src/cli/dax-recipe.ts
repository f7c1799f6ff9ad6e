/**
 * The DAX model as a recipe (src/core/recipe.ts): what a worker thread of `check --workers N`
 * imports, from the compiled form of this module, to build the model this thread built.
 */
import { pathToFileURL } from "node:url";
import type { ModelRecipe } from "../core/recipe.js";
import { compiledFile } from "./version.js";
import { type Bounds, buildModel, findVariant } from "./wiring.js";

/** What `daxModel` is called with: plain JSON. */
export interface DaxModelArgs {
  readonly variant: string;
  readonly bounds: Bounds;
}

/** The model `check` searches (with its actions' parameters) of the variant and bounds `args` name. */
export function daxModel(args: DaxModelArgs): ReturnType<typeof buildModel> {
  const variant = findVariant(args.variant);
  if (variant === undefined) throw new Error(`recipe: no variant ${args.variant}`);
  return buildModel(variant, args.bounds);
}

/** The recipe of `variant` at `bounds`, or undefined when dist/ has no build of this module. */
export function daxRecipe(variant: string, bounds: Bounds): ModelRecipe | undefined {
  const file = compiledFile("src/cli/dax-recipe.js");
  if (file === undefined) return undefined;
  return { moduleUrl: pathToFileURL(file).href, exportName: "daxModel", args: { variant, bounds: { ...bounds } } };
}
