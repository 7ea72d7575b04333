import { isMember, isStaff } from "../../domain/context.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDateTime } from "../../web/format.ts";
import { MAX_COMMENT_DEPTH } from "./debate.ts";
import type { DoctrinePage } from "./queries.ts";
import {
  Markdown, type Forms, type FormState, type TextPageProps,
} from "./views.tsx";

const AMENDMENT_LABELS = {
  proposed: "En attente de décision", accepted: "Accepté", rejected: "Refusé",
};

/** A text's debate: its amendments and threaded comments. */
export function Debate({ page, data, forms }: TextPageProps & { forms: Forms }) {
  const { text } = data;
  if (!text.debateOpenedAt && data.amendments.length === 0
    && data.comments.length === 0) return null;
  const base = `/doctrine/${text.slug}`;
  const member = isMember(page.actor);

  return (
    <section aria-labelledby="debat">
      <h2 id="debat">Le débat</h2>
      {text.debateOpenedAt && text.debateEndsAt && (
        <p class="muted">{data.debateOpen ? "Débat ouvert" : "Débat"} du
          {" "}{formatDateTime(text.debateOpenedAt)} au
          {" "}{formatDateTime(text.debateEndsAt)}.</p>
      )}
      <h3>Amendements</h3>
      {data.amendments.length === 0 ? <p>Aucun amendement.</p> : (
        <ol class="agenda-list">
          {data.amendments.map((a) => (
            <li id={`amendement-${a.id}`}>
              <p><strong>{AMENDMENT_LABELS[a.status]}</strong>
                {a.resultingVersion && ` — a formé la version `
                  + `${a.resultingVersion}`}
                {" "}· proposé par {a.authorName ?? "—"} le
                {" "}{formatDateTime(a.createdAt)} sur la version
                {" "}{a.baseVersion}</p>
              <p>Remplacer : <del>{a.passage}</del></p>
              <p>par : <ins>{a.replacement}</ins></p>
              <p>Motif : {a.reason}</p>
              {a.decisionNote && <p>Décision motivée : {a.decisionNote}</p>}
              {a.status === "proposed" && data.canDecide && (
                <DecisionForm page={page} base={base} id={a.id}
                  form={forms[`decision-${a.id}`]} />
              )}
            </li>
          ))}
        </ol>
      )}
      {data.debateOpen && member && (
        <AmendmentForm page={page} base={base} form={forms.amendment ?? {}} />
      )}
      <h3>Commentaires</h3>
      <CommentThread page={page} base={base}
        replies={threadOf(data.comments)} parentId=""
        open={data.debateOpen && member} forms={forms} />
      {data.debateOpen && member && (
        <CommentForm page={page} base={base} form={forms.comment ?? {}} />
      )}
    </section>
  );
}

function DecisionForm({ page, base, id, form = {} }: { page: PageCtx;
  base: string; id: string; form?: FormState }) {
  return (
    <form method="post" action={`${base}/amendements/${id}/decision`}>
      <Csrf page={page} />
      <ErrorSummary message={form.error?.message} />
      <div class="field">
        <label for={`note-${id}`}>Motif de la décision (facultatif)</label>
        <textarea id={`note-${id}`} name="note" rows={2}>
          {form.values?.note ?? ""}</textarea>
      </div>
      <button type="submit" name="decision" value="accept">Accepter
        l'amendement</button>{" "}
      <button type="submit" name="decision" value="reject" class="secondary">
        Refuser l'amendement</button>
    </form>
  );
}

function AmendmentForm({ page, base, form }: { page: PageCtx; base: string;
  form: FormState }) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <form method="post" action={`${base}/amendements`} id="amender">
      <h4>Proposer un amendement</h4>
      <Csrf page={page} />
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <Field name="passage" label="Passage à remplacer" value={v.passage}
        error={f.passage} required multiline
        hint="Copiez-le exactement depuis la version actuelle du texte." />
      <Field name="replacement" label="Nouveau texte" value={v.replacement}
        error={f.replacement} multiline
        hint="Laissez vide pour supprimer le passage." />
      <Field name="reason" label="Motif de l'amendement" value={v.reason}
        error={f.reason} required multiline />
      <button type="submit">Proposer l'amendement</button>
    </form>
  );
}

