/** The candidate closest to `typed` by edit distance, if it is close enough to be a likely typo. */
export function closestKey(typed: string, candidates: readonly string[]): string | null {
  const limit = Math.max(2, Math.floor(typed.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    // A length gap alone already exceeds the limit; skipping it keeps thousands of unknown keys cheap.
    if (Math.abs(candidate.length - typed.length) > limit) continue;
    const distance = editDistance(typed.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, with an adjacent swap counting as one edit. */
export function editDistance(a: string, b: string): number {
  // Keys are short; anything long is not a typo of a known key.
  if (Math.abs(a.length - b.length) > 10 || a.length > 64 || b.length > 64) return Infinity;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}
