//! The agreed plan in full: funding, outcomes, lines, reviews and versions.

mod common;

use careledger_core::plan::*;
use careledger_core::plan_forms::{PlanStep, RevisionDraft};
use careledger_core::records::Records;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::views::Views;
use careledger_core::{Money, Store};
use common::*;

/// The version in force as the revision steps start from it.
fn current_draft(
    store: &Store,
    plan: careledger_core::PlanId,
) -> careledger_core::plan_forms::ContentDraft {
    store
        .plan_history(plan)
        .unwrap()
        .current()
        .content
        .to_draft()
}

fn pence(p: i64) -> Money {
    Money::from_pence(p)
}

#[test]
fn the_chc_plan_works_out_to_the_penny() {
    let preview = Store::preview_new_plan(&chc_plan(), PlanStep::Reviews).unwrap();
    assert_eq!(preview.funding_total, pence(3_850_000));
    // 20 hours a week × £14.50 × 365 days ÷ 7.
    assert_eq!(preview.lines[0].allocation, pence(1_508_000));
    assert_eq!(
        preview.lines[0].working,
        "20 hours a week at £14.50 for 52 weeks"
    );
    assert_eq!(
        preview.lines[6].allocation,
        pence(216_000),
        "48 sessions at £45"
    );
    assert_eq!(preview.lines[6].working, "48 sessions at £45.00");
    assert_eq!(preview.allocated_total, pence(3_850_000));
    assert_eq!(
        preview.unallocated,
        Money::ZERO,
        "the lines add up to the budget"
    );
    assert_eq!(preview.content.reviews.len(), 2);
    assert_eq!(preview.content.reviews[0].due_on, date(2026, 7, 1));

    let (store, _, holder, plan) = store_with(&chc_plan());
    let history = store.plan_history(plan).unwrap();
    assert_eq!(history.versions.len(), 1);
    assert_eq!(
        without_keys(&history.current().content),
        preview.content,
        "what was checked is what was stored"
    );
    assert_eq!(history.current().content.lines[0].outcomes, vec![0, 1]);
    assert_eq!(history.current().created_by.as_deref(), Some("David Ellis"));
    let summary = store.overview(holder, today()).unwrap().summary.unwrap();
    assert_eq!(
        (summary.budget, summary.allocated),
        (pence(3_850_000), pence(3_850_000))
    );
}

/// Stored content with its line keys taken off, to compare with what was
/// checked before saving (when new lines have no key yet).
fn without_keys(content: &PlanContent) -> PlanContent {
    let mut content = content.clone();
    for line in &mut content.lines {
        line.key = None;
    }
    content
}

#[test]
fn lines_get_keys_that_last_across_versions() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let first = store.plan_history(plan).unwrap();
    let keys: Vec<_> = first
        .current()
        .content
        .lines
        .iter()
        .map(|line| line.key.unwrap().0)
        .collect();
    assert_eq!(keys, (1..=10).collect::<Vec<_>>());
    let mut content = current_draft(&store, plan);
    content.lines.remove(1);
    content
        .lines
        .push(sum_line(Category::Transport, "Taxis", "£100"));
    let revision = RevisionDraft {
        effective_from: "1/7/2026".into(),
        reason: "Review".into(),
        content,
    };
    let second = store.revise_plan(plan, &revision, david).unwrap();
    let keys: Vec<_> = second
        .current()
        .content
        .lines
        .iter()
        .map(|line| line.key.unwrap().0)
        .collect();
    assert_eq!(
        keys,
        [1, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        "carried-over lines keep their keys; the new one gets the next"
    );
    let mut forged = current_draft(&store, plan);
    forged.lines[0].key = Some(careledger_core::ledger::LineKey(99));
    let revision = RevisionDraft {
        effective_from: "1/8/2026".into(),
        reason: "Review".into(),
        content: forged,
    };
    assert_invalid(
        store.revise_plan(plan, &revision, david),
        "lines.0.description",
        "not from this plan",
    );
}

#[test]
fn the_screen_is_told_how_far_lines_are_from_the_budget() {
    let mut draft = chc_plan();
    draft.content.lines.pop(); // no contingency
    let preview = Store::preview_new_plan(&draft, PlanStep::Lines).unwrap();
    assert_eq!(preview.unallocated, pence(304_300));
    draft
        .content
        .lines
        .push(sum_line(Category::Contingency, "Contingency", "£4,000"));
    let preview = Store::preview_new_plan(&draft, PlanStep::Lines).unwrap();
    assert_eq!(
        preview.unallocated,
        pence(-95_700),
        "lines over the budget show as negative"
    );
}

