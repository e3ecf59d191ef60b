//! The printed statement's layout, in ordinary and large print: long names
//! and large amounts wrap between words, never inside an amount or a word;
//! right-to-left text reads right; the wording has no brackets in brackets.
//!
//! Set CARELEDGER_KEEP_PDF to a folder to keep the PDFs printed here.

mod common;

use careledger_core::ledger::{HowPaid, LineKey, MoneyInDraft, MoneyInKind, PaymentDraft};
use careledger_core::plan::{AmountIs, Category, Flexibility, Frequency, Funder, Management};
use careledger_core::plan_forms::StreamDraft;
use careledger_core::records::Records;
use careledger_core::statement::Statement;
use careledger_core::statement_pdf::{render_pdf, PrintOptions};
use careledger_core::views::Views;
use careledger_core::{NewHolder, Store};
use common::*;

const HOLDER: &str = "Margaret Alexandra Wilhelmina Fotheringham-Worthington of Kingston upon Hull";
/// "Clinic" in Hebrew, as typed (logical order: mem, resh, pe, alef, he).
const CLINIC: &str = "מרפאה";
/// A payee of one "word" wider than a large-print page: the only kind of
/// word that may be cut.
const NO_SPACES: &str = "https://payments.example.org/invoices/2026/northern-lincolnshire-independent-living-co-operative/remittance/000123456789";

/// A statement with long names and amounts in the hundreds of thousands,
/// totals in the millions, an overspent line and Hebrew payees.
fn big_statement() -> Statement {
    let mut store = Store::open_in_memory().unwrap();
    let david = person(&mut store, "David Ellis");
    let holder = store
        .add_holder(
            &NewHolder {
                name: HOLDER.into(),
                ..new_holder("", david)
            },
            today(),
        )
        .unwrap();
    let mut plan = simple_plan("£2,469,135.78");
    plan.content.streams = vec![
        StreamDraft {
            funder: Funder::Nhs,
            funder_name: "NHS Humber and North Yorkshire Integrated Care Board".into(),
            management: Management::DirectPayment,
            amount: "£1,234,567.89".into(),
            amount_is: AmountIs::EachPayment,
            frequency: Frequency::Yearly,
        },
        StreamDraft {
            funder: Funder::Council,
            funder_name: "East Riding of Yorkshire Council Adult Social Care".into(),
            management: Management::ThirdParty,
            amount: "£1,234,567.89".into(),
            amount_is: AmountIs::EachPayment,
            frequency: Frequency::Yearly,
        },
    ];
    let mut pa = sum_line(
        Category::PersonalAssistants,
        "Personal assistant support at home, including overnight waking care, \
         help with community activities and accompanying to appointments",
        "£1,469,135.78",
    );
    pa.flexibility = Flexibility::Stated;
    plan.content.lines = vec![
        pa,
        sum_line(
            Category::Therapies,
            &format!("Hydrotherapy at the {CLINIC} (clinic)"),
            "£900,000",
        ),
        sum_line(
            Category::Equipment,
            "Wheelchair-accessible-vehicle adaptations",
            "£100,000",
        ),
    ];
    let history = store.create_plan(holder.id, &plan, david).unwrap();
    let plan = history.plan_id;
    for (on, source, reference) in [
        (
            "1/4/2026",
            "NHS Humber and North Yorkshire Integrated Care Board",
            "REMITTANCE-ADVICE-2026-000123456",
        ),
        (
            "2/4/2026",
            "East Riding of Yorkshire Council Adult Social Care",
            "PHB quarter one",
        ),
    ] {
        store
            .record_money_in(
                plan,
                &MoneyInDraft {
                    received_on: on.into(),
                    kind: MoneyInKind::Funding,
                    source: source.into(),
                    amount: "£617,283.94".into(),
                    reference: reference.into(),
                    note: String::new(),
                    recorded_by: david,
                },
                today(),
            )
            .unwrap();
    }
    let payments = [
        (
            "10/4/2026",
            "Northern Lincolnshire Independent Living and Personal Assistance Co-operative Ltd",
            "£123,456.78",
            1,
        ),
        ("11/4/2026", CLINIC, "£23,692.32", 2),
        ("12/4/2026", NO_SPACES, "£2,961.54", 3),
        ("13/4/2026", "Mobility Direct", "£98,765.43", 3),
    ];
    for (on, payee, amount, line) in payments {
        let mut payment = PaymentDraft {
            how_paid: HowPaid::Card,
            ..spending(on, payee, amount, david)
        };
        payment.splits[0].line_key = LineKey(line);
        payment.no_evidence_reason = "The supplier sends no receipts for this".into();
        store.record_payment(plan, &payment, today()).unwrap();
    }
    // A short period, so the equipment line (£100,000 a year) is overspent.
    store.statement(holder.id, "1/4/2026", "30/4/2026").unwrap()
}

