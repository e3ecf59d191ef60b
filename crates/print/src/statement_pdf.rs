//! The review statement printed: A4 pages laid out from a [`Statement`],
//! with an embedded DejaVu Sans so £ and every Latin letter print.
//!
//! printpdf draws; this module lays out: it measures text with the font's
//! own glyph widths, wraps long text between words (never inside an amount
//! or a word, unless the word is wider than the page), puts right-to-left
//! text in the order it is read, sizes table columns from what they hold
//! (printing a table whose columns cannot fit as one block per row),
//! right-aligns amounts, repeats table headers on each page, never cuts a
//! table row across pages, and puts the holder, the period and "Page N of
//! M" on every page. Characters the font cannot draw are replaced with a
//! visible "□", never dropped.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use printpdf::{
    DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op, ParsedFont,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem, XObjectTransform,
};
use serde::Deserialize;
use ts_rs::TS;
use unicode_bidi::ParagraphBidiInfo;

use crate::error::{Error, Result};
use crate::evidence::{printable_photo, MediaType, PRINT_PIXELS};
use crate::input::{format_date, lower_first, optional_text};
use crate::money::Money;
use crate::plan::Flexibility;
use crate::statement::{ExceptionKind, Statement};

mod easy_read;

/// The most a review note for the statement (progress on an outcome, what
/// works) may hold: about a page of print. Longer than a payment's note
/// (`forms::MAX_NOTE_CHARS`), which is a line or two on a list.
pub const MAX_REVIEW_NOTE_CHARS: usize = 4_000;

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
    /// Start with an easy-read page: short sentences, large type, the few
    /// figures that matter, with pictures (the Accessible Information
    /// Standard asks for it).
    pub easy_read: bool,
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

/// What a table column holds, which says how it is aligned and whether its
/// cells may wrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// Words: left-aligned, wrapped between words.
    Text,
    /// A date: left-aligned, kept on one line.
    Date,
    /// An amount: right-aligned, kept on one line, never split.
    Amount,
}

impl Content {
    /// Whether a cell is one unbreakable piece, however many words.
    fn whole(self) -> bool {
        self != Content::Text
    }
}

struct Table {
    /// Each column's title and what it holds.
    columns: Vec<(String, Content)>,
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
        text.chars().map(|c| self.char_width(c, size)).sum()
    }

    fn char_width(&self, c: char, size: f32) -> f32 {
        let upm = f32::from(self.font.units_per_em.max(1));
        let units = self
            .font
            .lookup_glyph_index(c as u32)
            .and_then(|gid| self.font.get_glyph_width(gid))
            .map_or(0, u32::from);
        units as f32 / upm * size
    }

    /// The width of the widest word of (printable) text, that wrapping
    /// keeps whole, leaving out words wider than `cut`, which it cuts.
    fn widest_word(&self, text: &str, size: f32, cut: f32) -> f32 {
        text.split(' ')
            .map(|word| self.width(word, size))
            .filter(|width| *width <= cut)
            .fold(0.0, f32::max)
    }

    /// Breaks text into lines no wider than `max`, between words. A word
    /// is cut only when it is wider than `max` on its own, so a caller
    /// gives `max` at least the widest word that must stay whole.
    ///
    /// Lines are broken in the text's own (logical) order, then each is
    /// put in the order it is seen (visual order), since the PDF draws
    /// glyphs left to right: see [`visual`].
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let text = self.printable(text);
        let space = self.width(" ", size);
        let mut lines: Vec<Range<usize>> = Vec::new();
        // The line being filled: where it starts and ends, and its width.
        let mut line: Option<(usize, usize, f32)> = None;
        let mut at = 0;
        for word in text.split(' ') {
            let (start, end) = (at, at + word.len());
            at = end + 1;
            let width = self.width(word, size);
            match line {
                // Spaces that start a line are dropped.
                Some((from, to, _)) if from == to => {}
                Some((from, _, so_far)) if so_far + space + width <= max => {
                    line = Some((from, end, so_far + space + width));
                    continue;
                }
                Some((from, to, _)) => lines.push(from..to),
                None => {}
            }
            if width <= max {
                line = Some((start, end, width));
                continue;
            }
            // A word wider than the whole line is cut where it must be.
            let (mut from, mut so_far) = (start, 0.0);
            for (i, c) in word.char_indices() {
                let c_width = self.char_width(c, size);
                if so_far + c_width > max && start + i > from {
                    lines.push(from..start + i);
                    (from, so_far) = (start + i, 0.0);
                }
                so_far += c_width;
            }
            line = Some((from, end, so_far));
        }
        if let Some((from, to, _)) = line {
            lines.push(from..to);
        }
        let bidi = ParagraphBidiInfo::new(&text, None);
        lines
            .into_iter()
            .map(|range| visual(&bidi, range))
            .collect()
    }

    /// One line of text, not wrapped, in visual order.
    fn visual_line(&self, text: &str) -> String {
        self.wrap(text, 1.0, f32::INFINITY).concat()
    }
}

