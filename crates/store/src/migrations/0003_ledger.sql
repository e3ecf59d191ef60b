-- The ledger: budget lines that keep their identity across plan versions,
-- payments charged to lines with how they were paid and their evidence,
-- edits kept as revisions and removals as voids, and money in.

-- A line keeps its key when a revision carries it over. Lines already
-- stored at the same position in a plan's versions are the same line.
ALTER TABLE budget_line ADD COLUMN line_key INTEGER NOT NULL DEFAULT 0;
UPDATE budget_line SET line_key = position + 1;
CREATE INDEX budget_line_by_key ON budget_line (version_id, line_key);

-- Each row of spending is one revision of an entry. entry_key is the id of
-- the entry's first revision; superseded_by points at the next revision.
ALTER TABLE spending ADD COLUMN entry_key INTEGER NOT NULL DEFAULT 0;
UPDATE spending SET entry_key = id;
ALTER TABLE spending ADD COLUMN how_paid TEXT
    CHECK (how_paid IN ('bank_transfer', 'card', 'direct_debit', 'standing_order', 'cash', 'cheque'));
ALTER TABLE spending ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE spending ADD COLUMN cash_withdrawal INTEGER NOT NULL DEFAULT 0 CHECK (cash_withdrawal IN (0, 1));
ALTER TABLE spending ADD COLUMN no_evidence_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE spending ADD COLUMN change_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE spending ADD COLUMN superseded_by INTEGER REFERENCES spending (id);
ALTER TABLE spending ADD COLUMN voided_at TEXT;
ALTER TABLE spending ADD COLUMN void_reason TEXT;
ALTER TABLE spending ADD COLUMN voided_by TEXT;
CREATE INDEX spending_by_entry ON spending (entry_key, id);
CREATE INDEX spending_current ON spending (plan_id, superseded_by, paid_on);

CREATE TABLE spending_split (
    spending_id   INTEGER NOT NULL REFERENCES spending (id),
    line_key      INTEGER NOT NULL CHECK (line_key > 0),
    amount_pence  INTEGER NOT NULL CHECK (amount_pence > 0),
    PRIMARY KEY (spending_id, line_key)
) STRICT;

-- Evidence files, stored once each by their SHA-256.
CREATE TABLE attachment (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    media_type  TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'application/pdf')),
    size_bytes  INTEGER NOT NULL CHECK (size_bytes BETWEEN 1 AND 20971520),
    content     BLOB NOT NULL,
    thumbnail   BLOB,
    created_at  TEXT NOT NULL
) STRICT;

-- Which evidence backs which entry (across its revisions). Taking evidence
-- off an entry is recorded, not deleted.
CREATE TABLE spending_evidence (
    entry_key      INTEGER NOT NULL,
    attachment_id  INTEGER NOT NULL REFERENCES attachment (id),
    kind           TEXT NOT NULL CHECK (kind IN ('receipt', 'invoice', 'timesheet', 'payslip', 'statement', 'other')),
    file_name      TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    added_at       TEXT NOT NULL,
    added_by       TEXT NOT NULL,
    removed_at     TEXT,
    removed_by     TEXT,
    PRIMARY KEY (entry_key, attachment_id)
) STRICT;

CREATE TABLE money_in (
    id                  INTEGER PRIMARY KEY,
    plan_id             INTEGER NOT NULL REFERENCES plan (id),
    received_on         TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('funding', 'top_up', 'refund', 'contribution')),
    source              TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    amount_pence        INTEGER NOT NULL CHECK (amount_pence > 0),
    reference           TEXT NOT NULL,
    note                TEXT NOT NULL,
    recorded_by         TEXT NOT NULL,
    recorded_by_person  INTEGER REFERENCES person (id),
    recorded_at         TEXT NOT NULL,
    voided_at           TEXT,
    void_reason         TEXT,
    voided_by           TEXT
) STRICT;

CREATE INDEX money_in_by_plan ON money_in (plan_id, received_on);

-- Per holder: how many weeks of funding in hand counts as a surplus.
CREATE TABLE holder_setting (
    holder_id            INTEGER PRIMARY KEY REFERENCES holder (id),
    surplus_limit_weeks  INTEGER NOT NULL CHECK (surplus_limit_weeks BETWEEN 1 AND 52)
) STRICT;
