//! The review statement printed: A4 pages laid out from a [`Statement`],
//! with an embedded DejaVu Sans so £ and every Latin letter print.
//!
//! printpdf draws; this module lays out: it measures text with the font's
//! own glyph widths, wraps long text, right-aligns amounts, repeats table
//! headers on each page, never cuts a table row across pages, and puts the
//! holder, the period and "Page N of M" on every page. Characters the font
//! cannot draw are replaced with a visible "□", never dropped.

use printpdf::{
    FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, TextItem,
};

use crate::error::{Error, Result};
use crate::input::format_date;
use crate::plan::Flexibility;
use crate::statement::{ExceptionKind, Statement};

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 48.0;

/// Type sizes: ordinary, or large print (16 pt body) for people who need it.
#[derive(Debug, Clone, Copy)]
struct Style {
    body: f32,
    small: f32,
    heading: f32,
    title: f32,
}

impl Style {
    fn new(large_print: bool) -> Style {
        if large_print {
            Style {
                body: 16.0,
                small: 13.0,
                heading: 21.0,
                title: 26.0,
            }
        } else {
            Style {
                body: 10.5,
                small: 8.5,
                heading: 14.0,
                title: 19.0,
            }
        }
    }

    fn line(size: f32) -> f32 {
        size * 1.35
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

struct Table {
    /// Title, share of the width, alignment.
    columns: Vec<(String, f32, Align)>,
    /// Cells, and whether the row is a total (bold, ruled above).
    rows: Vec<(Vec<String>, bool)>,
}

enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table(Table),
    /// A line to write on, with its label.
    WriteOn(String),
    /// Start a new page unless this many lines to write on fit, so a group
    /// (a signature block) is not split.
    KeepLines(usize),
}

struct Face {
    font: ParsedFont,
    id: FontId,
}

impl Face {
    fn load(bytes: &[u8], doc: &mut PdfDocument) -> Result<Face> {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .ok_or_else(|| Error::Corrupt("the statement font could not be read".into()))?;
        let id = doc.add_font(&font);
        Ok(Face { font, id })
    }

    /// The text with anything the font cannot draw replaced by "□" (or "?").
    fn printable(&self, text: &str) -> String {
        let fallback = if self.font.lookup_glyph_index('□' as u32).is_some() {
            '□'
        } else {
            '?'
        };
        text.chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .map(|c| {
                if !c.is_control() && self.font.lookup_glyph_index(c as u32).is_some() {
                    c
                } else {
                    fallback
                }
            })
            .collect()
    }

    /// Width of (printable) text at `size`, in points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let upm = f32::from(self.font.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                self.font
                    .lookup_glyph_index(c as u32)
                    .and_then(|gid| self.font.get_glyph_width(gid))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 / upm * size
    }

    /// Breaks text into lines no wider than `max`, at spaces where it can,
    /// inside a word where it must.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let text = self.printable(text);
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word longer than the line is cut where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if self.width(&piece, size) > max && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
        lines
    }
}

struct Pages<'a> {
    regular: &'a Face,
    bold: &'a Face,
    style: Style,
    pages: Vec<Vec<Op>>,
    /// Distance from the page's top to where the next thing goes.
    y: f32,
}

