import { sql } from "drizzle-orm";
import { bigint, pgTable, text } from "drizzle-orm/pg-core";
import { query, type Db } from "./client.ts";

/**
 * One row per watched table, whose version a trigger raises in the
 * transaction of every write to it (see the `data_versions` migration).
 * A reader sees a new version only once the write is committed, so
 * results computed from those tables can be kept until it changes, on
 * every node, with nothing shared but the database.
 */
export const dataVersions = pgTable("data_versions", {
  tableName: text("table_name").primaryKey(),
  /** Drawn from a sequence: never the same twice, even after a rollback. */
  version: bigint("version", { mode: "number" }).notNull(),
});

/**
 * The tables whose writes raise a version. Some only for the columns
 * caches read: see the triggers in the migration.
 */
export const WATCHED_TABLES = [
  "documents", "document_organisations", "experience_sheets",
  "sheet_organisations", "organisations", "territories", "events",
  "occurrences",
] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number];

/** The versions of the given tables as one string, in one round trip. */
export async function readVersion(
  db: Db, tables: readonly WatchedTable[],
): Promise<string> {
  const [row] = await query<{ version: string | null }>(db, sql`
    select string_agg(table_name || '@' || version, ',' order by table_name)
      as version
    from data_versions
    where table_name in (${sql.join(tables.map((t) => sql`${t}`), sql`, `)})`);

  return row?.version ?? "";
}

/**
 * Results computed from some tables, kept until one of them changes: a
 * least-recently-used map per database handle, emptied when the version
 * moves. Keyed by handle so that a transaction, which may see its own
 * uncommitted writes, never fills the cache the others read.
 *
 * What is kept is the computation itself: requests asking for the same
 * key while it runs wait for it instead of each running it again, so a
 * popular page after a change costs one computation, not one per reader.
 */
export class VersionedCache<V> {
  private readonly byDb = new WeakMap<Db,
    { version: string; entries: Map<string, Promise<V>> }>();

  constructor(private readonly tables: readonly WatchedTable[]) {}

  /**
   * The cached value for `key`, or what `compute` gives, then kept among
   * the `size` most recently used; a size of 0 keeps nothing. A failed
   * computation is not kept.
   */
  async get(
    db: Db, key: string, size: number, compute: () => Promise<V>,
  ): Promise<V> {
    if (size <= 0) return compute();
    const version = await readVersion(db, this.tables);
    let slot = this.byDb.get(db);
    if (slot?.version !== version) {
      slot = { version, entries: new Map() };
      this.byDb.set(db, slot);
    }
    const { entries } = slot;
    const kept = entries.get(key);
    if (kept !== undefined) {
      // Map keeps insertion order: moving a hit last makes the first
      // entry the least recently used one.
      entries.delete(key);
      entries.set(key, kept);

      return kept;
    }
    // Computed after the version was read, so never older than it.
    const computing = compute();
    entries.set(key, computing);
    if (entries.size > size) {
      entries.delete(entries.keys().next().value as string);
    }
    computing.catch(() => {
      if (entries.get(key) === computing) entries.delete(key);
    });

    return computing;
  }
}
