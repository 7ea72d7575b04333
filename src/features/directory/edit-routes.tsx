import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { isStaff, requireStaff } from "../../domain/context.ts";
import { DomainError, invalid } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import {
  MembersSection, OrganisationForm, type PendingChoices,
} from "./edit-views.tsx";
import {
  organisationInput, organisationValues, resolveTerritoryFields,
} from "./organisation-form.ts";
import { getOrganisationForEdit } from "./organisation-queries.ts";
import {
  CONCURRENT_EDIT, createOrganisation, updateOrganisation,
} from "./organisations.ts";
import { addMembership, removeMembership } from "./people.ts";
import { canCreateOrganisation } from "./policy.ts";
import { errorsOf, formValues } from "./route-forms.ts";
import type { FormErrors, FormValues } from "./views.tsx";

/** The forms that add an organisation, edit it and link people to it. */
export const directoryEditRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  const renderForm = (
    request: FastifyRequest, reply: FastifyReply, options: {
      title: string; action: string; values: FormValues;
      errors?: FormErrors; pending?: PendingChoices; status?: number;
      after?: (page: any) => any;
    },
  ) => sendPage(request, reply, options.title, (page) => (
    <section>
      <h1>{options.title}</h1>
      <OrganisationForm page={page} action={options.action}
        values={options.values} errors={options.errors}
        pending={options.pending} staff={isStaff(request.actor)}
        submitLabel="Enregistrer" />
      {options.after?.(page)}
    </section>
  ), options.status ?? 200);

  app.get("/annuaire/nouvelle", async (request, reply) => {
    requireStaff(request.actor);

    return renderForm(request, reply, { title: "Nouvelle structure",
      action: "/annuaire/nouvelle", values: { emailVisibility: "allies",
        phoneVisibility: "allies", addressVisibility: "public" } });
  });

  app.post("/annuaire/nouvelle", async (request, reply) => {
    if (!canCreateOrganisation(request.actor)) requireStaff(request.actor);
    const values = formValues(request.body);
    const title = "Nouvelle structure";
    const resolved = await resolveTerritoryFields(request, values);
    try {
      if (Object.keys(resolved.fields).length > 0) {
        throw invalid("Le formulaire contient des erreurs.", resolved.fields);
      }
      const org = await createOrganisation(request.ctx(), organisationInput(
        values, resolved.communeId, resolved.territoryIds));

      return redirectWithFlash(reply, `/annuaire/${org.slug}`,
        "La structure a été ajoutée à l'annuaire.");
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "invalid") {
        throw error;
      }
      return renderForm(request, reply, { title,
        action: "/annuaire/nouvelle", values, errors: errorsOf(error),
        pending: resolved.pending, status: 400 });
    }
  });

  const membersOf = (request: FastifyRequest, slug: string,
    members: { id: string; fullName: string; role: string }[],
    values?: FormValues, errors?: FormErrors) =>
    isStaff(request.actor) ? (page: any) => (
      <MembersSection page={page} slug={slug} members={members}
        values={values} errors={errors} />
    ) : undefined;

  app.get<{ Params: { slug: string } }>("/annuaire/:slug/modifier",
    async (request, reply) => {
      const { slug } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);

      return renderForm(request, reply, {
        title: `Modifier ${data.organisation.name}`,
        action: `/annuaire/${slug}/modifier`,
        values: organisationValues(data.organisation, data.commune,
          data.territories),
        after: membersOf(request, slug, data.members),
      });
    });

  app.post<{ Params: { slug: string } }>("/annuaire/:slug/modifier",
    async (request, reply) => {
      const { slug } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);
      const values = formValues(request.body);
      const resolved = await resolveTerritoryFields(request, values);
      const options = {
        title: `Modifier ${data.organisation.name}`,
        action: `/annuaire/${slug}/modifier`,
        after: membersOf(request, slug, data.members),
        pending: resolved.pending,
      };
      try {
        if (Object.keys(resolved.fields).length > 0) {
          throw invalid("Le formulaire contient des erreurs.",
            resolved.fields);
        }
        const saved = await updateOrganisation(request.ctx(), {
          id: data.organisation.id, version: Number(values.version),
          ...organisationInput(values, resolved.communeId,
            resolved.territoryIds),
        });

        return redirectWithFlash(reply, `/annuaire/${saved.slug}`,
          "La fiche a été enregistrée.");
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === "conflict") {
          // Keep what the user typed; the new version lets them save it
          // over the other edit once they have checked it.
          return renderForm(request, reply, { ...options, status: 409,
            values: { ...values,
              version: String(data.organisation.version) },
            errors: { message: CONCURRENT_EDIT } });
        }
        if (error.code !== "invalid") throw error;
        return renderForm(request, reply, { ...options, values,
          errors: errorsOf(error), status: 400 });
      }
    });

  app.post<{ Params: { slug: string } }>("/annuaire/:slug/membres",
    async (request, reply) => {
      const { slug } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);
      const values = formValues(request.body);
      try {
        await addMembership(request.ctx(), {
          organisationId: data.organisation.id,
          email: values.memberEmail ?? "", role: values.memberRole });
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }
        return renderForm(request, reply, {
          title: `Modifier ${data.organisation.name}`,
          action: `/annuaire/${slug}/modifier`, status: 400,
          values: organisationValues(data.organisation, data.commune,
            data.territories),
          after: membersOf(request, slug, data.members, values,
            errorsOf(error)),
        });
      }

      return redirectWithFlash(reply, `/annuaire/${slug}/modifier#membres`,
        "La personne a été liée à la structure.");
    });

  app.post<{ Params: { slug: string; personId: string } }>(
    "/annuaire/:slug/membres/:personId/retirer", async (request, reply) => {
      const { slug, personId } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);
      await removeMembership(request.ctx(),
        { organisationId: data.organisation.id, personId });

      return redirectWithFlash(reply, `/annuaire/${slug}/modifier#membres`,
        "La personne n'est plus liée à la structure.");
    });
};
