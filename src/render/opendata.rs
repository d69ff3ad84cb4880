//! Render stage (open data): the whole plan as JSON (`data/plan.json`) and the targets and
//! SDG mapping as CSV (`data/targets.csv`, `data/sdg-mapping.csv`, UTF-8 with a byte-order
//! mark so that Excel opens them correctly in Japan), with labels in both languages.
//! The schema is documented in `docs/open-data.md`.

use serde_json::{Value, json};

use super::OutputFile;
use super::html::item_path;
use crate::model::progress;
use crate::model::sdg::{SdgRef, goals};
use crate::model::{FiscalYear, Item, Kind, Lang, Plan, Target};

/// Version of the JSON layout; raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

fn both(item: &Item, field: fn(&crate::model::Texts) -> &Option<String>) -> Value {
    json!({
        "ja": item.text(Lang::Ja, field).map(|x| x.0),
        "en": item.en.as_ref().and_then(|e| field(&e.texts).clone()),
    })
}

fn titles(item: &Item) -> Value {
    json!({"ja": item.ja.texts.title, "en": item.en.as_ref().map(|e| e.texts.title.clone())})
}

fn urls(plan: &Plan, item: &Item) -> Value {
    json!({"ja": plan.config.absolute(Lang::Ja, &item_path(item)), "en": plan.config.absolute(Lang::En, &item_path(item))})
}

fn year(y: FiscalYear) -> Value {
    json!({"fiscal_year": y.0, "label_ja": y.ja(), "compact": y.compact(), "label_en": y.en()})
}

fn target(t: &Target) -> Value {
    json!({
        "id": t.id, "owner": t.owner, "type": t.kind,
        "indicator": t.indicator, "unit": t.unit, "direction": t.direction,
        "baseline": {"year": year(t.baseline.year), "value": t.baseline.value},
        "target": {"year": year(t.target.year), "value": t.target.value},
        "actuals": t.actuals.iter().map(|a| json!({"year": year(a.year), "value": a.value})).collect::<Vec<_>>(),
        "status": progress::status(t),
    })
}

/// The plan as one JSON document.
pub fn plan_json(plan: &Plan) -> Value {
    let cfg = &plan.config;
    let item_list = |kind: Kind, extra: &dyn Fn(&Item) -> Value| -> Vec<Value> {
        plan.of_kind(kind)
            .map(|i| {
                let mut v = json!({"id": i.id, "number": i.number, "title": titles(i), "summary": both(i, |t| &t.summary), "url": urls(plan, i)});
                if let (Value::Object(a), Value::Object(b)) = (&mut v, extra(i)) {
                    a.extend(b);
                }
                v
            })
            .collect()
    };
    json!({
        "schema_version": SCHEMA_VERSION,
        "published": cfg.published,
        "city": cfg.city,
        "title": cfg.title,
        "plan_period": {"from": year(cfg.plan_period.from), "to": year(cfg.plan_period.to)},
        "strategy_period": {"from": year(cfg.strategy_period.from), "to": year(cfg.strategy_period.to)},
        "vision": item_list(Kind::Vision, &|i| json!({"catchphrase": both(i, |t| &t.catchphrase)})),
        "pillars": item_list(Kind::Pillar, &|i| json!({
            "short": both(i, |t| &t.short),
            "measures": plan.measures_of(&i.id).map(|m| m.id.clone()).collect::<Vec<_>>(),
        })),
        "measures": item_list(Kind::Measure, &|i| json!({
            "pillar": i.pillar, "department": both(i, |t| &t.department),
            "sdgs": i.sdgs.iter().map(SdgRef::id).collect::<Vec<_>>(),
            "sdg_goals": i.sdg_goals(),
            "strategy_goals": plan.of_kind(Kind::Strategy).filter(|s| s.measures.contains(&i.id)).map(|s| s.id.clone()).collect::<Vec<_>>(),
            "pledges": plan.of_kind(Kind::Pledge).filter(|s| s.measures.contains(&i.id)).map(|s| s.id.clone()).collect::<Vec<_>>(),
            "targets": plan.targets_of(&i.id).map(|t| t.id.clone()).collect::<Vec<_>>(),
        })),
        "strategy_goals": item_list(Kind::Strategy, &|i| json!({
            "area": both(i, |t| &t.area), "measures": i.measures,
            "targets": plan.targets_of(&i.id).map(|t| t.id.clone()).collect::<Vec<_>>(),
        })),
        "pledges": item_list(Kind::Pledge, &|i| json!({"measures": i.measures})),
        "districts": item_list(Kind::District, &|i| json!({"catchphrase": both(i, |t| &t.catchphrase)})),
        "targets": plan.targets.iter().map(target).collect::<Vec<_>>(),
        "sdg_goals": goals().iter().map(|g| json!({"goal": g.number, "name": {"ja": g.name_ja, "en": g.name_en}, "colour": g.colour})).collect::<Vec<_>>(),
    })
}

fn csv_bytes(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(&r);
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
    let json = serde_json::to_vec_pretty(&plan_json(plan)).unwrap_or_default();
    vec![
        OutputFile {
            path: "data/plan.json".into(),
            bytes: json,
        },
        OutputFile {
            path: "data/targets.csv".into(),
            bytes: targets_csv(plan),
        },
        OutputFile {
            path: "data/sdg-mapping.csv".into(),
            bytes: sdg_csv(plan),
        },
    ]
}
