// Keeping a plan draft's own cross-references straight while it is edited.
// (Which references are valid is core's rule; this only stops the form from
// pointing at the wrong outcome after one is removed.)

import type { ContentDraft } from "./bindings/ContentDraft";

/** Removes outcome `index` and renumbers the lines' links to the outcomes
 * after it, so each line still points at the same outcome text. */
export function removeOutcome(content: ContentDraft, index: number): void {
  content.outcomes.splice(index, 1);
  for (const line of content.lines) {
    line.outcomes = line.outcomes.filter((o) => o !== index).map((o) => (o > index ? o - 1 : o));
  }
}
