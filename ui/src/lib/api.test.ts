import { describe, expect, it, vi } from "vitest";
import { CommandError, toReport } from "./api";

describe("toReport", () => {
  it("keeps core's report as it is", () => {
    const report = {
      code: "invalid_input" as const,
      message: "Enter who was paid.",
      field: "payee",
      problems: [{ field: "payee", message: "Enter who was paid." }],
    };
    expect(toReport(report)).toEqual(report);
    expect(toReport(new CommandError(report))).toEqual(report);
  });

  it("gives plain words to anything else that was thrown, never the machinery's", () => {
    const silent = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(toReport("command add_thing not found")).toEqual({
      code: "app",
      message: "Something went wrong inside Careledger, so nothing was changed. Close Careledger and open it again.",
      field: null,
      problems: [],
    });
    expect(toReport(new Error("boom")).message).not.toContain("boom");
    expect(silent).toHaveBeenCalledWith("Careledger:", "boom");
    silent.mockRestore();
  });

  it("says a request the app could not read changed nothing", () => {
    const silent = vi.spyOn(console, "error").mockImplementation(() => {});
    const report = toReport("invalid args `holderId` for command `holder_overview`: invalid type");
    expect(report.message).toBe("Careledger could not read that request, so nothing was changed. Reload and try again.");
    expect(report.message).not.toContain("holderId");
    silent.mockRestore();
  });
});
