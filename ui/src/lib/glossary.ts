// The words a person meets on the screens, each explained in plain English
// where it appears (see Explain.svelte). Explanations only: no figure or
// rule is worked out here.

export const GLOSSARY = {
  json: {
    term: "JSON",
    meaning: "A plain text way of writing down records that many programs can read. You do not need to open these files yourself.",
  },
  zip: {
    term: "zip file",
    meaning: "One file that holds many files packed together. Most computers open it with a double-click.",
  },
  openFormats: {
    term: "open formats",
    meaning: "Kinds of file that free, everyday programs can open, so your records can still be read without Careledger.",
  },
  csv: {
    term: "CSV",
    meaning: "A table saved as plain text, one row a line. Spreadsheet programs such as Excel or LibreOffice Calc open it.",
  },
  icb: {
    term: "ICB",
    meaning: "The integrated care board: the part of the NHS that agrees and pays for health care in your area. It used to be called the CCG.",
  },
  allocation: {
    term: "allocation (Allocated)",
    meaning: "The money the plan sets aside for a budget line over the plan period.",
  },
  contingency: {
    term: "Contingency",
    meaning: "A small amount kept back for the unexpected, such as cover when a carer is ill. The plan says how it may be used.",
  },
  stated: {
    term: "Stated: locked to this purpose",
    meaning: "The money on this line can only be spent on what the line is for. It cannot be moved to another line.",
  },
  flexible: {
    term: "Flexible",
    meaning: "Money on this line can be moved to other flexible lines if needs change, as the plan allows.",
  },
  directPayment: {
    term: "Direct payment",
    meaning: "The money is paid to the person, or someone acting for them, into a separate account. They pay for the support and keep the receipts.",
  },
  thirdParty: {
    term: "Third-party budget",
    meaning: "An organisation holds the money and pays for the support. You still keep track of what was arranged.",
  },
  notional: {
    term: "Notional budget",
    meaning: "The NHS keeps the money and buys the agreed support itself. You keep track of what was arranged and what it cost.",
  },
  surplus: {
    term: "surplus",
    meaning: "Money that has built up unspent. If too much builds up, the NHS or council can ask for some of it back.",
  },
  weeksOfFunding: {
    term: "weeks of funding",
    meaning: "The money in the account, counted in weeks of the budget. 4 to 8 weeks in hand is usual.",
  },
} as const;

export type GlossaryKey = keyof typeof GLOSSARY;
