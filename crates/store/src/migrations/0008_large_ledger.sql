-- A large ledger stays quick (issue 15): indexes that fit the payments
-- list's queries, and data derived from the ledger, so that no screen adds
-- up or searches every payment:
--   ledger_day and ledger_day_line: each day's live payments (current and
--   not removed) added up, whole and line by line; the dashboard, the
--   statement and the list's totals add up days, not payments;
--   spending_words: a trigram index of payees, notes and references, which
--   finds the few payments whose words may match before the exact test.
-- Both are kept up to date in the transaction of every write to the
-- ledger (the daily totals by triggers, whatever makes the write). Neither
-- is exported: both come from the ledger, and a database built from an
-- export rebuilds them from it.

-- The current revision of each entry (removed ones too) in the list's
-- order, after the plan: the list pages through these, and the sums over
-- a plan's current payments read them. It takes the place of the two
-- earlier indexes by plan, which it serves as well.
DROP INDEX spending_by_plan_and_date;
DROP INDEX spending_current;
CREATE INDEX spending_listed ON spending (plan_id, superseded_by, paid_on, entry_key);
-- Removed payments (few), counted beside the live ones' daily totals.
CREATE INDEX spending_removed ON spending (plan_id, paid_on, entry_key)
    WHERE superseded_by IS NULL AND voided_at IS NOT NULL;
-- Live payments given no reason for having no evidence: "no receipt"
-- pages through these.
CREATE INDEX spending_unexplained ON spending (plan_id, paid_on, entry_key)
    WHERE superseded_by IS NULL AND voided_at IS NULL AND no_evidence_reason = '';

-- A day's live payments: how many, what they add up to, and of them those
-- given no reason for having no evidence (how many, and their amount).
CREATE TABLE ledger_day (
    plan_id            INTEGER NOT NULL,
    paid_on            TEXT NOT NULL,
    payments           INTEGER NOT NULL,
    amount_pence       INTEGER NOT NULL,
    unexplained        INTEGER NOT NULL,
    unexplained_pence  INTEGER NOT NULL,
    PRIMARY KEY (plan_id, paid_on)
) STRICT, WITHOUT ROWID;

-- A day's live payments charged to a line: how many, and their parts on
-- that line.
CREATE TABLE ledger_day_line (
    plan_id       INTEGER NOT NULL,
    line_key      INTEGER NOT NULL,
    paid_on       TEXT NOT NULL,
    payments      INTEGER NOT NULL,
    amount_pence  INTEGER NOT NULL,
    PRIMARY KEY (plan_id, line_key, paid_on)
) STRICT, WITHOUT ROWID;

INSERT INTO ledger_day (plan_id, paid_on, payments, amount_pence, unexplained, unexplained_pence)
SELECT plan_id, paid_on, count(*), sum(amount_pence), sum(no_evidence_reason = ''),
       sum(iif(no_evidence_reason = '', amount_pence, 0))
FROM spending WHERE superseded_by IS NULL AND voided_at IS NULL
GROUP BY plan_id, paid_on;

INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
SELECT s.plan_id, ss.line_key, s.paid_on, count(*), sum(ss.amount_pence)
FROM spending_split ss JOIN spending s ON s.id = ss.spending_id
WHERE s.superseded_by IS NULL AND s.voided_at IS NULL
GROUP BY s.plan_id, ss.line_key, s.paid_on;

-- A payment row counts while it is live. Each trigger adds a live row's
-- figures (1, its amount…) or takes them away (-1, minus its amount), and
-- a day left with no payments is deleted, so the tables hold exactly what
-- adding up the ledger gives.

