import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../test/app.ts";
import { createOrganisationRow } from "../../test/factories.ts";
import { events, occurrences } from "../features/agenda/tables.ts";
import { organisations } from "../features/directory/tables.ts";
import type { Db } from "./client.ts";
import { readVersion, VersionedCache } from "./versions.ts";

describe("versions of watched tables", () => {
  let t: TestApp;
  let db: Db;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.database.db;
  });
  afterAll(async () => { await t.close(); });

  it("moves with every committed write to a table, and only its own", async () => {
    const before = await readVersion(db, ["organisations"]);
    const agenda = await readVersion(db, ["events", "occurrences"]);
    const org = await createOrganisationRow(db, { name: "Les Colibris" });
    const afterInsert = await readVersion(db, ["organisations"]);
    expect(afterInsert).not.toBe(before);

    // A plain SQL update counts as much as one made by the application.
    await db.execute(sql`update organisations set themes = '{eau}'
      where id = ${org.id}`);
    expect(await readVersion(db, ["organisations"])).not.toBe(afterInsert);
    expect(await readVersion(db, ["events", "occurrences"])).toBe(agenda);

    // Columns no cache reads leave the version alone.
    const themed = await readVersion(db, ["organisations"]);
    await db.update(organisations).set({ description: "Épiceries" })
      .where(eq(organisations.id, org.id));
    expect(await readVersion(db, ["organisations"])).toBe(themed);
  });

  it("ignores the count of places, which registrations change all day", async () => {
    const startsAt = new Date("2027-01-10T09:00:00Z");
    const endsAt = new Date("2027-01-10T11:00:00Z");
    const [event] = await db.insert(events).values({ slug: "forum",
      title: "Forum", kind: "meetup", startsAt, endsAt,
      icalUid: "forum@atelier" }).returning();
    const [date] = await db.insert(occurrences).values({ eventId: event.id,
      startsAt, endsAt, capacity: 10 }).returning();
    const version = await readVersion(db, ["events", "occurrences"]);

    await db.update(occurrences).set({ confirmedCount: 3 })
      .where(eq(occurrences.id, date.id));
    expect(await readVersion(db, ["events", "occurrences"])).toBe(version);

    await db.update(occurrences).set({ cancelled: true })
      .where(eq(occurrences.id, date.id));
    expect(await readVersion(db, ["events", "occurrences"])).not.toBe(version);
  });

  it("keeps a result until its tables change", async () => {
    const cache = new VersionedCache<number>(["organisations"]);
    let computed = 0;
    const count = () => cache.get(db, "n", 10, async () => {
      computed++;
      const [row] = (await db.select({ n: sql<number>`count(*)::int` })
        .from(organisations));
      return row.n;
    });
    const first = await count();
    expect(await count()).toBe(first);
    expect(computed).toBe(1);

    await createOrganisationRow(db, { name: "Terre de Liens" });
    expect(await count()).toBe(first + 1);
    expect(computed).toBe(2);
  });

  it("never keeps what a transaction saw before it rolled back", async () => {
    const cache = new VersionedCache<string[]>(["organisations"]);
    const names = (handle: Db) => cache.get(handle, "names", 10, async () =>
      (await handle.select({ name: organisations.name }).from(organisations))
        .map((r) => r.name).sort());
    const committed = await names(db);

    await expect(db.transaction(async (tx) => {
      await createOrganisationRow(tx as unknown as Db, { name: "Fantôme" });
      expect(await names(tx as unknown as Db)).toContain("Fantôme");
      throw new Error("rolled back");
    })).rejects.toThrow("rolled back");

    expect(await names(db)).toEqual(committed);
    expect(await names(db)).not.toContain("Fantôme");
  });

  it("drops the least recently used result past its size", async () => {
    const cache = new VersionedCache<string>(["territories"]);
    const calls: string[] = [];
    const get = (key: string) => cache.get(db, key, 2, async () => {
      calls.push(key);
      return key;
    });
    await get("a");
    await get("b");
    await get("a");
    await get("c");
    await get("a");
    await get("b");
    expect(calls).toEqual(["a", "b", "c", "b"]);
  });

  it("runs a computation once for readers asking at the same time", async () => {
    const cache = new VersionedCache<number>(["territories"]);
    let runs = 0;
    const waiting: ((n: number) => void)[] = [];
    const slow = () => {
      runs++;
      return new Promise<number>((resolve) => { waiting.push(resolve); });
    };
    const readers = Array.from({ length: 5 },
      () => cache.get(db, "slow", 10, slow));
    // Each reader reads the version first: let them all get that far.
    while (runs === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    for (const finish of waiting) finish(42);
    expect(await Promise.all(readers)).toEqual([42, 42, 42, 42, 42]);
    expect(runs).toBe(1);
  });

  it("does not keep a failed computation", async () => {
    const cache = new VersionedCache<number>(["territories"]);
    await expect(cache.get(db, "k", 10, async () => {
      throw new Error("base indisponible");
    })).rejects.toThrow("base indisponible");
    expect(await cache.get(db, "k", 10, async () => 7)).toBe(7);
  });

  it("keeps nothing at size 0", async () => {
    const cache = new VersionedCache<number>(["territories"]);
    let computed = 0;
    for (let i = 0; i < 3; i++) {
      await cache.get(db, "k", 0, async () => ++computed);
    }
    expect(computed).toBe(3);
  });
});
