-- Plans as they are written: a line's spending pattern, units counted per
-- month, funding given as a sum for the whole period, who agreed a version
-- and when, and a regular payment's reason for having no receipt.

-- A CHECK cannot be changed in place, so budget_line is rebuilt with `per`
-- allowing 'month', keeping every id. Line outcomes point at it, so they
-- are set aside while it is replaced and put back after.
CREATE TABLE budget_line_rebuilt (
    id                   INTEGER PRIMARY KEY,
    version_id           INTEGER NOT NULL REFERENCES plan_version (id),
    position             INTEGER NOT NULL,
    category             TEXT NOT NULL,
    description          TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    provider             TEXT NOT NULL,
    flexibility          TEXT NOT NULL CHECK (flexibility IN ('flexible', 'stated')),
    amount_pence         INTEGER CHECK (amount_pence > 0),
    quantity_hundredths  INTEGER CHECK (quantity_hundredths > 0),
    unit                 TEXT,
    per                  TEXT CHECK (per IN ('week', 'month', 'plan')),
    rate_pence           INTEGER CHECK (rate_pence > 0),
    line_key             INTEGER NOT NULL DEFAULT 0,
    -- How its money is expected to go: evenly, all at once, or as needed.
    pattern              TEXT NOT NULL DEFAULT 'even' CHECK (pattern IN ('even', 'one_off', 'as_needed')),
    CHECK ((amount_pence IS NULL) = (rate_pence IS NOT NULL AND quantity_hundredths IS NOT NULL AND unit IS NOT NULL AND per IS NOT NULL))
) STRICT;

INSERT INTO budget_line_rebuilt (id, version_id, position, category, description, provider, flexibility,
                                 amount_pence, quantity_hundredths, unit, per, rate_pence, line_key)
    SELECT id, version_id, position, category, description, provider, flexibility,
           amount_pence, quantity_hundredths, unit, per, rate_pence, line_key
    FROM budget_line;

CREATE TEMP TABLE line_outcome_aside AS SELECT line_id, outcome_id FROM line_outcome;
DELETE FROM line_outcome;
DROP TABLE budget_line;
ALTER TABLE budget_line_rebuilt RENAME TO budget_line;
CREATE INDEX budget_line_by_version ON budget_line (version_id, position);
CREATE INDEX budget_line_by_key ON budget_line (version_id, line_key);
INSERT INTO line_outcome (line_id, outcome_id) SELECT line_id, outcome_id FROM line_outcome_aside;
DROP TABLE line_outcome_aside;

-- A stream's amount is each payment (as before), or the sum for the whole
-- plan period, paid in instalments with any rounding in the last.
ALTER TABLE funding_stream ADD COLUMN amount_is TEXT NOT NULL DEFAULT 'each_payment'
    CHECK (amount_is IN ('each_payment', 'whole_period'));

-- When an agreed version was agreed, and by whom.
ALTER TABLE plan_version ADD COLUMN agreed_on TEXT;
ALTER TABLE plan_version ADD COLUMN agreed_by TEXT NOT NULL DEFAULT '';

ALTER TABLE recurring ADD COLUMN no_evidence_reason TEXT NOT NULL DEFAULT '';
