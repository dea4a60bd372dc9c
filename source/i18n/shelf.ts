/**
 * The catalogues' shelf: the one catalogue shape, where each catalogue registers itself, and the one
 * interpolator. The typed t() over every key is in t.ts; catalogues import only this module, so t.ts can
 * name their key types without a circle of imports.
 */
export type Lang = 'zh-TW' | 'en';
export type Entry = Readonly<Record<Lang, string>>;
export type Catalogue = Readonly<Record<string, Entry>>;
export type Vars = Readonly<Record<string, string | number>>;
export interface Policy {
  missing: 'mark' | 'keep';
  nested?: boolean;
}

interface Shelf {
  catalogue: Catalogue;
  policy: Policy;
}
const shelves = new Map<string, Shelf>();

/** A catalogue's module hands it here once, with its rule for a missing parameter. */
export function register<C extends Catalogue>(catalogue: C, policy: Policy): C {
  const shelf: Shelf = { catalogue, policy };
  for (const key of Object.keys(catalogue)) if (!shelves.has(key)) shelves.set(key, shelf);
  return catalogue;
}

/** The one interpolator. */
function interpolate(lang: Lang, template: string, vars: Vars, shelf: Shelf): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (shelf.policy.missing === 'keep') {
      if (!(name in vars)) return whole;
    } else if (vars[name] === undefined || vars[name] === null) return '?';
    const value = String(vars[name]);
    if (shelf.policy.nested === true && Object.hasOwn(shelf.catalogue, value)) {
      return interpolate(lang, shelf.catalogue[value]![lang], vars, shelf);
    }
    return value;
  });
}

/** Whether any loaded catalogue has `key`. */
export function hasKey(key: string): boolean {
  return shelves.has(key);
}

/**
 * The same lookup for a key that arrives as data (a verdict's or a guidance item's message key):
 * lenient on purpose, as the screen must never crash on a text: an unknown key renders as itself.
 */
export function text(lang: Lang, key: string, vars: Vars = {}): string {
  const shelf = shelves.get(key);
  return shelf === undefined ? key : interpolate(lang, shelf.catalogue[key]![lang], vars, shelf);
}

/** The placeholders a text uses. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
