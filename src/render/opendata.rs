//! Render stage (open data): the whole plan as JSON (`data/plan.json`) and the targets and
//! SDG mapping as CSV (`data/targets.csv`, `data/sdg-mapping.csv`, UTF-8 with a byte-order
//! mark so that Excel opens them correctly in Japan), with labels in both languages.
//! The schema is documented in `docs/open-data.md`.

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use super::paths::item_path;
use crate::model::progress;
use crate::model::sdg::{SdgRef, goals};
use crate::model::{Bilingual, Direction, FiscalYear, Item, Kind, Lang, Plan, Target, TargetType, YearValue};

/// Version of the JSON layout; raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// A text in both languages (keys in alphabetical order, as the first layout had them).
#[derive(Serialize)]
pub(super) struct Both<'a> {
    pub en: Option<&'a str>,
    pub ja: Option<&'a str>,
}

fn both(item: &Item, field: fn(&crate::model::Texts) -> &Option<String>) -> Both<'_> {
    Both {
        en: item.en.as_ref().and_then(|e| field(&e.texts).as_deref()),
        ja: item.text(Lang::Ja, field).map(|x| x.0),
    }
}

pub(super) fn bilingual(b: &Bilingual) -> Both<'_> {
    Both {
        en: Some(&b.en),
        ja: Some(&b.ja),
    }
}

#[derive(Serialize)]
struct Urls {
    en: String,
    ja: String,
}

#[derive(Serialize)]
pub(super) struct Year {
    compact: String,
    fiscal_year: u16,
    label_en: String,
    label_ja: String,
}

pub(super) fn year(y: FiscalYear) -> Year {
    Year {
        compact: y.compact(),
        fiscal_year: y.0,
        label_en: y.en(),
        label_ja: y.ja(),
    }
}

#[derive(Serialize)]
struct Period {
    from: Year,
    to: Year,
}

#[derive(Serialize)]
pub(super) struct Point {
    value: f64,
    year: Year,
}

pub(super) fn point(v: &YearValue) -> Point {
    Point {
        value: v.value,
        year: year(v.year),
    }
}

#[derive(Serialize)]
struct TargetJson<'a> {
    actuals: Vec<Point>,
    baseline: Point,
    direction: &'a Direction,
    id: &'a str,
    indicator: Both<'a>,
    owner: &'a str,
    status: progress::Status,
    target: Point,
    #[serde(rename = "type")]
    kind: &'a TargetType,
    unit: Both<'a>,
}

fn target(t: &Target) -> TargetJson<'_> {
    TargetJson {
        actuals: t.actuals.iter().map(point).collect(),
        baseline: point(&t.baseline),
        direction: &t.direction,
        id: &t.id,
        indicator: bilingual(&t.indicator),
        owner: &t.owner,
        status: progress::status(t),
        target: point(&t.target),
        kind: &t.kind,
        unit: bilingual(&t.unit),
    }
}

/// An item as open data: the common fields and those of its kind (`None`: not of this kind).
/// Fields are in alphabetical order.
#[derive(Serialize, Default)]
struct ItemJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    area: Option<Both<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    catchphrase: Option<Both<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<Both<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    measures: Option<Vec<&'a str>>,
    number: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pillar: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pledges: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sdg_goals: Option<Vec<u8>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sdgs: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short: Option<Both<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strategy_goals: Option<Vec<&'a str>>,
    summary: Option<Both<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    targets: Option<Vec<&'a str>>,
    title: Option<Both<'a>>,
    url: Option<Urls>,
}

#[derive(Serialize)]
struct GoalJson {
    colour: &'static str,
    goal: u8,
    name: Both<'static>,
}

#[derive(Serialize)]
struct PlanJson<'a> {
    city: Both<'a>,
    districts: Vec<ItemJson<'a>>,
    /// The middle level, in a plan that has one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    groups: Vec<ItemJson<'a>>,
    /// The implementation plan's editions, oldest first (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    implementation: Vec<super::opendata_ops::EditionJson<'a>>,
    measures: Vec<ItemJson<'a>>,
    pillars: Vec<ItemJson<'a>>,
    plan_period: Period,
    pledges: Vec<ItemJson<'a>>,
    /// The yearly progress reports (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    progress_reports: Vec<super::opendata_ops::ReportJson<'a>>,
    published: Option<crate::model::Date>,
    schema_version: u32,
    sdg_goals: Vec<GoalJson>,
    strategy_goals: Vec<ItemJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strategy_period: Option<Period>,
    targets: Vec<TargetJson<'a>>,
    /// The plan's own words for its levels, documents and targets.
    terms: std::collections::BTreeMap<&'static str, Both<'a>>,
    title: Both<'a>,
    vision: Vec<ItemJson<'a>>,
}