fn options(large_print: bool) -> PrintOptions {
    PrintOptions {
        large_print,
        outcome_notes: vec![format!("Payment to {CLINIC} for 3 sessions went well.")],
        ..PrintOptions::default()
    }
}

fn print(statement: &Statement, large_print: bool) -> String {
    let pdf = render_pdf(statement, &options(large_print)).unwrap();
    if let Some(dir) = std::env::var_os("CARELEDGER_KEEP_PDF") {
        let name = if large_print {
            "large.pdf"
        } else {
            "normal.pdf"
        };
        std::fs::write(std::path::Path::new(&dir).join(name), &pdf).unwrap();
    }
    pdf_text(&pdf)
}

/// Every amount printed, as "£1,234.56" or "-£1,234.56", sorted: a
/// split amount ("£2,961.5" then "4") is not one.
fn amounts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '£') {
        let start = if at > 0 && chars[at - 1] == '-' {
            at - 1
        } else {
            at
        };
        let digits = chars[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == ',')
            .count();
        let end = at + 1 + digits;
        let pence = chars.get(end + 1..end + 3).unwrap_or_default();
        if digits > 0
            && chars.get(end) == Some(&'.')
            && pence.len() == 2
            && pence.iter().all(char::is_ascii_digit)
        {
            found.push(chars[start..end + 3].iter().collect());
        }
    }
    found.sort();
    found
}

/// The text with every run of white space made one space, so words that
/// wrap onto the next line still read as a phrase.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn large_print_splits_no_amount_and_no_word() {
    let statement = big_statement();
    let normal = print(&statement, false);
    let large = print(&statement, true);
    // The figures, large and negative ones among them, print whole in both.
    let mut figures = vec![
        statement.opening_balance,
        statement.money_in_total,
        statement.money_out_total,
        statement.closing_balance,
        statement.line_totals.for_year,
        statement.line_totals.spent_to_date,
        statement.line_totals.left_for_year,
    ];
    for line in &statement.lines {
        figures.extend([
            line.for_year,
            line.due_to_date,
            line.spent,
            line.spent_to_date,
            line.left_for_year,
        ]);
    }
    for group in &statement.money_in {
        figures.push(group.total);
        figures.extend(group.entries.iter().map(|entry| entry.amount));
    }
    figures.extend(statement.exceptions.iter().map(|e| e.amount));
    assert!(
        figures.iter().any(|f| f.pence() < 0),
        "an overspent line has a negative amount left"
    );
    assert!(
        figures.iter().any(|f| f.pence() >= 100_000_000),
        "a total in the millions"
    );
    for figure in &figures {
        let figure = figure.to_string();
        assert!(normal.contains(&figure), "{figure} in ordinary print");
        assert!(large.contains(&figure), "{figure} in large print");
    }
    // Every amount ordinary print shows, large print shows whole, as often.
    assert!(amounts(&normal).len() > 20, "{:?}", amounts(&normal));
    assert_eq!(amounts(&large), amounts(&normal));
    // Headings and long words are never cut.
    for words in [&normal, &large] {
        for word in [
            "Reference",
            "Received",
            "Spent",
            "Evidence",
            "Reconciliation",
            "Wheelchair-accessible-vehicle",
            "REMITTANCE-ADVICE-2026-000123456",
            "Fotheringham-Worthington",
            "Co-operative",
        ] {
            assert!(words.contains(word), "{word:?} printed whole");
        }
    }
    // Only the one word wider than the page may be cut, and every piece of
    // it prints.
    assert!(normal.contains("https://pa") && large.contains("https://pa"));
}

