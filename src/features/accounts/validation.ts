import { invalid } from "../../domain/errors.ts";
import { ROLES, type Role } from "./tables.ts";

export const MIN_PASSWORD_LENGTH = 10;
// scrypt reads the whole password: a cap keeps a huge one from costing much.
const MAX_PASSWORD_LENGTH = 200;

/** Addresses are kept trimmed and in lower case: one account per address. */
export const normalizeEmail = (raw: string | undefined) =>
  (raw ?? "").trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(email: string): string | undefined {
  if (!email) return "Indiquez une adresse e-mail.";
  if (email.length > 254 || !EMAIL.test(email)) {
    return "Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.";
  }
  return undefined;
}

export function nameError(name: string): string | undefined {
  if (!name) return "Indiquez votre nom.";
  if (name.length > 200) return "Le nom ne doit pas dépasser 200 caractères.";
  return undefined;
}

/** Errors of a new password and its confirmation, by field. */
export function newPasswordErrors(
  password: string, confirmation: string,
): Record<string, string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { password: `Le mot de passe doit compter au moins ${
      MIN_PASSWORD_LENGTH} caractères.` };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return { password: `Le mot de passe ne doit pas dépasser ${
      MAX_PASSWORD_LENGTH} caractères.` };
  }
  if (password !== confirmation) {
    return { confirmation: "Les deux mots de passe ne sont pas identiques." };
  }
  return {};
}

export function parseRole(raw: string | undefined): Role {
  if (!ROLES.includes(raw as Role)) {
    throw invalid("Rôle inconnu : choisissez « ally » (allié·e) ou « staff » "
      + "(équipe).", { role: "Choisissez un rôle." });
  }
  return raw as Role;
}

/** Throws `invalid` with every field error at once, if there is any. */
export function throwIfErrors(fields: Record<string, string | undefined>) {
  const errors = Object.fromEntries(
    Object.entries(fields).filter(([, message]) => message));
  if (Object.keys(errors).length > 0) {
    throw invalid("Le formulaire contient des erreurs.", errors);
  }
}
