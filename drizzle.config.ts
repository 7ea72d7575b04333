import { defineConfig } from "drizzle-kit";

// Migrations are generated from the tables declared in each feature and
// committed; the application applies them on start.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
