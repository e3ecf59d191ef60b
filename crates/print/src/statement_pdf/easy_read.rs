//! The easy-read page at the front of a printed statement, for holders
//! with learning disabilities, as the Accessible Information Standard asks:
//! short sentences, one idea to a line, plain words, large type, plenty of
//! white space, and a simple picture beside each idea. Every picture's
//! meaning is in the words beside it, so nothing rests on the picture.
//!
//! It lays out figures the [`Statement`] already has; it works none out.

use chrono::NaiveDate;
use printpdf::{
    Color, Line, LineCapStyle, LineJoinStyle, LinePoint, Op, PaintMode, Point, Polygon,
    PolygonRing, Pt, Rgb, WindingOrder,
};

use super::{Pages, Style, MARGIN, PAGE_HEIGHT, PAGE_WIDTH};
use crate::statement::{ExceptionKind, Statement};

/// The page's title.
const TITLE: f32 = 30.0;
/// Its words: never below 16 pt.
const TEXT: f32 = 18.0;
/// The second, smaller line of an idea: still 16 pt.
const SMALLEST: f32 = 16.0;
/// The figures that matter, and the period.
const FIGURE: f32 = 30.0;
/// How big a picture is drawn, in points.
const PICTURE: f32 = 58.0;
/// The gap between a picture and its words.
const GUTTER: f32 = 22.0;

/// A simple picture, drawn with lines and one colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Picture {
    /// A calendar: the period.
    Calendar,
    /// A pound coin going down into a box: money that came in.
    MoneyIn,
    /// A shopping bag: money spent.
    MoneyOut,
    /// A purse: money left in the account.
    Purse,
    /// A piggy bank: money left to spend in the plan year.
    PiggyBank,
    /// A tick in a circle: nothing to worry about.
    Tick,
    /// A warning triangle with "!": something to look at.
    Warning,
    /// A receipt: payments with no receipt.
    Receipt,
}

/// A line of words, at its size and weight.
struct Words {
    text: String,
    size: f32,
    bold: bool,
}

fn words(text: impl Into<String>, size: f32, bold: bool) -> Words {
    Words {
        text: text.into(),
        size,
        bold,
    }
}

/// One idea: a picture, and its words beside it.
struct Idea {
    picture: Picture,
    lines: Vec<Words>,
}

