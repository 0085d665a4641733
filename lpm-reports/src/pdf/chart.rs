//! Charts: plotters lays them out (axes, ticks, labels, legends) and draws them through
//! [`PdfBackend`], a plotters backend that emits printpdf operations, so charts are vector
//! graphics with real, searchable text in the bundled font (no bitmaps, no SVG pipeline).

use std::convert::Infallible;

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};

use super::doc::{Doc, MARGIN, Rgb3};
use super::fonts::Weight;
use crate::error::ReportError;

/// Points per backend unit: plotters works in integer units, half a point keeps lines smooth.
const UNIT: f32 = 0.5;
const FONT: &str = "sans-serif";

/// A plotters drawing backend that draws into a rectangle of the current page.
#[derive(Debug)]
pub(crate) struct PdfBackend<'a> {
    doc: &'a mut Doc,
    x0: f32,
    y0: f32,
    w: u32,
    h: u32,
}

impl<'a> PdfBackend<'a> {
    fn new(doc: &'a mut Doc, x0: f32, y0: f32, w: f32, h: f32) -> Self {
        Self {
            doc,
            x0,
            y0,
            w: (w / UNIT) as u32,
            h: (h / UNIT) as u32,
        }
    }

    fn pt(&self, (x, y): BackendCoord) -> (f32, f32) {
        (self.x0 + x as f32 * UNIT, self.y0 + y as f32 * UNIT)
    }
}

fn rgb(c: BackendColor) -> Rgb3 {
    Rgb3::from_u8(c.rgb.0, c.rgb.1, c.rgb.2)
}

fn weight_of<S: BackendTextStyle>(style: &S) -> Weight {
    match style.style() {
        FontStyle::Bold => Weight::Bold,
        _ => Weight::Regular,
    }
}

