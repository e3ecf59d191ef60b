//! The words for each choice in a plan, so the screen, the printed plan and
//! statements all say the same thing.

use serde::Serialize;
use ts_rs::TS;

use crate::evidence::EvidenceKind;
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
    /// Kinds of budget line.
    pub categories: Vec<Choice<Category>>,
    /// Flexible or stated.
    pub flexibilities: Vec<Choice<Flexibility>>,
    /// Units a line can count (plural: "hours").
    pub units: Vec<Choice<Unit>>,
    /// Per week or for the plan.
    pub pers: Vec<Choice<Per>>,
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
labels!(Unit { Hour => "hours", Session => "sessions", Visit => "visits", Day => "days", Night => "nights", Item => "items", Month => "months" });
labels!(Per { Week => "a week", Plan => "for the whole plan" });
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
        categories: Category::choices(),
        flexibilities: Flexibility::choices(),
        units: Unit::choices(),
        pers: Per::choices(),
        statuses: PlanStatus::choices(),
        review_kinds: ReviewKind::choices(),
        acting_roles: ActingRole::choices(),
        how_paid: HowPaid::choices(),
        money_in_kinds: MoneyInKind::choices(),
        evidence_kinds: EvidenceKind::choices(),
    }
}