/// A day as easy read writes it: "1 April 2026", the month in full.
fn day(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// "1 payment", "3 payments".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The page's ideas, in order: the period, money in, money out, money
/// left in the account and in the plan.
fn figures(s: &Statement) -> Vec<Idea> {
    vec![
        Idea {
            picture: Picture::Calendar,
            lines: vec![
                words("This is about the money from", TEXT, false),
                words(format!("{} to {}", day(s.from), day(s.to)), TEXT, true),
            ],
        },
        Idea {
            picture: Picture::MoneyIn,
            lines: vec![
                words("Money we got", TEXT, false),
                words(s.money_in_total.to_string(), FIGURE, true),
            ],
        },
        Idea {
            picture: Picture::MoneyOut,
            lines: vec![
                words("Money we spent", TEXT, false),
                words(s.money_out_total.to_string(), FIGURE, true),
            ],
        },
        Idea {
            picture: Picture::Purse,
            lines: vec![
                words(format!("Money left on {}", day(s.to)), TEXT, false),
                words(s.closing_balance.to_string(), FIGURE, true),
            ],
        },
        Idea {
            picture: Picture::PiggyBank,
            lines: vec![
                words(
                    format!("Money left to spend until {}", day(s.plan_end)),
                    TEXT,
                    false,
                ),
                words(s.line_totals.left_for_year.to_string(), FIGURE, true),
            ],
        },
    ]
}

/// What a reviewer will ask about, in plain words; or that there is
/// nothing to worry about.
fn things_to_look_at(s: &Statement) -> Vec<Idea> {
    let mut ideas = Vec::new();
    let idea = |picture, first: String, second: &str| Idea {
        picture,
        lines: vec![words(first, TEXT, true), words(second, SMALLEST, false)],
    };
    let no_receipt = s.exceptions_of(ExceptionKind::NoEvidence);
    if no_receipt > 0 {
        ideas.push(idea(
            Picture::Receipt,
            format!(
                "{} no receipt.",
                count(no_receipt, "payment has", "payments have")
            ),
            "Find the receipts, or say why there are none.",
        ));
    }
    if s.over_surplus_limit() {
        ideas.push(idea(
            Picture::Warning,
            "There is more money in the account than the plan allows.".into(),
            "Money not spent may be taken back. Talk to your care coordinator.",
        ));
    }
    let over: Vec<&str> = s.lines_over().map(|l| l.description.as_str()).collect();
    match over.as_slice() {
        [] => {}
        [one] => ideas.push(idea(
            Picture::Warning,
            format!("We spent more than planned on {one}."),
            "Talk to your care coordinator about it.",
        )),
        many => ideas.push(idea(
            Picture::Warning,
            format!(
                "We spent more than planned on {} parts of the plan.",
                many.len()
            ),
            "Talk to your care coordinator about them.",
        )),
    }
    let not_allowed = s.exceptions_of(ExceptionKind::OutsideThePlan);
    if not_allowed > 0 {
        ideas.push(idea(
            Picture::Warning,
            format!(
                "{} not be allowed.",
                count(not_allowed, "payment may", "payments may")
            ),
            "Check with your care coordinator.",
        ));
    }
    if ideas.is_empty() {
        ideas.push(idea(
            Picture::Tick,
            "Nothing to worry about.".into(),
            "There is nothing you need to do.",
        ));
    }
    ideas
}

/// Draws the easy-read page (a second if the things to look at run over),
/// from the top of a new page.
pub(super) fn draw(pages: &mut Pages, s: &Statement) {
    pages.new_page();
    pages.y = Pages::top() + 6.0;
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let regular = pages.regular;
    pages.paragraph(true, TITLE, "Your money: easy read", TEXT * 0.5);
    pages.paragraph(
        false,
        TEXT,
        &format!("Hello {}.", s.holder.name),
        TEXT * 0.2,
    );
    pages.paragraph(
        false,
        TEXT,
        "This page tells you about your personal health budget.",
        TEXT * 0.9,
    );
    for idea in figures(s) {
        idea_row(pages, &idea);
    }
    // The heading kept with the first thing under it; if the things run
    // onto a second page, the heading says so there.
    let things = things_to_look_at(s);
    let heading = TEXT * 1.2;
    let heading_height = TEXT * 0.3 + Style::line(heading) + TEXT * 0.5;
    pages.ensure(heading_height + row_height(pages, &things[0]));
    for (i, idea) in things.iter().enumerate() {
        let title = match i {
            0 => "Things to look at",
            _ if pages.room() < row_height(pages, idea) => {
                pages.new_page();
                "More things to look at"
            }
            _ => "",
        };
        if !title.is_empty() {
            pages.y += TEXT * 0.3;
            pages.paragraph(true, heading, title, TEXT * 0.5);
        }
        idea_row(pages, idea);
    }
    pages.ensure(Style::line(SMALLEST) * 2.0);
    pages.y += TEXT * 0.2;
    let last = "All the details are on the next pages.";
    for line in regular.wrap(last, SMALLEST, width) {
        pages.y += Style::line(SMALLEST);
        pages.text(regular, SMALLEST, MARGIN, pages.y - SMALLEST * 0.3, &line);
    }
}

/// An idea's words wrapped beside its picture: each line's size, weight
/// and text; and their height.
fn idea_lines(pages: &Pages, idea: &Idea) -> (Vec<(f32, bool, String)>, f32) {
    let width = PAGE_WIDTH - MARGIN - (MARGIN + PICTURE + GUTTER);
    let lines: Vec<(f32, bool, String)> = idea
        .lines
        .iter()
        .flat_map(|w| {
            let face = if w.bold { pages.bold } else { pages.regular };
            face.wrap(&w.text, w.size, width)
                .into_iter()
                .map(move |line| (w.size, w.bold, line))
        })
        .collect();
    let height = lines.iter().map(|(size, ..)| Style::line(*size)).sum();
    (lines, height)
}

/// The room an idea's row takes, with the space under it.
fn row_height(pages: &Pages, idea: &Idea) -> f32 {
    idea_lines(pages, idea).1.max(PICTURE) + TEXT * 0.8
}

/// An idea's row: its picture on the left, its words beside it, kept
/// together on one page.
fn idea_row(pages: &mut Pages, idea: &Idea) {
    let left = MARGIN + PICTURE + GUTTER;
    let (lines, text_height) = idea_lines(pages, idea);
    pages.ensure(row_height(pages, idea));
    let top = pages.y;
    // The picture beside the middle of its words.
    let picture_top = top + (text_height - PICTURE).max(0.0) / 2.0;
    draw_picture(pages.current(), idea.picture, MARGIN, picture_top);
    // The words in the middle of the picture's height when they are fewer.
    let mut y = top + (PICTURE - text_height).max(0.0) / 2.0;
    for (size, bold, line) in &lines {
        y += Style::line(*size);
        let face = if *bold { pages.bold } else { pages.regular };
        pages.text(face, *size, left, y - size * 0.3, line);
    }
    pages.y = top + row_height(pages, idea);
}

// Pictures. Each is drawn in a square `PICTURE` points across, in its own
// coordinates from (0, 0) at the top left to (1, 1) at the bottom right:
// black outlines, white inside, one colour.

const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);
const WHITE: (f32, f32, f32) = (1.0, 1.0, 1.0);
const GOLD: (f32, f32, f32) = (0.98, 0.77, 0.18);
const BLUE: (f32, f32, f32) = (0.36, 0.62, 0.9);
const GREEN: (f32, f32, f32) = (0.52, 0.82, 0.42);
const AMBER: (f32, f32, f32) = (1.0, 0.74, 0.1);
const CORAL: (f32, f32, f32) = (0.98, 0.58, 0.45);
const PINK: (f32, f32, f32) = (0.97, 0.64, 0.72);
const PAPER: (f32, f32, f32) = (1.0, 0.95, 0.72);

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

