CREATE TABLE "pooling_matches" (
	"need_item_id" uuid NOT NULL,
	"offer_item_id" uuid NOT NULL,
	"score" real NOT NULL,
	CONSTRAINT "pooling_matches_need_item_id_offer_item_id_pk" PRIMARY KEY("need_item_id","offer_item_id"),
	CONSTRAINT "pooling_matches_score_check" CHECK ("pooling_matches"."score" > 0 and "pooling_matches"."score" <= 1)
);
--> statement-breakpoint
ALTER TABLE "pooling_matches" ADD CONSTRAINT "pooling_matches_need_item_id_initiative_pooling_items_id_fk" FOREIGN KEY ("need_item_id") REFERENCES "public"."initiative_pooling_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooling_matches" ADD CONSTRAINT "pooling_matches_offer_item_id_initiative_pooling_items_id_fk" FOREIGN KEY ("offer_item_id") REFERENCES "public"."initiative_pooling_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pooling_matches_offer_idx" ON "pooling_matches" USING btree ("offer_item_id");--> statement-breakpoint
CREATE INDEX "organisations_lexemes_idx" ON "organisations" USING gin (tsvector_to_array(
    to_tsvector('french'::regconfig, "search_key")));