/// One line of a paragraph in the order it is seen, by the Unicode
/// Bidirectional Algorithm: right-to-left runs (Hebrew, say) reversed, with
/// their brackets mirrored. The paragraph takes the direction of its first
/// strong letter, as a browser's `dir=auto` does; it is still printed from
/// the left of its column, like everything else on the statement, so
/// columns line up under their headings.
fn visual(bidi: &ParagraphBidiInfo, line: Range<usize>) -> String {
    if !bidi.has_rtl() {
        return bidi.text[line].to_owned();
    }
    let (levels, runs) = bidi.visual_runs(line);
    let mut out = String::new();
    for run in runs {
        let piece = &bidi.text[run.clone()];
        if levels[run.start].is_rtl() {
            out.extend(piece.chars().rev().map(mirrored));
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// A bracket as drawn in right-to-left text: "(" there opens on the right,
/// so it is drawn as ")" (the Bidi_Mirrored pairs the statement may meet).
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
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

    /// A table, its columns sized from what they hold, its header repeated
    /// on each page, each row kept whole on one page and a group heading
    /// kept with the row under it. When even the narrowest columns cannot
    /// fit across the page (large print, long words), each row is printed
    /// as a block instead. An amount or a word is never split either way.
    fn table(&mut self, table: &Table) {
        let size = self.style.body;
        let (shape, rows) = self.lay_out(table);
        let lead = shape.lead(&rows);
        self.ensure(lead);
        self.start(&shape);
        let mut fresh = true;
        for (i, row) in rows.iter().enumerate() {
            let mut needed = row.height;
            if let RowLines::Heading(_) = row.lines {
                needed += rows.get(i + 1).map_or(0.0, |next| next.height);
            }
            if self.room() < needed && !fresh {
                // The row goes whole onto the next page, under the header again.
                self.new_page();
                self.start(&shape);
            }
            fresh = false;
            self.row(&shape, row);
        }
        self.y += Style::line(size) * 0.8;
    }

    /// The height a table needs at the foot of a page to start there: its
    /// header and first row (and the row under a group heading).
    fn table_lead(&self, table: &Table) -> f32 {
        let (shape, rows) = self.lay_out(table);
        shape.lead(&rows)
    }

    /// The table's shape and its rows wrapped to it.
    ///
    /// Columns when they fit, unless they are so narrow that the rows'
    /// blocks would take less room than the grid.
    fn lay_out(&self, table: &Table) -> (Shape, Vec<Row>) {
        let size = self.style.body;
        let pad = size * 0.22;
        let stacked = || {
            let shape = self.stacked_shape(table, size, pad);
            let rows = self.rows(table, &shape);
            (shape, rows)
        };
        let Some(widths) = self.column_widths(table, size, pad) else {
            return stacked();
        };
        let grid = self.grid_shape(table, &widths, size, pad);
        let rows = self.rows(table, &grid);
        let (blocks, block_rows) = stacked();
        let height = |shape: &Shape, rows: &[Row]| {
            shape.lead(&[]) + rows.iter().map(|row| row.height).sum::<f32>()
        };
        if height(&blocks, &block_rows) < height(&grid, &rows) {
            return (blocks, block_rows);
        }
        (grid, rows)
    }

    /// The table's rows wrapped to its shape.
    fn rows(&self, table: &Table, shape: &Shape) -> Vec<Row> {
        let size = self.style.body;
        let line_height = Style::line(size);
        let pad = size * 0.22;
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        table
            .rows
            .iter()
            .filter_map(|(cells, total)| {
                let face = if *total { self.bold } else { self.regular };
                let lines = if let [heading] = cells.as_slice() {
                    RowLines::Heading(self.bold.wrap(heading, size, width - 2.0 * pad))
                } else {
                    match shape {
                        Shape::Grid { lefts, inner, .. } => RowLines::Cells(
                            (0..cells.len())
                                .map(|i| {
                                    // Words may run on over the empty cells
                                    // after them ("Total from …").
                                    let last = spans_to(table, cells, i);
                                    let width = lefts[last] + inner[last] - lefts[i];
                                    face.wrap(&cells[i], size, width)
                                })
                                .collect(),
                        ),
                        Shape::Stacked {
                            labels,
                            label_width,
                            value_width,
                            ..
                        } => {
                            // The title is the first cell with anything in
                            // it (a total's first cell is often empty).
                            let first = cells.iter().position(|cell| !cell.trim().is_empty())?;
                            let title = self.bold.wrap(&cells[first], size, width - 2.0 * pad);
                            let fields = cells
                                .iter()
                                .enumerate()
                                .skip(first + 1)
                                .filter(|(_, cell)| !cell.trim().is_empty())
                                .map(|(i, cell)| Field {
                                    label: self.regular.wrap(&labels[i], size, *label_width),
                                    value: face.wrap(cell, size, *value_width),
                                    content: table.columns[i].1,
                                })
                                .collect();
                            RowLines::Block(title, fields)
                        }
                    }
                };
                let count = match &lines {
                    RowLines::Heading(lines) => lines.len(),
                    RowLines::Cells(cells) => cells.iter().map(Vec::len).max().unwrap_or(1),
                    RowLines::Block(title, fields) => {
                        title.len()
                            + fields
                                .iter()
                                .map(|f| f.label.len().max(f.value.len()))
                                .sum::<usize>()
                    }
                };
                let mut height = count as f32 * line_height + 2.0 * pad;
                if let RowLines::Heading(_) = lines {
                    height += size * 0.5;
                }
                Some(Row {
                    lines,
                    total: *total,
                    height,
                })
            })
            .collect()
    }

    /// Each column's width, padding included: at least its widest
    /// unbreakable piece (a word, a whole date or amount, the heading's
    /// words included), at the face it is printed in; the rest of the page
    /// width shared by how much more each column needs to print its cells
    /// on one line. `None` when those least widths are more than the page.
    fn column_widths(&self, table: &Table, size: f32, pad: f32) -> Option<Vec<f32>> {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        // A word wider than the page is cut whatever is done, so it does
        // not set a least width.
        let cut = width - 2.0 * pad;
        let count = table.columns.len();
        let (mut least, mut most) = (vec![0.0_f32; count], vec![0.0_f32; count]);
        // Words running on over empty cells ask no more of their column.
        let mut measure = |i: usize, face: &Face, text: &str, whole: bool, spans: bool| {
            let text = face.printable(text);
            let full = face.width(&text, size);
            let piece = if whole {
                full
            } else {
                face.widest_word(&text, size, cut)
            };
            least[i] = least[i].max(piece);
            if !spans {
                most[i] = most[i].max(full.min(cut));
            }
        };
        for (i, (title, _)) in table.columns.iter().enumerate() {
            measure(i, self.bold, title, false, false);
        }
        for (cells, total) in &table.rows {
            // A group heading spans the table.
            if cells.len() < 2 {
                continue;
            }
            let face = if *total { self.bold } else { self.regular };
            for (i, cell) in cells.iter().enumerate().take(count) {
                let spans = spans_to(table, cells, i) > i;
                measure(i, face, cell, table.columns[i].1.whole(), spans);
            }
        }
        // A little over the padding, so a piece measured to fit does.
        let padding = 2.0 * pad + 0.5;
        // And a gutter between two amounts, so they never run together.
        let gutter = |i: usize| match (
            i.checked_sub(1).map(|p| table.columns[p].1),
            table.columns[i].1,
        ) {
            (Some(Content::Amount), Content::Amount) => size * 0.6,
            _ => 0.0,
        };
        let least: Vec<f32> = least
            .iter()
            .enumerate()
            .map(|(i, w)| w + padding + gutter(i))
            .collect();
        let most: Vec<f32> = most
            .iter()
            .zip(&least)
            .map(|(w, l)| (w + padding).max(*l))
            .collect();
        let least_total: f32 = least.iter().sum();
        let most_total: f32 = most.iter().sum();
        if least_total > width {
            return None;
        }
        if most_total <= width {
            // Every cell fits on one line: the room left goes to the
            // columns of words, so amounts and dates stay close.
            let grows = |i: usize| table.columns[i].1 == Content::Text;
            let growing: f32 = (0..count).filter(|i| grows(*i)).map(|i| most[i]).sum();
            let left = width - most_total;
            return Some(
                (0..count)
                    .map(|i| {
                        if growing == 0.0 {
                            most[i] + left / count as f32
                        } else if grows(i) {
                            most[i] + left * most[i] / growing
                        } else {
                            most[i]
                        }
                    })
                    .collect(),
            );
        }
        // Some cells wrap: each column gets its least width and a share of
        // the rest by how much more it would take.
        let wanted = most_total - least_total;
        let left = width - least_total;
        Some(
            least
                .iter()
                .zip(&most)
                .map(|(l, m)| l + left * (m - l) / wanted)
                .collect(),
        )
    }

    fn grid_shape(&self, table: &Table, widths: &[f32], size: f32, pad: f32) -> Shape {
        let lefts: Vec<f32> = widths
            .iter()
            .scan(MARGIN, |x, w| {
                let left = *x;
                *x += w;
                Some(left)
            })
            .collect();
        let inner: Vec<f32> = widths.iter().map(|w| w - 2.0 * pad).collect();
        let header: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&inner)
            .map(|((title, _), w)| self.bold.wrap(title, size, *w))
            .collect();
        let header_height =
            header.iter().map(Vec::len).max().unwrap_or(1) as f32 * Style::line(size) + 2.0 * pad;
        Shape::Grid {
            contents: table.columns.iter().map(|(_, content)| *content).collect(),
            lefts,
            inner,
            header,
            header_height,
        }
    }

    /// Each row as a block: the row's first cell as a bold title, then
    /// each other cell under its column's heading, as "Spent: £1,234.56",
    /// the headings in one column and the amounts right-aligned in
    /// another.
    fn stacked_shape(&self, table: &Table, size: f32, pad: f32) -> Shape {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let indent = size;
        let labels: Vec<String> = table
            .columns
            .iter()
            .map(|(title, _)| {
                if title.is_empty() {
                    String::new()
                } else {
                    format!("{title}:")
                }
            })
            .collect();
        let label_room = (width - 2.0 * pad - indent) * 0.45;
        let label_width = labels
            .iter()
            .map(|label| self.regular.width(&self.regular.printable(label), size))
            .fold(0.0, f32::max)
            .min(label_room)
            + 0.5;
        let value_left = MARGIN + pad + indent + label_width + size * 0.8;
        let value_width = MARGIN + width - pad - value_left;
        let amount_width = table
            .rows
            .iter()
            .filter(|(cells, _)| cells.len() > 1)
            .flat_map(|(cells, _)| cells.iter().zip(&table.columns))
            .filter(|(_, (_, content))| *content == Content::Amount)
            .map(|(cell, _)| self.bold.width(&self.bold.printable(cell), size))
            .fold(0.0, f32::max)
            .min(value_width);
        Shape::Stacked {
            labels,
            label_left: MARGIN + pad + indent,
            label_width,
            value_left,
            value_width,
            amount_width,
        }
    }

    /// The table's start on a page: its header, or a rule.
    fn start(&mut self, shape: &Shape) {
        let size = self.style.body;
        let pad = size * 0.22;
        let line_height = Style::line(size);
        if let Shape::Grid {
            contents,
            lefts,
            inner,
            header,
            header_height,
        } = shape
        {
            let top = self.y;
            for (i, lines) in header.iter().enumerate() {
                for (n, line) in lines.iter().enumerate() {
                    let x = cell_x(self.bold, size, line, lefts[i] + pad, inner[i], contents[i]);
                    let y = top + pad + (n as f32 + 1.0) * line_height - size * 0.3;
                    self.text(self.bold, size, x, y, line);
                }
            }
            self.y += header_height;
        }
        self.rule(MARGIN, PAGE_WIDTH - MARGIN, self.y, 1.2);
    }

    fn row(&mut self, shape: &Shape, row: &Row) {
        let size = self.style.body;
        let pad = size * 0.22;
        let line_height = Style::line(size);
        let face = if row.total { self.bold } else { self.regular };
        let (left, right) = (MARGIN, PAGE_WIDTH - MARGIN);
        // The baseline of the nth line (from 0) of a row at `top`.
        let baseline = |top: f32, n: usize| top + pad + (n as f32 + 1.0) * line_height - size * 0.3;
        if row.total {
            self.rule(left, right, self.y, 1.0);
        }
        match (&row.lines, shape) {
            (RowLines::Heading(lines), _) => {
                let top = self.y + size * 0.5;
                for (n, line) in lines.iter().enumerate() {
                    self.text(self.bold, size, left + pad, baseline(top, n), line);
                }
                self.y += row.height;
                self.rule(left, right, self.y, 0.6);
                return;
            }
            (
                RowLines::Cells(cells),
                Shape::Grid {
                    contents,
                    lefts,
                    inner,
                    ..
                },
            ) => {
                for (i, lines) in cells.iter().enumerate() {
                    for (n, line) in lines.iter().enumerate() {
                        let x = cell_x(face, size, line, lefts[i] + pad, inner[i], contents[i]);
                        self.text(face, size, x, baseline(self.y, n), line);
                    }
                }
            }
            (
                RowLines::Block(title, fields),
                Shape::Stacked {
                    label_left,
                    value_left,
                    amount_width,
                    ..
                },
            ) => {
                for (n, line) in title.iter().enumerate() {
                    self.text(self.bold, size, left + pad, baseline(self.y, n), line);
                }
                let mut n = title.len();
                for field in fields {
                    for (k, line) in field.label.iter().enumerate() {
                        let y = baseline(self.y, n + k);
                        self.text(self.regular, size, *label_left, y, line);
                    }
                    for (k, line) in field.value.iter().enumerate() {
                        let x = cell_x(face, size, line, *value_left, *amount_width, field.content);
                        self.text(face, size, x, baseline(self.y, n + k), line);
                    }
                    n += field.label.len().max(field.value.len());
                }
            }
            _ => unreachable!("rows are laid out for their table's shape"),
        }
        self.y += row.height;
        self.rule(left, right, self.y, 0.3);
    }
}

/// How a table is printed.
enum Shape {
    /// In columns, with a header.
    Grid {
        contents: Vec<Content>,
        lefts: Vec<f32>,
        /// Each column's width inside its padding.
        inner: Vec<f32>,
        header: Vec<Vec<String>>,
        header_height: f32,
    },
    /// Each row as a block of "Heading: value" lines under a title.
    Stacked {
        /// Each column's heading, as "Spent:".
        labels: Vec<String>,
        label_left: f32,
        label_width: f32,
        value_left: f32,
        value_width: f32,
        /// The widest amount: amounts are right-aligned to it.
        amount_width: f32,
    },
}

impl Shape {
    /// The height of the table's start and its first row, and the row
    /// under that if it is a group heading.
    fn lead(&self, rows: &[Row]) -> f32 {
        let start = match self {
            Shape::Grid { header_height, .. } => *header_height,
            Shape::Stacked { .. } => 0.0,
        };
        let first = match rows {
            [] => 0.0,
            [heading, next, ..] if matches!(heading.lines, RowLines::Heading(_)) => {
                heading.height + next.height
            }
            [first, ..] => first.height,
        };
        start + first
    }
}

/// A table row wrapped to its table's shape.
struct Row {
    lines: RowLines,
    total: bool,
    height: f32,
}

enum RowLines {
    /// A group heading's lines, across the table.
    Heading(Vec<String>),
    /// In a grid: each cell's lines.
    Cells(Vec<Vec<String>>),
    /// Stacked: the title's lines, then each field.
    Block(Vec<String>, Vec<Field>),
}

/// A cell of a stacked row, under its column's heading.
struct Field {
    label: Vec<String>,
    value: Vec<String>,
    content: Content,
}

/// The last column a row's cell `i` may print across: a cell of words runs
/// on over the empty cells after it.
fn spans_to(table: &Table, cells: &[String], i: usize) -> usize {
    if table.columns[i].1 != Content::Text || cells[i].trim().is_empty() {
        return i;
    }
    let empty_after = cells[i + 1..]
        .iter()
        .take_while(|cell| cell.trim().is_empty())
        .count();
    (i + empty_after).min(table.columns.len() - 1)
}

/// Where a line of a cell starts: amounts are right-aligned in the cell.
fn cell_x(face: &Face, size: f32, line: &str, left: f32, width: f32, content: Content) -> f32 {
    match content {
        Content::Amount => left + width - face.width(line, size),
        Content::Text | Content::Date => left,
    }
}

/// Draws one line of text, already in visual order (see [`Face::wrap`]).
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
    if options.easy_read {
        // The easy-read page first; the statement starts on a page of its own.
        easy_read::draw(&mut pages, statement);
        pages.new_page();
    }
    let mut blocks = blocks(statement, options).into_iter().peekable();
    while let Some(block) = blocks.next() {
        match block {
            Block::Title(text) => {
                pages.ensure(Style::line(style.title) * 3.0);
                pages.paragraph(true, style.title, &text, style.body * 0.6);
            }
            Block::Heading(text) => {
                // Keep a heading with at least a few lines of what follows,
                // or with a table's header and first row.
                let few_lines = Style::line(style.body) * 4.0;
                let after = match blocks.peek() {
                    Some(Block::Table(table)) => {
                        (pages.table_lead(table) + style.body * 1.4).max(few_lines)
                    }
                    _ => few_lines,
                };
                pages.ensure(Style::line(style.heading) + after);
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
                let label = bold.visual_line(&label);
                let label_width = bold.width(&label, style.body);
                // A label that leaves too little to write on (a long one
                // in large print) has its line under it.
                let width = PAGE_WIDTH - 2.0 * MARGIN;
                let below = width - label_width - 8.0 < width / 3.0;
                pages.ensure(if below { height * 2.0 } else { height });
                pages.y += height;
                pages.text(
                    &bold,
                    style.body,
                    MARGIN,
                    pages.y - style.body * 0.3,
                    &label,
                );
                if below {
                    pages.y += height;
                    pages.rule(MARGIN, PAGE_WIDTH - MARGIN, pages.y, 0.6);
                } else {
                    let start = if label.is_empty() {
                        MARGIN
                    } else {
                        MARGIN + label_width + 8.0
                    };
                    pages.rule(start, PAGE_WIDTH - MARGIN, pages.y, 0.6);
                }
            }
        }
    }
    if options.receipt_images {
        receipts_appendix(&mut pages, &mut doc, receipts, read)?;
    }
    let count = pages.pages.len();
    // The holder and the period on every page, on one line: a name too
    // long for it is shortened there (it is printed whole on page 1).
    let period = format!(
        ": statement for {} to {}",
        format_date(statement.from),
        format_date(statement.to)
    );
    let mut name = regular.printable(&statement.holder.name);
    let room = PAGE_WIDTH - 2.0 * MARGIN - regular.width(&period, style.small);
    if regular.width(&name, style.small) > room {
        while regular.width(&format!("{name}…"), style.small) > room && name.pop().is_some() {}
        name = format!("{}…", name.trim_end());
    }
    let running = regular.visual_line(&format!("{name}{period}"));
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

fn table(columns: &[(&str, Content)], rows: Vec<(Vec<String>, bool)>) -> Block {
    Block::Table(Table {
        columns: columns
            .iter()
            .map(|(title, content)| ((*title).to_owned(), *content))
            .collect(),
        rows,
    })
}

/// The statement's sections, in the order `domain.md` gives them.
fn blocks(s: &Statement, options: &PrintOptions) -> Vec<Block> {
    use Content::{Amount, Date, Text};
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
            // Some roles' labels have brackets of their own, "Nominee
            // (chosen by them …)", so none go round them.
            .map(|a| format!("{} – {}", a.name, lower_first(a.role.label())))
            .collect();
        out.push(Block::Para(format!("Acting: {}.", acting.join("; "))));
    }
    let funders: Vec<String> = s
        .funding
        .iter()
        // The funder's label has brackets of its own, "NHS (integrated care
        // board)", so none go round it.
        .map(|funding| format!("{} – {}", funding.source, funding.kind))
        .collect();
    out.push(Block::Para(format!("Funded by: {}.", funders.join("; "))));
    out.push(Block::Para(format!(
        "Statement period: {} to {}. Plan: {}, {} to {}, version {} in force at the end of the period. {}",
        format_date(s.from),
        format_date(s.to),
        s.plan_name,
        format_date(s.plan_start),
        format_date(s.plan_end),
        s.version.number,
        s.agreement
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

    // 2. The agreed plan and its money.
    out.push(Block::Heading("The agreed plan".into()));
    for (i, outcome) in s.version.content.outcomes.iter().enumerate() {
        out.push(Block::Para(format!("Outcome {}: {outcome}", i + 1)));
    }
    out.push(Block::Label("The plan's money, funder by funder".into()));
    let mut rows: Vec<(Vec<String>, bool)> = s
        .funding
        .iter()
        .map(|funding| {
            (
                vec![
                    format!("{}: {}", funding.source, funding.working),
                    funding.for_year.to_string(),
                    funding.due_in_period.to_string(),
                    funding.received_in_period.to_string(),
                ],
                false,
            )
        })
        .collect();
    if s.funding.len() > 1 {
        rows.push((
            vec![
                "All funding".into(),
                s.funding_totals.for_year.to_string(),
                s.funding_totals.due_in_period.to_string(),
                s.funding_totals.received_in_period.to_string(),
            ],
            true,
        ));
    }
    out.push(table(
        &[
            ("Funder, and how it pays", Text),
            ("For the year", Amount),
            ("Due in this period", Amount),
            ("Received in this period", Amount),
        ],
        rows,
    ));
    out.push(Block::Label("The budget lines, for the year".into()));
    out.push(table(
        &[
            ("Budget line", Text),
            ("How the year's amount is worked out", Text),
            ("For the year", Amount),
        ],
        s.lines
            .iter()
            .map(|line| {
                let flexibility = s
                    .version
                    .content
                    .lines
                    .iter()
                    .find(|l| l.key == Some(line.key))
                    .map_or("", |l| {
                        if l.flexibility == Flexibility::Stated {
                            ", stated"
                        } else {
                            ", flexible"
                        }
                    });
                (
                    vec![
                        format!(
                            "{} – {}{flexibility}",
                            line.description,
                            line.category.label()
                        ),
                        format!("{}; {}", line.working, lower_first(line.pattern.label())),
                        line.for_year.to_string(),
                    ],
                    false,
                )
            })
            .collect(),
    ));
    if !s.revisions.is_empty() {
        out.push(Block::Label("What each review changed".into()));
        for revision in &s.revisions {
            out.push(Block::Para(format!(
                "Version {}, from {}: {} {}",
                revision.number,
                format_date(revision.effective_from),
                revision.reason,
                revision.agreement
            )));
            out.push(table(
                &[("What", Text), ("Before", Text), ("After", Text)],
                revision
                    .changes
                    .iter()
                    .map(|change| {
                        (
                            vec![
                                change.what.clone(),
                                change.before.clone(),
                                change.after.clone(),
                            ],
                            false,
                        )
                    })
                    .collect(),
            ));
        }
    }

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
            ("Date", Date),
            ("From", Text),
            ("What", Text),
            ("Reference", Text),
            ("Amount", Amount),
        ],
        rows,
    ));

    // 4. Money out by line: the year, what is due and spent to date, and
    // the period.
    out.push(Block::Heading("Money out by budget line".into()));
    let mut rows: Vec<(Vec<String>, bool)> = s
        .lines
        .iter()
        .map(|line| {
            let name = if line.note.is_empty() {
                line.description.clone()
            } else {
                format!("{} – {}", line.description, lower_first(&line.note))
            };
            (
                vec![
                    name,
                    line.for_year.to_string(),
                    line.due_to_date.to_string(),
                    line.spent.to_string(),
                    line.spent_to_date.to_string(),
                    line.left_for_year.to_string(),
                ],
                false,
            )
        })
        .collect();
    let totals = &s.line_totals;
    if s.unassigned_spent != Money::ZERO || totals.unassigned_to_date != Money::ZERO {
        rows.push((
            vec![
                "Not on a budget line".into(),
                String::new(),
                String::new(),
                s.unassigned_spent.to_string(),
                totals.unassigned_to_date.to_string(),
                String::new(),
            ],
            false,
        ));
    }
    rows.push((
        vec![
            "All money out".into(),
            totals.for_year.to_string(),
            totals.due_to_date.to_string(),
            totals.spent.to_string(),
            totals.spent_to_date.to_string(),
            totals.left_for_year.to_string(),
        ],
        true,
    ));
    let due_by = format!("Due by {}", format_date(s.to));
    out.push(table(
        &[
            ("Budget line", Text),
            ("For the year", Amount),
            (due_by.as_str(), Amount),
            ("Spent in the period", Amount),
            ("Spent to date", Amount),
            ("Left for the year", Amount),
        ],
        rows,
    ));

    // 5. Reconciliation.
    out.push(Block::Heading("Reconciliation".into()));
    out.push(table(
        &[("", Text), ("Amount", Amount)],
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
    if let Some(account) = &s.account {
        if !account.differences.is_empty() {
            // The sentence and the first differences on one page.
            out.push(Block::KeepLines(8));
        }
        out.push(Block::Para(account.sentence.clone()));
        if !account.differences.is_empty() {
            let money = |amount: Option<careledger_domain::money::Money>| {
                amount.map_or_else(|| "none".to_owned(), |amount| amount.to_string())
            };
            out.push(table(
                &[
                    ("Date", Date),
                    ("What", Text),
                    ("Difference", Text),
                    ("In the account", Amount),
                    ("Recorded", Amount),
                ],
                account
                    .differences
                    .iter()
                    .map(|difference| {
                        (
                            vec![
                                format_date(difference.date),
                                difference.description.clone(),
                                difference.what.clone(),
                                money(difference.in_account),
                                money(difference.recorded),
                            ],
                            false,
                        )
                    })
                    .collect(),
            ));
        }
    }
    if s.account.as_ref().is_none_or(|account| account.on != s.to) {
        out.push(Block::WriteOn(format!(
            "Balance on the bank or card statement on {}:",
            format_date(s.to)
        )));
    }

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
                ("Date", Date),
                ("Paid to", Text),
                ("Amount", Amount),
                ("Why it is listed", Text),
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
                ("Date", Date),
                ("Paid to", Text),
                ("Amount", Amount),
                ("Evidence", Text),
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
            MediaType::Png | MediaType::Jpeg => printable_photo(&read(receipt)?, PRINT_PIXELS),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> Face {
        let mut doc = PdfDocument::new("test");
        Face::load(dejavu::sans::regular(), &mut doc).unwrap()
    }

    #[test]
    fn wrapping_breaks_between_words_and_cuts_only_a_word_wider_than_the_line() {
        let face = face();
        let max = face.width("£23,692.32", 16.0) + 1.0;
        // Narrower than "£23,692.32 total": each piece on its own line, whole.
        assert_eq!(
            face.wrap("£23,692.32 total Difference", 16.0, max),
            ["£23,692.32", "total", "Difference"]
        );
        let long = "x".repeat(60);
        let lines = face.wrap(&format!("a {long} b"), 16.0, max);
        assert!(lines.len() > 3, "{lines:?}");
        assert_eq!(lines[0], "a");
        assert_eq!(lines.concat().replace(' ', ""), format!("a{long}b"));
        assert_eq!(face.wrap("", 16.0, max), [""]);
    }

    #[test]
    fn right_to_left_words_are_laid_out_as_seen() {
        let face = face();
        // Hebrew typed (logical) order is drawn right to left.
        assert_eq!(face.visual_line("מרפאה"), "האפרמ");
        // Inside an English line, only the Hebrew word turns round, and
        // its brackets stay the right way round.
        assert_eq!(
            face.visual_line("Payment to מרפאה (clinic) for 3 sessions"),
            "Payment to האפרמ (clinic) for 3 sessions"
        );
        // A Hebrew paragraph reads from the right: its first word last.
        assert_eq!(face.visual_line("שלום עולם"), "םלוע םולש");
        assert_eq!(face.visual_line("(שלום)"), "(םולש)");
        // Wrapping goes by reading order; each line is then turned.
        let max = face.width("שלום", 10.0) + 1.0;
        assert_eq!(face.wrap("שלום עולם", 10.0, max), ["םולש", "םלוע"]);
    }
}