/// A point of a path: on it, or a Bézier control point.
#[derive(Clone, Copy)]
enum P {
    /// A point the path goes through.
    At(f32, f32),
    /// A control point: two come before each curved piece's end.
    Ctl(f32, f32),
}

struct Pen<'a> {
    ops: &'a mut Vec<Op>,
    left: f32,
    top: f32,
}

impl Pen<'_> {
    fn point(&self, p: P) -> LinePoint {
        let ((u, v), bezier) = match p {
            P::At(u, v) => ((u, v), false),
            P::Ctl(u, v) => ((u, v), true),
        };
        LinePoint {
            p: Point {
                x: Pt(self.left + u * PICTURE),
                y: Pt(PAGE_HEIGHT - self.top - v * PICTURE),
            },
            bezier,
        }
    }

    /// Line width, as a share of the picture.
    fn width(&mut self, share: f32) {
        self.ops.push(Op::SetOutlineThickness {
            pt: Pt(share * PICTURE),
        });
    }

    /// A closed shape, filled with `fill` and outlined in black.
    fn shape(&mut self, fill: (f32, f32, f32), path: &[P]) {
        self.ops.push(Op::SetFillColor { col: rgb(fill) });
        let points = path.iter().map(|p| self.point(*p)).collect();
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::FillStroke,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// A closed shape filled in black, with no outline.
    fn solid(&mut self, path: &[P]) {
        self.ops.push(Op::SetFillColor { col: rgb(BLACK) });
        let points = path.iter().map(|p| self.point(*p)).collect();
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// An open line.
    fn line(&mut self, path: &[P]) {
        let points = path.iter().map(|p| self.point(*p)).collect();
        self.ops.push(Op::DrawLine {
            line: Line {
                points,
                is_closed: false,
            },
        });
    }

    fn rect(&mut self, fill: (f32, f32, f32), (u1, v1): (f32, f32), (u2, v2): (f32, f32)) {
        self.shape(
            fill,
            &[P::At(u1, v1), P::At(u2, v1), P::At(u2, v2), P::At(u1, v2)],
        );
    }

    fn ellipse(&mut self, fill: Option<(f32, f32, f32)>, (cu, cv): (f32, f32), ru: f32, rv: f32) {
        // Four Bézier quarters: the usual 0.5523 gives a circle to within
        // a hair's breadth.
        let (ku, kv) = (ru * 0.5523, rv * 0.5523);
        let path = [
            P::At(cu + ru, cv),
            P::Ctl(cu + ru, cv + kv),
            P::Ctl(cu + ku, cv + rv),
            P::At(cu, cv + rv),
            P::Ctl(cu - ku, cv + rv),
            P::Ctl(cu - ru, cv + kv),
            P::At(cu - ru, cv),
            P::Ctl(cu - ru, cv - kv),
            P::Ctl(cu - ku, cv - rv),
            P::At(cu, cv - rv),
            P::Ctl(cu + ku, cv - rv),
            P::Ctl(cu + ru, cv - kv),
            P::At(cu + ru, cv),
        ];
        match fill {
            Some(fill) => self.shape(fill, &path),
            None => self.solid(&path),
        }
    }

    /// A pound sign in the box from `(u, v)`, `size` high.
    fn pound(&mut self, (u, v): (f32, f32), size: f32) {
        let at = |x: f32, y: f32| (u + x * size, v + y * size);
        let p = |x, y| {
            let (a, b) = at(x, y);
            P::At(a, b)
        };
        let c = |x, y| {
            let (a, b) = at(x, y);
            P::Ctl(a, b)
        };
        self.width(size * 0.13);
        self.line(&[
            p(0.72, 0.22),
            c(0.68, 0.02),
            c(0.36, 0.0),
            p(0.36, 0.3),
            p(0.36, 0.68),
            c(0.36, 0.8),
            c(0.3, 0.88),
            p(0.18, 0.94),
            p(0.8, 0.94),
        ]);
        self.line(&[p(0.16, 0.55), p(0.62, 0.55)]);
    }

    /// A thick arrow from one point to another, its head filled black.
    fn arrow(&mut self, (u1, v1): (f32, f32), (u2, v2): (f32, f32)) {
        let (du, dv) = (u2 - u1, v2 - v1);
        let len = (du * du + dv * dv).sqrt();
        let (du, dv) = (du / len, dv / len);
        let head = 0.16;
        let base = (u2 - du * head, v2 - dv * head);
        self.width(0.07);
        self.line(&[P::At(u1, v1), P::At(base.0, base.1)]);
        let side = (-dv * head * 0.7, du * head * 0.7);
        self.solid(&[
            P::At(u2, v2),
            P::At(base.0 + side.0, base.1 + side.1),
            P::At(base.0 - side.0, base.1 - side.1),
        ]);
    }
}

/// Draws a picture with its top left corner at `left`, `top` (from the
/// page's top), leaving the colours and line width as they were.
fn draw_picture(ops: &mut Vec<Op>, picture: Picture, left: f32, top: f32) {
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor { col: rgb(BLACK) });
    ops.push(Op::SetLineJoinStyle {
        join: LineJoinStyle::Round,
    });
    ops.push(Op::SetLineCapStyle {
        cap: LineCapStyle::Round,
    });
    let mut pen = Pen { ops, left, top };
    pen.width(0.05);
    match picture {
        Picture::Calendar => {
            pen.rect(WHITE, (0.06, 0.14), (0.94, 0.94));
            pen.rect(BLUE, (0.06, 0.14), (0.94, 0.36));
            pen.width(0.07);
            pen.line(&[P::At(0.3, 0.04), P::At(0.3, 0.22)]);
            pen.line(&[P::At(0.7, 0.04), P::At(0.7, 0.22)]);
            for row in 0..3 {
                for col in 0..4 {
                    let (u, v) = (0.17 + col as f32 * 0.19, 0.46 + row as f32 * 0.15);
                    pen.solid(&[
                        P::At(u, v),
                        P::At(u + 0.09, v),
                        P::At(u + 0.09, v + 0.09),
                        P::At(u, v + 0.09),
                    ]);
                }
            }
        }
        Picture::MoneyIn => {
            // A pound coin going down into a box.
            pen.ellipse(Some(GOLD), (0.46, 0.34), 0.25, 0.25);
            pen.pound((0.335, 0.2), 0.25);
            pen.width(0.05);
            pen.rect(WHITE, (0.06, 0.52), (0.94, 0.96));
            pen.arrow((0.86, 0.04), (0.86, 0.46));
        }
        Picture::MoneyOut => {
            // A shopping bag with a pound sign on it.
            pen.width(0.06);
            pen.line(&[
                P::At(0.34, 0.38),
                P::At(0.34, 0.24),
                P::Ctl(0.34, 0.02),
                P::Ctl(0.66, 0.02),
                P::At(0.66, 0.24),
                P::At(0.66, 0.38),
            ]);
            pen.width(0.05);
            pen.shape(
                CORAL,
                &[
                    P::At(0.14, 0.32),
                    P::At(0.86, 0.32),
                    P::At(0.92, 0.96),
                    P::At(0.08, 0.96),
                ],
            );
            pen.ellipse(None, (0.34, 0.4), 0.035, 0.035);
            pen.ellipse(None, (0.66, 0.4), 0.035, 0.035);
            pen.pound((0.37, 0.5), 0.3);
        }
        Picture::Purse => {
            // A purse: a clasp on a rounded body.
            pen.width(0.05);
            pen.line(&[
                P::At(0.2, 0.42),
                P::Ctl(0.2, 0.18),
                P::Ctl(0.8, 0.18),
                P::At(0.8, 0.42),
            ]);
            pen.shape(
                GOLD,
                &[
                    P::At(0.1, 0.42),
                    P::At(0.9, 0.42),
                    P::At(0.94, 0.8),
                    P::Ctl(0.95, 0.94),
                    P::Ctl(0.9, 0.96),
                    P::At(0.8, 0.96),
                    P::At(0.2, 0.96),
                    P::Ctl(0.1, 0.96),
                    P::Ctl(0.05, 0.94),
                    P::At(0.06, 0.8),
                ],
            );
            pen.ellipse(Some(WHITE), (0.42, 0.2), 0.075, 0.075);
            pen.ellipse(Some(WHITE), (0.58, 0.2), 0.075, 0.075);
            pen.pound((0.38, 0.52), 0.3);
        }
        Picture::PiggyBank => {
            // Legs first, then the body over them, an ear, a snout, an
            // eye, and the slot for coins.
            pen.rect(PINK, (0.22, 0.7), (0.34, 0.9));
            pen.rect(PINK, (0.58, 0.7), (0.7, 0.9));
            pen.line(&[
                P::At(0.1, 0.5),
                P::Ctl(0.02, 0.46),
                P::Ctl(0.02, 0.38),
                P::At(0.08, 0.36),
            ]);
            pen.ellipse(Some(PINK), (0.48, 0.54), 0.38, 0.26);
            pen.shape(
                PINK,
                &[P::At(0.58, 0.32), P::At(0.64, 0.14), P::At(0.74, 0.34)],
            );
            pen.ellipse(Some(PINK), (0.87, 0.56), 0.08, 0.11);
            pen.ellipse(None, (0.86, 0.52), 0.018, 0.025);
            pen.ellipse(None, (0.86, 0.61), 0.018, 0.025);
            pen.ellipse(None, (0.72, 0.47), 0.035, 0.035);
            pen.width(0.07);
            pen.line(&[P::At(0.28, 0.36), P::At(0.46, 0.36)]);
        }
        Picture::Tick => {
            pen.ellipse(Some(GREEN), (0.5, 0.5), 0.44, 0.44);
            pen.width(0.1);
            pen.line(&[P::At(0.28, 0.52), P::At(0.44, 0.68), P::At(0.74, 0.34)]);
        }
        Picture::Warning => {
            pen.width(0.06);
            pen.shape(
                AMBER,
                &[P::At(0.5, 0.06), P::At(0.96, 0.9), P::At(0.04, 0.9)],
            );
            pen.width(0.1);
            pen.line(&[P::At(0.5, 0.36), P::At(0.5, 0.6)]);
            pen.ellipse(None, (0.5, 0.75), 0.055, 0.055);
        }
        Picture::Receipt => {
            // A till receipt with a torn edge, and its lines.
            let mut edge = vec![P::At(0.18, 0.04), P::At(0.82, 0.04), P::At(0.82, 0.88)];
            for i in 0..5 {
                let u = 0.82 - i as f32 * 0.128;
                edge.push(P::At(u - 0.064, 0.96));
                edge.push(P::At(u - 0.128, 0.88));
            }
            pen.shape(PAPER, &edge);
            pen.width(0.05);
            for v in [0.2, 0.34, 0.48] {
                pen.line(&[P::At(0.3, v), P::At(0.7, v)]);
            }
            pen.width(0.07);
            pen.line(&[P::At(0.46, 0.68), P::At(0.7, 0.68)]);
        }
    }
    ops.push(Op::RestoreGraphicsState);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_picture_stays_in_its_square_and_leaves_the_ink_black() {
        for picture in [
            Picture::Calendar,
            Picture::MoneyIn,
            Picture::MoneyOut,
            Picture::Purse,
            Picture::PiggyBank,
            Picture::Tick,
            Picture::Warning,
            Picture::Receipt,
        ] {
            let mut ops = Vec::new();
            let (left, top) = (MARGIN, 200.0);
            draw_picture(&mut ops, picture, left, top);
            // Its colours and line widths are put back, so the words
            // after it print black.
            assert!(matches!(ops.first(), Some(Op::SaveGraphicsState)));
            assert!(matches!(ops.last(), Some(Op::RestoreGraphicsState)));
            let saves = ops
                .iter()
                .filter(|op| matches!(op, Op::SaveGraphicsState))
                .count();
            assert_eq!(saves, 1, "{picture:?}");
            // Every point inside its square (a line's width aside), so it
            // never runs into the words beside it.
            let inside = |p: &LinePoint| {
                let (x, y) = (p.p.x.0, PAGE_HEIGHT - p.p.y.0);
                (left..=left + PICTURE).contains(&x) && (top..=top + PICTURE).contains(&y)
            };
            let mut points = 0;
            for op in &ops {
                let drawn: Vec<&LinePoint> = match op {
                    Op::DrawLine { line } => line.points.iter().collect(),
                    Op::DrawPolygon { polygon } => {
                        polygon.rings.iter().flat_map(|r| &r.points).collect()
                    }
                    _ => continue,
                };
                points += drawn.len();
                assert!(drawn.into_iter().all(inside), "{picture:?}");
            }
            assert!(points > 3, "{picture:?} draws something");
        }
    }
}
