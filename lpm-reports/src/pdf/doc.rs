//! Page layout on top of printpdf's operations: text in the bundled font, wrapping and
//! truncation, headings, key/value blocks, multi-page tables with repeated headers, and the
//! "Page N of M" footers added once the page count is known.

use chrono::{DateTime, Utc};
use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Polygon, PolygonRing, Pt, Rgb, TextItem, TextMatrix, WindingOrder,
};

use super::fonts::{Fonts, UsedChars, Weight};
use crate::error::ReportError;
use crate::format;

/// A4 in points.
const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;
/// Left, right and top margin.
pub(crate) const MARGIN: f32 = 40.0;
/// Space kept free at the bottom for the footer.
const BOTTOM: f32 = 48.0;
const ELLIPSIS: char = '\u{2026}';

/// An RGB colour, 0–1 per channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb3(pub(crate) f32, pub(crate) f32, pub(crate) f32);

impl Rgb3 {
    pub(crate) const BLACK: Rgb3 = Rgb3(0.0, 0.0, 0.0);
    pub(crate) const DARK: Rgb3 = Rgb3(0.2, 0.2, 0.2);
    pub(crate) const GREY: Rgb3 = Rgb3(0.4, 0.4, 0.4);
    pub(crate) const RULE: Rgb3 = Rgb3(0.75, 0.75, 0.75);
    pub(crate) const HEADER_BG: Rgb3 = Rgb3(0.86, 0.89, 0.93);
    pub(crate) const ZEBRA: Rgb3 = Rgb3(0.96, 0.96, 0.97);
    pub(crate) const ACCENT: Rgb3 = Rgb3(0.13, 0.30, 0.53);
    pub(crate) const BAD: Rgb3 = Rgb3(0.75, 0.12, 0.12);
    pub(crate) const GOOD: Rgb3 = Rgb3(0.15, 0.50, 0.25);

    pub(crate) fn from_u8(r: u8, g: u8, b: u8) -> Self {
        Rgb3(
            f32::from(r) / 255.0,
            f32::from(g) / 255.0,
            f32::from(b) / 255.0,
        )
    }

    fn color(self) -> Color {
        Color::Rgb(Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
    }
}

/// Page orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Orientation {
    Portrait,
    Landscape,
}

/// Horizontal alignment in a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A table column: title, relative width, alignment and how many lines a cell may wrap to
/// (the last line ends in an ellipsis when the text is longer).
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub(crate) title: &'static str,
    pub(crate) weight: f32,
    pub(crate) align: Align,
    pub(crate) max_lines: usize,
}

impl Col {
    pub(crate) fn left(title: &'static str, weight: f32, max_lines: usize) -> Self {
        Self {
            title,
            weight,
            align: Align::Left,
            max_lines,
        }
    }

    pub(crate) fn right(title: &'static str, weight: f32) -> Self {
        Self {
            title,
            weight,
            align: Align::Right,
            max_lines: 1,
        }
    }
}

#[derive(Debug)]
struct Page {
    w: f32,
    h: f32,
    orientation: Orientation,
    ops: Vec<Op>,
}

/// A PDF being laid out. Coordinates given to its methods are in points from the page's
/// top-left corner, y growing downwards; they are flipped for PDF here.
#[derive(Debug)]
pub(crate) struct Doc {
    fonts: &'static Fonts,
    used: UsedChars,
    pages: Vec<Page>,
    title: String,
    generated_at: DateTime<Utc>,
    /// The page drawn on (the last one, except while footers are added).
    current: usize,
    /// The layout cursor on the last page, from the top.
    pub(crate) y: f32,
}

impl Doc {
    pub(crate) fn new(title: &str, generated_at: DateTime<Utc>) -> Result<Self, ReportError> {
        Ok(Self {
            fonts: Fonts::get()?,
            used: UsedChars::default(),
            pages: Vec::new(),
            title: title.to_owned(),
            generated_at,
            current: 0,
            y: MARGIN,
        })
    }

