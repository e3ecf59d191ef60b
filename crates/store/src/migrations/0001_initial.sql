-- The walking skeleton: budget holders, one plan each, and money spent.
-- Dates are ISO 8601 text (YYYY-MM-DD); money is integer pence.

CREATE TABLE holder (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE plan (
    id                  INTEGER PRIMARY KEY,
    holder_id           INTEGER NOT NULL REFERENCES holder (id),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    start_date          TEXT NOT NULL,
    end_date            TEXT NOT NULL,
    total_budget_pence  INTEGER NOT NULL CHECK (total_budget_pence >= 0),
    created_at          TEXT NOT NULL,
    CHECK (end_date > start_date)
) STRICT;

CREATE INDEX plan_by_holder ON plan (holder_id);

CREATE TABLE spending (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plan (id),
    paid_on       TEXT NOT NULL,
    payee         TEXT NOT NULL CHECK (length(payee) BETWEEN 1 AND 200),
    amount_pence  INTEGER NOT NULL CHECK (amount_pence > 0),
    note          TEXT NOT NULL,
    recorded_by   TEXT NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 100),
    recorded_at   TEXT NOT NULL
) STRICT;

CREATE INDEX spending_by_plan_and_date ON spending (plan_id, paid_on);
