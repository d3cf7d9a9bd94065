/** `base`, or `base (2)`, `base (3)`, ... whichever `taken` says is free. */
export function firstFreeName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base} (${i})`;
    if (!taken(candidate)) return candidate;
  }
}
