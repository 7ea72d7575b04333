ALTER TABLE "documents" ADD COLUMN "review_note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_published_content_check" CHECK ("documents"."status" <> 'published'
    or "documents"."file_name" is not null or "documents"."source_url" is not null
    or "documents"."summary" <> '');--> statement-breakpoint
-- Excerpts are cut from the original, accented text: this configuration
-- folds accents while it reads words, so "énergie" in a text is marked for
-- the query "energie", exactly as the stored vectors match it.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'atelier_french')
  THEN
    CREATE TEXT SEARCH CONFIGURATION atelier_french (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION atelier_french
      ALTER MAPPING FOR hword, hword_part, word
      WITH public.unaccent, french_stem;
  END IF;
END $$;