#[test]
fn a_revision_makes_a_new_version_and_keeps_the_old_one() {
    let (mut store, david, holder, plan) = store_with(&chc_plan());
    let mut content = current_draft(&store, plan);
    content.lines[0].quantity = "24".into();
    content.lines[9].amount = "£1,000".into();
    let revision = RevisionDraft {
        effective_from: "1/7/2026".into(),
        reason: "3-month review: personal assistant hours up to 24 a week".into(),
        content,
    };
    let history = store.revise_plan(plan, &revision, david).unwrap();
    assert_eq!(history.versions.len(), 2);
    let (first, second) = (&history.versions[0], &history.versions[1]);
    assert_eq!(
        (first.number, first.effective_from, first.effective_to),
        (1, date(2026, 4, 1), date(2026, 6, 30))
    );
    assert_eq!(
        (second.number, second.effective_from, second.effective_to),
        (2, date(2026, 7, 1), date(2027, 3, 31))
    );
    assert!(
        matches!(
            first.content.lines[0].costing,
            Costing::Units {
                quantity: Hundredths(2_000),
                ..
            }
        ),
        "version 1 still says 20 hours"
    );
    assert!(matches!(
        second.content.lines[0].costing,
        Costing::Units {
            quantity: Hundredths(2_400),
            ..
        }
    ));

    // A payment in month 2 is measured against version 1; one after the
    // review against version 2.
    store
        .record_payment(
            plan,
            &spending("15/5/2026", "Joanne Pike", "£1,160", david),
            today(),
        )
        .unwrap();
    store
        .record_payment(
            plan,
            &spending("14/8/2026", "Joanne Pike", "£1,392", david),
            today(),
        )
        .unwrap();
    let overview = store.overview(holder, today()).unwrap();
    let versions: Vec<_> = store
        .payments(plan)
        .unwrap()
        .iter()
        .map(|entry| (entry.paid_on, entry.version_number))
        .collect();
    assert_eq!(
        versions,
        vec![(date(2026, 8, 14), 2), (date(2026, 5, 15), 1)]
    );
    assert_eq!(overview.version_count, 2);

    assert_eq!(store.plan_history(plan).unwrap(), history);
}

#[test]
fn versions_read_back_the_same_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    let (plan, history) = {
        let mut store = Store::open(&path).unwrap();
        let david = person(&mut store, "David Ellis");
        let holder = store
            .add_holder(&new_holder("Margaret Ellis", david), today())
            .unwrap();
        let plan = store
            .create_plan(holder.id, &chc_plan(), david)
            .unwrap()
            .plan_id;
        let mut content = current_draft(&store, plan);
        content
            .outcomes
            .push("Keep in touch with friends\nevery week".into());
        content.lines[0].outcomes = vec![0, 2];
        let revision = RevisionDraft {
            effective_from: "1/7/2026".into(),
            reason: "3-month review\nmore outcomes".into(),
            content,
        };
        (plan, store.revise_plan(plan, &revision, david).unwrap())
    };
    let store = Store::open(&path).unwrap();
    let again = store.plan_history(plan).unwrap();
    assert_eq!(again, history);
    assert_eq!(
        again.versions[1].content.outcomes[2], "Keep in touch with friends\nevery week",
        "line breaks kept"
    );
    assert_eq!(again.versions[1].content.lines[0].outcomes, vec![0, 2]);
    assert_eq!(
        again.versions[0].content.outcomes.len(),
        2,
        "version 1 untouched"
    );
}

#[test]
fn a_revision_that_raises_the_funding_counts_from_its_date() {
    let (mut store, david, holder, plan) = store_with(&simple_plan("£36,500"));
    let mut content = current_draft(&store, plan);
    content.streams[0].amount = "£73,000".into();
    content.lines[0].amount = "£73,000".into();
    // Version 1 covers 1 Apr to 10 Jun (71 days); version 2 the other 294.
    let revision = RevisionDraft {
        effective_from: "11/6/2026".into(),
        reason: "Review".into(),
        content,
    };
    store.revise_plan(plan, &revision, david).unwrap();
    let summary = store.overview(holder, today()).unwrap().summary.unwrap();
    assert_eq!(
        summary.budget,
        pence(3_650_000 * 71 / 365 + 7_300_000 * 294 / 365)
    );
    assert_eq!(summary.allocated, summary.budget);
    let details = store.plan_details(plan, today()).unwrap();
    assert_eq!(
        details.figures[1].funding_total,
        pence(7_300_000),
        "each version's own figures are for a full period"
    );
    assert_eq!(details.current_index, 1);
}