impl DrawingBackend for PdfBackend<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        (self.w, self.h)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if color.alpha > 0.0 {
            let (x, y) = self.pt(point);
            self.doc.fill_rect(x, y, UNIT, UNIT, rgb(color));
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (x1, y1) = self.pt(upper_left);
        let (x2, y2) = self.pt(bottom_right);
        let c = rgb(style.color());
        if fill {
            self.doc.fill_rect(x1, y1, x2 - x1, y2 - y1, c);
        } else {
            let width = style.stroke_width() as f32 * UNIT;
            self.doc.stroke_rect(x1, y1, x2 - x1, y2 - y1, width, c);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<(f32, f32)> = path.into_iter().map(|p| self.pt(p)).collect();
        let width = (style.stroke_width() as f32 * UNIT).max(0.25);
        self.doc.polyline(&points, width, rgb(style.color()));
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (cx, cy) = self.pt(center);
        let r = radius as f32 * UNIT;
        let points: Vec<(f32, f32)> = (0..=24)
            .map(|i| {
                let a = i as f32 / 24.0 * std::f32::consts::TAU;
                (cx + r * a.cos(), cy + r * a.sin())
            })
            .collect();
        let c = rgb(style.color());
        if fill {
            self.doc.fill_polygon(&points, c);
        } else {
            self.doc
                .polyline(&points, style.stroke_width() as f32 * UNIT, c);
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let points: Vec<(f32, f32)> = vert.into_iter().map(|p| self.pt(p)).collect();
        self.doc.fill_polygon(&points, rgb(style.color()));
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let size = style.size() as f32 * UNIT;
        let weight = weight_of(style);
        let width = self.doc.text_width(text, size, weight);
        let anchor = style.anchor();
        // Offsets in the text's own frame: along the line, and down to the baseline.
        let along = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let down = match anchor.v_pos {
            VPos::Top => 0.78 * size,
            VPos::Center => 0.30 * size,
            VPos::Bottom => -0.22 * size,
        };
        let (dx, dy, angle) = match style.transform() {
            FontTransform::None => (along, down, 0.0),
            FontTransform::Rotate90 => (-down, along, -90.0),
            FontTransform::Rotate180 => (-along, -down, 180.0),
            FontTransform::Rotate270 => (down, -along, 90.0),
        };
        let (x, y) = self.pt(pos);
        self.doc.text_rotated(
            x + dx,
            y + dy,
            size,
            weight,
            rgb(style.color()),
            text,
            angle,
        );
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let size = style.size() as f32 * UNIT;
        let width = self.doc.text_width(text, size, weight_of(style));
        Ok(((width / UNIT).ceil() as u32, (size / UNIT).ceil() as u32))
    }
}

/// A continuous axis whose ticks sit exactly where the chart asks: at category centres, or
/// at chosen dates.
#[derive(Debug, Clone)]
struct Keyed {
    range: Range<f64>,
    keys: Vec<f64>,
}

impl Ranged for Keyed {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if span <= 0.0 {
            return limit.0;
        }
        let t = (value - self.range.start) / span;
        (f64::from(limit.0) + t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, _hint: H) -> Vec<f64> {
        self.keys.clone()
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

impl ValueFormatter<f64> for Keyed {
    fn format(value: &f64) -> String {
        format_axis(*value)
    }
}

fn keyed(range: Range<f64>, keys: Vec<f64>) -> Keyed {
    Keyed { range, keys }
}

fn chart_err<E: std::fmt::Debug>(e: E) -> ReportError {
    ReportError::Chart(format!("{e:?}"))
}

fn color(c: Rgb3) -> RGBColor {
    RGBColor(
        (c.0 * 255.0).round() as u8,
        (c.1 * 255.0).round() as u8,
        (c.2 * 255.0).round() as u8,
    )
}

/// One series of a bar chart: a value per category.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) color: Rgb3,
    pub(crate) values: Vec<f64>,
}

/// A bar chart: categories along one axis, one bar per series in each.
#[derive(Debug)]
pub(crate) struct BarChart<'a> {
    pub(crate) title: &'a str,
    pub(crate) category_axis: &'a str,
    pub(crate) value_axis: &'a str,
    pub(crate) categories: Vec<String>,
    pub(crate) series: Vec<Series>,
    /// Colour per category when there is one series (else the series colour).
    pub(crate) category_colors: Option<Vec<Rgb3>>,
    /// Fixed top of the value axis (100 for percentages), else from the data.
    pub(crate) max: Option<f64>,
    /// Bars run left to right, categories top to bottom (for long category names).
    pub(crate) horizontal: bool,
    pub(crate) label: fn(f64) -> String,
    pub(crate) height: f32,
}

/// Reserves `height` points at the cursor (new page if needed) and returns the chart's box.
fn place(doc: &mut Doc, height: f32) -> (f32, f32, f32, f32) {
    doc.ensure_space(height + 10.0);
    let b = (MARGIN, doc.y, doc.content_width(), height);
    doc.y += height + 16.0;
    b
}

/// Draws the chart's frame and title with "No data" in the middle.
fn no_data(doc: &mut Doc, title: &str, (x, y, w, h): (f32, f32, f32, f32)) {
    doc.stroke_rect(x, y, w, h, 0.5, Rgb3::RULE);
    let tw = doc.text_width(title, 12.0, Weight::Bold);
    doc.text(
        x + (w - tw) / 2.0,
        y + 20.0,
        12.0,
        Weight::Bold,
        Rgb3::BLACK,
        title,
    );
    let nw = doc.text_width("No data", 14.0, Weight::Bold);
    doc.text(
        x + (w - nw) / 2.0,
        y + h / 2.0 + 5.0,
        14.0,
        Weight::Bold,
        Rgb3::GREY,
        "No data",
    );
}

/// Shortens a category name to `width` points (one line, ellipsis).
fn fit(doc: &Doc, text: &str, size: f32, width: f32) -> String {
    doc.wrap(text, size, Weight::Regular, width, 1)
        .into_iter()
        .next()
        .unwrap_or_default()
}

pub(crate) fn bar_chart(doc: &mut Doc, chart: &BarChart<'_>) -> Result<(), ReportError> {
    let bx = place(doc, chart.height);
    let n = chart.categories.len();
    let data_max = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    if n == 0 || chart.series.is_empty() || (data_max <= 0.0 && chart.max.is_none()) {
        no_data(doc, chart.title, bx);
        return Ok(());
    }
    let (value_axis, _) = value_axis(chart.max.unwrap_or(data_max));
    let label_size = 8.0;
    // Category labels: fit the slot (vertical) or a share of the width (horizontal).
    let (x, y, w, h) = bx;
    let cat_labels: Vec<String> = if chart.horizontal {
        chart
            .categories
            .iter()
            .map(|c| fit(doc, c, label_size, w * 0.28))
            .collect()
    } else {
        let slot = (w - 70.0) / n as f32 - 4.0;
        chart
            .categories
            .iter()
            .map(|c| fit(doc, c, label_size, slot))
            .collect()
    };
    let widest = cat_labels
        .iter()
        .map(|c| doc.text_width(c, label_size, Weight::Regular))
        .fold(0.0_f32, f32::max);
    let series = &chart.series;
    let k = series.len() as f64;
    let centers: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    // Horizontal charts list category 0 at the top, that is at the highest position.
    let order: Vec<String> = if chart.horizontal {
        cat_labels.iter().rev().cloned().collect()
    } else {
        cat_labels
    };
    let label_for = |v: f64| -> String {
        let i = (v - 0.5).round();
        if (v - 0.5 - i).abs() < 1e-6 && i >= 0.0 {
            order.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let bars = |i: usize, s: usize| -> (f64, f64) {
        let lo = i as f64 + 0.15 + 0.7 * s as f64 / k;
        (lo, lo + 0.7 / k)
    };
    let backend = PdfBackend::new(doc, x, y, w, h);
    let root = backend.into_drawing_area();
    let caption = (FONT, 24.0).into_font().style(FontStyle::Bold);
    let axis_font = (FONT, f64::from(label_size / UNIT));
    let desc_font = (FONT, f64::from(9.0 / UNIT))
        .into_font()
        .style(FontStyle::Bold);
    let mut builder = ChartBuilder::on(&root);
    builder.caption(chart.title, caption).margin(16);
    let legend = series.len() > 1;
    let value_fmt = chart.label;
    if chart.horizontal {
        builder
            .x_label_area_size(44)
            .y_label_area_size(((widest + 30.0) / UNIT) as u32);
        let mut ctx = builder
            .build_cartesian_2d(value_axis, keyed(0.0..n as f64, centers))
            .map_err(chart_err)?;
        ctx.configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .y_labels(n)
            .y_label_formatter(&|v| label_for(*v))
            .x_label_formatter(&|v| value_fmt(*v))
            .label_style(axis_font)
            .axis_desc_style(desc_font.clone())
            .x_desc(chart.value_axis)
            .y_desc(chart.category_axis)
            .draw()
            .map_err(chart_err)?;
        for (si, s) in series.iter().enumerate() {
            let fill = |i: usize| bar_color(chart, s, i);
            let rects = s.values.iter().enumerate().map(|(i, v)| {
                // Categories run top to bottom: category 0 at the top.
                let (lo, hi) = bars(n - 1 - i, si);
                Rectangle::new([(0.0, lo), (*v, hi)], color(fill(i)).filled())
            });
            let drawn = ctx.draw_series(rects).map_err(chart_err)?;
            if legend {
                let c = color(s.color);
                drawn.label(s.name.clone()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled())
                });
            }
            let labels = s.values.iter().enumerate().map(|(i, v)| {
                let (lo, hi) = bars(n - 1 - i, si);
                Text::new(
                    format!(" {}", value_fmt(*v)),
                    (*v, (lo + hi) / 2.0),
                    TextStyle::from((FONT, f64::from(7.5 / UNIT)))
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )
            });
            ctx.draw_series(labels).map_err(chart_err)?;
        }
        if legend {
            ctx.configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .label_font(axis_font)
                .border_style(RGBColor(160, 160, 160))
                .background_style(WHITE)
                .draw()
                .map_err(chart_err)?;
        }
    } else {
        builder.x_label_area_size(44).y_label_area_size(64);
        let mut ctx = builder
            .build_cartesian_2d(keyed(0.0..n as f64, centers), value_axis)
            .map_err(chart_err)?;
        ctx.configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .x_labels(n)
            .x_label_formatter(&|v| label_for(*v))
            .y_label_formatter(&|v| value_fmt(*v))
            .label_style(axis_font)
            .axis_desc_style(desc_font)
            .x_desc(chart.category_axis)
            .y_desc(chart.value_axis)
            .draw()
            .map_err(chart_err)?;
        for (si, s) in series.iter().enumerate() {
            let fill = |i: usize| bar_color(chart, s, i);
            let rects = s.values.iter().enumerate().map(|(i, v)| {
                let (lo, hi) = bars(i, si);
                Rectangle::new([(lo, 0.0), (hi, *v)], color(fill(i)).filled())
            });
            let drawn = ctx.draw_series(rects).map_err(chart_err)?;
            if legend {
                let c = color(s.color);
                drawn.label(s.name.clone()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled())
                });
            }
            let labels = s.values.iter().enumerate().map(|(i, v)| {
                let (lo, hi) = bars(i, si);
                Text::new(
                    value_fmt(*v),
                    ((lo + hi) / 2.0, *v),
                    TextStyle::from((FONT, f64::from(7.5 / UNIT)))
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            });
            ctx.draw_series(labels).map_err(chart_err)?;
        }
        if legend {
            ctx.configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font(axis_font)
                .border_style(RGBColor(160, 160, 160))
                .background_style(WHITE)
                .draw()
                .map_err(chart_err)?;
        }
    }
    root.present().map_err(chart_err)?;
    Ok(())
}

