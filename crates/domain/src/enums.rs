//! How the plan's choices are written in the database. These strings are
//! part of the file format: add new ones, never rename.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::plan::{
    ActingRole, AmountIs, Category, Flexibility, Frequency, Funder, Management, Per, PlanStatus,
    ReviewKind, SpendingPattern, Unit,
};

macro_rules! sql_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(match self { $($name::$variant => $text),+ }))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                match value.as_str()? {
                    $($text => Ok($name::$variant),)+
                    other => Err(FromSqlError::Other(
                        format!("unknown {} {other:?}", stringify!($name)).into(),
                    )),
                }
            }
        }
    };
}

sql_enum!(Funder { Nhs => "nhs", Council => "council", Education => "education", Other => "other" });
sql_enum!(Management { DirectPayment => "direct_payment", ThirdParty => "third_party", Notional => "notional" });
sql_enum!(Frequency {
    Weekly => "weekly",
    FourWeekly => "four_weekly",
    Monthly => "monthly",
    Quarterly => "quarterly",
    Yearly => "yearly",
    OneOff => "one_off",
});
sql_enum!(Category {
    PersonalAssistants => "personal_assistants",
    AgencyCare => "agency_care",
    Therapies => "therapies",
    Equipment => "equipment",
    Respite => "respite",
    Transport => "transport",
    ActivitiesAndWellbeing => "activities_and_wellbeing",
    Training => "training",
    PayrollAndEmployerCosts => "payroll_and_employer_costs",
    Insurance => "insurance",
    Contingency => "contingency",
    Other => "other",
});
sql_enum!(Flexibility { Flexible => "flexible", Stated => "stated" });
sql_enum!(Unit {
    Hour => "hour",
    Session => "session",
    Visit => "visit",
    Day => "day",
    Night => "night",
    Item => "item",
    Month => "month",
    Week => "week",
    Trip => "trip",
});
sql_enum!(Per { Week => "week", Month => "month", Plan => "plan" });
sql_enum!(SpendingPattern { Even => "even", OneOff => "one_off", AsNeeded => "as_needed" });
sql_enum!(AmountIs { EachPayment => "each_payment", WholePeriod => "whole_period" });
sql_enum!(PlanStatus { Draft => "draft", Agreed => "agreed" });
sql_enum!(ReviewKind { ThreeMonth => "three_month", Annual => "annual", Other => "other" });
sql_enum!(ActingRole { Holder => "self", Representative => "representative", Nominee => "nominee", Carer => "carer" });

use crate::evidence::EvidenceKind;
use crate::ledger::{HowPaid, MoneyInKind};

sql_enum!(HowPaid {
    BankTransfer => "bank_transfer",
    Card => "card",
    DirectDebit => "direct_debit",
    StandingOrder => "standing_order",
    Cash => "cash",
    Cheque => "cheque",
});
sql_enum!(MoneyInKind { Funding => "funding", TopUp => "top_up", Refund => "refund", Contribution => "contribution" });
sql_enum!(EvidenceKind {
    Receipt => "receipt",
    Invoice => "invoice",
    Timesheet => "timesheet",
    Payslip => "payslip",
    Statement => "statement",
    Other => "other",
});
