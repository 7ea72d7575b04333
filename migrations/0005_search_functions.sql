-- Full-text search folds accents before stemming, so "energie" and
-- "énergie" meet; declared immutable to feed generated tsvector columns.
CREATE OR REPLACE FUNCTION atelier_unaccent(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT public.unaccent('public.unaccent'::regdictionary, t)
$$;
