//! Spending a personal health budget may never be used for, and the words
//! that suggest it.
//!
//! The NHS (Direct Payments) Regulations 2013 and NHS England guidance rule
//! out alcohol, tobacco, gambling, debt repayment, anything illegal, urgent
//! and emergency care, and primary care (GP, dental, prescriptions). This is
//! a prompt, not a verdict: the words can appear innocently ("debt advice
//! course"), so Careledger warns and explains, and never refuses.

use serde::Serialize;
use ts_rs::TS;

/// A warning that something looks like excluded spending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExclusionWarning {
    /// The word that matched, as written.
    pub matched: String,
    /// Why this may not be allowed, and what to do.
    pub explanation: String,
}

struct Exclusion {
    words: &'static [&'static str],
    what: &'static str,
}

const EXCLUSIONS: &[Exclusion] = &[
    Exclusion {
        words: &[
            "alcohol",
            "beer",
            "lager",
            "wine",
            "spirits",
            "vodka",
            "whisky",
            "whiskey",
            "gin",
            "cider",
            "off-licence",
            "off licence",
        ],
        what: "alcohol",
    },
    Exclusion {
        words: &[
            "tobacco",
            "cigarette",
            "cigarettes",
            "cigar",
            "cigars",
            "vape",
            "vapes",
            "vaping",
            "e-cigarette",
            "e-cigarettes",
        ],
        what: "tobacco",
    },
    Exclusion {
        words: &[
            "gambling",
            "betting",
            "bet",
            "bets",
            "casino",
            "lottery",
            "bingo",
            "bookmaker",
            "bookmakers",
            "scratchcard",
            "scratchcards",
            "scratch card",
        ],
        what: "gambling",
    },
    Exclusion {
        words: &[
            "debt",
            "debts",
            "loan repayment",
            "overdraft",
            "arrears",
            "credit card bill",
        ],
        what: "paying off debt",
    },
    Exclusion {
        words: &[
            "gp",
            "doctor's appointment",
            "dentist",
            "dental",
            "prescription",
            "prescriptions",
        ],
        what: "primary care (GP, dental care and prescriptions, which the NHS provides)",
    },
    Exclusion {
        words: &[
            "a&e",
            "a & e",
            "ambulance",
            "emergency care",
            "urgent care",
            "accident and emergency",
        ],
        what: "urgent or emergency care (which the NHS provides)",
    },
];

/// Looks through `texts` for words that suggest excluded spending and
/// returns a warning for the first one found.
pub fn check_exclusions<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<ExclusionWarning> {
    for text in texts {
        let lower = text.to_lowercase();
        for exclusion in EXCLUSIONS {
            if let Some(word) = exclusion
                .words
                .iter()
                .find(|word| contains_word(&lower, word))
            {
                return Some(ExclusionWarning {
                    matched: (*word).to_owned(),
                    explanation: format!(
                        "This looks like {}. A personal health budget cannot be spent on that. If it \
                         is something else, you can leave it as it is; if not, check with your care \
                         coordinator before paying.",
                        exclusion.what
                    ),
                });
            }
        }
    }
    None
}

/// Whether `word` stands in `text` as a whole word (not inside another,
/// so "gin" does not match "engine" and "bet" not "better").
fn contains_word(text: &str, word: &str) -> bool {
    let is_word_char = |c: char| c.is_alphanumeric();
    text.match_indices(word).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(text: &str) -> Option<String> {
        check_exclusions([text]).map(|warning| warning.matched)
    }

    #[test]
    fn finds_excluded_spending_by_whole_words() {
        assert_eq!(
            matched("Bottle of wine for the party").as_deref(),
            Some("wine")
        );
        assert_eq!(matched("Cigarettes").as_deref(), Some("cigarettes"));
        assert_eq!(
            matched("Paddy Power betting shop").as_deref(),
            Some("betting")
        );
        assert_eq!(
            matched("Credit card bill").as_deref(),
            Some("credit card bill")
        );
        assert_eq!(matched("GP appointment fee").as_deref(), Some("gp"));
        assert_eq!(matched("Dental check-up").as_deref(), Some("dental"));
        assert_eq!(matched("Taxi after A&E visit").as_deref(), Some("a&e"));
    }

    #[test]
    fn leaves_ordinary_spending_alone() {
        for text in [
            "Engine repair for the adapted car",
            "Better Gym membership",
            "Hydrotherapy",
            "Gingerbread for the day centre",
            "Swine flu leaflet",
        ] {
            assert_eq!(matched(text), None, "{text}");
        }
    }

    #[test]
    fn explains_in_plain_english() {
        let warning = check_exclusions(["Lottery tickets"]).unwrap();
        assert!(warning.explanation.starts_with("This looks like gambling."));
    }
}