-- (A new row has no parts on lines yet: they refer to it, so come after
-- it, and each adds itself to its line's day.)
CREATE TRIGGER ledger_day_payment_added AFTER INSERT ON spending
WHEN NEW.superseded_by IS NULL AND NEW.voided_at IS NULL
BEGIN
    INSERT INTO ledger_day (plan_id, paid_on, payments, amount_pence, unexplained, unexplained_pence)
    VALUES (NEW.plan_id, NEW.paid_on, 1, NEW.amount_pence, NEW.no_evidence_reason = '',
            iif(NEW.no_evidence_reason = '', NEW.amount_pence, 0))
    ON CONFLICT (plan_id, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence,
        unexplained = unexplained + excluded.unexplained,
        unexplained_pence = unexplained_pence + excluded.unexplained_pence;
END;

CREATE TRIGGER ledger_day_payment_deleted AFTER DELETE ON spending
WHEN OLD.superseded_by IS NULL AND OLD.voided_at IS NULL
BEGIN
    INSERT INTO ledger_day (plan_id, paid_on, payments, amount_pence, unexplained, unexplained_pence)
    VALUES (OLD.plan_id, OLD.paid_on, -1, -OLD.amount_pence, -(OLD.no_evidence_reason = ''),
            -iif(OLD.no_evidence_reason = '', OLD.amount_pence, 0))
    ON CONFLICT (plan_id, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence,
        unexplained = unexplained + excluded.unexplained,
        unexplained_pence = unexplained_pence + excluded.unexplained_pence;
    DELETE FROM ledger_day WHERE plan_id = OLD.plan_id AND paid_on = OLD.paid_on AND payments = 0;
    INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
    SELECT OLD.plan_id, line_key, OLD.paid_on, -1, -amount_pence
    FROM spending_split WHERE spending_id = OLD.id
    ON CONFLICT (plan_id, line_key, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence;
    DELETE FROM ledger_day_line
    WHERE plan_id = OLD.plan_id AND paid_on = OLD.paid_on AND payments = 0
      AND line_key IN (SELECT line_key FROM spending_split WHERE spending_id = OLD.id);
END;

-- A change that could alter what a row counts for (an edit supersedes it,
-- a void removes it) takes its old figures away before and adds its new
-- ones after.
CREATE TRIGGER ledger_day_payment_changing
BEFORE UPDATE OF plan_id, paid_on, amount_pence, no_evidence_reason, superseded_by, voided_at ON spending
WHEN OLD.superseded_by IS NULL AND OLD.voided_at IS NULL
BEGIN
    INSERT INTO ledger_day (plan_id, paid_on, payments, amount_pence, unexplained, unexplained_pence)
    VALUES (OLD.plan_id, OLD.paid_on, -1, -OLD.amount_pence, -(OLD.no_evidence_reason = ''),
            -iif(OLD.no_evidence_reason = '', OLD.amount_pence, 0))
    ON CONFLICT (plan_id, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence,
        unexplained = unexplained + excluded.unexplained,
        unexplained_pence = unexplained_pence + excluded.unexplained_pence;
    DELETE FROM ledger_day WHERE plan_id = OLD.plan_id AND paid_on = OLD.paid_on AND payments = 0;
    INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
    SELECT OLD.plan_id, line_key, OLD.paid_on, -1, -amount_pence
    FROM spending_split WHERE spending_id = OLD.id
    ON CONFLICT (plan_id, line_key, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence;
    DELETE FROM ledger_day_line
    WHERE plan_id = OLD.plan_id AND paid_on = OLD.paid_on AND payments = 0
      AND line_key IN (SELECT line_key FROM spending_split WHERE spending_id = OLD.id);
END;

CREATE TRIGGER ledger_day_payment_changed
AFTER UPDATE OF plan_id, paid_on, amount_pence, no_evidence_reason, superseded_by, voided_at ON spending
WHEN NEW.superseded_by IS NULL AND NEW.voided_at IS NULL
BEGIN
    INSERT INTO ledger_day (plan_id, paid_on, payments, amount_pence, unexplained, unexplained_pence)
    VALUES (NEW.plan_id, NEW.paid_on, 1, NEW.amount_pence, NEW.no_evidence_reason = '',
            iif(NEW.no_evidence_reason = '', NEW.amount_pence, 0))
    ON CONFLICT (plan_id, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence,
        unexplained = unexplained + excluded.unexplained,
        unexplained_pence = unexplained_pence + excluded.unexplained_pence;
    INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
    SELECT NEW.plan_id, line_key, NEW.paid_on, 1, amount_pence
    FROM spending_split WHERE spending_id = NEW.id
    ON CONFLICT (plan_id, line_key, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence;
END;

-- A payment's parts on its lines, written after the payment itself.
CREATE TRIGGER ledger_day_line_part_added AFTER INSERT ON spending_split
BEGIN
    INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
    SELECT s.plan_id, NEW.line_key, s.paid_on, 1, NEW.amount_pence
    FROM spending s WHERE s.id = NEW.spending_id AND s.superseded_by IS NULL AND s.voided_at IS NULL
    ON CONFLICT (plan_id, line_key, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence;
END;

CREATE TRIGGER ledger_day_line_part_deleted AFTER DELETE ON spending_split
BEGIN
    INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
    SELECT s.plan_id, OLD.line_key, s.paid_on, -1, -OLD.amount_pence
    FROM spending s WHERE s.id = OLD.spending_id AND s.superseded_by IS NULL AND s.voided_at IS NULL
    ON CONFLICT (plan_id, line_key, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence;
    DELETE FROM ledger_day_line WHERE payments = 0 AND line_key = OLD.line_key
      AND (plan_id, paid_on) IN (SELECT plan_id, paid_on FROM spending WHERE id = OLD.spending_id);
END;

CREATE TRIGGER ledger_day_line_part_changed AFTER UPDATE ON spending_split
BEGIN
    INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
    SELECT s.plan_id, OLD.line_key, s.paid_on, -1, -OLD.amount_pence
    FROM spending s WHERE s.id = OLD.spending_id AND s.superseded_by IS NULL AND s.voided_at IS NULL
    ON CONFLICT (plan_id, line_key, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence;
    INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
    SELECT s.plan_id, NEW.line_key, s.paid_on, 1, NEW.amount_pence
    FROM spending s WHERE s.id = NEW.spending_id AND s.superseded_by IS NULL AND s.voided_at IS NULL
    ON CONFLICT (plan_id, line_key, paid_on) DO UPDATE SET
        payments = payments + excluded.payments,
        amount_pence = amount_pence + excluded.amount_pence;
    DELETE FROM ledger_day_line WHERE payments = 0 AND line_key = OLD.line_key
      AND (plan_id, paid_on) IN (SELECT plan_id, paid_on FROM spending WHERE id = OLD.spending_id);
END;

-- Every revision's words (the list then keeps the current ones). The
-- index holds no text of its own: it reads it from spending. The store
-- writes each payment's words as it writes the payment (payments' words
-- are never changed, and payments never deleted): written by a trigger,
-- FTS5 writes each row out on its own, which made saving three times
-- slower.
-- It keeps only which payments hold each three characters (detail none:
-- less than half the size and time to write); the store asks for every
-- three characters of the words sought, and then checks those payments.
CREATE VIRTUAL TABLE spending_words USING fts5 (
    payee, note, reference,
    content = 'spending', content_rowid = 'id', tokenize = 'trigram', detail = none
);
INSERT INTO spending_words (spending_words) VALUES ('rebuild');