    /// Starts a page.
    pub(crate) fn add_page(&mut self, orientation: Orientation) {
        let (w, h) = match orientation {
            Orientation::Portrait => (A4_SHORT, A4_LONG),
            Orientation::Landscape => (A4_LONG, A4_SHORT),
        };
        self.pages.push(Page {
            w,
            h,
            orientation,
            ops: Vec::new(),
        });
        self.current = self.pages.len() - 1;
        self.y = MARGIN;
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.add_page(Orientation::Portrait);
        }
        let i = self.current.min(self.pages.len() - 1);
        &mut self.pages[i]
    }

    fn page_height(&self) -> f32 {
        self.pages.last().map_or(A4_LONG, |p| p.h)
    }

    /// Width of the current page.
    pub(crate) fn page_width(&self) -> f32 {
        self.pages.last().map_or(A4_SHORT, |p| p.w)
    }

    /// Usable width between the margins.
    pub(crate) fn content_width(&self) -> f32 {
        self.page_width() - 2.0 * MARGIN
    }

    /// The lowest y content may reach.
    pub(crate) fn bottom(&self) -> f32 {
        self.page_height() - BOTTOM
    }

    fn orientation(&self) -> Orientation {
        self.pages
            .last()
            .map_or(Orientation::Portrait, |p| p.orientation)
    }

    /// Starts a new page (same orientation) unless `height` more points fit.
    pub(crate) fn ensure_space(&mut self, height: f32) {
        if self.pages.is_empty() || self.y + height > self.bottom() {
            let o = self.orientation();
            self.add_page(o);
        }
    }

    /// Width of `text` in points.
    pub(crate) fn text_width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.fonts.face(weight).width(text, size)
    }

    /// Draws one line of text with its baseline at `y`, optionally rotated by `angle_ccw`
    /// degrees around its start.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text_rotated(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb3,
        text: &str,
        angle_ccw: f32,
    ) {
        let printable = self.fonts.printable(text, weight);
        if printable.trim().is_empty() {
            return;
        }
        self.used.note(weight, &printable);
        let page = self.page();
        let py = page.h - y;
        let (sin, cos) = angle_ccw.to_radians().sin_cos();
        page.ops.extend([
            Op::SetFillColor { col: color.color() },
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(weight.font_id()),
                size: Pt(size),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Raw([cos, sin, -sin, cos, x, py]),
            },
            Op::ShowText {
                items: vec![TextItem::Text(printable)],
            },
            Op::EndTextSection,
        ]);
    }

    /// Draws one line of text with its baseline at `y`.
    pub(crate) fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb3,
        text: &str,
    ) {
        self.text_rotated(x, y, size, weight, color, text, 0.0);
    }

    /// Draws one line of text ending at `right`.
    pub(crate) fn text_right(
        &mut self,
        right: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb3,
        text: &str,
    ) {
        let w = self.text_width(&self.fonts.printable(text, weight), size, weight);
        self.text(right - w, y, size, weight, color, text);
    }

    /// Fills a rectangle given by its top-left corner.
    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb3) {
        self.fill_polygon(&[(x, y), (x + w, y), (x + w, y + h), (x, y + h)], color);
    }

    /// Fills a polygon.
    pub(crate) fn fill_polygon(&mut self, points: &[(f32, f32)], color: Rgb3) {
        if points.len() < 3 {
            return;
        }
        let page = self.page();
        let h = page.h;
        page.ops.extend([
            Op::SetFillColor { col: color.color() },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: points.iter().map(|(x, y)| point(*x, h - y)).collect(),
                    }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// Strokes a polyline.
    pub(crate) fn polyline(&mut self, points: &[(f32, f32)], width: f32, color: Rgb3) {
        if points.len() < 2 {
            return;
        }
        let page = self.page();
        let h = page.h;
        page.ops.extend([
            Op::SetOutlineColor { col: color.color() },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::DrawLine {
                line: Line {
                    points: points.iter().map(|(x, y)| point(*x, h - y)).collect(),
                    is_closed: false,
                },
            },
        ]);
    }

    /// Strokes a rectangle's outline.
    pub(crate) fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32, c: Rgb3) {
        self.polyline(
            &[(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)],
            width,
            c,
        );
    }

    /// Splits `text` into at most `max_lines` lines no wider than `width`; words longer than
    /// a line are broken, and text that does not fit ends in an ellipsis.
    pub(crate) fn wrap(
        &self,
        text: &str,
        size: f32,
        weight: Weight,
        width: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let face = self.fonts.face(weight);
        let text = self.fonts.printable(text, weight);
        let max_lines = max_lines.max(1);
        let space = face.width(" ", size);
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        let mut overflow = false;
        'words: for word in text.split_whitespace() {
            let word_w = face.width(word, size);
            let sep = if line.is_empty() { 0.0 } else { space };
            if line_w + sep + word_w <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + word_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
                if lines.len() == max_lines {
                    overflow = true;
                    break 'words;
                }
            }
            // The word starts a line; break it where it is wider than the line.
            for c in word.chars() {
                let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
                if line_w + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                    if lines.len() == max_lines {
                        overflow = true;
                        break 'words;
                    }
                }
                line.push(c);
                line_w += cw;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        if overflow && let Some(last) = lines.last_mut() {
            *last = self.ellipsize(last, size, weight, width);
        }
        lines
    }

    /// Cuts `text` so that it and an ellipsis fit in `width`.
    fn ellipsize(&self, text: &str, size: f32, weight: Weight, width: f32) -> String {
        let face = self.fonts.face(weight);
        let budget = width - face.width(&ELLIPSIS.to_string(), size);
        let mut out = String::new();
        let mut w = 0.0;
        for c in text.chars() {
            let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
            if w + cw > budget {
                break;
            }
            out.push(c);
            w += cw;
        }
        let mut out = out.trim_end().to_owned();
        out.push(ELLIPSIS);
        out
    }

    /// A section heading at the cursor; moves to a new page when fewer than `keep` points
    /// would remain under it.
    pub(crate) fn heading(&mut self, text: &str, size: f32, keep: f32) {
        self.ensure_space(size * 1.8 + keep);
        let y = self.y + size;
        let w = self.content_width();
        for (i, line) in self
            .wrap(text, size, Weight::Bold, w, 2)
            .into_iter()
            .enumerate()
        {
            self.text(
                MARGIN,
                y + i as f32 * size * 1.2,
                size,
                Weight::Bold,
                Rgb3::ACCENT,
                &line,
            );
            self.y = y + i as f32 * size * 1.2;
        }
        self.y += size * 0.8;
    }

    /// A wrapped paragraph at the cursor.
    pub(crate) fn paragraph(&mut self, text: &str, size: f32, color: Rgb3) {
        let w = self.content_width();
        for line in self.wrap(text, size, Weight::Regular, w, usize::MAX) {
            self.ensure_space(size * 1.35);
            self.y += size * 1.1;
            self.text(MARGIN, self.y, size, Weight::Regular, color, &line);
            self.y += size * 0.25;
        }
        self.y += size * 0.5;
    }

    /// Label/value lines at the cursor, labels in bold.
    pub(crate) fn key_values(&mut self, rows: &[(String, String)], size: f32) {
        let label_w = rows
            .iter()
            .map(|(k, _)| self.text_width(k, size, Weight::Bold))
            .fold(0.0_f32, f32::max)
            .min(self.content_width() * 0.4)
            + 12.0;
        let value_w = self.content_width() - label_w;
        for (k, v) in rows {
            let label = self.wrap(k, size, Weight::Bold, label_w - 12.0, 1);
            let lines = self.wrap(v, size, Weight::Regular, value_w, 4);
            let lines = if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
            };
            self.ensure_space(lines.len() as f32 * size * 1.35);
            let y0 = self.y + size;
            if let Some(label) = label.first() {
                self.text(MARGIN, y0, size, Weight::Bold, Rgb3::DARK, label);
            }
            for (i, line) in lines.iter().enumerate() {
                let y = y0 + i as f32 * size * 1.3;
                self.text(
                    MARGIN + label_w,
                    y,
                    size,
                    Weight::Regular,
                    Rgb3::BLACK,
                    line,
                );
            }
            self.y += lines.len() as f32 * size * 1.3 + size * 0.3;
        }
        self.y += size * 0.6;
    }

    /// A table at the cursor, continued on as many pages as it needs with the header repeated
    /// on each. Shows at most `limit` rows and says how many were left out; an empty table
    /// shows "No data".
    pub(crate) fn table<I>(&mut self, title: &str, cols: &[Col], rows: I, limit: usize)
    where
        I: IntoIterator<Item = Vec<String>>,
    {
        const SIZE: f32 = 7.5;
        const LINE: f32 = SIZE * 1.22;
        const PAD_X: f32 = 3.0;
        const PAD_Y: f32 = 2.6;
        let total_weight: f32 = cols.iter().map(|c| c.weight).sum::<f32>().max(1e-3);
        let draw_header = |doc: &mut Doc, continued: bool| -> Vec<f32> {
            let widths: Vec<f32> = cols
                .iter()
                .map(|c| c.weight / total_weight * doc.content_width())
                .collect();
            let label = if continued {
                format!("{title} (continued)")
            } else {
                title.to_owned()
            };
            doc.heading(&label, 11.0, 3.0 * LINE + 2.0 * PAD_Y);
            let header: Vec<Vec<String>> = cols
                .iter()
                .zip(&widths)
                .map(|(c, w)| doc.wrap(c.title, SIZE, Weight::Bold, w - 2.0 * PAD_X, 2))
                .collect();
            let lines = header.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = lines as f32 * LINE + 2.0 * PAD_Y;
            let y = doc.y;
            let cw = doc.content_width();
            doc.fill_rect(MARGIN, y, cw, h, Rgb3::HEADER_BG);
            let mut x = MARGIN;
            for ((col, w), cell) in cols.iter().zip(&widths).zip(&header) {
                for (i, line) in cell.iter().enumerate() {
                    let by = y + PAD_Y + SIZE * 0.95 + i as f32 * LINE;
                    match col.align {
                        Align::Left => {
                            doc.text(x + PAD_X, by, SIZE, Weight::Bold, Rgb3::BLACK, line);
                        }
                        Align::Right => {
                            doc.text_right(x + w - PAD_X, by, SIZE, Weight::Bold, Rgb3::BLACK, line)
                        }
                    }
                }
                x += w;
            }
            doc.y = y + h;
            widths
        };
        let mut widths = draw_header(self, false);
        let mut shown = 0usize;
        let mut total = 0usize;
        for row in rows {
            total += 1;
            if shown >= limit {
                continue;
            }
            let cells: Vec<Vec<String>> = cols
                .iter()
                .zip(&widths)
                .zip(&row)
                .map(|((c, w), text)| {
                    self.wrap(text, SIZE, Weight::Regular, w - 2.0 * PAD_X, c.max_lines)
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = lines as f32 * LINE + 2.0 * PAD_Y;
            if self.y + h > self.bottom() {
                let o = self.orientation();
                self.add_page(o);
                widths = draw_header(self, true);
            }
            let y = self.y;
            let cw = self.content_width();
            if shown % 2 == 1 {
                self.fill_rect(MARGIN, y, cw, h, Rgb3::ZEBRA);
            }
            let mut x = MARGIN;
            for ((col, w), cell) in cols.iter().zip(&widths).zip(&cells) {
                for (i, line) in cell.iter().enumerate() {
                    let by = y + PAD_Y + SIZE * 0.95 + i as f32 * LINE;
                    match col.align {
                        Align::Left => {
                            self.text(x + PAD_X, by, SIZE, Weight::Regular, Rgb3::BLACK, line);
                        }
                        Align::Right => self.text_right(
                            x + w - PAD_X,
                            by,
                            SIZE,
                            Weight::Regular,
                            Rgb3::BLACK,
                            line,
                        ),
                    }
                }
                x += w;
            }
            self.polyline(&[(MARGIN, y + h), (MARGIN + cw, y + h)], 0.3, Rgb3::RULE);
            self.y = y + h;
            shown += 1;
        }
        if total == 0 {
            self.ensure_space(LINE + 2.0 * PAD_Y);
            let y = self.y + PAD_Y + SIZE;
            self.text(
                MARGIN + PAD_X,
                y,
                SIZE + 1.0,
                Weight::Bold,
                Rgb3::GREY,
                "No data",
            );
            self.y = y + PAD_Y + 2.0;
        } else if shown < total {
            self.ensure_space(2.0 * LINE);
            let y = self.y + LINE + 2.0;
            let note = format!(
                "Showing the first {} of {} rows; the CSV export has them all.",
                format::count(shown as u64),
                format::count(total as u64)
            );
            self.text(MARGIN, y, SIZE, Weight::Bold, Rgb3::BAD, &note);
            self.y = y + 4.0;
        }
        self.y += 14.0;
    }

    /// Adds the footers and serialises the document.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, ReportError> {
        if self.pages.is_empty() {
            self.add_page(Orientation::Portrait);
        }
        let n = self.pages.len();
        let left = format!(
            "{} \u{2014} generated {}",
            self.title,
            format::datetime(self.generated_at)
        );
        for i in 0..n {
            self.current = i;
            let (w, h) = (self.pages[i].w, self.pages[i].h);
            self.polyline(
                &[(MARGIN, h - 34.0), (w - MARGIN, h - 34.0)],
                0.4,
                Rgb3::RULE,
            );
            let max_left = w - 2.0 * MARGIN - 80.0;
            let left = self
                .wrap(&left, 7.5, Weight::Regular, max_left, 1)
                .into_iter()
                .next()
                .unwrap_or_default();
            self.text(MARGIN, h - 24.0, 7.5, Weight::Regular, Rgb3::GREY, &left);
            let label = format!("Page {} of {}", i + 1, n);
            self.text_right(
                w - MARGIN,
                h - 24.0,
                7.5,
                Weight::Regular,
                Rgb3::GREY,
                &label,
            );
        }
        let mut pdf = PdfDocument::new(&self.title);
        if let Ok(at) = printpdf::OffsetDateTime::from_unix_timestamp(self.generated_at.timestamp())
        {
            pdf.metadata.info.creation_date = at;
            pdf.metadata.info.modification_date = at;
            pdf.metadata.info.metadata_date = at;
        }
        pdf.metadata.info.creator = "lpm-reports".to_owned();
        pdf.metadata.info.producer = "lpm-reports (printpdf)".to_owned();
        self.used.embed(self.fonts, &mut pdf)?;
        let pages = std::mem::take(&mut self.pages)
            .into_iter()
            .map(|p| PdfPage::new(Mm::from(Pt(p.w)), Mm::from(Pt(p.h)), p.ops))
            .collect();
        let bytes = pdf
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut Vec::new());
        Ok(bytes)
    }
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}
