-- Versions of the tables whose reads are kept in caches (search results,
-- filter lists, the public calendar). A statement-level trigger raises
-- the version of its table in the transaction of the write: readers see
-- the new version exactly when they can see the new rows.
CREATE TABLE "data_versions" (
	"table_name" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
-- A sequence, not a counter: a number is never drawn twice, so a version
-- seen inside a transaction that rolls back never comes back meaning
-- other data.
CREATE SEQUENCE "data_versions_seq";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION atelier_raise_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_versions (table_name, version)
  VALUES (TG_TABLE_NAME, nextval('data_versions_seq'))
  ON CONFLICT (table_name) DO UPDATE SET version = excluded.version;
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO data_versions (table_name, version)
SELECT t, nextval('data_versions_seq') FROM unnest(array['documents',
  'document_organisations', 'experience_sheets', 'sheet_organisations',
  'organisations', 'territories', 'events', 'occurrences']) t;
--> statement-breakpoint
CREATE TRIGGER documents_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON documents FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
--> statement-breakpoint
CREATE TRIGGER document_organisations_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON document_organisations
FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
--> statement-breakpoint
CREATE TRIGGER experience_sheets_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON experience_sheets
FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
--> statement-breakpoint
CREATE TRIGGER sheet_organisations_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sheet_organisations
FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
--> statement-breakpoint
-- Only the columns read by caches (the name in search facets, themes and
-- skills in the directory's filters): editing a description or a phone
-- number keeps the search results.
CREATE TRIGGER organisations_version
AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF name, themes, skills
ON organisations FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
--> statement-breakpoint
CREATE TRIGGER territories_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON territories
FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
--> statement-breakpoint
CREATE TRIGGER events_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON events FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
--> statement-breakpoint
-- Not on the count of confirmed places: registrations, which change it
-- at the same time on many dates, must not queue on one row.
CREATE TRIGGER occurrences_version
AFTER INSERT OR DELETE OR TRUNCATE
OR UPDATE OF event_id, starts_at, ends_at, capacity, cancelled
ON occurrences FOR EACH STATEMENT EXECUTE FUNCTION atelier_raise_version();