#[test]
fn a_revision_is_previewed_with_its_date_checked_first() {
    let (store, _, _, plan) = store_with(&chc_plan());
    let mut draft = RevisionDraft {
        effective_from: "31/3/2026".into(),
        reason: "Review".into(),
        content: current_draft(&store, plan),
    };
    assert_invalid(
        store.preview_revision(plan, &draft, PlanStep::Basics),
        "effectiveFrom",
        "must start after version 1",
    );
    draft.effective_from = "1/7/2026".into();
    draft.content.lines[0].rate = "£14.505".into();
    assert!(
        store
            .preview_revision(plan, &draft, PlanStep::Outcomes)
            .is_ok(),
        "lines are not checked before their step"
    );
    assert_invalid(
        store.preview_revision(plan, &draft, PlanStep::Lines),
        "lines.0.rate",
        "two digits",
    );
}

#[test]
fn each_version_counts_for_the_days_it_is_in_force() {
    let (mut store, david, _, plan) = store_with(&simple_plan("£36,500"));
    let mut content = current_draft(&store, plan);
    content.lines[0].amount = "£73,000".into();
    // Version 1 covers 1 Apr to 10 Jun (71 days); version 2 the other 294.
    let revision = RevisionDraft {
        effective_from: "11/6/2026".into(),
        reason: "Review".into(),
        content,
    };
    let history = store.revise_plan(plan, &revision, david).unwrap();
    assert_eq!(
        history.allocated_total().unwrap(),
        pence(3_650_000 * 71 / 365 + 7_300_000 * 294 / 365)
    );
    // The yearly payment falls on the first day, in version 1.
    assert_eq!(history.funding_total().unwrap(), pence(3_650_000));
}

/// Something wrong done to a good plan.
type Spoil = Box<dyn Fn(&mut careledger_core::plan_forms::NewPlanDraft)>;

#[test]
fn bad_plans_are_refused_with_the_field_and_nothing_is_written() {
    let mut store = Store::open_in_memory().unwrap();
    let david = person(&mut store, "David Ellis");
    let holder = store
        .add_holder(&new_holder("Margaret Ellis", david), today())
        .unwrap()
        .id;
    let cases: Vec<(Spoil, &str, &str)> = vec![
        (
            Box::new(|d| d.content.lines[1].amount = "-£1,850".into()),
            "lines.1.amount",
            "without a minus sign",
        ),
        (
            Box::new(|d| d.end_date = "1/3/2026".into()),
            "endDate",
            "must end after it starts",
        ),
        (
            Box::new(|d| d.content.lines[0].rate = "£14.505".into()),
            "lines.0.rate",
            "no more than two digits",
        ),
        (
            Box::new(|d| d.content.lines[3].description = "x".repeat(10_000)),
            "lines.3.description",
            "too long: 10000 characters",
        ),
        (
            Box::new(|d| d.content.lines[0].quantity = "twenty".into()),
            "lines.0.quantity",
            "Enter how many",
        ),
        (
            Box::new(|d| d.content.streams.clear()),
            "streams",
            "at least one funding stream",
        ),
        (
            Box::new(|d| d.content.streams[0].amount = "0".into()),
            "streams.0.amount",
            "more than £0.00",
        ),
        (
            Box::new(|d| d.content.outcomes = vec!["  ".into()]),
            "outcomes",
            "at least one outcome",
        ),
        (
            Box::new(|d| d.content.lines[0].outcomes = vec![5]),
            "lines.0.outcomes",
            "Choose outcomes",
        ),
        (
            Box::new(|d| d.content.reviews[0].due_on = "1/1/2028".into()),
            "reviews.0.dueOn",
            "inside the plan",
        ),
        (
            Box::new(|d| d.name = String::new()),
            "name",
            "Enter a name for the plan",
        ),
    ];
    for (spoil, field, words) in cases {
        let mut draft = chc_plan();
        spoil(&mut draft);
        assert_invalid(
            Store::preview_new_plan(&draft, PlanStep::Reviews),
            field,
            words,
        );
        assert_invalid(store.create_plan(holder, &draft, david), field, words);
        assert!(
            store.plan_of(holder).unwrap().is_none(),
            "nothing written for {field}"
        );
    }
}

#[test]
fn each_step_checks_only_what_has_been_asked_so_far() {
    let mut draft = chc_plan();
    draft.content.streams.clear();
    draft.content.lines.clear();
    let basics = Store::preview_new_plan(&draft, PlanStep::Basics).unwrap();
    assert!(basics.content.streams.is_empty());
    assert_eq!(basics.default_reviews.len(), 2);
    assert_invalid(
        Store::preview_new_plan(&draft, PlanStep::Funding),
        "streams",
        "at least one funding stream",
    );
}