/// The items of one kind as the open data lists them: the fields every item has, and those of
/// its kind from `extra`.
fn item_list<'a>(plan: &'a Plan, kind: Kind, extra: &(dyn Fn(&'a Item) -> ItemJson<'a> + Sync)) -> Vec<ItemJson<'a>> {
    let cfg = &plan.config;
    let list: Vec<&'a Item> = plan.of_kind(kind).collect();
    list.par_iter()
        .map(|i| {
            let path = item_path(i);
            ItemJson {
                id: &i.id,
                number: i.number,
                title: Some(Both {
                    en: i.en.as_ref().map(|e| e.texts.title.as_str()),
                    ja: Some(&i.ja.texts.title),
                }),
                summary: Some(both(i, |t| &t.summary)),
                url: Some(Urls {
                    en: cfg.absolute(Lang::En, &path),
                    ja: cfg.absolute(Lang::Ja, &path),
                }),
                ..extra(i)
            }
        })
        .collect()
}

/// The ids of the targets `id` owns.
fn targets_of<'a>(plan: &'a Plan, id: &'a str) -> Vec<&'a str> {
    plan.targets_of(id).map(|t| t.id.as_str()).collect()
}

/// The ids of the items of `kind` that list the measure `id`.
fn serving<'a>(plan: &'a Plan, kind: Kind, id: &str) -> Vec<&'a str> {
    plan.listing(kind, id).map(|s| s.id.as_str()).collect()
}

