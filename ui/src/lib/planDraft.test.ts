import { describe, expect, it } from "vitest";
import type { ContentDraft } from "./bindings/ContentDraft";
import type { LineDraft } from "./bindings/LineDraft";
import { removeOutcome } from "./planDraft";

function line(outcomes: number[]): LineDraft {
  return {
    key: null,
    category: "other",
    description: "Line",
    provider: "",
    costing: "amount",
    amount: "£1",
    quantity: "",
    unit: "hour",
    per: "week",
    rate: "",
    flexibility: "flexible",
    pattern: "even",
    outcomes,
  };
}

describe("removeOutcome", () => {
  it("keeps each line pointing at the same outcome text", () => {
    const content: ContentDraft = {
      streams: [],
      outcomes: ["Walk the dog", "Fewer hospital stays", "Stay at home"],
      lines: [line([0, 2]), line([1]), line([2])],
      reviews: [],
      status: "agreed",
      agreedOn: "1/4/2026",
      agreedBy: "",
    };
    removeOutcome(content, 1);
    expect(content.outcomes).toEqual(["Walk the dog", "Stay at home"]);
    expect(content.lines.map((l) => l.outcomes.map((o) => content.outcomes[o]))).toEqual([
      ["Walk the dog", "Stay at home"],
      [],
      ["Stay at home"],
    ]);
  });
});
