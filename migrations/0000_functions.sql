-- Accent- and case-insensitive search rests on unaccent, typo tolerance
-- on pg_trgm; both ship with PostgreSQL and with PGlite.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- Folds a text for comparison: no accents, lower case, every run of
-- punctuation or spaces made one space. "Loos-en-Gohelle" and
-- "LOOS EN GOHELLE" both become "loos en gohelle". Declared immutable
-- (unaccent with an explicit dictionary is) so it can feed generated
-- columns and indexes.
CREATE OR REPLACE FUNCTION atelier_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT trim(regexp_replace(
    lower(public.unaccent('public.unaccent'::regdictionary, t)),
    '[^a-z0-9]+', ' ', 'g'))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION atelier_join(a text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_string(a, ' ')
$$;
