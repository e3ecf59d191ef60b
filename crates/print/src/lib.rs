//! careledger-print: lays a review statement out as an A4 PDF and its
//! entries as CSV. It knows the domain's `Statement` and nothing of where
//! it came from.

pub mod statement_csv;
pub mod statement_pdf;

// The domain's modules under their own names, as in the domain itself.
use careledger_domain::{error, evidence, input, money, plan, statement};
