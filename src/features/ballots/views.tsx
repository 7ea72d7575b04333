import { Csrf, ErrorSummary, type PageCtx } from "../../web/layout.tsx";
import { formatDateTime } from "../../web/format.ts";
import type { BallotView, MyBallot } from "./ballots.ts";
import {
  describeQuorum, MAJORITY_LABELS, OUTCOME_LABELS,
} from "./rules.ts";
import type { VoteChoice } from "./tables.ts";

export const CHOICE_LABELS: Record<VoteChoice, string> = {
  for: "Pour", against: "Contre", abstain: "Abstention",
};

interface VoteForm {
  values?: { choice?: string; comment?: string };
  error?: { message: string; fields: Record<string, string> };
}

export function BallotPage(
  { page, view, form = {} }: { page: PageCtx; view: BallotView;
    form?: VoteForm },
) {
  const { ballot, subject, myVote } = view;
  const choice = form.values?.choice ?? myVote?.choice;
  const comment = form.values?.comment ?? myVote?.comment ?? "";

  return (
    <article>
      <h1>{subject.title}</h1>
      <p>{ballot.question}</p>
      <p class="muted">
        {ballot.status === "closed" && ballot.closedAt
          ? `Scrutin clos le ${formatDateTime(ballot.closedAt)}.`
          : `Scrutin ouvert jusqu'au ${formatDateTime(ballot.closesAt)}.`}
        {" "}Quorum : {describeQuorum(ballot.quorumKind, ballot.quorumValue)}
        {" "}sur {ballot.electorateSize} ; {MAJORITY_LABELS[ballot.majority]}.
      </p>
      {subject.link && <p><a href={subject.link.href}>{subject.link.label}</a></p>}
      <h2>{subject.heading ?? "Lecture de l'association"}</h2>
      <dl>
        {subject.lines.map((line) => (
          <>
            <dt>{line.term}</dt>
            <dd>{line.text}</dd>
          </>
        ))}
      </dl>
      {ballot.status === "closed" ? <Results view={view} /> : (
        <section aria-labelledby="mon-vote">
          <h2 id="mon-vote">Mon vote</h2>
          {myVote ? (
            <p>Votre vote actuel : <strong>{CHOICE_LABELS[myVote.choice]}</strong>
              {" "}(enregistré le {formatDateTime(myVote.updatedAt)}). Vous
              pouvez le changer jusqu'à la clôture.</p>
          ) : view.canVote ? <p>Vous n'avez pas encore voté.</p> : (
            <p>Vous ne votez pas à ce scrutin : ses votant·es sont les
              personnes qui pouvaient voter à son ouverture, le
              {" "}{formatDateTime(ballot.opensAt)}.</p>
          )}
          <p class="muted">Les résultats restent cachés jusqu'à la clôture,
            pour tout le monde.</p>
          {view.canVote && (
            <form method="post" action={`/scrutins/${ballot.id}/vote`}>
              <Csrf page={page} />
              <ErrorSummary message={form.error?.message}
                fields={form.error?.fields} />
              <fieldset id="f-choice">
                <legend>Votre choix (obligatoire)</legend>
                {(["for", "against", "abstain"] as const).map((c) => (
                  <div>
                    <input type="radio" name="choice" value={c}
                      id={`choice-${c}`} checked={choice === c} required />
                    <label for={`choice-${c}`}>{CHOICE_LABELS[c]}</label>
                  </div>
                ))}
              </fieldset>
              <div class="field">
                <label for="f-comment">Commentaire (facultatif)</label>
                <textarea id="f-comment" name="comment" rows={4}>
                  {comment}</textarea>
              </div>
              <button type="submit">
                {myVote ? "Changer mon vote" : "Voter"}</button>
            </form>
          )}
        </section>
      )}
    </article>
  );
}

function Results({ view }: { view: BallotView }) {
  const { ballot } = view;

  return (
    <section aria-labelledby="resultat">
      <h2 id="resultat">Résultat : {OUTCOME_LABELS[ballot.outcome!]}</h2>
      <p>{ballot.votesCast} vote{ballot.votesCast === 1 ? "" : "s"} sur
        {" "}{ballot.electorateSize} membres ; quorum
        {ballot.quorumReached ? " atteint" : " non atteint"}.</p>
      <table>
        <caption>Décompte des voix</caption>
        <thead><tr><th scope="col">Pour</th><th scope="col">Contre</th>
          <th scope="col">Abstention</th></tr></thead>
        <tbody><tr><td>{ballot.forCount}</td><td>{ballot.againstCount}</td>
          <td>{ballot.abstainCount}</td></tr></tbody>
      </table>
      <h3>Votes</h3>
      {view.results && view.results.length > 0 ? (
        <table>
          <caption>Vote de chaque membre</caption>
          <thead><tr><th scope="col">Membre</th><th scope="col">Choix</th>
            <th scope="col">Commentaire</th></tr></thead>
          <tbody>
            {view.results.map((v) => (
              <tr><td>{v.fullName}</td><td>{CHOICE_LABELS[v.choice]}</td>
                <td>{v.comment}</td></tr>
            ))}
          </tbody>
        </table>
      ) : <p>Aucun vote.</p>}
    </section>
  );
}

export function MyBallotsPage({ ballots }: { ballots: MyBallot[] }) {
  return (
    <section>
      <h1>Mes scrutins</h1>
      {ballots.length === 0 ? <p>Aucun scrutin ouvert ne vous attend.</p> : (
        <ul>
          {ballots.map((b) => (
            <li>
              <a href={`/scrutins/${b.id}`}>{b.question}</a> — jusqu'au
              {" "}{formatDateTime(b.closesAt)} ;{" "}
              {b.myChoice ? `votre vote : ${CHOICE_LABELS[b.myChoice]}`
                : "pas encore voté"}
              {b.subjectLink && <>{" "}— <a href={b.subjectLink.href}
                title={b.subjectLink.label}>voir le sujet</a></>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
