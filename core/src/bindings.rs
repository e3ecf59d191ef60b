//! The TypeScript types the UI uses, generated from these Rust types.
//!
//! The generated files are committed under `ui/src/lib/bindings/`. This test
//! fails when they differ from what the Rust types now produce, so the two
//! sides of the IPC line cannot drift apart. `cargo xtask bindings` rewrites
//! them (it runs this test with `CARELEDGER_UPDATE_BINDINGS=1`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

use crate::dashboard::*;
use crate::error::{ErrorCode, ErrorReport, FieldProblem};
use crate::evidence::{EvidenceKind, MediaType};
use crate::exclusions::ExclusionWarning;
use crate::labels::{Choice, PlanChoices};
use crate::ledger::*;
use crate::model::*;
use crate::money::Money;
use crate::plan::*;
use crate::plan_forms::*;

fn bindings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

fn render<T: TS + 'static>(files: &mut BTreeMap<PathBuf, String>, cfg: &Config) {
    let path = T::output_path().expect("exported types have a path");
    let text = T::export_to_string(cfg).expect("bindings render");
    files.insert(path, text);
}

fn expected_files() -> BTreeMap<PathBuf, String> {
    // i64 ids and pence cross as JSON numbers; every value we send is far
    // below 2^53, so `number` is exact.
    let cfg = Config::new().with_large_int("number");
    let mut files = BTreeMap::new();
    render::<Money>(&mut files, &cfg);
    render::<HolderId>(&mut files, &cfg);
    render::<PlanId>(&mut files, &cfg);
    render::<Holder>(&mut files, &cfg);
    render::<Plan>(&mut files, &cfg);
    render::<NewHolder>(&mut files, &cfg);
    render::<PersonId>(&mut files, &cfg);
    render::<Person>(&mut files, &cfg);
    render::<NewPerson>(&mut files, &cfg);
    render::<ActingRole>(&mut files, &cfg);
    render::<ActingPerson>(&mut files, &cfg);
    render::<ExclusionWarning>(&mut files, &cfg);
    render::<VersionId>(&mut files, &cfg);
    render::<Hundredths>(&mut files, &cfg);
    render::<Funder>(&mut files, &cfg);
    render::<Management>(&mut files, &cfg);
    render::<Frequency>(&mut files, &cfg);
    render::<Category>(&mut files, &cfg);
    render::<Flexibility>(&mut files, &cfg);
    render::<Unit>(&mut files, &cfg);
    render::<Per>(&mut files, &cfg);
    render::<SpendingPattern>(&mut files, &cfg);
    render::<AmountIs>(&mut files, &cfg);
    render::<PlanStatus>(&mut files, &cfg);
    render::<ReviewKind>(&mut files, &cfg);
    render::<Costing>(&mut files, &cfg);
    render::<FundingStream>(&mut files, &cfg);
    render::<BudgetLine>(&mut files, &cfg);
    render::<Review>(&mut files, &cfg);
    render::<PlanContent>(&mut files, &cfg);
    render::<PlanVersion>(&mut files, &cfg);
    render::<PlanHistory>(&mut files, &cfg);
    render::<PlanStep>(&mut files, &cfg);
    render::<StreamDraft>(&mut files, &cfg);
    render::<CostingKind>(&mut files, &cfg);
    render::<LineDraft>(&mut files, &cfg);
    render::<ReviewDraft>(&mut files, &cfg);
    render::<ContentDraft>(&mut files, &cfg);
    render::<NewPlanDraft>(&mut files, &cfg);
    render::<RevisionDraft>(&mut files, &cfg);
    render::<LinePreview>(&mut files, &cfg);
    render::<PlanPreview>(&mut files, &cfg);
    render::<Choice<Funder>>(&mut files, &cfg);
    render::<PlanChoices>(&mut files, &cfg);
    render::<crate::labels::EvidenceRules>(&mut files, &cfg);
    render::<PlanDetails>(&mut files, &cfg);
    render::<EntryKey>(&mut files, &cfg);
    render::<AttachmentId>(&mut files, &cfg);
    render::<LineKey>(&mut files, &cfg);
    render::<HowPaid>(&mut files, &cfg);
    render::<MoneyInKind>(&mut files, &cfg);
    render::<EvidenceKind>(&mut files, &cfg);
    render::<MediaType>(&mut files, &cfg);
    render::<Split>(&mut files, &cfg);
    render::<SplitDraft>(&mut files, &cfg);
    render::<PaymentDraft>(&mut files, &cfg);
    render::<EvidenceRef>(&mut files, &cfg);
    render::<VoidInfo>(&mut files, &cfg);
    render::<Payment>(&mut files, &cfg);
    render::<PaymentRevision>(&mut files, &cfg);
    render::<MoneyInDraft>(&mut files, &cfg);
    render::<MoneyIn>(&mut files, &cfg);
    render::<ExpectedPayment>(&mut files, &cfg);
    render::<LineState>(&mut files, &cfg);
    render::<LineStanding>(&mut files, &cfg);
    render::<Forecast>(&mut files, &cfg);
    render::<WarningKind>(&mut files, &cfg);
    render::<Warning>(&mut files, &cfg);
    render::<BurnPoint>(&mut files, &cfg);
    render::<Dashboard>(&mut files, &cfg);
    render::<PaymentPage>(&mut files, &cfg);
    render::<PaymentFilter>(&mut files, &cfg);
    render::<crate::recurring::RecurringId>(&mut files, &cfg);
    render::<crate::recurring::RecurringDraft>(&mut files, &cfg);
    render::<crate::recurring::Recurring>(&mut files, &cfg);
    render::<crate::recurring::DueProposal>(&mut files, &cfg);
    render::<PlanSummary>(&mut files, &cfg);
    render::<crate::overview::HolderOverview>(&mut files, &cfg);
    render::<crate::statement::PeriodChoice>(&mut files, &cfg);
    render::<crate::statement::StatementFormat>(&mut files, &cfg);
    render::<crate::statement::StatementLine>(&mut files, &cfg);
    render::<crate::statement::LineTotals>(&mut files, &cfg);
    render::<crate::statement::StatementFunding>(&mut files, &cfg);
    render::<crate::statement::FundingTotals>(&mut files, &cfg);
    render::<crate::statement::PlanChange>(&mut files, &cfg);
    render::<crate::statement::RevisionSummary>(&mut files, &cfg);
    render::<crate::statement::MoneyInGroup>(&mut files, &cfg);
    render::<crate::statement::ExceptionKind>(&mut files, &cfg);
    render::<crate::statement::Exception>(&mut files, &cfg);
    render::<crate::statement::EvidenceEntry>(&mut files, &cfg);
    render::<crate::statement::EvidenceGroup>(&mut files, &cfg);
    render::<crate::statement::Statement>(&mut files, &cfg);
    render::<crate::statement_pdf::PrintOptions>(&mut files, &cfg);
    render::<crate::backup::DataFolders>(&mut files, &cfg);
    render::<AppInfo>(&mut files, &cfg);
    render::<crate::backup::BackupSummary>(&mut files, &cfg);
    render::<crate::backup::BackupPreview>(&mut files, &cfg);
    render::<crate::backup::RestoreOutcome>(&mut files, &cfg);
    render::<crate::backup::BackupListing>(&mut files, &cfg);
    render::<crate::backup::DataFileProblem>(&mut files, &cfg);
    render::<crate::backup::RecoveryInfo>(&mut files, &cfg);
    render::<crate::second_place::SecondPlaceStatus>(&mut files, &cfg);
    render::<crate::second_place::BackupHealth>(&mut files, &cfg);
    render::<crate::export::ExportSummary>(&mut files, &cfg);
    render::<crate::account_import::StatementFilePreview>(&mut files, &cfg);
    render::<crate::account_import::ChosenLine>(&mut files, &cfg);
    render::<crate::account_import::ImportSummary>(&mut files, &cfg);
    render::<crate::account_import::Reconciliation>(&mut files, &cfg);
    render::<crate::account_import::AccountCheckView>(&mut files, &cfg);
    render::<careledger_import::DateFormat>(&mut files, &cfg);
    render::<crate::account::AccountAgreement>(&mut files, &cfg);
    render::<crate::account_import::LayoutFrom>(&mut files, &cfg);
    render::<crate::account_import::LineChoice>(&mut files, &cfg);
    render::<careledger_import::CsvLayout>(&mut files, &cfg);
    render::<careledger_import::FileKind>(&mut files, &cfg);
    render::<careledger_import::ProposedLine>(&mut files, &cfg);
    render::<careledger_import::LineMatch>(&mut files, &cfg);
    render::<careledger_import::AccountLine>(&mut files, &cfg);
    render::<careledger_import::AmountColumns>(&mut files, &cfg);
    render::<careledger_import::TextEncoding>(&mut files, &cfg);
    render::<careledger_import::RecordedEntry>(&mut files, &cfg);
    render::<careledger_import::AmountDiffers>(&mut files, &cfg);
    render::<crate::account::PairedWith>(&mut files, &cfg);
    render::<crate::account::AccountDifference>(&mut files, &cfg);
    render::<crate::account::DifferenceKind>(&mut files, &cfg);
    render::<crate::progress::WorkProgress>(&mut files, &cfg);
    render::<ErrorCode>(&mut files, &cfg);
    render::<ErrorReport>(&mut files, &cfg);
    render::<FieldProblem>(&mut files, &cfg);
    files
}

#[test]
fn typescript_bindings_are_fresh() {
    let dir = bindings_dir();
    let expected = expected_files();
    if std::env::var_os("CARELEDGER_UPDATE_BINDINGS").is_some() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("clear old bindings");
        }
        std::fs::create_dir_all(&dir).expect("make bindings folder");
        for (path, text) in &expected {
            std::fs::write(dir.join(path), text).expect("write binding");
        }
        return;
    }
    let mut stale = Vec::new();
    for (path, text) in &expected {
        if std::fs::read_to_string(dir.join(path)).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = PathBuf::from(entry.file_name());
        if !expected.contains_key(&name) {
            stale.push(format!("{} (no longer generated)", name.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "TypeScript bindings in ui/src/lib/bindings are out of date: {}. Run `cargo xtask bindings` and commit the result.",
        stale.join(", ")
    );
}