impl Pages<'_> {
    fn top() -> f32 {
        MARGIN + 22.0
    }

    fn bottom() -> f32 {
        PAGE_HEIGHT - MARGIN - 18.0
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = Self::top();
    }

    fn room(&self) -> f32 {
        Self::bottom() - self.y
    }

    fn ensure(&mut self, height: f32) {
        if self.pages.is_empty() || (self.room() < height && self.y > Self::top()) {
            self.new_page();
        }
    }

    fn text(&mut self, face: &Face, size: f32, x: f32, y_from_top: f32, text: &str) {
        let ops = self.pages.last_mut().expect("a page");
        write_text(ops, face, size, x, PAGE_HEIGHT - y_from_top, text);
    }

    fn rule(&mut self, x1: f32, x2: f32, y_from_top: f32, thickness: f32) {
        let ops = self.pages.last_mut().expect("a page");
        draw_rule(ops, x1, x2, PAGE_HEIGHT - y_from_top, thickness);
    }

    fn paragraph(&mut self, face_bold: bool, size: f32, text: &str, space_after: f32) {
        let face = if face_bold { self.bold } else { self.regular };
        let line_height = Style::line(size);
        for line in face.wrap(text, size, PAGE_WIDTH - 2.0 * MARGIN) {
            self.ensure(line_height);
            self.y += line_height;
            self.text(face, size, MARGIN, self.y - size * 0.3, &line);
        }
        self.y += space_after;
    }

    fn table(&mut self, table: &Table) {
        let size = self.style.body;
        let line_height = Style::line(size);
        let pad = size * 0.35;
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let total_share: f32 = table.columns.iter().map(|(_, share, _)| share).sum();
        let mut lefts = Vec::new();
        let mut x = MARGIN;
        for (_, share, _) in &table.columns {
            lefts.push(x);
            x += share / total_share * width;
        }
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|(_, share, _)| share / total_share * width - 2.0 * pad)
            .collect();
        let header: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|((title, _, _), w)| self.bold.wrap(title, size, *w))
            .collect();
        let header_height =
            header.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height + 2.0 * pad;
        let draw_header = |pages: &mut Self| {
            let top = pages.y;
            for (i, lines) in header.iter().enumerate() {
                for (n, line) in lines.iter().enumerate() {
                    let (_, _, align) = table.columns[i];
                    let x = align_x(pages.bold, size, line, lefts[i] + pad, widths[i], align);
                    pages.text(
                        pages.bold,
                        size,
                        x,
                        top + pad + (n as f32 + 1.0) * line_height - size * 0.3,
                        line,
                    );
                }
            }
            pages.y += header_height;
            pages.rule(MARGIN, MARGIN + width, pages.y, 1.2);
        };
        self.ensure(header_height + line_height * 2.0);
        draw_header(self);
        for (cells, total) in &table.rows {
            let face = if *total { self.bold } else { self.regular };
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, w)| face.wrap(cell, size, *w))
                .collect();
            let height =
                wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height + 2.0 * pad;
            if self.room() < height {
                // The row goes whole onto the next page, under the header again.
                self.new_page();
                draw_header(self);
            }
            if *total {
                self.rule(MARGIN, MARGIN + width, self.y, 1.0);
            }
            let top = self.y;
            for (i, lines) in wrapped.iter().enumerate() {
                for (n, line) in lines.iter().enumerate() {
                    let (_, _, align) = table.columns[i];
                    let x = align_x(face, size, line, lefts[i] + pad, widths[i], align);
                    self.text(
                        face,
                        size,
                        x,
                        top + pad + (n as f32 + 1.0) * line_height - size * 0.3,
                        line,
                    );
                }
            }
            self.y += height;
            self.rule(MARGIN, MARGIN + width, self.y, 0.3);
        }
        self.y += line_height * 0.8;
    }
}

fn align_x(face: &Face, size: f32, text: &str, left: f32, width: f32, align: Align) -> f32 {
    match align {
        Align::Left => left,
        Align::Right => left + width - face.width(text, size),
    }
}

fn write_text(ops: &mut Vec<Op>, face: &Face, size: f32, x: f32, y: f32, text: &str) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(face.id.clone()),
        size: Pt(size),
    });
    ops.push(Op::SetTextCursor {
        pos: Point { x: Pt(x), y: Pt(y) },
    });
    ops.push(Op::ShowText {
        items: vec![TextItem::Text(face.printable(text))],
    });
    ops.push(Op::EndTextSection);
}

fn draw_rule(ops: &mut Vec<Op>, x1: f32, x2: f32, y: f32, thickness: f32) {
    let point = |x: f32| LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    };
    ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
    ops.push(Op::DrawLine {
        line: Line {
            points: vec![point(x1), point(x2)],
            is_closed: false,
        },
    });
}

