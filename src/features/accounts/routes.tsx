import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { DomainError } from "../../domain/errors.ts";
import { requirePerson } from "../../domain/context.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { checkFirstStaffLink, createFirstStaff } from "./first-staff.ts";
import { acceptInvitation, getInvitation, requestToJoin } from "./join.ts";
import {
  changePassword, requestPasswordReset, resetPassword,
} from "./passwords.ts";
import { getPerson } from "./people.ts";
import {
  requestSignInLink, signInWithLink, signInWithPassword, signOut,
  type SignedIn,
} from "./sign-in.ts";
import { deleteSession, SESSION_COOKIE, SESSION_DAYS } from "./sessions.ts";
import { peekToken } from "./tokens.ts";
import {
  AccountView, DeadLinkView, FirstStaffView, InvitationView, JoinView,
  MailLinkRequestView, NewPasswordView, SignInLinkView, SignInView,
  type FormState,
} from "./views.tsx";

const text = (maxLength = 5000) => Type.String({ default: "", maxLength });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });

/**
 * The form state of a refusal the user can act on, or a rethrow for the
 * error handler (forbidden, not found, unexpected).
 */
export function refusal(
  error: unknown, values: Record<string, string | undefined>,
): { state: FormState; status: number } {
  if (!(error instanceof DomainError)) throw error;
  const status = { invalid: 400, conflict: 409, rate_limited: 429 }[
    error.code as "invalid"];
  if (!status) throw error;

  return { state: { values, message: error.message, fields: error.fields },
    status };
}

/**
 * Where to go after signing in: a path of this site only. Anything that a
 * browser could read as another host ("//evil", "/\evil", "https:…") sends
 * to the home page instead.
 */
export function safeRedirect(suite: unknown): string {
  if (typeof suite !== "string" || !/^\/(?![/\\])/.test(suite)) return "/";
  if (/[\u0000-\u001f\\]/.test(suite)) return "/";
  const base = "http://atelier.invalid";
  const url = new URL(suite, base);
  if (url.origin !== base) return "/";

  return url.pathname + url.search + url.hash;
}

/**
 * Sets the session cookie of a new sign-in and ends the session the
 * browser had before, so that a sign-in never reuses a session.
 */
async function startSession(
  request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn,
) {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await deleteSession(request.server.database.db, previous);
  reply.setCookie(SESSION_COOKIE, signedIn.sessionToken, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.server.config.baseUrl.startsWith("https:"),
    maxAge: SESSION_DAYS * 86400,
  });
}

const LINK_SENT = "Si un compte existe pour cette adresse, un e-mail vient "
  + "d'y être envoyé. Pensez à regarder dans les indésirables.";

const deadLink = (
  request: FastifyRequest, reply: FastifyReply, error: unknown,
  href: string, label: string,
) => {
  const { state } = refusal(error, {});

  return sendPage(request, reply, "Lien expiré", () => (
    <DeadLinkView message={state.message!} href={href} label={label} />
  ), 400);
};

