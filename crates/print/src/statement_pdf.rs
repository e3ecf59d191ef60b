//! The review statement printed: A4 pages laid out from a [`Statement`],
//! with an embedded DejaVu Sans so £ and every Latin letter print.
//!
//! printpdf draws; this module lays out: it measures text with the font's
//! own glyph widths, wraps long text, right-aligns amounts, repeats table
//! headers on each page, never cuts a table row across pages, and puts the
//! holder, the period and "Page N of M" on every page. Characters the font
//! cannot draw are replaced with a visible "□", never dropped.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use printpdf::{
    DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op, ParsedFont,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem, XObjectTransform,
};
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::evidence::{printable_photo, MediaType};
use crate::input::{format_date, optional_text};
use crate::money::Money;
use crate::plan::Flexibility;
use crate::statement::{ExceptionKind, Statement};

/// The most a review note for the statement (progress on an outcome, what
/// works) may hold: about a page of print. Longer than a payment's note
/// (`forms::MAX_NOTE_CHARS`), which is a line or two on a list.
pub const MAX_REVIEW_NOTE_CHARS: usize = 4_000;

/// A receipt photo is printed at most this many pixels on its longer side:
/// about 180 dots an inch across A4, plenty to read a till receipt.
const RECEIPT_PIXELS: u32 = 1_400;

/// How a statement is printed, as chosen on the statement screen or the
/// command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintOptions {
    /// At least 16 pt body text, for people who need it.
    pub large_print: bool,
    /// Add the receipts' images after the statement.
    pub receipt_images: bool,
    /// Progress on each outcome, in the plan's order, as typed. An empty
    /// one is printed as lines to write on.
    pub outcome_notes: Vec<String>,
    /// What works, what doesn't, and changes asked for.
    pub general_note: String,
}

impl PrintOptions {
    /// The options with their notes checked and tidied: not too long, no
    /// control characters, no more notes than the plan has outcomes.
    pub fn checked(&self, outcomes: usize) -> Result<PrintOptions> {
        // Notes typed against a later version's outcomes may outnumber the
        // period's; empty ones past the end say nothing and are dropped.
        let mut notes = self.outcome_notes.clone();
        while notes.len() > outcomes && notes.last().is_some_and(|n| n.trim().is_empty()) {
            notes.pop();
        }
        if notes.len() > outcomes {
            return Err(Error::invalid(
                "outcomeNotes",
                "There are more notes on progress than the plan had outcomes at the end of the \
                 period. Leave the extra ones empty, or choose a later end date.",
            ));
        }
        let outcome_notes = notes
            .iter()
            .enumerate()
            .map(|(i, note)| {
                optional_text(
                    &format!("outcomeNotes.{i}"),
                    "the note on progress",
                    note,
                    MAX_REVIEW_NOTE_CHARS,
                    true,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let general_note = optional_text(
            "generalNote",
            "the note on how it is working",
            &self.general_note,
            MAX_REVIEW_NOTE_CHARS,
            true,
        )?;
        Ok(PrintOptions {
            outcome_notes,
            general_note,
            ..self.clone()
        })
    }
}

/// An evidence file to print in the receipts appendix, named by its
/// SHA-256: its contents are read only when it comes to be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFile {
    /// The day the payment was made.
    pub paid_on: NaiveDate,
    /// Who was paid.
    pub payee: String,
    /// How much.
    pub amount: Money,
    /// What it is, as "Receipt: IMG_2041.jpg".
    pub label: String,
    /// PNG, JPEG or PDF.
    pub media_type: MediaType,
    /// The file's SHA-256, the key it is stored by.
    pub sha256: String,
}

/// A statement read from the store with what printing it needs: the
/// options checked, and the receipts to print, if any. Reading it is
/// quick, and is done while the store is held
/// (careledger-core's `Views::statement_to_print`);
/// drawing it (decoding and scaling each photo, laying out the pages) is
/// the slow part, and is [done](StatementToPrint::render) after the store
/// is let go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementToPrint {
    statement: Statement,
    options: PrintOptions,
    receipts: Vec<ReceiptFile>,
}

impl StatementToPrint {
    /// `options` must have been [checked](PrintOptions::checked) against
    /// the statement, and `receipts` be the statement's own.
    pub fn new(
        statement: Statement,
        options: PrintOptions,
        receipts: Vec<ReceiptFile>,
    ) -> StatementToPrint {
        StatementToPrint {
            statement,
            options,
            receipts,
        }
    }