/// The statement as a PDF, ordinary or large print.
pub fn render_pdf(statement: &Statement, large_print: bool) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&format!(
        "Personal health budget statement: {}",
        statement.holder.name
    ));
    let regular = Face::load(dejavu::sans::regular(), &mut doc)?;
    let bold = Face::load(dejavu::sans::bold(), &mut doc)?;
    let style = Style::new(large_print);
    let mut pages = Pages {
        regular: &regular,
        bold: &bold,
        style,
        pages: Vec::new(),
        y: Pages::top(),
    };
    for block in blocks(statement) {
        match block {
            Block::Title(text) => {
                pages.ensure(Style::line(style.title) * 3.0);
                pages.paragraph(true, style.title, &text, style.body * 0.6);
            }
            Block::Heading(text) => {
                // Keep a heading with at least a few lines of what follows.
                pages.ensure(Style::line(style.heading) + Style::line(style.body) * 4.0);
                pages.y += style.body * 0.6;
                pages.paragraph(true, style.heading, &text, style.body * 0.4);
            }
            Block::Para(text) => pages.paragraph(false, style.body, &text, style.body * 0.5),
            Block::Table(table) => pages.table(&table),
            Block::KeepLines(lines) => {
                pages.ensure(Style::line(style.body) * (2.2 * lines as f32 + 1.5));
            }
            Block::WriteOn(label) => {
                let height = Style::line(style.body) * 2.2;
                pages.ensure(height);
                pages.y += height;
                let label_width = bold.width(&regular.printable(&label), style.body);
                pages.text(
                    &bold,
                    style.body,
                    MARGIN,
                    pages.y - style.body * 0.3,
                    &label,
                );
                pages.rule(
                    MARGIN + label_width + 8.0,
                    PAGE_WIDTH - MARGIN,
                    pages.y,
                    0.6,
                );
            }
        }
    }
    let count = pages.pages.len();
    let running = format!(
        "{}: statement for {} to {}",
        statement.holder.name,
        format_date(statement.from),
        format_date(statement.to)
    );
    let pdf_pages = pages
        .pages
        .into_iter()
        .enumerate()
        .map(|(index, mut ops)| {
            write_text(
                &mut ops,
                &regular,
                style.small,
                MARGIN,
                PAGE_HEIGHT - MARGIN,
                &running,
            );
            draw_rule(
                &mut ops,
                MARGIN,
                PAGE_WIDTH - MARGIN,
                PAGE_HEIGHT - MARGIN - 6.0,
                0.5,
            );
            let footer = format!("Page {} of {count}", index + 1);
            let x = PAGE_WIDTH - MARGIN - regular.width(&footer, style.small);
            write_text(&mut ops, &regular, style.small, x, MARGIN - 6.0, &footer);
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();
    let mut warnings = Vec::new();
    Ok(doc
        .with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut warnings))
}

fn table(columns: &[(&str, f32, Align)], rows: Vec<(Vec<String>, bool)>) -> Block {
    Block::Table(Table {
        columns: columns
            .iter()
            .map(|(title, share, align)| ((*title).to_owned(), *share, *align))
            .collect(),
        rows,
    })
}