export const accountRoutes: FastifyPluginAsync = async (plugin) => {
  const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/connexion", {
    schema: { querystring: Type.Object({ suite: Type.Optional(text(2000)) }) },
  }, async (request, reply) => sendPage(request, reply, "Se connecter",
    (page) => <SignInView page={page} state={{}}
      suite={request.query.suite} />));

  app.post("/connexion", {
    schema: { body: Type.Object({
      email: text(320), password: text(1000),
      suite: Type.Optional(text(2000)),
    }) },
  }, async (request, reply) => {
    const { email, password, suite } = request.body;
    try {
      const signedIn = await signInWithPassword(request.ctx(),
        { email, password, ip: request.ip });
      await startSession(request, reply, signedIn);

      return reply.redirect(safeRedirect(suite), 303);
    } catch (error) {
      const { state, status } = refusal(error, { email });

      return sendPage(request, reply, "Se connecter", (page) => (
        <SignInView page={page} state={state} suite={suite} />), status);
    }
  });

  app.post("/deconnexion", async (request, reply) => {
    await signOut(request.ctx(),
      { sessionToken: request.cookies[SESSION_COOKIE] });
    reply.clearCookie(SESSION_COOKIE, { path: "/" });

    return redirectWithFlash(reply, "/", "Vous êtes déconnecté·e.");
  });

  const signInLinkPage = (state: FormState) => (page: any) => (
    <MailLinkRequestView page={page} state={state}
      title="Recevoir un lien de connexion" action="/connexion/lien"
      intro={"Indiquez l'adresse de votre compte : nous y envoyons un lien "
        + "qui vous connecte sans mot de passe, valable 15 minutes."} />
  );

  app.get("/connexion/lien", async (request, reply) =>
    sendPage(request, reply, "Recevoir un lien de connexion",
      signInLinkPage({})));

  app.post("/connexion/lien", {
    schema: { body: Type.Object({ email: text(320) }) },
  }, async (request, reply) => {
    const { email } = request.body;
    try {
      await requestSignInLink(request.ctx(), { email, ip: request.ip });
    } catch (error) {
      const { state, status } = refusal(error, { email });

      return sendPage(request, reply, "Recevoir un lien de connexion",
        signInLinkPage(state), status);
    }

    return redirectWithFlash(reply, "/connexion", LINK_SENT);
  });

  app.get("/connexion/lien/:token", {
    schema: { params: TokenParams },
  }, async (request, reply) => {
    const { token } = request.params;
    const ctx = request.ctx();
    if (!await peekToken(ctx.db, token, "sign_in", ctx.now())) {
      return deadLink(request, reply, new DomainError("invalid",
        "Ce lien de connexion n'est plus valable : il a déjà servi ou a "
        + "expiré."), "/connexion/lien", "Demander un nouveau lien");
    }

    return sendPage(request, reply, "Se connecter avec le lien",
      (page) => <SignInLinkView page={page} token={token} />);
  });

  app.post("/connexion/lien/:token", {
    schema: { params: TokenParams },
  }, async (request, reply) => {
    try {
      const signedIn = await signInWithLink(request.ctx(),
        { token: request.params.token });
      await startSession(request, reply, signedIn);
    } catch (error) {
      return deadLink(request, reply, error, "/connexion/lien",
        "Demander un nouveau lien");
    }

    return redirectWithFlash(reply, "/compte", "Vous êtes connecté·e.");
  });

  const forgotPage = (state: FormState) => (page: any) => (
    <MailLinkRequestView page={page} state={state}
      title="Mot de passe oublié" action="/mot-de-passe/oubli"
      intro={"Indiquez l'adresse de votre compte : nous y envoyons un lien "
        + "pour choisir un nouveau mot de passe, valable une heure."} />
  );

  app.get("/mot-de-passe/oubli", async (request, reply) =>
    sendPage(request, reply, "Mot de passe oublié", forgotPage({})));

  app.post("/mot-de-passe/oubli", {
    schema: { body: Type.Object({ email: text(320) }) },
  }, async (request, reply) => {
    const { email } = request.body;
    try {
      await requestPasswordReset(request.ctx(), { email, ip: request.ip });
    } catch (error) {
      const { state, status } = refusal(error, { email });

      return sendPage(request, reply, "Mot de passe oublié",
        forgotPage(state), status);
    }

    return redirectWithFlash(reply, "/connexion", LINK_SENT);
  });

  app.get("/mot-de-passe/nouveau/:token", {
    schema: { params: TokenParams },
  }, async (request, reply) => {
    const { token } = request.params;
    const ctx = request.ctx();
    if (!await peekToken(ctx.db, token, "password_reset", ctx.now())) {
      return deadLink(request, reply, new DomainError("invalid",
        "Ce lien n'est plus valable : il a déjà servi ou a expiré."),
      "/mot-de-passe/oubli", "Demander un nouveau lien");
    }

    return sendPage(request, reply, "Choisir un nouveau mot de passe",
      (page) => <NewPasswordView page={page} state={{}} token={token} />);
  });

  app.post("/mot-de-passe/nouveau/:token", {
    schema: { params: TokenParams, body: Type.Object({
      password: text(1000), confirmation: text(1000),
    }) },
  }, async (request, reply) => {
    const { token } = request.params;
    try {
      const signedIn = await resetPassword(request.ctx(),
        { token, ...request.body });
      await startSession(request, reply, signedIn);
    } catch (error) {
      const { state, status } = refusal(error, {});

      return sendPage(request, reply, "Choisir un nouveau mot de passe",
        (page) => <NewPasswordView page={page} state={state} token={token} />,
        status);
    }

    return redirectWithFlash(reply, "/compte",
      "Votre mot de passe est changé. Vos autres sessions sont fermées.");
  });

  const JoinBody = Type.Object({
    fullName: text(300), email: text(320), organisation: text(300),
    message: text(5000),
  });

  app.get("/adhesion", async (request, reply) =>
    sendPage(request, reply, "Rejoindre l'Alliance",
      (page) => <JoinView page={page} state={{}} />));

  app.post("/adhesion", { schema: { body: JoinBody } },
    async (request, reply) => {
      try {
        await requestToJoin(request.ctx(), { ...request.body, ip: request.ip });
      } catch (error) {
        const { state, status } = refusal(error, request.body);

        return sendPage(request, reply, "Rejoindre l'Alliance",
          (page) => <JoinView page={page} state={state} />, status);
      }

      return redirectWithFlash(reply, "/",
        "Merci ! Votre demande est transmise à l'équipe, qui vous répondra "
        + "par e-mail.");
    });

  const invitationPage = async (
    request: FastifyRequest, reply: FastifyReply, token: string,
    state: FormState, status = 200,
  ) => {
    try {
      const person = await getInvitation(request.ctx(), { token });

      return sendPage(request, reply, "Choisir votre mot de passe",
        (page) => <InvitationView page={page} state={state} token={token}
          person={person} />, status);
    } catch (error) {
      return deadLink(request, reply, error, "/connexion", "Se connecter");
    }
  };

  app.get("/invitation/:token", { schema: { params: TokenParams } },
    async (request, reply) =>
      invitationPage(request, reply, request.params.token, {}));

  app.post("/invitation/:token", {
    schema: { params: TokenParams, body: Type.Object({
      password: text(1000), confirmation: text(1000),
    }) },
  }, async (request, reply) => {
    const { token } = request.params;
    try {
      const signedIn = await acceptInvitation(request.ctx(),
        { token, ...request.body });
      await startSession(request, reply, signedIn);
    } catch (error) {
      const { state, status } = refusal(error, {});

      return invitationPage(request, reply, token, state, status);
    }

    return redirectWithFlash(reply, "/compte",
      "Bienvenue ! Votre compte est actif.");
  });

  app.get("/premier-compte/:token", { schema: { params: TokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      try {
        await checkFirstStaffLink(request.ctx(), { token });
      } catch (error) {
        return deadLink(request, reply, error, "/connexion", "Se connecter");
      }

      return sendPage(request, reply, "Créer le premier compte de l'équipe",
        (page) => <FirstStaffView page={page} state={{}} token={token} />);
    });

  app.post("/premier-compte/:token", {
    schema: { params: TokenParams, body: Type.Object({
      fullName: text(300), email: text(320), password: text(1000),
      confirmation: text(1000),
    }) },
  }, async (request, reply) => {
    const { token } = request.params;
    const { fullName, email } = request.body;
    try {
      const signedIn = await createFirstStaff(request.ctx(),
        { token, ...request.body });
      await startSession(request, reply, signedIn);
    } catch (error) {
      const { state, status } = refusal(error, { fullName, email });

      return sendPage(request, reply, "Créer le premier compte de l'équipe",
        (page) => <FirstStaffView page={page} state={state} token={token} />,
        status);
    }

    return redirectWithFlash(reply, "/admin",
      "Le compte de l'équipe est créé. Vous êtes connecté·e.");
  });

  const accountPage = async (
    request: FastifyRequest, reply: FastifyReply, state: FormState,
    status = 200,
  ) => {
    const actor = requirePerson(request.actor);
    const person = await getPerson(request.ctx(), actor.id);

    return sendPage(request, reply, "Mon compte", (page) => (
      <AccountView page={page} person={person} state={state} />), status);
  };

  app.get("/compte", async (request, reply) =>
    accountPage(request, reply, {}));

  app.post("/compte/mot-de-passe", {
    schema: { body: Type.Object({
      currentPassword: text(1000), password: text(1000),
      confirmation: text(1000),
    }) },
  }, async (request, reply) => {
    const actor = requirePerson(request.actor);
    try {
      const signedIn = await changePassword(request.ctx(),
        { personId: actor.id, ...request.body });
      await startSession(request, reply, signedIn);
    } catch (error) {
      const { state, status } = refusal(error, {});

      return accountPage(request, reply, state, status);
    }

    return redirectWithFlash(reply, "/compte",
      "Votre mot de passe est changé. Vos autres sessions sont fermées.");
  });
};