    /// The statement's content.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    /// The receipts to print after it, in date order.
    pub fn receipts(&self) -> &[ReceiptFile] {
        &self.receipts
    }

    /// The statement and its PDF. `read` gives a receipt's file when it
    /// comes to be drawn (from the store, by
    /// careledger-store's `Store::evidence_content`); each
    /// is decoded, scaled, put in the document and let go before the next
    /// is read, so one photo at a time is held, whatever the number.
    pub fn render<E: From<Error>>(
        self,
        read: impl FnMut(&ReceiptFile) -> std::result::Result<Vec<u8>, E>,
    ) -> std::result::Result<(Statement, Vec<u8>), E> {
        let pdf = draw(&self.statement, &self.options, &self.receipts, read)?;
        Ok((self.statement, pdf))
    }
}

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
    /// Cells, and whether the row is a total (bold, ruled above). A row of
    /// one cell is a group heading across the whole table.
    rows: Vec<(Vec<String>, bool)>,
}

enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table(Table),
    /// A line to write on, with its label.
    WriteOn(String),
    /// A bold label kept with the paragraph after it.
    Label(String),
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

    /// The page being written, starting the first if need be.
    fn current(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, face: &Face, size: f32, x: f32, y_from_top: f32, text: &str) {
        let ops = self.current();
        write_text(ops, face, size, x, PAGE_HEIGHT - y_from_top, text);
    }

    fn rule(&mut self, x1: f32, x2: f32, y_from_top: f32, thickness: f32) {
        let ops = self.current();
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
        let pad = size * 0.22;
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
            if let [heading] = cells.as_slice() {
                let lines = self.bold.wrap(heading, size, width - 2.0 * pad);
                let height = lines.len() as f32 * line_height + 2.0 * pad + size * 0.5;
                // A group heading never ends a page: keep a row under it.
                if self.room() < height + line_height + 2.0 * pad {
                    self.new_page();
                    draw_header(self);
                }
                let top = self.y + size * 0.5;
                for (n, line) in lines.iter().enumerate() {
                    self.text(
                        self.bold,
                        size,
                        MARGIN + pad,
                        top + pad + (n as f32 + 1.0) * line_height - size * 0.3,
                        line,
                    );
                }
                self.y += height;
                self.rule(MARGIN, MARGIN + width, self.y, 0.6);
                continue;
            }
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

/// The statement as a PDF, ordinary or large print, with the notes written
/// for it, and without its receipts (`options.receipt_images` is not looked
/// at: [`StatementToPrint::render`] prints those). `options` should have
/// been [checked](PrintOptions::checked).
pub fn render_pdf(statement: &Statement, options: &PrintOptions) -> Result<Vec<u8>> {
    let options = PrintOptions {
        receipt_images: false,
        ..options.clone()
    };
    draw(statement, &options, &[], |_| -> Result<Vec<u8>> {
        Err(Error::Corrupt("a receipt to print without its file".into()))
    })
}

/// The statement as a PDF, with `receipts` after it if `options` ask for
/// them, each file got from `read` as it comes to be drawn.
fn draw<E: From<Error>>(
    statement: &Statement,
    options: &PrintOptions,
    receipts: &[ReceiptFile],
    read: impl FnMut(&ReceiptFile) -> std::result::Result<Vec<u8>, E>,
) -> std::result::Result<Vec<u8>, E> {
    let mut doc = PdfDocument::new(&format!(
        "Personal health budget statement: {}",
        statement.holder.name
    ));
    let regular = Face::load(dejavu::sans::regular(), &mut doc)?;
    let bold = Face::load(dejavu::sans::bold(), &mut doc)?;
    let style = Style::new(options.large_print);
    let mut pages = Pages {
        regular: &regular,
        bold: &bold,
        style,
        pages: Vec::new(),
        y: Pages::top(),
    };
    for block in blocks(statement, options) {
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
            Block::Label(text) => {
                pages.ensure(Style::line(style.body) * 3.0);
                pages.y += style.body * 0.8;
                pages.paragraph(true, style.body, &text, style.body * 0.3);
            }
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
    if options.receipt_images {
        receipts_appendix(&mut pages, &mut doc, receipts, read)?;
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
fn blocks(s: &Statement, options: &PrintOptions) -> Vec<Block> {
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
    rows.push((
        vec![
            "All money out".into(),
            s.allocated_total.to_string(),
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
                ("Paid to", 3.2, Left),
                ("Amount", 2.2, Right),
                ("Why it is listed", 5.1, Left),
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
                            // "No evidence" says it all; its detail repeats it.
                            if e.kind == ExceptionKind::NoEvidence {
                                e.detail.clone()
                            } else {
                                format!("{why}. {}", e.detail)
                            },
                        ],
                        false,
                    )
                })
                .collect(),
        ));
    }

    // 8. Evidence index, line by line.
    out.push(Block::Heading("Evidence index".into()));
    if s.evidence.is_empty() {
        out.push(Block::Para("No payments in the period.".into()));
    } else {
        let mut rows = Vec::new();
        for group in &s.evidence {
            rows.push((vec![group.heading.clone()], false));
            for e in &group.entries {
                let evidence = if e.files.is_empty() {
                    format!("No file: {}", e.no_evidence_reason)
                } else {
                    e.files.join("; ")
                };
                rows.push((
                    vec![
                        format_date(e.paid_on),
                        e.payee.clone(),
                        e.amount.to_string(),
                        evidence,
                    ],
                    false,
                ));
            }
            if group.without_evidence > 0 {
                let count = group.without_evidence;
                rows.push((
                    vec![
                        String::new(),
                        String::new(),
                        String::new(),
                        format!(
                            "{count} payment{} with none: see Exceptions",
                            if count == 1 { "" } else { "s" }
                        ),
                    ],
                    false,
                ));
            }
        }
        out.push(table(
            &[
                ("Date", 2.0, Left),
                ("Paid to", 3.2, Left),
                ("Amount", 2.2, Right),
                ("Evidence", 5.1, Left),
            ],
            rows,
        ));
    }

    // 9. How it is working.
    out.push(Block::Heading("How it is working".into()));
    for (i, outcome) in s.version.content.outcomes.iter().enumerate() {
        out.push(Block::KeepLines(2));
        out.push(Block::Para(format!("Outcome {}: {outcome}", i + 1)));
        let note = options.outcome_notes.get(i).map_or("", String::as_str);
        written_or_lines(&mut out, "Progress:", note);
    }
    written_or_lines(
        &mut out,
        "What works, what doesn't, changes asked for:",
        &options.general_note,
    );

    // 10. Declaration: its heading, its words and both signatures on one
    // page, so a reviewer never signs a page that shows nothing they sign
    // for. Room for the whole block is about eleven lines to write on.
    out.push(Block::KeepLines(11));
    out.push(Block::Heading("Declaration".into()));
    out.push(Block::Para(
        "I confirm that this statement is a true record of the personal health budget for the period, that the money was spent on the agreed plan, and that the evidence listed is kept and can be shown."
            .into(),
    ));
    for who in ["Holder or representative", "Reviewer"] {
        out.push(Block::KeepLines(3));
        out.push(Block::Label(format!("{who}:")));
        out.push(Block::WriteOn("Signed:".into()));
        out.push(Block::WriteOn("Name:".into()));
        out.push(Block::WriteOn("Date:".into()));
    }
    out
}

