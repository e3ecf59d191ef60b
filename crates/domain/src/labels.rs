//! The words for each choice in a plan, so the screen, the printed plan and
//! statements all say the same thing.

use serde::Serialize;
use ts_rs::TS;

use crate::dashboard::LineState;
use crate::evidence::{EvidenceKind, MediaType, MAX_EVIDENCE_BYTES};
use crate::ledger::{HowPaid, MoneyInKind};
use crate::plan::*;

/// One choice and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Choice<T> {
    /// The value.
    pub value: T,
    /// What the screen calls it.
    pub label: &'static str,
}

/// Every choice the plan forms offer, with its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanChoices {
    /// Who pays.
    pub funders: Vec<Choice<Funder>>,
    /// How money is held.
    pub managements: Vec<Choice<Management>>,
    /// How often it is paid.
    pub frequencies: Vec<Choice<Frequency>>,
    /// How often a regular payment can be made (not "one-off").
    pub recurring_frequencies: Vec<Choice<Frequency>>,
    /// Kinds of budget line.
    pub categories: Vec<Choice<Category>>,
    /// Flexible or stated.
    pub flexibilities: Vec<Choice<Flexibility>>,
    /// Units a line can count (plural: "hours").
    pub units: Vec<Choice<Unit>>,
    /// Per week, per month or for the plan.
    pub pers: Vec<Choice<Per>>,
    /// How a line's money is expected to go.
    pub patterns: Vec<Choice<SpendingPattern>>,
    /// What a stream's amount stands for.
    pub amount_is: Vec<Choice<AmountIs>>,
    /// Draft or agreed.
    pub statuses: Vec<Choice<PlanStatus>>,
    /// Kinds of review.
    pub review_kinds: Vec<Choice<ReviewKind>>,
    /// How someone acts for a holder.
    pub acting_roles: Vec<Choice<ActingRole>>,
    /// How a payment was made.
    pub how_paid: Vec<Choice<HowPaid>>,
    /// Kinds of money in.
    pub money_in_kinds: Vec<Choice<MoneyInKind>>,
    /// Kinds of evidence.
    pub evidence_kinds: Vec<Choice<EvidenceKind>>,
    /// The files core accepts as evidence, and the words that say so.
    pub evidence: EvidenceRules,
    /// How a budget line is doing ("Nearly used", "All used"…).
    pub line_states: Vec<Choice<LineState>>,
}

/// The files core accepts as evidence ([`crate::evidence::check_evidence`]
/// checks each one by its contents), for the file chooser to offer and its
/// hint to say; and what to say before an upload of nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceRules {
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
    /// The kinds of file accepted.
    pub media_types: Vec<MediaType>,
    /// The usual endings of those files, with the dot: ".png".
    pub file_endings: Vec<&'static str>,
    /// The hint beside the file chooser.
    pub hint: String,
    /// What to say when "Add the evidence" is pressed with no file chosen.
    pub none_chosen: &'static str,
}

/// The kinds of file accepted as evidence, in the order the hint names them.
const EVIDENCE_TYPES: [MediaType; 3] = [MediaType::Jpeg, MediaType::Png, MediaType::Pdf];

/// The endings a file of `media_type` usually has, with the dot. (A new kind
/// of file fails to compile here until it is given its endings: add it to
/// [`EVIDENCE_TYPES`] too.)
fn file_endings(media_type: MediaType) -> &'static [&'static str] {
    match media_type {
        MediaType::Png => &[".png"],
        MediaType::Jpeg => &[".jpg", ".jpeg"],
        MediaType::Pdf => &[".pdf"],
    }
}

/// The files accepted as evidence, from [`crate::evidence`]'s limits.
pub fn evidence_rules() -> EvidenceRules {
    let megabytes = MAX_EVIDENCE_BYTES / (1024 * 1024);
    EvidenceRules {
        max_bytes: MAX_EVIDENCE_BYTES as u64,
        media_types: EVIDENCE_TYPES.to_vec(),
        file_endings: EVIDENCE_TYPES
            .iter()
            .flat_map(|&media_type| file_endings(media_type).iter().copied())
            .collect(),
        hint: format!("Photos (JPEG or PNG) or PDFs, up to {megabytes} MB each."),
        none_chosen: "Choose a file to add first.",
    }
}

macro_rules! labels {
    ($name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in the order the forms offer them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// What the screen and printouts call it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            fn choices() -> Vec<Choice<$name>> {
                Self::ALL.iter().map(|&value| Choice { value, label: value.label() }).collect()
            }
        }
    };
}

