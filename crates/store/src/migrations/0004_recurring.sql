-- Regular payments: set once, then each due payment is proposed for a
-- person to confirm (making a payment) or skip.

CREATE TABLE recurring (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plan (id),
    payee         TEXT NOT NULL CHECK (length(payee) BETWEEN 1 AND 200),
    amount_pence  INTEGER NOT NULL CHECK (amount_pence > 0),
    line_key      INTEGER NOT NULL CHECK (line_key > 0),
    how_paid      TEXT NOT NULL CHECK (how_paid IN ('bank_transfer', 'card', 'direct_debit', 'standing_order', 'cash', 'cheque')),
    every         TEXT NOT NULL CHECK (every IN ('weekly', 'four_weekly', 'monthly', 'quarterly', 'yearly')),
    first_due     TEXT NOT NULL,
    note          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    stopped_at    TEXT,
    stopped_by    TEXT
) STRICT;

CREATE INDEX recurring_by_plan ON recurring (plan_id);

-- What was decided about each due date: the payment made, or none if skipped.
CREATE TABLE recurring_due (
    recurring_id  INTEGER NOT NULL REFERENCES recurring (id),
    due_on        TEXT NOT NULL,
    entry_key     INTEGER,
    decided_at    TEXT NOT NULL,
    decided_by    TEXT NOT NULL,
    PRIMARY KEY (recurring_id, due_on)
) STRICT;
