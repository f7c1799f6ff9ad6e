/**
 * Permutations within classes: what a symmetry declaration renames, listed for the engine (every
 * renaming) and for a model's canonical form (the orders of its like things).
 */

/** The permutations of 0..size-1 that move indices only within their class, the identity first. */
export function permutationsOf(size: number, classes: readonly (readonly number[])[]): Uint8Array[] {
  let perms: Uint8Array[] = [Uint8Array.from({ length: size }, (_, i) => i)];
  for (const members of classes) {
    const next: Uint8Array[] = [];
    for (const base of perms) {
      for (const order of orderings(members)) {
        const perm = base.slice();
        members.forEach((m, k) => {
          perm[m] = order[k];
        });
        next.push(perm);
      }
    }
    perms = next;
  }
  return perms;
}

/** Every ordering of `items`, the given one first. */
function orderings(items: readonly number[]): number[][] {
  if (items.length <= 1) return [items.slice()];
  const out: number[][] = [];
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of orderings(rest)) out.push([items[i], ...tail]);
  }
  return out;
}
