// Showing core's numbers the en-GB way. Formatting only: every figure is
// computed in core and arrives as integer pence or an ISO date.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Pence as "£1,234.56" (and "-£12.00" below zero), with no float arithmetic. */
export function formatMoney(pence: number): string {
  if (!Number.isSafeInteger(pence)) return "£?";
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toString();
  const rest = (abs % 100).toString().padStart(2, "0");
  const grouped = pounds.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}£${grouped}.${rest}`;
}

/** "2026-11-25" as "25 Nov 2026". Anything else is shown as it came. */
export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  const name = MONTHS[Number(month) - 1];
  if (!name) return iso;
  return `${Number(day)} ${name} ${year}`;
}

/** An instant ("2026-11-25T14:05:00Z") as this computer's local day and time: "25 Nov 2026 at 14:05". */
export function formatDateTime(iso: string): string {
  const when = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(when.getTime())) return iso;
  const hours = String(when.getHours()).padStart(2, "0");
  const minutes = String(when.getMinutes()).padStart(2, "0");
  return `${when.getDate()} ${MONTHS[when.getMonth()]} ${when.getFullYear()} at ${hours}:${minutes}`;
}

/** "2026-11-25" as "25/11/2026", the way people type dates into the forms. */
export function formatDateForTyping(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return `${day}/${month}/${year}`;
}

/** "1 payment", "3 payments". */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;
}

/** The label core gives a choice, or the value itself if core has none. */
export function labelOf<T>(choices: { value: T; label: string }[], value: T): string {
  return choices.find((choice) => choice.value === value)?.label ?? String(value);
}

/** Tenths as core counts them (-14 is -1.4), written with one decimal. */
export function formatTenths(tenths: number): string {
  const sign = tenths < 0 ? "-" : "";
  const abs = Math.abs(tenths);
  return `${sign}${Math.trunc(abs / 10)}.${abs % 10}`;
}

/** What a budget line is called, from the lines core sent. */
export function lineDescription(lines: { key: number; description: string }[], key: number): string {
  return lines.find((line) => line.key === key)?.description ?? `Line ${key}`;
}

/** What the status line says once a payment is saved:
 * "Saved £45.00 to Carefree Payroll Ltd on 3 Mar 2026." */
export function savedMessage(payment: { amount: number; payee: string; paidOn: string }): string {
  return `Saved ${formatMoney(payment.amount)} to ${payment.payee} on ${formatDate(payment.paidOn)}.`;
}
