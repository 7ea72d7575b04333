import { diffWordsWithSpace } from "diff";

export interface DiffPart {
  kind: "same" | "added" | "removed";
  text: string;
}

/**
 * A word-level diff between two versions, as parts to render with <ins>
 * and <del>. Parts are plain text: the page escapes them like any text.
 */
export function diffVersions(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((change) => ({
    kind: change.added ? "added" : change.removed ? "removed" : "same",
    text: change.value,
  }));
}