#[test]
fn bad_revisions_are_refused_and_nothing_is_written() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let content = current_draft(&store, plan);
    let good = || RevisionDraft {
        effective_from: "1/7/2026".into(),
        reason: "3-month review".into(),
        content: content.clone(),
    };
    let mut early = good();
    early.effective_from = "1/4/2026".into();
    assert_invalid(
        store.revise_plan(plan, &early, david),
        "effectiveFrom",
        "must start after version 1",
    );
    let mut late = good();
    late.effective_from = "1/4/2027".into();
    assert_invalid(
        store.revise_plan(plan, &late, david),
        "effectiveFrom",
        "by the plan's last day, 31 Mar 2027",
    );
    let mut no_reason = good();
    no_reason.reason = " ".into();
    assert_invalid(
        store.revise_plan(plan, &no_reason, david),
        "reason",
        "Enter why the plan changed",
    );
    let mut bad_line = good();
    bad_line.content.lines[0].rate = "£14.505".into();
    assert_invalid(
        store.revise_plan(plan, &bad_line, david),
        "lines.0.rate",
        "two digits",
    );
    assert_eq!(store.plan_history(plan).unwrap().versions.len(), 1);
    assert!(
        store
            .create_plan(store.plan(plan).unwrap().holder_id, &chc_plan(), david)
            .is_err(),
        "one plan a holder"
    );
}

#[test]
fn excluded_spending_gets_a_warning_that_explains() {
    let mut draft = chc_plan();
    draft.content.lines[7].description = "Wine for the birthday party".into();
    let preview = Store::preview_new_plan(&draft, PlanStep::Lines).unwrap();
    let warning = preview.lines[7].warning.as_ref().expect("a warning");
    assert!(
        warning.explanation.contains("alcohol"),
        "{}",
        warning.explanation
    );
    assert!(preview.lines[0].warning.is_none());

    let (mut store, david, _, plan) = store_with(&chc_plan());
    let entry = store
        .record_payment(
            plan,
            &spending("2/5/2026", "Paddy's Betting Shop", "£20", david),
            today(),
        )
        .unwrap();
    assert!(entry
        .warning
        .expect("a warning")
        .explanation
        .contains("gambling"));
    assert!(
        store.payments(plan).unwrap()[0].warning.is_some(),
        "warned when read back too"
    );
}

