import { describe, expect, it } from "vitest";
import { CommandError, toReport } from "./api";

describe("toReport", () => {
  it("keeps core's report as it is", () => {
    const report = { code: "invalid_input" as const, message: "Enter who was paid.", field: "payee" };
    expect(toReport(report)).toEqual(report);
    expect(toReport(new CommandError(report))).toEqual(report);
  });

  it("gives words to anything else that was thrown", () => {
    expect(toReport("command add_thing not found")).toEqual({
      code: "app",
      message: "Something went wrong inside Careledger: command add_thing not found",
      field: null,
    });
    expect(toReport(new Error("boom")).message).toContain("boom");
  });

  it("says a request the app could not read changed nothing", () => {
    const report = toReport("invalid args `holderId` for command `holder_overview`: invalid type");
    expect(report.message).toMatch(/^Careledger could not read that request, so nothing was changed\./);
    expect(report.message).toContain("holderId");
  });
});
