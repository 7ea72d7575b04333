import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "./config.ts";
import { openReadyDatabase, operatorCtx } from "./boot.ts";
import type { Ctx } from "./domain/context.ts";
import { DomainError } from "./domain/errors.ts";
import path from "node:path";
import { createAccount } from "./features/accounts/join.ts";
import { importDocumentsCsv } from "./features/documents/import.ts";
import { readBeside } from "./seed.ts";
import { importIcs } from "./features/agenda/import.ts";
import { exportOrganisationsCsv } from "./features/directory/csv-export.ts";
import {
  importOrganisationsCsv, type ImportReport,
} from "./features/directory/csv-import.ts";

interface Command {
  usage: string;
  run(ctx: Ctx, args: string[]): Promise<void>;
}

const print = (line: string) => process.stdout.write(`${line}\n`);

/** Operators' commands: `npm run atelier -- <command> [arguments]`. */
const COMMANDS: Record<string, Command> = {
  migrate: {
    usage: "migrate",
    // The database was migrated when it was opened.
    run: async () => { print("Base de données à jour."); },
  },
  "user create": {
    usage: "user create --email E --role staff|ally [--name N]",
    async run(ctx, args) {
      const values = parseOptions(args, {
        email: { type: "string" }, role: { type: "string" },
        name: { type: "string" },
      }).values as Record<string, string | undefined>;
      const { person, url } = await createAccount(ctx, {
        email: values.email ?? "", role: values.role ?? "",
        fullName: values.name,
      });
      print(`Compte créé pour ${person.fullName} <${person.email}>.`);
      print(`Lien à usage unique pour choisir le mot de passe (7 jours) :`);
      print(url);
    },
  },
  "import agenda": {
    usage: "import agenda FICHIER.ics",
    async run(ctx, [file]) {
      const report = await importIcs(ctx, readInputFile(file).toString("utf8"));
      print(`${report.created} évènement(s) créé(s), ${report.updated} mis à ` +
        `jour, ${report.occurrences} date(s).`);
      for (const error of report.errors) {
        print(`  ${error.uid} (${error.summary}) : ${error.message}`);
      }
      if (report.errors.length > 0) process.exitCode = 1;
    },
  },
  "import allies": {
    usage: "import allies FICHIER.csv [--dry-run]",
    // Refused rows are printed with their line but do not fail the command:
    // the good rows are imported, as on the import page.
    run: async (ctx, args) => {
      const { values, positionals } = parseOptions(args,
        { "dry-run": { type: "boolean" } });
      const report = await importOrganisationsCsv(ctx,
        readInputFile(positionals[0]), { dryRun: Boolean((values as any)["dry-run"]) });
      printImportReport(report);
    },
  },
  "import documents": {
    usage: "import documents FICHIER.csv",
    // A summary naming "Texte intégral : X.txt" takes X from the CSV's
    // folder as the document's text.
    async run(ctx, [file]) {
      const report = await importDocumentsCsv(ctx, readInputFile(file),
        (name) => readBeside(path.dirname(path.resolve(file)), name));
      print(`${report.created} document(s) publié(s), ${report.unchanged} `
        + `déjà présent(s), ${report.refused.length} refusé(s).`);
      for (const line of report.refused) {
        print(`  ligne ${line.line} · ${line.title || "(sans titre)"} · `
          + line.message);
      }
    },
  },
  "export allies": {
    usage: "export allies FICHIER.csv",
    run: async (ctx, args) => {
      const file = args[0];
      if (!file) throw new DomainError("invalid", "Indiquez un fichier.");
      fs.writeFileSync(file, await exportOrganisationsCsv(ctx));
      print(`Annuaire exporté dans ${file}.`);
    },
  },
};

function printImportReport(report: ImportReport) {
  print(`${report.dryRun ? "Aperçu (rien n'est enregistré)" : "Import"} : `
    + `${report.created} créée(s), ${report.changed} complétée(s), `
    + `${report.unchanged} inchangée(s), ${report.refused} refusée(s).`);
  if (report.unknownHeadings.length > 0) {
    print(`Colonnes ignorées : ${report.unknownHeadings.join(", ")}`);
  }
  for (const line of report.lines) {
    if (line.outcome === "unchanged" && line.warnings.length === 0
      && !line.message.startsWith("fusionnée")) continue;
    const details = [line.message, ...line.warnings].join(" ; ");
    print(`  ligne ${line.line} · ${line.name || "(sans nom)"} · ${details}`);
  }
}

async function main(argv: string[]) {
  const name = Object.keys(COMMANDS)
    .sort((a, b) => b.split(" ").length - a.split(" ").length)
    .find((key) => argv.join(" ").startsWith(key));
  if (!name) {
    print("Commandes :");
    for (const command of Object.values(COMMANDS)) {
      print(`  npm run atelier -- ${command.usage}`);
    }
    process.exitCode = argv.length ? 1 : 0;
    return;
  }

  const config = { ...loadConfig(), logLevel: "warn" };
  let database: Awaited<ReturnType<typeof openReadyDatabase>> | undefined;
  try {
    // Refused at once while the server holds an embedded database folder.
    database = await openReadyDatabase(config);
    await COMMANDS[name].run(operatorCtx(config, database),
      argv.slice(name.split(" ").length));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`Erreur : ${error.message}\n`);
    for (const [field, message] of Object.entries(error.fields)) {
      process.stderr.write(`  ${field} : ${message}\n`);
    }
    process.exitCode = 1;
  } finally {
    await database?.close();
  }
}

/** Reads a file given on the command line, with a French error if absent. */
export function readInputFile(file: string | undefined): Buffer {
  if (!file) throw new DomainError("invalid", "Indiquez un fichier.");
  if (!fs.existsSync(file)) {
    throw new DomainError("invalid", `Fichier introuvable : ${file}`);
  }

  return fs.readFileSync(file);
}

/** Parses options; an unknown or malformed one is a French error. */
export function parseOptions(args: string[], options: any) {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (error: any) {
    if (!error?.code?.startsWith?.("ERR_PARSE_ARGS")) throw error;
    throw new DomainError("invalid", `Option invalide : ${error.message}`);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