#[test]
fn a_database_from_the_first_version_is_migrated_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    {
        // Schema version 1 exactly as the first release wrote it.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", 0x434C_4447)
            .unwrap();
        rusqlite_migration::Migrations::from_slice(&[rusqlite_migration::M::up(include_str!(
            "../../crates/store/src/migrations/0001_initial.sql"
        ))])
        .to_latest(&mut conn)
        .unwrap();
        conn.execute_batch(
            "INSERT INTO holder (id, name, created_at) VALUES (1, 'Margaret Ellis', '2026-04-01T09:00:00Z');
             INSERT INTO plan (id, holder_id, name, start_date, end_date, total_budget_pence, created_at)
                 VALUES (1, 1, 'PHB 2026', '2026-04-01', '2027-03-31', 3850000, '2026-04-01T09:00:00Z');
             INSERT INTO spending (plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at)
                 VALUES (1, '2026-05-01', 'Joanne Pike', 116000, 'April', 'David Ellis', '2026-05-01T10:00:00Z');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let overview = store
        .overview(careledger_core::HolderId(1), today())
        .unwrap();
    let summary = overview.summary.unwrap();
    assert_eq!(
        summary.budget,
        pence(3_850_000),
        "the old total becomes version 1's funding"
    );
    assert_eq!(summary.spent, pence(116_000));
    let payments = store.payments(careledger_core::PlanId(1)).unwrap();
    assert_eq!(payments[0].recorded_by, "David Ellis");
    assert_eq!(payments[0].version_number, 1);
    let history = store.plan_history(careledger_core::PlanId(1)).unwrap();
    assert_eq!(history.versions.len(), 1);
    assert_eq!(
        history.current().content.streams[0].frequency,
        Frequency::OneOff
    );
}

#[test]
fn stored_content_turns_back_into_the_same_draft() {
    use careledger_core::plan_forms::PlanStep;
    let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
    let draft = careledger_core::demo::demo_plan(start, end).content;
    let content = draft.check(PlanStep::Reviews, start, end).unwrap();
    let again = content
        .to_draft()
        .check(PlanStep::Reviews, start, end)
        .unwrap();
    assert_eq!(again, content);
}

#[test]
fn a_statement_says_what_each_revision_changed_line_by_line() {
    let (mut store, david, holder, plan) = store_with(&chc_plan());
    let mut content = current_draft(&store, plan);
    // Lines: 0 PA, 1 tax, 2 pension, 3 insurance, 4 payroll, 5 respite,
    // 6 hydrotherapy, 7 equipment, 8 gym, 9 contingency.
    content.lines[0].quantity = "24".into();
    content.lines[5].description = "Respite breaks".into();
    content.lines[5].pattern = SpendingPattern::AsNeeded;
    content.lines[7].pattern = SpendingPattern::OneOff;
    content.lines.remove(9);
    content
        .lines
        .push(careledger_core::plan_forms::LineDraft::units(
            Category::Transport,
            "Taxis to hydrotherapy",
            ("4", Unit::Trip, Per::Month, "£20"),
        ));
    content.streams[0].amount = "£40,000".into();
    content.outcomes.push("Keep living in my own home".into());
    content.agreed_on = "30/6/2026".into();
    content.agreed_by = "Jo Patel, CHC case manager".into();
    let revision = RevisionDraft {
        effective_from: "1/7/2026".into(),
        reason: "3-month review: personal assistant hours up to 24 a week".into(),
        content,
    };
    store.revise_plan(plan, &revision, david).unwrap();

    let statement = store.statement(holder, "1/4/2026", "31/3/2027").unwrap();
    assert_eq!(statement.revisions.len(), 1);
    let summary = &statement.revisions[0];
    assert_eq!(
        (summary.number, summary.effective_from),
        (2, date(2026, 7, 1))
    );
    assert_eq!(
        summary.agreement,
        "Agreed on 30 Jun 2026 by Jo Patel, CHC case manager."
    );
    let changes: Vec<(&str, &str, &str)> = summary
        .changes
        .iter()
        .map(|c| (c.what.as_str(), c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "Funding from NHS Humber and North Yorkshire ICB",
                "£38,500.00 for the plan (£38,500.00 once a year, 1 payment)",
                "£40,000.00 for the plan (£40,000.00 once a year, 1 payment)",
            ),
            (
                "Personal assistant support",
                "20 hours a week at £14.50 for 52 weeks: £15,080.00",
                "24 hours a week at £14.50 for 52 weeks: £18,096.00",
            ),
            ("A line renamed", "Respite care", "Respite breaks"),
            (
                "Respite breaks",
                "£12,000.00 for the plan",
                "£12,000.00 for the plan; as needed (uneven through the year)",
            ),
            (
                "Equipment",
                "£3,000.00 for the plan",
                "£3,000.00 for the plan; one-off (spent all at once)",
            ),
            (
                "Taxis to hydrotherapy",
                "Not in the plan",
                "4 trips a month at £20.00 for 12 months: £960.00",
            ),
            ("Contingency", "£3,043.00 for the plan", "Taken out"),
            (
                "An outcome",
                "Not in the plan",
                "Keep living in my own home"
            ),
            ("All funding, for the plan", "£38,500.00", "£40,000.00"),
            ("All budget lines, for the plan", "£38,500.00", "£39,433.00"),
        ]
    );
    // The statement ending before the revision lists none.
    let early = store.statement(holder, "1/4/2026", "30/6/2026").unwrap();
    assert!(early.revisions.is_empty());
    assert_eq!(early.agreement, "Agreed on 20 Mar 2026.");
}

#[test]
fn an_agreed_plan_needs_the_day_it_was_agreed() {
    let mut draft = chc_plan();
    draft.content.agreed_on = String::new();
    let error = Store::preview_new_plan(&draft, PlanStep::Reviews).unwrap_err();
    assert!(
        matches!(&error, careledger_core::Error::Invalid { field, .. } if field == "agreedOn"),
        "{error:?}"
    );
    // Only when it is agreed: a draft has no such day yet.
    draft.content.status = PlanStatus::Draft;
    draft.content.agreed_by = "Jo Patel".into();
    let preview = Store::preview_new_plan(&draft, PlanStep::Reviews).unwrap();
    assert_eq!(preview.content.agreed_on, None);
    assert_eq!(preview.content.agreed_by, "", "a draft is agreed by nobody");
    // A bad date is refused in words.
    draft.content.status = PlanStatus::Agreed;
    draft.content.agreed_on = "31/2/2026".into();
    assert!(Store::preview_new_plan(&draft, PlanStep::Reviews).is_err());
}
