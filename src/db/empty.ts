import { sql } from "drizzle-orm";
import { query, type Db } from "./client.ts";

/** True before anyone or anything was recorded: then the seed may run. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await query<{ empty: boolean }>(db, sql`select
    not exists (select 1 from people)
    and not exists (select 1 from organisations)
    and not exists (select 1 from events) as empty`);

  return row.empty;
}
