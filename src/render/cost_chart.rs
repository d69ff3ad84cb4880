//! Render stage: the chart of the implementation plan's cost per pillar and fiscal year, as
//! SVG made at build time (no script). Each pillar is a group of horizontal bars, one per
//! year, each labelled with its year and its amount, so the chart is read without colour;
//! the page puts the same numbers in a table next to it.

use super::format;
use crate::render::markdown::escape;

/// One group of bars: its heading and, per year, (year label, amount).
pub struct Group {
    /// The group's heading (柱1 …).
    pub label: String,
    /// The bars: (year label, amount in thousands of yen).
    pub bars: Vec<(String, i64)>,
}

const W: f64 = 560.0;
const LABEL_W: f64 = 64.0;
const VALUE_W: f64 = 96.0;
const BAR_H: f64 = 14.0;
const BAR_GAP: f64 = 4.0;
const HEAD_H: f64 = 22.0;
const GROUP_GAP: f64 = 10.0;

/// Draws the chart. `title` names it (its accessible name); `desc` says where its numbers are
/// (its accessible description: named and described apart, so that a screen reader does not
/// read the description twice, as it did when both made the name).
pub fn svg(groups: &[Group], title: &str, desc: &str, id: &str) -> String {
    let max = groups
        .iter()
        .flat_map(|g| g.bars.iter().map(|b| b.1))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let per_group = |g: &Group| HEAD_H + g.bars.len() as f64 * (BAR_H + BAR_GAP) + GROUP_GAP;
    let height: f64 = groups.iter().map(per_group).sum::<f64>().max(1.0);
    let span = W - LABEL_W - VALUE_W;
    let mut s = format!(
        "<svg class=\"cost-chart\" viewBox=\"0 0 {W} {height}\" width=\"{W}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    );
    let mut y = 0.0;
    for g in groups {
        s.push_str(&format!(
            "<text x=\"0\" y=\"{:.1}\" class=\"cost-group\">{}</text>",
            y + HEAD_H - 6.0,
            escape(&g.label)
        ));
        y += HEAD_H;
        for (year, amount) in &g.bars {
            let w = (*amount as f64 / max * span).max(if *amount > 0 { 1.0 } else { 0.0 });
            let mid = y + BAR_H / 2.0 + 4.0;
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{mid:.1}\" class=\"cost-year\" text-anchor=\"end\">{}</text><rect x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR_H}\" class=\"cost-bar\"/><text x=\"{:.1}\" y=\"{mid:.1}\" class=\"cost-value\">{}</text>",
                LABEL_W - 6.0,
                escape(year),
                LABEL_W + w + 6.0,
                format::number(*amount as f64)
            ));
            y += BAR_H + BAR_GAP;
        }
        y += GROUP_GAP;
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_year_and_amount() {
        let g = vec![Group {
            label: "柱1 <健康>".into(),
            bars: vec![("R7".into(), 1200), ("R8".into(), 0)],
        }];
        let s = svg(&g, "事業費", "数値は下の表にあります", "c1");
        assert!(s.contains("<title id=\"c1-t\">事業費</title>"));
        assert!(s.contains("柱1 &lt;健康&gt;"));
        assert!(s.contains(">1,200</text>"));
        assert_eq!(s.matches("<rect").count(), 2);
        // The largest bar spans the whole width between the labels.
        assert!(s.contains(&format!("width=\"{:.1}\"", W - LABEL_W - VALUE_W)));
    }
}