fn bar_color(chart: &BarChart<'_>, s: &Series, i: usize) -> Rgb3 {
    chart
        .category_colors
        .as_ref()
        .and_then(|c| c.get(i).copied())
        .unwrap_or(s.color)
}

/// A line chart over labelled points (dates), evenly spaced.
#[derive(Debug)]
pub(crate) struct LineChart<'a> {
    pub(crate) title: &'a str,
    pub(crate) x_axis: &'a str,
    pub(crate) y_axis: &'a str,
    pub(crate) points: Vec<(String, f64)>,
    pub(crate) color: Rgb3,
    pub(crate) height: f32,
}

pub(crate) fn line_chart(doc: &mut Doc, chart: &LineChart<'_>) -> Result<(), ReportError> {
    let bx = place(doc, chart.height);
    let n = chart.points.len();
    if n == 0 {
        no_data(doc, chart.title, bx);
        return Ok(());
    }
    let (x, y, w, h) = bx;
    let data_max = chart.points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let (value_axis, _) = value_axis(data_max.max(1.0));
    // At most ~8 labelled ticks, always the first and the last point.
    let step = n.div_ceil(8).max(1);
    let mut keys: Vec<f64> = (0..n).step_by(step).map(|i| i as f64).collect();
    if keys.last().copied() != Some((n - 1) as f64) {
        if let Some(last) = keys.last_mut()
            && (n - 1) as f64 - *last < step as f64 / 2.0
        {
            *last = (n - 1) as f64;
        } else {
            keys.push((n - 1) as f64);
        }
    }
    let labels: Vec<String> = chart.points.iter().map(|p| p.0.clone()).collect();
    let label_for = |v: f64| -> String {
        let i = v.round();
        if (v - i).abs() < 1e-6 && i >= 0.0 {
            labels.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let line_color = color(chart.color);
    let backend = PdfBackend::new(doc, x, y, w, h);
    let root = backend.into_drawing_area();
    let caption = (FONT, 24.0).into_font().style(FontStyle::Bold);
    let axis_font = (FONT, f64::from(8.0 / UNIT));
    let desc_font = (FONT, f64::from(9.0 / UNIT))
        .into_font()
        .style(FontStyle::Bold);
    let x_hi = if n == 1 { 1.0 } else { (n - 1) as f64 };
    let mut ctx = ChartBuilder::on(&root)
        .caption(chart.title, caption)
        .margin(24)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(keyed(-0.02 * x_hi..x_hi * 1.02, keys), value_axis)
        .map_err(chart_err)?;
    ctx.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_label_formatter(&|v| label_for(*v))
        .y_label_formatter(&|v| format_axis(*v))
        .label_style(axis_font)
        .axis_desc_style(desc_font)
        .x_desc(chart.x_axis)
        .y_desc(chart.y_axis)
        .draw()
        .map_err(chart_err)?;
    let pts: Vec<(f64, f64)> = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, p.1))
        .collect();
    ctx.draw_series(LineSeries::new(
        pts.iter().copied(),
        ShapeStyle::from(line_color).stroke_width(3),
    ))
    .map_err(chart_err)?;
    if n <= 60 {
        ctx.draw_series(pts.iter().map(|p| Circle::new(*p, 3, line_color.filled())))
            .map_err(chart_err)?;
    }
    root.present().map_err(chart_err)?;
    Ok(())
}

/// A value axis from 0 with round ticks (at most about 7), integral steps unless the data is
/// below 3; the axis runs a little past the last tick so labels on top of bars fit.
fn value_axis(max: f64) -> (Keyed, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    if max >= 3.0 {
        step = step.max(1.0).round();
    }
    let ticks = (max / step).ceil().max(1.0) as usize;
    let keys: Vec<f64> = (0..=ticks).map(|i| i as f64 * step).collect();
    let top = ticks as f64 * step;
    (keyed(0.0..top * 1.1, keys), top)
}

/// Axis tick label: integers without decimals, others with one.
pub(crate) fn format_axis(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}