/// The statement's sections, in the order `domain.md` gives them.
fn blocks(s: &Statement) -> Vec<Block> {
    use Align::{Left, Right};
    let mut out = vec![Block::Title("Personal health budget statement".into())];
    // 1. Header.
    let mut who = s.holder.name.clone();
    if let Some(born) = s.holder.date_of_birth {
        who.push_str(&format!(", born {}", format_date(born)));
    }
    if let Some(nhs) = &s.holder.nhs_number {
        who.push_str(&format!(". NHS number {nhs}"));
    }
    out.push(Block::Para(format!("For: {who}.")));
    if !s.acting.is_empty() {
        let acting: Vec<String> = s
            .acting
            .iter()
            .map(|a| format!("{} ({})", a.name, a.role.label()))
            .collect();
        out.push(Block::Para(format!("Acting: {}.", acting.join("; "))));
    }
    let funders: Vec<String> = s
        .version
        .content
        .streams
        .iter()
        .map(|stream| {
            format!(
                "{} ({}, {})",
                stream.funder_name,
                stream.funder.label(),
                stream.management.label().to_lowercase()
            )
        })
        .collect();
    out.push(Block::Para(format!("Funded by: {}.", funders.join("; "))));
    out.push(Block::Para(format!(
        "Statement period: {} to {}. Plan: {}, {} to {}, version {} in force at the end of the period.",
        format_date(s.from),
        format_date(s.to),
        s.plan_name,
        format_date(s.plan_start),
        format_date(s.plan_end),
        s.version.number
    )));
    if let Some(review) = s
        .version
        .content
        .reviews
        .iter()
        .find(|review| review.due_on >= s.to)
        .or(s.version.content.reviews.last())
    {
        out.push(Block::Para(format!(
            "Review: {} on {}.",
            review.kind.label(),
            format_date(review.due_on)
        )));
    }

    // 2. The agreed plan.
    out.push(Block::Heading("The agreed plan".into()));
    for (i, outcome) in s.version.content.outcomes.iter().enumerate() {
        out.push(Block::Para(format!("Outcome {}: {outcome}", i + 1)));
    }
    out.push(table(
        &[
            ("Budget line", 4.0, Left),
            ("Kind", 3.0, Left),
            ("Flexible or stated", 2.0, Left),
        ],
        s.version
            .content
            .lines
            .iter()
            .map(|line| {
                let flexibility = if line.flexibility == Flexibility::Stated {
                    "Stated"
                } else {
                    "Flexible"
                };
                (
                    vec![
                        line.description.clone(),
                        line.category.label().to_owned(),
                        flexibility.to_owned(),
                    ],
                    false,
                )
            })
            .collect(),
    ));

    // 3. Money in.
    out.push(Block::Heading("Money in".into()));
    let mut rows = Vec::new();
    for group in &s.money_in {
        for entry in &group.entries {
            rows.push((
                vec![
                    format_date(entry.received_on),
                    group.source.clone(),
                    entry.kind.label().to_owned(),
                    entry.reference.clone(),
                    entry.amount.to_string(),
                ],
                false,
            ));
        }
        rows.push((
            vec![
                String::new(),
                format!("Total from {}", group.source),
                String::new(),
                String::new(),
                group.total.to_string(),
            ],
            true,
        ));
    }
    rows.push((
        vec![
            String::new(),
            "All money in".into(),
            String::new(),
            String::new(),
            s.money_in_total.to_string(),
        ],
        true,
    ));
    out.push(table(
        &[
            ("Date", 2.0, Left),
            ("From", 4.0, Left),
            ("What", 2.2, Left),
            ("Reference", 2.2, Left),
            ("Amount", 2.2, Right),
        ],
        rows,
    ));

    // 4. Money out by line.
    out.push(Block::Heading("Money out by budget line".into()));
    let mut rows: Vec<(Vec<String>, bool)> = s
        .lines
        .iter()
        .map(|line| {
            (
                vec![
                    line.description.clone(),
                    line.allocated.to_string(),
                    line.spent.to_string(),
                    line.difference.to_string(),
                ],
                false,
            )
        })
        .collect();
    if s.unassigned_spent != crate::money::Money::ZERO {
        rows.push((
            vec![
                "Not on a budget line".into(),
                String::new(),
                s.unassigned_spent.to_string(),
                String::new(),
            ],
            false,
        ));
    }
    let allocated =
        crate::money::Money::checked_sum(s.lines.iter().map(|l| l.allocated)).unwrap_or_default();
    rows.push((
        vec![
            "All money out".into(),
            allocated.to_string(),
            s.money_out_total.to_string(),
            String::new(),
        ],
        true,
    ));
    out.push(table(
        &[
            ("Budget line", 5.0, Left),
            ("Allocated for the period", 2.6, Right),
            ("Spent", 2.4, Right),
            ("Difference", 2.4, Right),
        ],
        rows,
    ));

    // 5. Reconciliation.
    out.push(Block::Heading("Reconciliation".into()));
    out.push(table(
        &[("", 6.0, Left), ("Amount", 3.0, Right)],
        vec![
            (
                vec![
                    format!("Balance on {}", format_date(s.from)),
                    s.opening_balance.to_string(),
                ],
                false,
            ),
            (
                vec!["Plus money in".into(), s.money_in_total.to_string()],
                false,
            ),
            (
                vec!["Less money out".into(), s.money_out_total.to_string()],
                false,
            ),
            (
                vec![
                    format!("Balance on {}", format_date(s.to)),
                    s.closing_balance.to_string(),
                ],
                true,
            ),
        ],
    ));
    out.push(Block::WriteOn(format!(
        "Balance on the bank or card statement on {}:",
        format_date(s.to)
    )));

    // 6. Surplus.
    out.push(Block::Heading("Money in hand".into()));
    out.push(Block::Para(match s.weeks_in_hand_tenths {
        Some(tenths) => format!(
            "{} in hand is {}{}.{} weeks of funding ({} a week). The local limit is {} weeks.",
            s.closing_balance,
            if tenths < 0 { "-" } else { "" },
            tenths.abs() / 10,
            tenths.abs() % 10,
            s.weekly_funding,
            s.surplus_limit_weeks
        ),
        None => "There is no weekly funding to measure the balance against.".into(),
    }));

    // 7. Exceptions.
    out.push(Block::Heading("Exceptions".into()));
    if s.exceptions.is_empty() {
        out.push(Block::Para(
            "None: every payment has its evidence, and none was cash or removed.".into(),
        ));
    } else {
        out.push(table(
            &[
                ("Date", 2.0, Left),
                ("Paid to", 3.5, Left),
                ("Amount", 2.0, Right),
                ("Why it is listed", 5.0, Left),
            ],
            s.exceptions
                .iter()
                .map(|e| {
                    let why = match e.kind {
                        ExceptionKind::NoEvidence => "No evidence",
                        ExceptionKind::Cash => "Cash",
                        ExceptionKind::Removed => "Removed",
                        ExceptionKind::OutsideThePlan => "May be outside the plan",
                    };
                    (
                        vec![
                            format_date(e.paid_on),
                            e.payee.clone(),
                            e.amount.to_string(),
                            format!("{why}. {}", e.detail),
                        ],
                        false,
                    )
                })
                .collect(),
        ));
    }

    // 8. Evidence index.
    out.push(Block::Heading("Evidence index".into()));
    out.push(table(
        &[
            ("Date", 2.0, Left),
            ("Paid to", 3.5, Left),
            ("Amount", 2.0, Right),
            ("Evidence", 5.0, Left),
        ],
        s.evidence
            .iter()
            .map(|e| {
                let evidence = if !e.files.is_empty() {
                    e.files.join("; ")
                } else if !e.no_evidence_reason.is_empty() {
                    format!("None: {}", e.no_evidence_reason)
                } else {
                    "None".into()
                };
                (
                    vec![
                        format_date(e.paid_on),
                        e.payee.clone(),
                        e.amount.to_string(),
                        evidence,
                    ],
                    false,
                )
            })
            .collect(),
    ));

    // 9. How it is working.
    out.push(Block::Heading("How it is working".into()));
    for (i, outcome) in s.version.content.outcomes.iter().enumerate() {
        out.push(Block::KeepLines(2));
        out.push(Block::Para(format!("Outcome {}: {outcome}", i + 1)));
        out.push(Block::WriteOn("Progress:".into()));
        out.push(Block::WriteOn("".into()));
    }
    out.push(Block::WriteOn(
        "What works, what doesn't, changes asked for:".into(),
    ));
    out.push(Block::WriteOn("".into()));

    // 10. Declaration.
    out.push(Block::Heading("Declaration".into()));
    out.push(Block::Para(
        "I confirm that this statement is a true record of the personal health budget for the period, that the money was spent on the agreed plan, and that the evidence listed is kept and can be shown."
            .into(),
    ));
    for who in ["Holder or representative", "Reviewer"] {
        out.push(Block::KeepLines(3));
        out.push(Block::Para(format!("{who}:")));
        out.push(Block::WriteOn("Signed:".into()));
        out.push(Block::WriteOn("Name:".into()));
        out.push(Block::WriteOn("Date:".into()));
    }
    out
}
