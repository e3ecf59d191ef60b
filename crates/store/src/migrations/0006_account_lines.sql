-- The account's own statements: each line imported from its files, kept
-- once (by the bank's id or its fingerprint), with the record it was found
-- to be; and "payee X is line Y", learnt from the person's choices.

CREATE TABLE account_line (
    id             INTEGER PRIMARY KEY,
    plan_id        INTEGER NOT NULL REFERENCES plan (id),
    fingerprint    TEXT NOT NULL CHECK (length(fingerprint) BETWEEN 1 AND 1000),
    on_date        TEXT NOT NULL,
    description    TEXT NOT NULL CHECK (length(description) <= 1000),
    amount_pence   INTEGER NOT NULL CHECK (amount_pence <> 0),
    balance_pence  INTEGER,
    -- The payment it is (a payment's entry key), or the money in.
    payment_key    INTEGER,
    money_in_id    INTEGER REFERENCES money_in (id),
    file_name      TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    imported_at    TEXT NOT NULL,
    imported_by    TEXT NOT NULL,
    CHECK (payment_key IS NULL OR money_in_id IS NULL),
    UNIQUE (plan_id, fingerprint)
) STRICT;

CREATE INDEX account_line_by_plan ON account_line (plan_id, on_date);

CREATE TABLE payee_rule (
    plan_id   INTEGER NOT NULL REFERENCES plan (id),
    words     TEXT NOT NULL CHECK (length(words) BETWEEN 1 AND 200),
    line_key  INTEGER NOT NULL CHECK (line_key > 0),
    PRIMARY KEY (plan_id, words)
) STRICT;
