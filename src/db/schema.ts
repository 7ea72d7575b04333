// Every table of Atelier, gathered for Drizzle and drizzle-kit. Each
// feature declares its own tables beside its code.
export * from "../features/accounts/tables.ts";
export * from "../features/territories/tables.ts";
export * from "../features/directory/tables.ts";
export * from "../features/agenda/tables.ts";
export * from "../mail/tables.ts";
export * from "../features/initiatives/tables.ts";
export * from "../features/audit/tables.ts";
export * from "../features/ballots/tables.ts";
export * from "../features/labels/tables.ts";
export * from "../features/documents/tables.ts";
export * from "../features/sheets/tables.ts";
export * from "../features/doctrine/tables.ts";
export { dataVersions } from "./versions.ts";
