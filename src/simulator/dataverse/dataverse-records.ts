/**
 * The rows of every simulated Dataverse organization: environment → entity set → id → row,
 * plus N:N associations.
 */

/** One stored row; lookups are kept as `_x_value` columns like the Web API returns them. */
export type SimRow = Record<string, unknown>;

/** All Dataverse rows of the simulator. */
export class DataverseRecords {
  private readonly tables = new Map<string, Map<string, Map<string, SimRow>>>();
  /** `${env}|${set}|${id}|${relationship}` → set of `${targetSet}|${targetId}`. */
  private readonly links = new Map<string, Set<string>>();

  /** The rows of one table (created empty on first use). */
  table(environmentId: string, entitySet: string): Map<string, SimRow> {
    let env = this.tables.get(environmentId);
    if (!env) {
      env = new Map();
      this.tables.set(environmentId, env);
    }
    let rows = env.get(entitySet);
    if (!rows) {
      rows = new Map();
      env.set(entitySet, rows);
    }
    return rows;
  }

  /** Links two rows through an N:N relationship (idempotent). */
  associate(
    environmentId: string,
    entitySet: string,
    id: string,
    relationship: string,
    targetSet: string,
    targetId: string,
  ): void {
    const key = `${environmentId}|${entitySet}|${id}|${relationship}`;
    let set = this.links.get(key);
    if (!set) {
      set = new Set();
      this.links.set(key, set);
    }
    set.add(`${targetSet}|${targetId}`);
  }

  /** Removes a link; true when it existed. */
  disassociate(
    environmentId: string,
    entitySet: string,
    id: string,
    relationship: string,
    targetId: string,
  ): boolean {
    const set = this.links.get(`${environmentId}|${entitySet}|${id}|${relationship}`);
    if (!set) return false;
    for (const entry of set) {
      if (entry.endsWith(`|${targetId}`)) {
        set.delete(entry);
        return true;
      }
    }
    return false;
  }

  /** The rows linked to one row through a relationship. */
  related(
    environmentId: string,
    entitySet: string,
    id: string,
    relationship: string,
  ): { entitySet: string; id: string }[] {
    const set = this.links.get(`${environmentId}|${entitySet}|${id}|${relationship}`) ?? new Set<string>();
    return [...set].map((entry) => {
      const [targetSet, targetId] = entry.split('|') as [string, string];
      return { entitySet: targetSet, id: targetId };
    });
  }

  /** A deep copy of everything, to roll back a failed change set. */
  snapshot(): { tables: Map<string, Map<string, Map<string, SimRow>>>; links: Map<string, Set<string>> } {
    const tables = new Map<string, Map<string, Map<string, SimRow>>>();
    for (const [env, sets] of this.tables) {
      const copy = new Map<string, Map<string, SimRow>>();
      for (const [set, rows] of sets)
        copy.set(set, new Map([...rows].map(([id, row]) => [id, structuredClone(row)])));
      tables.set(env, copy);
    }
    const links = new Map([...this.links].map(([key, set]) => [key, new Set(set)]));
    return { tables, links };
  }

  /** Restores a {@link snapshot}. */
  restore(state: ReturnType<DataverseRecords['snapshot']>): void {
    this.tables.clear();
    for (const [env, sets] of state.tables) this.tables.set(env, sets);
    this.links.clear();
    for (const [key, set] of state.links) this.links.set(key, set);
  }
}
