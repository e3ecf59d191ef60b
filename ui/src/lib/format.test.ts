import { describe, expect, it } from "vitest";
import { formatDate, formatDateForTyping, formatDateTime, formatMoney, formatTenths, plural, savedMessage } from "./format";

describe("formatMoney", () => {
  it("shows pence as en-GB pounds", () => {
    expect(formatMoney(0)).toBe("£0.00");
    expect(formatMoney(5)).toBe("£0.05");
    expect(formatMoney(123456)).toBe("£1,234.56");
    expect(formatMoney(3850000)).toBe("£38,500.00");
    expect(formatMoney(100000000000)).toBe("£1,000,000,000.00");
    expect(formatMoney(-1200)).toBe("-£12.00");
  });

  it("never shows a wrong number for a value it cannot represent exactly", () => {
    expect(formatMoney(0.5)).toBe("£?");
    expect(formatMoney(Number.MAX_SAFE_INTEGER + 2)).toBe("£?");
    expect(formatMoney(Number.NaN)).toBe("£?");
  });
});

describe("dates", () => {
  it("shows ISO dates the en-GB way", () => {
    expect(formatDate("2026-11-25")).toBe("25 Nov 2026");
    expect(formatDate("2026-04-01")).toBe("1 Apr 2026");
    expect(formatDateForTyping("2026-04-01")).toBe("01/04/2026");
  });

  it("leaves anything unexpected as it came rather than guessing", () => {
    expect(formatDate("2026-13-01")).toBe("2026-13-01");
    expect(formatDate("soon")).toBe("soon");
  });
});

describe("plural", () => {
  it("counts", () => {
    expect(plural(1, "payment", "payments")).toBe("1 payment");
    expect(plural(0, "payment", "payments")).toBe("0 payments");
  });
});

describe("formatTenths", () => {
  it("keeps the sign of small negative numbers", () => {
    expect(formatTenths(102)).toBe("10.2");
    expect(formatTenths(0)).toBe("0.0");
    expect(formatTenths(-5)).toBe("-0.5");
    expect(formatTenths(-14)).toBe("-1.4");
  });
});

describe("formatDateTime", () => {
  it("shows an instant as the local day and time", () => {
    const local = new Date(2026, 10, 25, 9, 5);
    expect(formatDateTime(local.toISOString())).toBe("25 Nov 2026 at 09:05");
  });

  it("leaves anything unexpected as it came", () => {
    expect(formatDateTime("2026-11-25")).toBe("2026-11-25");
    expect(formatDateTime("2026-99-99T00:00:00Z")).toBe("2026-99-99T00:00:00Z");
  });
});

describe("savedMessage", () => {
  it("says what was saved, to whom and when", () => {
    expect(savedMessage({ amount: 4500, payee: "Carefree Payroll Ltd", paidOn: "2026-03-03" })).toBe(
      "Saved £45.00 to Carefree Payroll Ltd on 3 Mar 2026.",
    );
  });
});
