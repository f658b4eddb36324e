/**
 * Edit distance between two strings, counting an insertion, deletion, substitution or swap of
 * two neighbouring letters as one edit (optimal string alignment), so "prdo" is one edit from "prod".
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
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
      const distance = lower.startsWith(needle) ? 0.5 : editDistance(needle, lower);
      return { candidate, distance };
    })
    .filter((c) => c.distance <= maxDistance)
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map((c) => c.candidate);
}
