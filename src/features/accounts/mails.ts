import type { Config } from "../../config.ts";

// The text of every account e-mail. Links are absolute: they are opened
// from a mail program.

const signature = (config: Config) => `\n\n-- \n${config.siteName}\n`;

export const signInLinkMail = (config: Config, token: string) => ({
  subject: `Votre lien de connexion à ${config.siteName}`,
  text: `Bonjour,\n\nPour vous connecter, ouvrez ce lien (valable 15 minutes, `
    + `utilisable une seule fois) :\n\n${config.baseUrl}/connexion/lien/${token}`
    + `\n\nSi vous n'avez rien demandé, ignorez ce message.`
    + signature(config),
});

export const passwordResetMail = (config: Config, token: string) => ({
  subject: `Nouveau mot de passe pour ${config.siteName}`,
  text: `Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien `
    + `(valable une heure) :\n\n${config.baseUrl}/mot-de-passe/nouveau/${token}`
    + `\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe `
    + `reste le même.` + signature(config),
});

export const invitationMail = (
  config: Config, fullName: string, token: string,
) => ({
  subject: `Votre invitation à ${config.siteName}`,
  text: `Bonjour ${fullName},\n\nL'équipe vous invite à rejoindre l'espace de `
    + `travail de l'Alliance. Choisissez votre mot de passe avec ce lien `
    + `(valable 7 jours) :\n\n${config.baseUrl}/invitation/${token}`
    + signature(config),
});

export const joinRefusedMail = (config: Config, fullName: string) => ({
  subject: `Votre demande d'adhésion à ${config.siteName}`,
  text: `Bonjour ${fullName},\n\nL'équipe a examiné votre demande et n'a pas `
    + `pu y donner suite. Vous pouvez lui écrire pour en savoir plus.`
    + signature(config),
});

export const joinRequestedMail = (
  config: Config, request: { fullName: string; email: string;
    organisation: string; message: string },
) => ({
  subject: `Nouvelle demande d'adhésion : ${request.fullName}`,
  text: `${request.fullName} <${request.email}> demande à rejoindre l'Alliance.`
    + (request.organisation ? `\nStructure : ${request.organisation}` : "")
    + (request.message ? `\n\nMessage :\n${request.message}` : "")
    + `\n\nPour accepter ou refuser : ${config.baseUrl}/admin/adhesions`
    + signature(config),
});
