/**
 * A model recipe: how another thread builds the same model, since a model (functions, closures)
 * cannot cross a thread boundary but the name of a module, an export and JSON arguments can.
 * The engine's worker threads import the module and call the export; the engine never learns
 * what the model is about.
 */
import type { Model } from "./model.js";

/** JSON: what the recipe's arguments may be, so that they survive a structured clone and a log. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** `import(moduleUrl)[exportName](args)` builds the model: deterministic, so every thread builds an equal one. */
export interface ModelRecipe {
  /** A `file:` URL of a JavaScript module (workers cannot load TypeScript). */
  readonly moduleUrl: string;
  /** The exported function, `(args) => Model` or a promise of one. */
  readonly exportName: string;
  readonly args: Json;
}

/** Builds the model a recipe names; throws when the module has no such function. */
export async function modelFromRecipe(recipe: ModelRecipe): Promise<Model<unknown, unknown>> {
  const module = (await import(recipe.moduleUrl)) as Record<string, unknown>;
  const build = module[recipe.exportName];
  if (typeof build !== "function") throw new Error(`recipe: ${recipe.moduleUrl} exports no function ${recipe.exportName}`);
  return (await (build as (args: Json) => unknown)(recipe.args)) as Model<unknown, unknown>;
}
