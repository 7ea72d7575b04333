import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { DomainError } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { getMyProfile, updateMyProfile } from "./people.ts";
import { ProfileForm } from "./person-views.tsx";
import { errorsOf, formValues } from "./route-forms.ts";
import type { FormErrors, FormValues } from "./views.tsx";

/** One's own profile in the directory, to edit. */
export const directoryProfileRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  const renderProfile = async (request: FastifyRequest, reply: FastifyReply,
    values?: FormValues, errors?: FormErrors, status = 200) => {
    const { person, organisations } = await getMyProfile(request.ctx());
    const saved: FormValues = {
      version: String(person.version), fullName: person.fullName,
      bio: person.bio, phone: person.phone ?? "",
      emailVisibility: person.emailVisibility,
      phoneVisibility: person.phoneVisibility,
      ...Object.fromEntries(organisations.map(
        (o) => [`role_${o.organisationId}`, o.role])),
    };

    return sendPage(request, reply, "Mon profil", (page) => (
      <section>
        <h1>Mon profil dans l'annuaire</h1>
        <p><a href={`/personnes/${person.id}`}>Voir mon profil</a></p>
        <ProfileForm page={page} values={values ?? saved} errors={errors}
          organisations={organisations} />
      </section>
    ), status);
  };

  app.get("/compte/profil", (request, reply) =>
    renderProfile(request, reply));

  app.post("/compte/profil", async (request, reply) => {
    const values = formValues(request.body);
    const roles = Object.fromEntries(Object.entries(values)
      .filter(([k]) => k.startsWith("role_"))
      .map(([k, v]) => [k.slice("role_".length), v]));
    try {
      await updateMyProfile(request.ctx(), {
        version: Number(values.version), fullName: values.fullName ?? "",
        bio: values.bio, phone: values.phone,
        emailVisibility: values.emailVisibility,
        phoneVisibility: values.phoneVisibility, roles,
      });
    } catch (error) {
      if (!(error instanceof DomainError)
        || !["invalid", "conflict"].includes(error.code)) throw error;
      const { person } = await getMyProfile(request.ctx());
      const kept = error.code === "conflict"
        ? { ...values, version: String(person.version) } : values;

      return renderProfile(request, reply, kept, errorsOf(error),
        error.code === "conflict" ? 409 : 400);
    }

    return redirectWithFlash(reply, "/compte/profil",
      "Votre profil a été enregistré.");
  });
};
