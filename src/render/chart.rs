//! Render stage: the small chart of a target (baseline, actual values, target, and the
//! straight line between baseline and target that progress is judged by), drawn as SVG at
//! build time so pages need no script. The PDF templates draw the same chart with the same
//! geometry in typst, so that print colours stay CMYK.

use serde::Serialize;

use crate::model::{Target, YearValue};

/// A point of a chart: fiscal year (Western) and value.
#[derive(Serialize)]
pub struct Point {
    /// Western year the fiscal year starts in.
    pub year: u16,
    /// Value.
    pub value: f64,
}

/// The numbers of a target, for drawing its chart.
#[derive(Serialize)]
pub struct Chart {
    /// Baseline.
    pub baseline: Point,
    /// Target.
    pub target: Point,
    /// Actual values after the baseline, in year order.
    pub actuals: Vec<Point>,
}

/// The chart numbers of a target.
pub fn numbers(t: &Target) -> Chart {
    let p = |y: &YearValue| Point {
        year: y.year.0,
        value: y.value,
    };
    Chart {
        baseline: p(&t.baseline),
        target: p(&t.target),
        actuals: t.actuals.iter().filter(|a| a.year > t.baseline.year).map(p).collect(),
    }
}

const W: f64 = 160.0;
const H: f64 = 56.0;
const PAD: f64 = 8.0;

/// Appends `s` escaped for an attribute or text (as the page templates escape).
fn esc(out: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_html(out, s);
}

/// Appends `v` with one decimal (as `{:.1}` writes it, without the float formatter's cost:
/// coordinates lie between 0 and 160).
fn num(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    out.push_str(crate::text::digits(whole, &mut [0u8; 20]));
    out.push('.');
    out.push(char::from(b'0' + tenth as u8));
}

/// The chart's opening tag, up to its `<title>` (the size written out as `{W}` and `{H}`
/// would, checked by a test).
const OPEN: &str = "<svg class=\"chart\" viewBox=\"0 0 160 56\" width=\"160\" height=\"56\" role=\"img\"><title>";

/// An SVG chart with `label` as its text alternative (its accessible name and tooltip).
pub fn svg(c: &Chart, label: &str) -> String {
    let mut pts: Vec<(f64, f64)> = vec![(f64::from(c.baseline.year), c.baseline.value)];
    pts.extend(c.actuals.iter().map(|a| (f64::from(a.year), a.value)));
    let target = (f64::from(c.target.year), c.target.value);
    let (x0, x1, y0, y1) = pts
        .iter()
        .chain([&target])
        .fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |(a, b, c, d), p| {
            (a.min(p.0), b.max(p.0), c.min(p.1), d.max(p.1))
        });
    let sx = |x: f64| {
        if x1 == x0 {
            W / 2.0
        } else {
            PAD + (x - x0) / (x1 - x0) * (W - 2.0 * PAD)
        }
    };
    let sy = |y: f64| {
        if y1 == y0 {
            H / 2.0
        } else {
            H - PAD - (y - y0) / (y1 - y0) * (H - 2.0 * PAD)
        }
    };
    let mut s = String::with_capacity(label.len() + 200 + 60 * pts.len());
    // The `<title>` is the chart's accessible name (SVG-AAM) and its tooltip. An `aria-label`
    // with the same words made Chromium expose them twice, as name and as description, so a
    // screen reader read the long sentence twice.
    s.push_str(OPEN);
    esc(&mut s, label);
    s.push_str("</title><line");
    let (tx, ty) = (sx(target.0), sy(target.1));
    for (name, v) in [("x1", sx(pts[0].0)), ("y1", sy(pts[0].1)), ("x2", tx), ("y2", ty)] {
        s.push(' ');
        s.push_str(name);
        s.push_str("=\"");
        num(&mut s, v);
        s.push('"');
    }
    s.push_str(" class=\"chart-plan\"/>");
    if pts.len() > 1 {
        s.push_str("<polyline points=\"");
        for (i, p) in pts.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            num(&mut s, sx(p.0));
            s.push(',');
            num(&mut s, sy(p.1));
        }
        s.push_str("\" class=\"chart-actual\"/>");
    }
    let circle = |s: &mut String, x: f64, y: f64, r: &str, class: &str| {
        s.push_str("<circle cx=\"");
        num(s, x);
        s.push_str("\" cy=\"");
        num(s, y);
        s.push_str("\" r=\"");
        s.push_str(r);
        s.push_str("\" class=\"");
        s.push_str(class);
        s.push_str("\"/>");
    };
    for p in &pts {
        circle(&mut s, sx(p.0), sy(p.1), "3", "chart-point");
    }
    circle(&mut s, tx, ty, "4", "chart-target");
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_points_lines_and_a_text_alternative() {
        let c = Chart {
            baseline: Point {
                year: 2022,
                value: 10.0,
            },
            target: Point {
                year: 2027,
                value: 20.0,
            },
            actuals: vec![
                Point {
                    year: 2023,
                    value: 12.0,
                },
                Point {
                    year: 2024,
                    value: 13.0,
                },
            ],
        };
        let s = svg(&c, "基準値10から目標20へ");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert_eq!(s.matches("chart-point").count(), 3);
        assert!(s.contains("<title>基準値10から目標20へ</title>"));
        assert!(s.contains("role=\"img\""));
        assert!(s.contains("<polyline"));
    }

    #[test]
    fn one_decimal_numbers() {
        let f = |v: f64| {
            let mut s = String::new();
            num(&mut s, v);
            s
        };
        assert_eq!(f(0.0), "0.0");
        assert_eq!(f(8.0), "8.0");
        assert_eq!(f(36.8), "36.8");
        assert_eq!(f(152.04), "152.0");
        assert_eq!(f(27.96), "28.0");
        assert_eq!(f(-1.26), "-1.3");
        assert_eq!(f(1234.56), "1234.6");
        assert_eq!(f(-0.04), "0.0");
    }

    #[test]
    fn the_opening_tag_has_the_charts_size() {
        let open =
            format!("<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\"><title>");
        assert_eq!(OPEN, open);
    }
}
