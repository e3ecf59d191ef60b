-- The full plan: holders' details, people acting for them, and plan
-- versions with funding streams, outcomes, budget lines and reviews.

ALTER TABLE holder ADD COLUMN date_of_birth TEXT;
ALTER TABLE holder ADD COLUMN nhs_number TEXT;

CREATE TABLE person (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX person_by_name ON person (name COLLATE NOCASE);

CREATE TABLE acting_for (
    person_id  INTEGER NOT NULL REFERENCES person (id),
    holder_id  INTEGER NOT NULL REFERENCES holder (id),
    role       TEXT NOT NULL CHECK (role IN ('self', 'representative', 'nominee', 'carer')),
    since      TEXT NOT NULL,
    PRIMARY KEY (person_id, holder_id)
) STRICT;

ALTER TABLE spending ADD COLUMN recorded_by_person INTEGER REFERENCES person (id);

CREATE TABLE plan_version (
    id                 INTEGER PRIMARY KEY,
    plan_id            INTEGER NOT NULL REFERENCES plan (id),
    number             INTEGER NOT NULL CHECK (number >= 1),
    effective_from     TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('draft', 'agreed')),
    reason             TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    created_by_person  INTEGER REFERENCES person (id),
    UNIQUE (plan_id, number),
    UNIQUE (plan_id, effective_from)
) STRICT;

CREATE TABLE funding_stream (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES plan_version (id),
    position      INTEGER NOT NULL,
    funder        TEXT NOT NULL CHECK (funder IN ('nhs', 'council', 'education', 'other')),
    funder_name   TEXT NOT NULL,
    management    TEXT NOT NULL CHECK (management IN ('direct_payment', 'third_party', 'notional')),
    amount_pence  INTEGER NOT NULL CHECK (amount_pence > 0),
    frequency     TEXT NOT NULL CHECK (frequency IN ('weekly', 'four_weekly', 'monthly', 'quarterly', 'yearly', 'one_off'))
) STRICT;

CREATE TABLE outcome (
    id          INTEGER PRIMARY KEY,
    version_id  INTEGER NOT NULL REFERENCES plan_version (id),
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500)
) STRICT;

CREATE TABLE budget_line (
    id                   INTEGER PRIMARY KEY,
    version_id           INTEGER NOT NULL REFERENCES plan_version (id),
    position             INTEGER NOT NULL,
    category             TEXT NOT NULL,
    description          TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    provider             TEXT NOT NULL,
    flexibility          TEXT NOT NULL CHECK (flexibility IN ('flexible', 'stated')),
    -- Either a sum for the plan…
    amount_pence         INTEGER CHECK (amount_pence > 0),
    -- …or units at a rate.
    quantity_hundredths  INTEGER CHECK (quantity_hundredths > 0),
    unit                 TEXT,
    per                  TEXT CHECK (per IN ('week', 'plan')),
    rate_pence           INTEGER CHECK (rate_pence > 0),
    CHECK ((amount_pence IS NULL) = (rate_pence IS NOT NULL AND quantity_hundredths IS NOT NULL AND unit IS NOT NULL AND per IS NOT NULL))
) STRICT;

CREATE TABLE line_outcome (
    line_id     INTEGER NOT NULL REFERENCES budget_line (id),
    outcome_id  INTEGER NOT NULL REFERENCES outcome (id),
    PRIMARY KEY (line_id, outcome_id)
) STRICT;

CREATE TABLE review (
    id          INTEGER PRIMARY KEY,
    version_id  INTEGER NOT NULL REFERENCES plan_version (id),
    kind        TEXT NOT NULL CHECK (kind IN ('three_month', 'annual', 'other')),
    due_on      TEXT NOT NULL
) STRICT;

CREATE INDEX plan_version_by_plan ON plan_version (plan_id, number);
CREATE INDEX funding_stream_by_version ON funding_stream (version_id, position);
CREATE INDEX outcome_by_version ON outcome (version_id, position);
CREATE INDEX budget_line_by_version ON budget_line (version_id, position);
CREATE INDEX review_by_version ON review (version_id, due_on);

-- Plans set up before versions existed become version 1, funded by one NHS
-- payment of their total budget on their first day.
INSERT INTO plan_version (plan_id, number, effective_from, status, reason, created_at)
    SELECT id, 1, start_date, 'agreed', 'The plan as first set up', created_at FROM plan;

INSERT INTO funding_stream (version_id, position, funder, funder_name, management, amount_pence, frequency)
    SELECT v.id, 0, 'nhs', 'NHS', 'direct_payment', p.total_budget_pence, 'one_off'
    FROM plan p JOIN plan_version v ON v.plan_id = p.id
    WHERE p.total_budget_pence > 0;
