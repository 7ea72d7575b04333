import { sql } from "drizzle-orm";

/**
 * A list of ids as one SQL text array parameter (Drizzle would expand a
 * JavaScript array into several parameters). Ids never hold a comma.
 */
export const idList = (ids: string[]) =>
  sql`string_to_array(${ids.join(",")}, ',')`;
