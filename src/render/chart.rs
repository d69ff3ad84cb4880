//! Render stage: the small chart of a target (baseline, actual values, target, and the
//! straight line between baseline and target that progress is judged by), drawn as SVG at
//! build time so pages need no script. The PDF templates draw the same chart with the same
//! geometry in typst, so that print colours stay CMYK.

use super::tables::Chart;

const W: f64 = 160.0;
const H: f64 = 56.0;
const PAD: f64 = 8.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG chart with `label` as its text alternative.
pub fn svg(c: &Chart, label: &str) -> String {
    let mut pts: Vec<(f64, f64)> = vec![(f64::from(c.baseline.year), c.baseline.value)];
    pts.extend(c.actuals.iter().map(|a| (f64::from(a.year), a.value)));
    let all: Vec<(f64, f64)> = pts
        .iter()
        .copied()
        .chain([(f64::from(c.target.year), c.target.value)])
        .collect();
    let (x0, x1) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
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
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        esc(label),
        esc(label)
    );
    s.push_str(&format!(
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" class=\"chart-plan\"/>",
        sx(f64::from(c.baseline.year)),
        sy(c.baseline.value),
        sx(f64::from(c.target.year)),
        sy(c.target.value)
    ));
    if pts.len() > 1 {
        let path: Vec<String> = pts.iter().map(|p| format!("{:.1},{:.1}", sx(p.0), sy(p.1))).collect();
        s.push_str(&format!(
            "<polyline points=\"{}\" class=\"chart-actual\"/>",
            path.join(" ")
        ));
    }
    for p in &pts {
        s.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" class=\"chart-point\"/>",
            sx(p.0),
            sy(p.1)
        ));
    }
    s.push_str(&format!(
        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" class=\"chart-target\"/></svg>",
        sx(f64::from(c.target.year)),
        sy(c.target.value)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tables::Point;

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
}
