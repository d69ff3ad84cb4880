//! Render stage: view models of the data tables (plan periods chart, formulation bodies,
//! schedule) and of target tables, shaped for accessible HTML tables and shared by every
//! page that shows them.

use serde::Serialize;

use super::chart::{self, Chart};
use super::format;
use crate::model::progress::{self, Status};
use crate::model::{Bodies, BodyGroup, FiscalYear, Lang, Periods, Schedule, Target};

/// A cell of the periods chart.
#[derive(Serialize)]
pub struct PeriodCell {
    /// Label, empty for a year outside every span.
    pub label: String,
    /// Number of year columns it covers.
    pub colspan: usize,
    /// The years it covers, spelled out for screen readers and the print edition.
    pub years: String,
}

/// A row of the periods chart.
#[derive(Serialize)]
pub struct PeriodRowView {
    /// Row heading.
    pub label: String,
    /// Cells, left to right.
    pub cells: Vec<PeriodCell>,
}

/// The periods chart.
#[derive(Serialize)]
pub struct PeriodsView {
    /// Column headings (fiscal years).
    pub years: Vec<String>,
    /// Column headings in full (令和6年度), for `abbr`.
    pub years_full: Vec<String>,
    /// Rows.
    pub rows: Vec<PeriodRowView>,
}

/// Builds the periods chart view.
pub fn periods(p: &Periods, lang: Lang) -> PeriodsView {
    let years: Vec<FiscalYear> = p.years.from.through(p.years.to).collect();
    let rows = p
        .rows
        .iter()
        .map(|row| {
            let mut cells = Vec::new();
            let mut y = p.years.from;
            while y <= p.years.to {
                match row.spans.iter().find(|s| s.from == y) {
                    Some(s) => {
                        let n = (s.to.0 - s.from.0 + 1) as usize;
                        let label = if lang == Lang::En && !s.en.is_empty() {
                            s.en.clone()
                        } else {
                            s.ja.clone()
                        };
                        cells.push(PeriodCell {
                            label,
                            colspan: n,
                            years: format::period(&crate::model::YearRange { from: s.from, to: s.to }, lang),
                        });
                        y = FiscalYear(s.to.0 + 1);
                    }
                    None => {
                        cells.push(PeriodCell {
                            label: String::new(),
                            colspan: 1,
                            years: String::new(),
                        });
                        y = y.next();
                    }
                }
            }
            PeriodRowView {
                label: row.label.get(lang).to_string(),
                cells,
            }
        })
        .collect();
    PeriodsView {
        years: years.iter().map(|&y| format::year_short(y, lang)).collect(),
        years_full: years.iter().map(|&y| format::year(y, lang)).collect(),
        rows,
    }
}

/// A formulation body, as shown.
#[derive(Serialize)]
pub struct BodyView {
    /// Id (anchor).
    pub id: String,
    /// Name.
    pub name: String,
    /// Legal basis.
    pub basis: Option<String>,
    /// Number of members.
    pub size: Option<String>,
    /// Composition.
    pub members: Vec<String>,
    /// Role.
    pub role: Option<String>,
    /// Secretariat.
    pub secretariat: Option<String>,
}

/// The formulation bodies, grouped.
#[derive(Serialize)]
pub struct BodiesView {
    /// 市民参画 (citizen participation).
    pub citizen: Vec<BodyView>,
    /// 庁内体制.
    pub internal: Vec<BodyView>,
    /// 世論調査.
    pub public_opinion: Vec<String>,
    /// 事務局.
    pub secretariat: Option<String>,
}

fn pick(lang: Lang, ja: &[String], en: &[String]) -> Vec<String> {
    if lang == Lang::En && !en.is_empty() {
        en.to_vec()
    } else {
        ja.to_vec()
    }
}

/// Builds the bodies view.
pub fn bodies(b: &Bodies, lang: Lang) -> BodiesView {
    let view = |group: BodyGroup| {
        b.bodies
            .iter()
            .filter(|x| x.group == group)
            .map(|x| BodyView {
                id: x.id.clone(),
                name: x.name.get(lang).to_string(),
                basis: x.basis.as_ref().map(|v| v.get(lang).to_string()),
                size: x.size.as_ref().map(|v| v.get(lang).to_string()),
                members: pick(lang, &x.members.ja, &x.members.en),
                role: x.role.as_ref().map(|v| v.get(lang).to_string()),
                secretariat: x.secretariat.as_ref().map(|v| v.get(lang).to_string()),
            })
            .collect()
    };
    BodiesView {
        citizen: view(BodyGroup::Citizen),
        internal: view(BodyGroup::Internal),
        public_opinion: pick(lang, &b.public_opinion.ja, &b.public_opinion.en),
        secretariat: b.secretariat.as_ref().map(|v| v.get(lang).to_string()),
    }
}

/// A month row of the schedule.
#[derive(Serialize)]
pub struct MonthRow {
    /// Month label.
    pub month: String,
    /// Items per track, in track order.
    pub cells: Vec<Vec<String>>,
}