/// Whether a line of the text holds these pieces, in this order. The
/// direction marks pdftotext puts round right-to-left words are left out.
fn in_order(text: &str, pieces: &[&str]) -> bool {
    text.lines().any(|line| {
        let line: String = line
            .chars()
            .filter(|c| !('\u{202a}'..='\u{202e}').contains(c))
            .collect();
        let mut rest = line.as_str();
        pieces.iter().all(|piece| match rest.find(piece) {
            Some(at) => {
                rest = &rest[at + piece.len()..];
                true
            }
            None => false,
        })
    })
}

#[test]
fn right_to_left_text_reads_in_its_own_order() {
    let statement = big_statement();
    // pdftotext reads the glyphs of a right-to-left word back into typed
    // order when they are drawn right to left, as a screen shows them;
    // drawn in typed order, left to right, they come out reversed.
    let reversed: String = CLINIC.chars().rev().collect();
    for large_print in [false, true] {
        let text = print(&statement, large_print);
        assert!(
            text.contains(CLINIC) && !text.contains(&reversed),
            "the payee reads {CLINIC}, large print {large_print}:\n{text}"
        );
        // Inside a left-to-right sentence the Hebrew word keeps its place,
        // and brackets after it stay the right way round.
        assert!(
            in_order(&text, &["Payment to", CLINIC, "for 3 sessions went well."]),
            "large print {large_print}:\n{text}"
        );
        assert!(
            in_order(&text, &["Hydrotherapy at the", CLINIC, "clinic)"]),
            "large print {large_print}:\n{text}"
        );
    }
}

#[test]
fn funders_and_roles_are_named_without_brackets_in_brackets() {
    let text = flat(&print(&big_statement(), false));
    assert!(
        text.contains(
            "Funded by: NHS Humber and North Yorkshire Integrated Care Board – \
             NHS (integrated care board), direct payment; East Riding of Yorkshire \
             Council Adult Social Care – Council social care, third-party budget."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Acting: David Ellis – representative (acts for a child or someone who \
             lacks capacity)."
        ),
        "{text}"
    );
    // No bracket opens inside another.
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                assert!(depth < 2, "brackets in brackets: {text}");
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
}

#[test]
fn the_sample_plan_prints_every_amount_whole_in_both_sizes() {
    let mut store = Store::open_in_memory().unwrap();
    let holder = careledger_core::demo::populate(&mut store, today()).unwrap();
    let plan = store
        .plan_history(store.plan_of(holder.id).unwrap().unwrap().id)
        .unwrap();
    let to = plan.start_date + chrono::Days::new(120);
    let statement = store
        .statement(holder.id, &plan.start_date.to_string(), &to.to_string())
        .unwrap();
    let [normal, large] = [false, true].map(|large_print| {
        let pdf = render_pdf(
            &statement,
            &PrintOptions {
                large_print,
                ..PrintOptions::default()
            },
        )
        .unwrap();
        if let Some(dir) = std::env::var_os("CARELEDGER_KEEP_PDF") {
            let name = format!(
                "sample-{}.pdf",
                if large_print { "large" } else { "normal" }
            );
            std::fs::write(std::path::Path::new(&dir).join(name), &pdf).unwrap();
        }
        pdf_text(&pdf)
    });
    assert!(amounts(&normal).len() > 20);
    assert_eq!(amounts(&large), amounts(&normal));
    for word in ["Reference", "Received", "Spent", "Evidence"] {
        assert!(large.contains(word), "{word:?} printed whole");
    }
}

/// A quarter of the acceptance plan: £9,625 in from the NHS, and payments
/// with a receipt or a reason for none; with `no_receipt`, one more with
/// neither.
fn quarter_statement(no_receipt: bool) -> Statement {
    let (mut store, david, holder, plan) = store_with(&chc_plan());
    store
        .record_money_in(
            plan,
            &MoneyInDraft {
                received_on: "1/4/2026".into(),
                kind: MoneyInKind::Funding,
                source: "NHS Humber and North Yorkshire ICB".into(),
                amount: "£9,625".into(),
                reference: "PHB quarter one".into(),
                note: String::new(),
                recorded_by: david,
            },
            today(),
        )
        .unwrap();
    let mut payments = vec![
        (
            "30/4/2026",
            "Acorn Care Agency",
            "£3,480",
            1,
            "Invoice kept on paper",
        ),
        (
            "12/5/2026",
            "Seaview Respite",
            "£1,200",
            6,
            "Invoice kept on paper",
        ),
        ("20/5/2026", "Aqua Therapy", "£135", 7, "Paid at the desk"),
    ];
    if no_receipt {
        payments.push(("2/6/2026", "Mobility Shop", "£42.50", 8, ""));
    }
    for (on, payee, amount, line, reason) in payments {
        let mut payment = spending(on, payee, amount, david);
        payment.splits[0].line_key = LineKey(line);
        payment.no_evidence_reason = reason.into();
        store.record_payment(plan, &payment, today()).unwrap();
    }
    store.statement(holder, "1/4/2026", "30/6/2026").unwrap()
}

