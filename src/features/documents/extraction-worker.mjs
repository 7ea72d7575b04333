// Where the text extraction thread starts (the work is in
// extraction-worker.ts).
//
// JavaScript, because on Node 20 a worker thread cannot start from a .ts
// file under any of our runners. The server and the CLI run under tsx,
// whose loader reaches worker threads through execArgv but does not apply
// there: they fail with "Unknown file extension .ts". Vitest transforms
// test files itself, and threads started from them have no loader at all.
// This file asks tsx for the TypeScript module explicitly, which works the
// same under all three.
import { tsImport } from "tsx/esm/api";

await tsImport("./extraction-worker.ts", import.meta.url);