/// One fiscal year of the schedule.
#[derive(Serialize)]
pub struct ScheduleYear {
    /// Year label.
    pub year: String,
    /// Twelve months, April to March.
    pub months: Vec<MonthRow>,
}

/// The schedule.
#[derive(Serialize)]
pub struct ScheduleView {
    /// Column headings.
    pub tracks: Vec<String>,
    /// Years.
    pub years: Vec<ScheduleYear>,
}

/// Builds the schedule view: every month of every fiscal year that has an entry.
pub fn schedule(s: &Schedule, lang: Lang) -> ScheduleView {
    let mut fys: Vec<FiscalYear> = s.entries.iter().map(|e| e.fy).collect();
    fys.sort();
    fys.dedup();
    let years = fys
        .into_iter()
        .map(|fy| ScheduleYear {
            year: format::year(fy, lang),
            months: [4u8, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
                .into_iter()
                .map(|m| MonthRow {
                    month: format::month(m, lang),
                    cells: s
                        .tracks
                        .iter()
                        .map(|t| {
                            s.entries
                                .iter()
                                .filter(|e| e.fy == fy && e.month == m && e.track == t.id)
                                .map(|e| {
                                    if lang == Lang::En && !e.en.is_empty() {
                                        e.en.clone()
                                    } else {
                                        e.ja.clone()
                                    }
                                })
                                .collect()
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    ScheduleView {
        tracks: s
            .tracks
            .iter()
            .map(|t| {
                if lang == Lang::En && !t.en.is_empty() {
                    t.en.clone()
                } else {
                    t.ja.clone()
                }
            })
            .collect(),
        years,
    }
}

/// A target as a table row: its figures ([`Figures`]) and the fields below, side by side.
pub struct TargetRow {
    /// Id.
    pub id: String,
    /// The figures every table shows.
    pub figures: Figures,
    /// Unit.
    pub unit: String,
    /// `up` or `down`.
    pub direction: &'static str,
    /// Values per year column (`None` = no data).
    pub values: Vec<Option<String>>,
    /// Kind: target, mezasou, numeric, kpi.
    pub kind: crate::model::TargetType,
    /// The numbers behind the row, for charts (PDFs, which draw the chart themselves).
    pub chart: Option<Chart>,
    /// The chart as SVG, with a text alternative (web pages).
    pub svg: Option<String>,
    /// The same values without their unit (for tables that name the unit once): baseline,
    /// one per year column, target (PDFs).
    pub plain: Option<PlainValues>,
}

impl Serialize for TargetRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = s.serialize_struct("TargetRow", 8 + Figures::FIELDS)?;
        row.serialize_field("id", &self.id)?;
        self.figures.serialize_fields(&mut row)?;
        row.serialize_field("unit", &self.unit)?;
        row.serialize_field("direction", self.direction)?;
        row.serialize_field("values", &self.values)?;
        row.serialize_field("kind", &self.kind)?;
        optional_field(&mut row, "chart", &self.chart)?;
        optional_field(&mut row, "svg", &self.svg)?;
        optional_field(&mut row, "plain", &self.plain)?;
        row.end()
    }
}

/// A field written only when it has a value (serde's `skip_serializing_if = "Option::is_none"`).
fn optional_field<S: serde::ser::SerializeStruct, T: Serialize>(
    s: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(v) => s.serialize_field(key, v),
        None => s.skip_field(key),
    }
}

/// The figures of a target as every table shows them — the targets of a page, the targets
/// index, the PDFs' list of targets: one place for how each is written.
pub struct Figures {
    /// Indicator.
    pub indicator: String,
    /// Baseline value with unit.
    pub baseline: String,
    /// Baseline year.
    pub baseline_year: String,
    /// Latest actual value with unit, if any.
    pub latest: Option<String>,
    /// Latest actual year.
    pub latest_year: Option<String>,
    /// Target value with unit.
    pub target: String,
    /// Target year.
    pub target_year: String,
    /// Progress status.
    pub status: Status,
}

impl Serialize for Figures {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = s.serialize_struct("Figures", Figures::FIELDS)?;
        self.serialize_fields(&mut fields)?;
        fields.end()
    }
}

impl Figures {
    /// The number of fields [`Figures::serialize_fields`] writes.
    pub const FIELDS: usize = 8;

    /// Writes the figures as fields of a row being serialized, beside the row's own fields
    /// (in place of `#[serde(flatten)]`, with which serde builds each row as a map of
    /// unknown size, grown entry by entry: at 5,000 measures that was about 2 % of the
    /// pages' time).
    pub fn serialize_fields<S: serde::ser::SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        s.serialize_field("indicator", &self.indicator)?;
        s.serialize_field("baseline", &self.baseline)?;
        s.serialize_field("baseline_year", &self.baseline_year)?;
        s.serialize_field("latest", &self.latest)?;
        s.serialize_field("latest_year", &self.latest_year)?;
        s.serialize_field("target", &self.target)?;
        s.serialize_field("target_year", &self.target_year)?;
        s.serialize_field("status", &self.status)
    }

    /// The figures of `t` in `lang`.
    pub fn of(t: &Target, lang: Lang) -> Figures {
        let unit = t.unit.get(lang);
        let latest = progress::latest(t);
        Figures {
            indicator: t.indicator.get(lang).to_string(),
            baseline: format::with_unit(t.baseline.value, unit, lang),
            baseline_year: format::year_short(t.baseline.year, lang),
            latest: latest.map(|a| format::with_unit(a.value, unit, lang)),
            latest_year: latest.map(|a| format::year_short(a.year, lang)),
            target: format::with_unit(t.target.value, unit, lang),
            target_year: format::year_short(t.target.year, lang),
            status: progress::status(t),
        }
    }
}

/// What a target table is made for: web pages get the chart as SVG, PDFs the numbers
/// (typst draws the chart) and the values without units.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Medium {
    /// HTML pages.
    Web,
    /// The typst documents.
    Pdf,
}

/// A target's values without units.
#[derive(Serialize)]
pub struct PlainValues {
    /// Baseline.
    pub baseline: String,
    /// One per year column (`None` = no data).
    pub values: Vec<Option<String>>,
    /// Target.
    pub target: String,
}

/// The text alternative of a target's chart: where it started, where it is, where it goes.
pub fn chart_label(t: &Target, lang: Lang) -> String {
    let unit = t.unit.get(lang);
    let v = |y: &crate::model::YearValue| (format::with_unit(y.value, unit, lang), format::year(y.year, lang));
    let (b, by) = v(&t.baseline);
    let (g, gy) = v(&t.target);
    let latest = crate::model::progress::latest(t).map(v);
    // One sentence in each language, written piece by piece without the formatter: every
    // target's chart on every page has one.
    let (head, baseline, latest_is, target, none, open, close) = match lang {
        Lang::Ja => (
            if latest.is_some() { "の推移：" } else { "：" },
            "基準値",
            "、最新の実績値",
            "、目標値",
            "、実績値はまだありません",
            "（",
            "）",
        ),
        Lang::En => (
            ": ",
            "baseline ",
            ", latest ",
            ", target ",
            ", no actual value yet",
            " (",
            ")",
        ),
    };
    let mut out = String::with_capacity(256);
    let mut push = |pieces: &[&str]| pieces.iter().for_each(|p| out.push_str(p));
    push(&[t.indicator.get(lang), head, baseline, &b, open, &by, close]);
    match &latest {
        Some((l, ly)) => push(&[latest_is, l, open, ly, close, target, &g, open, &gy, close]),
        None => push(&[target, &g, open, &gy, close, none]),
    }
    out
}

/// A table of targets with one column per fiscal year.
#[derive(Serialize)]
pub struct TargetTable {
    /// Year column headings.
    pub years: Vec<String>,
    /// Rows.
    pub rows: Vec<TargetRow>,
}

/// Builds a target table for `medium`; year columns cover every year with a value.
pub fn targets(list: &[&Target], lang: Lang, medium: Medium) -> TargetTable {
    let mut ys: Vec<FiscalYear> = list.iter().flat_map(|t| t.actuals.iter().map(|a| a.year)).collect();
    ys.sort();
    ys.dedup();
    let rows = list
        .iter()
        .map(|t| {
            let unit = t.unit.get(lang);
            let value_in = |y: &FiscalYear| t.actuals.iter().find(|a| a.year == *y);
            let numbers = chart::numbers(t);
            let (svg, chart, plain) = match medium {
                Medium::Web => (Some(chart::svg(&numbers, &chart_label(t, lang))), None, None),
                Medium::Pdf => (
                    None,
                    Some(numbers),
                    Some(PlainValues {
                        baseline: format::number(t.baseline.value),
                        values: ys
                            .iter()
                            .map(|y| value_in(y).map(|a| format::number(a.value)))
                            .collect(),
                        target: format::number(t.target.value),
                    }),
                ),
            };
            TargetRow {
                id: t.id.clone(),
                figures: Figures::of(t, lang),
                direction: match t.direction {
                    crate::model::Direction::Up => "up",
                    crate::model::Direction::Down => "down",
                },
                values: ys
                    .iter()
                    .map(|y| value_in(y).map(|a| format::with_unit(a.value, unit, lang)))
                    .collect(),
                kind: t.kind,
                svg,
                chart,
                plain,
                unit: unit.to_string(),
            }
        })
        .collect();
    TargetTable {
        years: ys.iter().map(|&y| format::year_short(y, lang)).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_count_the_fields_they_write() {
        let f = Figures {
            indicator: "待機児童数".into(),
            baseline: "0人".into(),
            baseline_year: "R4".into(),
            latest: None,
            latest_year: None,
            target: "0人".into(),
            target_year: "R9".into(),
            status: Status::ALL[0],
        };
        let v = serde_json::to_value(&f).expect("figures serialise");
        assert_eq!(v.as_object().map(|o| o.len()), Some(Figures::FIELDS));
    }
}