labels!(Funder { Nhs => "NHS (integrated care board)", Council => "Council social care", Education => "Education (EHC plan)", Other => "Other" });
labels!(Management { DirectPayment => "Direct payment", ThirdParty => "Third-party budget", Notional => "Notional budget (the NHS arranges it)" });
labels!(Frequency {
    Weekly => "Every week",
    FourWeekly => "Every 4 weeks",
    Monthly => "Every month",
    Quarterly => "Every 3 months",
    Yearly => "Once a year",
    OneOff => "Once (one-off)",
});
labels!(Category {
    PersonalAssistants => "Personal assistants",
    AgencyCare => "Agency care",
    Therapies => "Therapies",
    Equipment => "Equipment",
    Respite => "Respite and short breaks",
    Transport => "Transport",
    ActivitiesAndWellbeing => "Activities and wellbeing",
    Training => "Training",
    PayrollAndEmployerCosts => "Payroll and employer costs",
    Insurance => "Insurance",
    Contingency => "Contingency",
    Other => "Other",
});
labels!(Flexibility { Flexible => "Flexible: money can move to other lines", Stated => "Stated: locked to this purpose" });
labels!(Unit {
    Hour => "hours",
    Session => "sessions",
    Visit => "visits",
    Day => "days",
    Night => "nights",
    Week => "weeks",
    Trip => "trips",
    Item => "items",
    Month => "months",
});
labels!(Per { Week => "a week", Month => "a month", Plan => "for the whole plan" });
labels!(SpendingPattern {
    Even => "Spread evenly (about the same each week)",
    OneOff => "One-off (spent all at once)",
    AsNeeded => "As needed (uneven through the year)",
});
labels!(AmountIs { WholePeriod => "The whole plan period", EachPayment => "Each payment" });
labels!(PlanStatus { Draft => "Draft: not agreed yet", Agreed => "Agreed with the NHS" });
labels!(ReviewKind { ThreeMonth => "3-month review", Annual => "Annual review", Other => "Other review" });
labels!(ActingRole {
    Holder => "The budget holder themselves",
    Representative => "Representative (acts for a child or someone who lacks capacity)",
    Nominee => "Nominee (chosen by them to manage the money)",
    Carer => "Carer, family member or friend",
});

labels!(HowPaid {
    BankTransfer => "Bank transfer",
    Card => "Card",
    DirectDebit => "Direct debit",
    StandingOrder => "Standing order",
    Cash => "Cash",
    Cheque => "Cheque",
});
labels!(MoneyInKind {
    Funding => "Funding payment",
    TopUp => "Top-up",
    Refund => "Refund",
    Contribution => "Contribution from the person",
});
labels!(LineState {
    Within => "Within its allocation",
    Nearly => "Nearly used",
    AllUsed => "All used",
    Over => "Over",
});
labels!(EvidenceKind {
    Receipt => "Receipt",
    Invoice => "Invoice",
    Timesheet => "Timesheet",
    Payslip => "Payslip",
    Statement => "Bank or card statement",
    Other => "Other",
});

/// Every choice the plan forms offer.
pub fn plan_choices() -> PlanChoices {
    PlanChoices {
        funders: Funder::choices(),
        managements: Management::choices(),
        frequencies: Frequency::choices(),
        recurring_frequencies: Frequency::choices()
            .into_iter()
            .filter(|choice| crate::recurring::can_repeat(choice.value))
            .collect(),
        categories: Category::choices(),
        flexibilities: Flexibility::choices(),
        units: Unit::choices(),
        pers: Per::choices(),
        patterns: SpendingPattern::choices(),
        amount_is: AmountIs::choices(),
        statuses: PlanStatus::choices(),
        review_kinds: ReviewKind::choices(),
        acting_roles: ActingRole::choices(),
        how_paid: HowPaid::choices(),
        money_in_kinds: MoneyInKind::choices(),
        evidence_kinds: EvidenceKind::choices(),
        evidence: evidence_rules(),
        line_states: LineState::choices(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::check_evidence;

    #[test]
    fn regular_payments_are_offered_every_frequency_that_repeats() {
        let offered: Vec<Frequency> = plan_choices()
            .recurring_frequencies
            .iter()
            .map(|choice| choice.value)
            .collect();
        assert!(!offered.contains(&Frequency::OneOff));
        assert_eq!(offered.len(), Frequency::choices().len() - 1);
    }

    #[test]
    fn evidence_rules_are_the_checks_limits() {
        let rules = evidence_rules();
        assert_eq!(rules.max_bytes, MAX_EVIDENCE_BYTES as u64);
        assert_eq!(
            rules.hint,
            "Photos (JPEG or PNG) or PDFs, up to 20 MB each."
        );
        // One byte more than the limit is refused, whatever the file is.
        let mut too_big = b"%PDF-1.4\n".to_vec();
        too_big.resize(MAX_EVIDENCE_BYTES + 1, b' ');
        assert!(check_evidence("big.pdf", too_big).is_err());
    }

    #[test]
    fn every_kind_of_evidence_file_is_offered_with_its_ending() {
        let rules = evidence_rules();
        for media_type in [MediaType::Png, MediaType::Jpeg, MediaType::Pdf] {
            assert!(rules.media_types.contains(&media_type), "{media_type:?}");
            let ending = format!(".{}", media_type.extension());
            assert!(rules.file_endings.contains(&ending.as_str()), "{ending}");
        }
    }
}
