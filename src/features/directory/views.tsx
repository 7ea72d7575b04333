import type { ComponentChildren } from "preact";
import { VISIBILITIES } from "../../db/columns.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import { VISIBILITY_LABELS } from "./labels.ts";

/** What a form shows: the user's own input, as typed. */
export type FormValues = Record<string, string>;

export interface FormErrors {
  message?: string;
  fields?: Record<string, string>;
}

/** Text written in Markdown, as HTML; nothing when it is blank. */
export const Markdown = ({ text }: { text: string }) => text
  ? <div class="prose" dangerouslySetInnerHTML={{
    __html: renderMarkdown(text) }} />
  : null;

/** A labelled list to choose from, with its error, beside Field. */
export function Select(props: {
  name: string; label: string; value?: string;
  options: [string, string][]; error?: string;
}) {
  const id = `f-${props.name}`;

  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      {props.error && <p class="error" id={`${id}-error`}>{props.error}</p>}
      <select id={id} name={props.name}
        aria-describedby={props.error ? `${id}-error` : undefined}>
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === (props.value ?? "")}>
            {label}</option>
        ))}
      </select>
    </div>
  );
}

/** Who may see a contact field, as options to choose from. */
export const visibilityOptions = VISIBILITIES.map(
  (v) => [v, `Visible par ${VISIBILITY_LABELS[v]}`] as [string, string]);

/** A line of contact details: what it is, then the detail. */
export const Contact = ({ label, children }: {
  label: string; children: ComponentChildren;
}) => <><dt>{label}</dt><dd>{children}</dd></>;
