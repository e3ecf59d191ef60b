import { describe, expect, it } from "vitest";
import { overflows } from "./scrollRegion";

describe("overflows", () => {
  it("is true only when the table is wider than its box", () => {
    expect(overflows(800, 600)).toBe(true);
    expect(overflows(600, 600)).toBe(false);
    expect(overflows(400, 600)).toBe(false);
  });

  it("takes a pixel of rounding for fitting, not for a scroll bar", () => {
    expect(overflows(601, 600)).toBe(false);
    expect(overflows(602, 600)).toBe(true);
  });
});