/// A note as written, one paragraph a line; or, with nothing written, two
/// lines to write on by hand.
fn written_or_lines(out: &mut Vec<Block>, label: &str, note: &str) {
    if note.trim().is_empty() {
        out.push(Block::WriteOn(label.into()));
        out.push(Block::WriteOn(String::new()));
        return;
    }
    out.push(Block::Label(label.into()));
    for paragraph in note.lines().filter(|line| !line.trim().is_empty()) {
        out.push(Block::Para(paragraph.to_owned()));
    }
}

/// The receipts appendix: each photo scaled to fit the page under its
/// caption, as many to a page as fit; a PDF file is named, since it cannot
/// be drawn here. Each photo is read, decoded and scaled in turn, and
/// dropped as soon as its scaled copy is in the document.
fn receipts_appendix<E>(
    pages: &mut Pages,
    doc: &mut PdfDocument,
    receipts: &[ReceiptFile],
    mut read: impl FnMut(&ReceiptFile) -> std::result::Result<Vec<u8>, E>,
) -> std::result::Result<(), E> {
    let style = pages.style;
    pages.new_page();
    pages.paragraph(true, style.title, "Appendix: receipts", style.body * 0.6);
    if receipts.is_empty() {
        pages.paragraph(
            false,
            style.body,
            "No payment in the period has a receipt or other file.",
            0.0,
        );
        return Ok(());
    }
    pages.paragraph(
        false,
        style.body,
        "The evidence kept for the payments in the period, in date order.",
        style.body,
    );
    let content_width = PAGE_WIDTH - 2.0 * MARGIN;
    let content_height = Pages::bottom() - Pages::top();
    for receipt in receipts {
        let caption = format!(
            "{}, {}, {}. {}",
            format_date(receipt.paid_on),
            receipt.payee,
            receipt.amount,
            receipt.label
        );
        let caption_height = Style::line(style.body) * 2.0;
        let photo = match receipt.media_type {
            MediaType::Png | MediaType::Jpeg => printable_photo(&read(receipt)?, RECEIPT_PIXELS),
            MediaType::Pdf => None,
        };
        let Some(photo) = photo else {
            let why = if receipt.media_type == MediaType::Pdf {
                "A PDF file, kept in Careledger with the payment. It is not shown here; print it on its own."
            } else {
                "This picture could not be read, so it is not shown."
            };
            pages.ensure(caption_height * 2.0);
            pages.paragraph(true, style.body, &caption, 0.0);
            pages.paragraph(false, style.body, why, style.body);
            continue;
        };
        // Fit the width and the room left on the page; never blow a small
        // picture up past twice its size, where it would only blur. When
        // the room left would shrink it below 40% of a page, start a new
        // page and give it a whole one.
        let (width_px, height_px) = (photo.width as f32, photo.height as f32);
        let fit = |height_room: f32| {
            (content_width / width_px)
                .min(height_room / height_px)
                .min(2.0)
        };
        let whole_page = fit(content_height - caption_height - style.body);
        let room_left = pages.room() - caption_height - style.body;
        let scale =
            if fit(room_left) * height_px >= (whole_page * height_px).min(content_height * 0.4) {
                fit(room_left)
            } else {
                pages.new_page();
                whole_page
            };
        let (width, height) = (width_px * scale, height_px * scale);
        pages.paragraph(true, style.body, &caption, style.body * 0.4);
        let id = doc.add_xobject(&jpeg_xobject(photo.jpeg, photo.width, photo.height));
        pages.y += height;
        let bottom = PAGE_HEIGHT - pages.y;
        let ops = pages.current();
        ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Pt(MARGIN)),
                translate_y: Some(Pt(bottom)),
                scale_x: Some(width),
                scale_y: Some(height),
                no_auto_scale: true,
                ..XObjectTransform::default()
            },
        });
        pages.y += style.body * 1.2;
    }
    Ok(())
}

/// A JPEG as a PDF image, passed through as it is (the DCT filter is
/// JPEG), so no image codec is needed in the PDF writer.
fn jpeg_xobject(jpeg: Vec<u8>, width: u32, height: u32) -> ExternalXObject {
    let name = |text: &str| DictItem::Name(text.as_bytes().to_vec());
    let dict = BTreeMap::from([
        ("Type".to_owned(), name("XObject")),
        ("Subtype".to_owned(), name("Image")),
        ("Width".to_owned(), DictItem::Int(i64::from(width))),
        ("Height".to_owned(), DictItem::Int(i64::from(height))),
        ("ColorSpace".to_owned(), name("DeviceRGB")),
        ("BitsPerComponent".to_owned(), DictItem::Int(8)),
        ("Filter".to_owned(), name("DCTDecode")),
    ]);
    ExternalXObject {
        stream: ExternalStream {
            dict,
            content: jpeg,
            compress: false,
        },
        width: None,
        height: None,
        dpi: None,
    }
}
