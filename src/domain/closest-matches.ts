/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * The candidates close enough to `input` to suggest ("did you mean …?"), best first.
 * @example closestMatches('prd', ['dev', 'test', 'prod']) // ['prod']
 */
export function closestMatches(input: string, candidates: readonly string[], limit = 3): string[] {
  const needle = input.trim().toLowerCase();
  if (!needle) return [];
  const maxDistance = Math.max(1, Math.floor(needle.length / 3));
  return candidates
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const distance =
        lower.startsWith(needle) || needle.startsWith(lower) ? 0.5 : editDistance(needle, lower);
      return { candidate, distance };
    })
    .filter((c) => c.distance <= maxDistance)
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map((c) => c.candidate);
}