fn ids(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

/// The plan's terms in both languages, by name.
fn terms_json(plan: &Plan) -> std::collections::BTreeMap<&'static str, Both<'_>> {
    plan.terms
        .all()
        .into_iter()
        .map(|(name, t)| {
            (
                name,
                Both {
                    en: Some(t.en.as_str()),
                    ja: Some(t.ja.as_str()),
                },
            )
        })
        .collect()
}

/// The seventeen SDGs with their names and colours.
fn goals_json() -> Vec<GoalJson> {
    goals()
        .iter()
        .map(|g| GoalJson {
            colour: &g.colour,
            goal: g.number,
            name: Both {
                en: Some(&g.name_en),
                ja: Some(&g.name_ja),
            },
        })
        .collect()
}

/// The plan as one JSON document, pretty-printed: one literal of the open data's schema,
/// field by field, as it is documented.
pub fn plan_json(plan: &Plan) -> Vec<u8> {
    let cfg = &plan.config;
    let doc = PlanJson {
        schema_version: SCHEMA_VERSION,
        published: cfg.published,
        city: bilingual(&cfg.city),
        title: bilingual(&cfg.title),
        plan_period: Period {
            from: year(cfg.plan_period.from),
            to: year(cfg.plan_period.to),
        },
        strategy_period: cfg.strategy_period.as_ref().map(|p| Period {
            from: year(p.from),
            to: year(p.to),
        }),
        vision: item_list(plan, Kind::Vision, &|i| ItemJson {
            catchphrase: Some(both(i, |t| &t.catchphrase)),
            ..Default::default()
        }),
        pillars: item_list(plan, Kind::Pillar, &|i| ItemJson {
            short: Some(both(i, |t| &t.short)),
            measures: Some(plan.measures_of(&i.id).map(|m| m.id.as_str()).collect()),
            ..Default::default()
        }),
        groups: item_list(plan, Kind::Group, &|i| ItemJson {
            pillar: Some(i.pillar.as_deref()),
            measures: Some(plan.measures_of_group(&i.id).map(|m| m.id.as_str()).collect()),
            ..Default::default()
        }),
        measures: item_list(plan, Kind::Measure, &|i| ItemJson {
            pillar: Some(i.pillar.as_deref()),
            group: i.group.as_deref(),
            department: Some(both(i, |t| &t.department)),
            sdgs: Some(i.sdgs.iter().map(SdgRef::id).collect()),
            sdg_goals: Some(i.sdg_goals()),
            strategy_goals: Some(serving(plan, Kind::Strategy, &i.id)),
            pledges: Some(serving(plan, Kind::Pledge, &i.id)),
            targets: Some(targets_of(plan, &i.id)),
            ..Default::default()
        }),
        strategy_goals: item_list(plan, Kind::Strategy, &|i| ItemJson {
            area: Some(both(i, |t| &t.area)),
            measures: Some(ids(&i.measures)),
            targets: Some(targets_of(plan, &i.id)),
            ..Default::default()
        }),
        pledges: item_list(plan, Kind::Pledge, &|i| ItemJson {
            measures: Some(ids(&i.measures)),
            ..Default::default()
        }),
        districts: item_list(plan, Kind::District, &|i| ItemJson {
            catchphrase: Some(both(i, |t| &t.catchphrase)),
            ..Default::default()
        }),
        targets: plan.targets.par_iter().map(target).collect(),
        implementation: super::opendata_ops::editions(plan),
        progress_reports: super::opendata_ops::reports(plan),
        terms: terms_json(plan),
        sdg_goals: goals_json(),
    };
    // Serialising plain structs to memory cannot fail.
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or a
/// carriage return first) gets a leading `'`, as OWASP advises against CSV injection; a
/// number (`-3.5`) is left as it is.
fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.trim().parse::<f64>().is_err();
    if risky { format!("'{cell}").into() } else { cell.into() }
}

pub(super) fn csv_bytes(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r.iter().map(|c| neutralised(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

fn owner_titles(plan: &Plan, id: &str) -> (String, String, String) {
    match plan.item(id) {
        Some(i) => (
            i.kind.ref_name().to_string(),
            i.title(Lang::Ja).to_string(),
            i.title(Lang::En).to_string(),
        ),
        None => (String::new(), String::new(), String::new()),
    }
}

/// The targets as CSV, one row per target, one column per fiscal year of actual values.
pub fn targets_csv(plan: &Plan) -> Vec<u8> {
    let mut years: Vec<FiscalYear> = plan
        .targets
        .iter()
        .flat_map(|t| t.actuals.iter().map(|a| a.year))
        .collect();
    years.sort();
    years.dedup();
    let mut head: Vec<String> = [
        "id",
        "owner_kind",
        "owner_id",
        "owner_title_ja",
        "owner_title_en",
        "type",
        "indicator_ja",
        "indicator_en",
        "unit_ja",
        "unit_en",
        "direction",
        "baseline_fiscal_year",
        "baseline_year_ja",
        "baseline",
        "target_fiscal_year",
        "target_year_ja",
        "target",
        "status",
    ]
    .map(String::from)
    .to_vec();
    head.extend(years.iter().map(|y| format!("actual_FY{}", y.0)));
    let mut rows = vec![head];
    for t in &plan.targets {
        let (kind, ja, en) = owner_titles(plan, &t.owner);
        let mut r = vec![
            t.id.clone(),
            kind,
            t.owner.clone(),
            ja,
            en,
            serde_json::to_value(t.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            t.indicator.ja.clone(),
            t.indicator.en.clone(),
            t.unit.ja.clone(),
            t.unit.en.clone(),
            serde_json::to_value(t.direction)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            t.baseline.year.0.to_string(),
            t.baseline.year.ja(),
            t.baseline.value.to_string(),
            t.target.year.0.to_string(),
            t.target.year.ja(),
            t.target.value.to_string(),
            progress::status(t).slug().to_string(),
        ];
        r.extend(years.iter().map(|y| {
            t.actuals
                .iter()
                .find(|a| a.year == *y)
                .map(|a| a.value.to_string())
                .unwrap_or_default()
        }));
        rows.push(r);
    }
    csv_bytes(rows)
}

/// The measures × SDG mapping as CSV, one row per measure and SDG tag.
pub fn sdg_csv(plan: &Plan) -> Vec<u8> {
    let mut rows = vec![
        [
            "measure_id",
            "measure_title_ja",
            "measure_title_en",
            "pillar_id",
            "sdg_goal",
            "sdg_target",
            "goal_name_ja",
            "goal_name_en",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for m in plan.of_kind(Kind::Measure) {
        for s in &m.sdgs {
            let g = goals().iter().find(|g| g.number == s.goal());
            rows.push(vec![
                m.id.clone(),
                m.title(Lang::Ja).to_string(),
                m.title(Lang::En).to_string(),
                m.pillar.clone().unwrap_or_default(),
                s.goal().to_string(),
                if matches!(s, SdgRef::Target(..)) {
                    s.id()
                } else {
                    String::new()
                },
                g.map(|g| g.name_ja.clone()).unwrap_or_default(),
                g.map(|g| g.name_en.clone()).unwrap_or_default(),
            ]);
        }
    }
    csv_bytes(rows)
}

/// The open-data files.
pub fn files(plan: &Plan) -> Vec<OutputFile> {
    let (json, (targets, sdgs)) = rayon::join(
        || plan_json(plan),
        || rayon::join(|| targets_csv(plan), || sdg_csv(plan)),
    );
    let mut out = vec![
        OutputFile {
            path: "data/plan.json".into(),
            bytes: json,
        },
        OutputFile {
            path: "data/targets.csv".into(),
            bytes: targets,
        },
        OutputFile {
            path: "data/sdg-mapping.csv".into(),
            bytes: sdgs,
        },
    ];
    out.extend(super::opendata_ops::files(plan));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_formulas_are_neutralised_but_numbers_are_not() {
        assert_eq!(neutralised("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("-3.5"), "-3.5");
        assert_eq!(neutralised("保育所"), "保育所");
    }
}