/// The PDF's pages, as `pdftotext -layout` reads them.
fn pages(pdf: &[u8]) -> Vec<String> {
    let text = pdf_text(pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    // pdftotext ends every page, the last too, with a form feed.
    assert_eq!(pages.pop().as_deref(), Some(""), "{text}");
    pages
}

fn print_pages(statement: &Statement, large_print: bool, easy_read: bool, name: &str) -> Vec<u8> {
    let pdf = render_pdf(
        statement,
        &PrintOptions {
            large_print,
            easy_read,
            ..PrintOptions::default()
        },
    )
    .unwrap();
    if let Some(dir) = std::env::var_os("CARELEDGER_KEEP_PDF") {
        let size = if large_print { "large" } else { "normal" };
        let file = format!("{name}-{size}{}.pdf", if easy_read { "-easy" } else { "" });
        std::fs::write(std::path::Path::new(&dir).join(file), &pdf).unwrap();
    }
    pdf
}

/// A page's text without its "Page N of M", which counts the pages.
fn without_page_number(page: &str) -> String {
    page.lines()
        .filter(|line| !line.trim_start().starts_with("Page "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints `statement` with and without the easy-read page, in both sizes;
/// checks the statement follows it unchanged, and gives the easy-read
/// pages' text, flattened, for each size.
fn easy_read_pages(statement: &Statement, name: &str) -> Vec<String> {
    [false, true]
        .map(|large_print| {
            let plain = pages(&print_pages(statement, large_print, false, name));
            let easy = pages(&print_pages(statement, large_print, true, name));
            let title = "Personal health budget statement";
            assert!(flat(&plain[0]).contains(title), "{}", plain[0]);
            assert!(!plain[0].contains("easy read"), "{}", plain[0]);
            // The easy-read page comes first, a second at most; the
            // statement starts on a page of its own after it.
            let first = easy
                .iter()
                .position(|page| flat(page).contains(title))
                .unwrap();
            assert!((1..=2).contains(&first), "{first} easy-read pages");
            assert!(easy[0].contains("Your money: easy read"), "{}", easy[0]);
            if first == 2 {
                // Things to look at run over, and say so.
                assert!(
                    flat(&easy[1]).contains("More things to look at"),
                    "{}",
                    easy[1]
                );
            }
            assert_eq!(easy.len(), plain.len() + first, "large print {large_print}");
            // Every page numbered of the whole, with the running header.
            let header = format!(
                "statement for {} to {}",
                careledger_core::input::format_date(statement.from),
                careledger_core::input::format_date(statement.to)
            );
            for (i, page) in easy.iter().enumerate() {
                let footer = format!("Page {} of {}", i + 1, easy.len());
                assert!(page.contains(&footer), "{footer}: {page}");
                assert!(flat(page).contains(&header), "{header}: {page}");
            }
            // The statement after it is the statement without it, word for
            // word and page for page (pdftotext may space columns a little
            // differently when the document holds more of the font).
            for (with, without) in easy[first..].iter().zip(&plain) {
                assert_eq!(
                    flat(&without_page_number(with)),
                    flat(&without_page_number(without))
                );
            }
            flat(&easy[..first].join(" "))
        })
        .to_vec()
}

#[test]
fn the_easy_read_page_comes_first_with_the_figures_that_matter() {
    let statement = quarter_statement(true);
    assert_eq!(
        statement.exceptions_of(careledger_core::statement::ExceptionKind::NoEvidence),
        1
    );
    for page in easy_read_pages(&statement, "quarter") {
        for words in [
            "Hello Margaret Ellis.".to_owned(),
            "This is about the money from 1 April 2026 to 30 June 2026".into(),
            format!("Money we got {}", statement.money_in_total),
            format!("Money we spent {}", statement.money_out_total),
            format!("Money left on 30 June 2026 {}", statement.closing_balance),
            format!(
                "Money left to spend until 31 March 2027 {}",
                statement.line_totals.left_for_year
            ),
            "Things to look at 1 payment has no receipt. Find the receipts, or say why there are none.".into(),
            "All the details are on the next pages.".into(),
        ] {
            assert!(page.contains(&words), "{words:?} in {page}");
        }
        assert!(page.contains("£9,625.00") && page.contains("£4,857.50"));
        assert!(!page.contains("Nothing to worry about"), "{page}");
    }
}

#[test]
fn the_easy_read_page_says_when_there_is_nothing_to_worry_about() {
    let statement = quarter_statement(false);
    assert!(statement.exceptions.is_empty() && !statement.over_surplus_limit());
    for page in easy_read_pages(&statement, "quarter-fine") {
        assert!(
            page.contains("Things to look at Nothing to worry about."),
            "{page}"
        );
        assert!(!page.contains("no receipt."), "{page}");
        assert!(page.contains(&format!("Money we spent {}", statement.money_out_total)));
    }
}

#[test]
fn the_easy_read_page_names_a_surplus_and_a_line_gone_over() {
    // Long names, millions in hand, and an overspent equipment line.
    let statement = big_statement();
    assert!(statement.over_surplus_limit());
    assert_eq!(statement.lines_over().count(), 1);
    for page in easy_read_pages(&statement, "big") {
        for words in [
            format!("Hello {HOLDER}."),
            "There is more money in the account than the plan allows.".into(),
            "We spent more than planned on Wheelchair-accessible-vehicle adaptations.".into(),
            format!("Money left on 30 April 2026 {}", statement.closing_balance),
            format!(
                "Money left to spend until 31 March 2027 {}",
                statement.line_totals.left_for_year
            ),
        ] {
            assert!(page.contains(&words), "{words:?} in {page}");
        }
        // Every payment has a reason for having no receipt.
        assert!(!page.contains("no receipt."), "{page}");
        assert!(!page.contains("Nothing to worry about"), "{page}");
    }
}

/// Each piece of text drawn on a page of the PDF: its type size, and how
/// far up the page it starts, read from the page's content stream.
fn type_sizes(pdf: &[u8], page: u32) -> Vec<(f32, f32)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let id = doc.get_pages()[&page];
    let content = lopdf::content::Content::decode(&doc.get_page_content(id)).unwrap();
    let mut size = 0.0;
    let mut found = Vec::new();
    for op in content.operations {
        match op.operator.as_str() {
            "Tf" => size = op.operands[1].as_float().unwrap(),
            "Td" => found.push((size, op.operands[1].as_float().unwrap())),
            _ => {}
        }
    }
    found
}

#[test]
fn the_easy_read_page_is_in_large_type_with_larger_figures() {
    let statement = quarter_statement(true);
    for large_print in [false, true] {
        let pdf = print_pages(&statement, large_print, true, "sizes");
        let sizes = type_sizes(&pdf, 1);
        // The running header and "Page 1 of N" are as on every page, at
        // the top and the foot; everything between is easy read.
        let (top, foot) = (841.89 - 48.0, 48.0 - 6.0);
        let body: Vec<f32> = sizes
            .iter()
            .filter(|(_, y)| *y < top - 0.5 && *y > foot + 0.5)
            .map(|(size, _)| *size)
            .collect();
        assert!(body.len() > 10, "{sizes:?}");
        assert!(body.iter().all(|size| *size >= 16.0), "{body:?}");
        // The money: four figures at 28 pt or more.
        assert!(
            body.iter().filter(|size| **size >= 28.0).count() >= 5,
            "{body:?}"
        );
        assert_eq!(sizes.len(), body.len() + 2, "{sizes:?}");
        // The statement after it keeps its own sizes.
        let statement_sizes = type_sizes(&pdf, 2);
        let body_size = if large_print { 16.0 } else { 10.5 };
        assert!(statement_sizes.iter().any(|(size, _)| *size == body_size));
    }
}