type Comments = DoctrinePage["comments"];

/**
 * The comments shown under each comment, by id ("" for the top level), in
 * the order given. Threads are capped at MAX_COMMENT_DEPTH; a comment
 * deeper than that (written before the cap) is shown at the cap, next to
 * its parent. Computed with loops, so a long chain of replies costs time,
 * never the call stack.
 */
export function threadOf(comments: Comments): Map<string, Comments> {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const chain: string[] = [];
    let at: string | null = id;
    while (at && !depth.has(at) && byId.has(at)) {
      chain.push(at);
      at = byId.get(at)!.parentId;
    }
    let d = at && depth.has(at) ? depth.get(at)! : 0;
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      d += 1;
      depth.set(chain[i], d);
    }

    return depth.get(id) ?? 1;
  };
  const replies = new Map<string, Comments>();
  for (const c of comments) {
    let parent = c.parentId && byId.has(c.parentId) ? c.parentId : null;
    // Up to the ancestor one level above the cap.
    for (let d = depthOf(c.id); parent && d > MAX_COMMENT_DEPTH; d -= 1) {
      parent = byId.get(parent)!.parentId;
    }
    const key = parent ?? "";
    const siblings = replies.get(key);
    if (siblings) siblings.push(c);
    else replies.set(key, [c]);
  }

  return replies;
}

function CommentThread({ page, base, replies, parentId, open, forms }: {
  page: PageCtx; base: string; replies: Map<string, Comments>;
  parentId: string; open: boolean; forms: Forms;
}) {
  const here = replies.get(parentId) ?? [];
  if (here.length === 0) {
    return parentId ? null : <p>Aucun commentaire.</p>;
  }
  const staff = isStaff(page.actor);

  return (
    <ul class="comments">
      {here.map((c) => (
        <li id={`commentaire-${c.id}`}>
          <p class="muted">{c.authorName ?? "—"}, le
            {" "}{formatDateTime(c.createdAt)}</p>
          {c.hiddenAt ? <p><em>Commentaire masqué par l'équipe.</em></p>
            : <Markdown text={c.body} />}
          {staff && !c.hiddenAt && (
            <form method="post" action={`${base}/commentaires/${c.id}/masquer`}>
              <Csrf page={page} />
              <button type="submit" class="secondary">Masquer ce
                commentaire</button>
            </form>
          )}
          {open && !c.hiddenAt && (
            <details open={Boolean(forms[`reply-${c.id}`])}>
              <summary>Répondre</summary>
              <form method="post" action={`${base}/commentaires`}>
                <Csrf page={page} />
                <ErrorSummary message={forms[`reply-${c.id}`]?.error?.message}
                />
                <input type="hidden" name="parentId" value={c.id} />
                <div class="field">
                  <label for={`reply-${c.id}`}>Votre réponse</label>
                  <textarea id={`reply-${c.id}`} name="body" rows={3} required>
                    {forms[`reply-${c.id}`]?.values?.body ?? ""}</textarea>
                </div>
                <button type="submit">Répondre</button>
              </form>
            </details>
          )}
          <CommentThread page={page} base={base} replies={replies}
            parentId={c.id} open={open} forms={forms} />
        </li>
      ))}
    </ul>
  );
}

function CommentForm({ page, base, form }: { page: PageCtx; base: string;
  form: FormState }) {
  return (
    <form method="post" action={`${base}/commentaires`} id="commenter">
      <Csrf page={page} />
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <Field name="body" label="Votre commentaire" value={form.values?.body}
        error={form.error?.fields.body} required multiline
        hint="Markdown accepté." />
      <button type="submit">Commenter</button>
    </form>
  );
}
