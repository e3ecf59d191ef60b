-- How a holder's account statement files are laid out, as the person last
-- confirmed, for the next file; and each check of the records against the
-- account's balance on a day; and finding the statement line of a payment.

CREATE TABLE statement_layout (
    holder_id  INTEGER PRIMARY KEY REFERENCES holder (id),
    layout     TEXT NOT NULL CHECK (length(layout) BETWEEN 2 AND 20000),
    saved_at   TEXT NOT NULL
) STRICT;

CREATE TABLE account_check (
    id             INTEGER PRIMARY KEY,
    plan_id        INTEGER NOT NULL REFERENCES plan (id),
    on_date        TEXT NOT NULL,
    balance_pence  INTEGER NOT NULL,
    checked_at     TEXT NOT NULL,
    checked_by     TEXT NOT NULL,
    UNIQUE (plan_id, on_date)
) STRICT;

-- A payment's line of the account's statement, for the payments list.
CREATE INDEX account_line_by_payment ON account_line (plan_id, payment_key)
    WHERE payment_key IS NOT NULL;
