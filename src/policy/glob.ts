/**
 * Glob matching for exemption patterns: `*` matches any run of characters (also none), `?` exactly one.
 * Every other character is literal. Greedy matching with a single back-track point runs in
 * O(pattern × text) at worst, so hostile patterns cannot cause the blow-up a regular expression could.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === text[t])) {
      p++;
      t++;
    } else if (pc === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
