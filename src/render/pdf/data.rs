//! Render stage (PDF): the data a document's template reads (`/data.json`) — the plan's
//! items, text as Markdown-as-data, targets and tables — in one language.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::markdown::{PdfLinker, sections, to_nodes};
use super::volumes::{self, Volume};
use crate::model::sdg::goals;
use crate::model::{FiscalYear, Item, Kind, Lang, Plan, Referent, TableKind, Target, TargetType};
use crate::render::paths::{self, item_path};
use crate::render::{format, tables};
use crate::theme::{Strings, Theme};

/// Which document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doc {
    /// The basic plan (基本計画).
    Plan,
    /// The comprehensive strategy (総合戦略).
    Strategy,
    /// The latest edition of the implementation plan (実施計画), from and to.
    Implementation(FiscalYear, FiscalYear),
    /// The progress report of a fiscal year (進捗状況報告).
    Progress(FiscalYear),
    /// The 新旧対照表 against an earlier edition.
    Revision,
}

impl Doc {
    /// The document's name in the downloads list and its data (`plan`, `strategy`,
    /// `implementation`, `progress`).
    pub fn slug(self) -> &'static str {
        match self {
            Doc::Plan => "plan",
            Doc::Strategy => "strategy",
            Doc::Implementation(..) => "implementation",
            Doc::Progress(_) => "progress",
            Doc::Revision => "revision",
        }
    }

    /// The years it covers, for the documents of a year or an edition.
    pub fn years(self) -> Option<(FiscalYear, FiscalYear)> {
        match self {
            Doc::Implementation(a, b) => Some((a, b)),
            Doc::Progress(y) => Some((y, y)),
            _ => None,
        }
    }
}

pub(super) struct Linker<'a> {
    pub plan: &'a Plan,
    pub lang: Lang,
    doc: Doc,
    volume: &'a Volume,
    /// The images the document shows: (path in the document, file).
    images: std::cell::RefCell<std::collections::BTreeMap<String, std::path::PathBuf>>,
}

impl Linker<'_> {
    pub fn url(&self, path: &str) -> String {
        self.plan.config.absolute(self.lang, path)
    }

    fn in_doc(&self, item: &Item) -> bool {
        match self.doc {
            // A group's heading opens its first measure.
            Doc::Plan if item.kind == Kind::Group => self
                .plan
                .measures_of_group(&item.id)
                .next()
                .is_some_and(|m| self.volume.holds_measure(&m.id)),
            Doc::Plan => self.volume.holds(item),
            Doc::Strategy => item.kind == Kind::Strategy,
            Doc::Implementation(..) | Doc::Progress(_) => matches!(item.kind, Kind::Measure | Kind::Pillar),
            Doc::Revision => false,
        }
    }
}

/// The label an item has inside a PDF.
pub fn label_of(item: &Item) -> String {
    let prefix = match item.kind {
        Kind::Measure => "m",
        Kind::Pillar => "p",
        Kind::Group => "q",
        Kind::Chapter => "c",
        Kind::Vision => "v",
        Kind::Strategy => "s",
        Kind::District => "d",
        Kind::Pledge => "g",
    };
    format!("{prefix}-{}", item.id)
}

impl PdfLinker for Linker<'_> {
    fn image(&self, dest: &str) -> Option<String> {
        if !crate::load::markdown::is_site_path(dest) {
            return None;
        }
        let name = crate::load::markdown::site_file(dest);
        // The resolve stage has decoded the pictures and warned about those the PDFs cannot show.
        if !self.plan.pdf_images.contains(&name) {
            return None;
        }
        let path = format!("/static/{name}");
        let file = self.plan.static_files.get(&name)?;
        self.images.borrow_mut().insert(path.clone(), file.clone());
        Some(path)
    }

    fn resolve(&self, kind: &str, id: &str) -> Option<(Option<String>, String, String)> {
        Some(match self.plan.referent(kind, id)? {
            Referent::Sdg(r, g) => (
                None,
                self.url(&paths::sdg_path(g.number)),
                format::sdg_label(&r, g, self.lang),
            ),
            Referent::Target(t, owner) => (
                self.in_doc(owner).then(|| format!("t-{}", t.id)),
                self.url(&item_path(owner)),
                t.indicator.get(self.lang).to_string(),
            ),
            Referent::Item(item) => (
                self.in_doc(item).then(|| label_of(item)),
                self.url(&item_path(item)),
                item.title(self.lang).to_string(),
            ),
        })
    }
}

pub(super) fn nodes(item: &Item, l: &Linker<'_>) -> Vec<Value> {
    to_nodes(&item.version(l.lang).0.body, l)
}

fn label(plan: &Plan, item: &Item, lang: Lang) -> String {
    plan.label(item, lang)
}

pub(super) fn target_table(plan: &Plan, owner: &str, kind: Option<TargetType>, lang: Lang) -> Value {
    let list: Vec<&Target> = plan
        .targets_of(owner)
        .filter(|t| kind.is_none_or(|k| t.kind == k))
        .collect();
    serde_json::to_value(tables::targets(&list, lang, tables::Medium::Pdf)).unwrap_or(Value::Null)
}

fn meta(plan: &Plan, lang: Lang, doc: Doc, volume: &Volume, t: &Strings) -> Value {
    let cfg = &plan.config;
    let years = |(from, to): (FiscalYear, FiscalYear)| crate::model::YearRange { from, to };
    let own = doc.years().map(years);
    let (doc_title, period) = match doc {
        Doc::Plan => (t.get("doc_plan").to_string(), &cfg.plan_period),
        // The strategy's PDF exists only when the plan has a strategy, whose period the
        // resolve stage requires.
        Doc::Strategy => (
            t.get("doc_strategy").to_string(),
            cfg.strategy_period.as_ref().unwrap_or(&cfg.plan_period),
        ),
        Doc::Implementation(..) => (
            t.get("doc_implementation").to_string(),
            own.as_ref().unwrap_or(&cfg.plan_period),
        ),
        Doc::Progress(y) => (
            t.get("progress_title").replace("{year}", &format::year(y, lang)),
            &cfg.plan_period,
        ),
        Doc::Revision => (t.get("revision_title").to_string(), &cfg.plan_period),
    };
    let date = cfg.published.map(|d| format::month_of_year(d.year, d.month, lang));
    let vision = plan.of_kind(Kind::Vision).next();
    let title = match doc {
        Doc::Plan => cfg.title.get(lang).to_string(),
        _ => format!("{} {doc_title}", cfg.city.get(lang)),
    };
    // "第2分冊（全5分冊）" on the cover and in the document's title, when the plan is split.
    let volume = volume
        .split()
        .map(|(n, count)| volumes::label(t.get("volume_of"), n, count));
    let title = match &volume {
        Some(v) => format!("{title} {v}"),
        None => title,
    };
    // A draft says so in its title, its running head (the document's name) and on its cover.
    let draft = cfg.draft.then(|| t.get("draft_mark").to_string());
    let (title, doc_title) = match draft {
        Some(_) => (
            format!("{title}{}", t.get("draft_suffix")),
            format!("{doc_title}{}", t.get("draft_suffix")),
        ),
        None => (title, doc_title),
    };
    json!({
        "title": title,
        "doc_title": doc_title,
        "subtitle": match doc {
            Doc::Progress(_) | Doc::Revision => cfg.title.get(lang).to_string(),
            _ => format::period(period, lang),
        },
        "period": format::period(period, lang),
        "city": cfg.city.get(lang),
        "date": date.unwrap_or_default(),
        "notice": cfg.notice.as_ref().map(|n| n.get(lang)).unwrap_or(""),
        "catchphrase": vision.and_then(|v| v.text(lang, |t| &t.catchphrase)).map(|x| x.0),
        "keywords": [cfg.city.get(lang), doc_title],
        "volume": volume,
        "draft": draft,
    })
}

fn badges(item: &Item, lang: Lang) -> Value {
    let nums = item.sdg_goals();
    Value::Array(
        nums.iter()
            .filter_map(|n| goals().iter().find(|g| g.number == *n))
            .map(
                |g| json!({"number": g.number, "name": g.name(lang), "colour": g.colour, "text_colour": g.text_colour}),
            )
            .collect(),
    )
}

/// Where a measure is in the basic plan: its volume (when the plan is split) and page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanPage {
    /// The volume's number and the number of volumes, when the plan is in several.
    pub volume: Option<(usize, usize)>,
    /// The page (as numbered in that volume).
    pub page: u64,
}

/// The data of a document (or of one volume of it) in a language. `plan_pages` maps measure
/// ids to where they are in the basic plan (used by the strategy).
pub fn document(
    plan: &Plan,
    theme: &Theme,
    lang: Lang,
    doc: Doc,
    volume: &Volume,
    plan_pages: &HashMap<String, PlanPage>,
) -> Value {
    let t = theme.strings(lang);
    let l = Linker {
        plan,
        lang,
        doc,
        volume,
        images: Default::default(),
    };
    let mut out = json!({
        "lang": lang.code(),
        "strings": t,
        "meta": meta(plan, lang, doc, volume, t),
    });
    match doc {
        Doc::Plan => plan_parts(&mut out, &l, t),
        Doc::Strategy => strategy_parts(&mut out, &l, t, plan_pages),
        Doc::Implementation(..) => super::operation::implementation_parts(&mut out, &l, plan_pages),
        Doc::Progress(y) => super::operation::progress_parts(&mut out, &l, y, plan_pages),
        Doc::Revision => super::operation::revision_parts(&mut out, &l, t),
    }
    // The files of the images, for the typesetting to read.
    out["images"] = json!(
        l.images
            .into_inner()
            .into_iter()
            .map(|(path, file)| json!({"path": path, "file": file}))
            .collect::<Vec<_>>()
    );
    out
}

impl Linker<'_> {
    /// A link to an item: its label inside this document (`anchor`, if it is in it) and its
    /// web address.
    pub fn item_ref(&self, i: &Item) -> Value {
        json!({
            "id": i.id, "label": label(self.plan, i, self.lang), "title": i.title(self.lang), "url": self.url(&item_path(i)),
            "anchor": self.in_doc(i).then(|| label_of(i)),
        })
    }
}

/// The parts of the basic plan (or of one volume of it).
fn plan_parts(out: &mut Value, l: &Linker<'_>, t: &Strings) {
    let (plan, lang, volume) = (l.plan, l.lang, l.volume);
    // The policy chapters and the vision open the plan (its first volume).
    out["front"] = json!(volume.number == 1);
    out["chapters"] = Value::Array(plan.of_kind(Kind::Chapter).filter(|_| volume.number == 1).map(|ch| {
        let tb = &plan.tables;
        let has = |k: TableKind| ch.tables.contains(&k);
        json!({
            "id": ch.id, "label": label(plan, ch, lang), "title": ch.title(lang), "nodes": nodes(ch, l),
            "tables": {
                "periods": if has(TableKind::Periods) { tb.periods.as_ref().map(|x| serde_json::to_value(tables::periods(x, lang)).unwrap_or(Value::Null)) } else { None },
                "bodies": if has(TableKind::Bodies) { tb.bodies.as_ref().map(|x| serde_json::to_value(tables::bodies(x, lang)).unwrap_or(Value::Null)) } else { None },
                "schedule": if has(TableKind::Schedule) { tb.schedule.as_ref().map(|x| serde_json::to_value(tables::schedule(x, lang)).unwrap_or(Value::Null)) } else { None },
            }
        })
    }).collect());
    out["vision"] = match plan.of_kind(Kind::Vision).next() {
        Some(v) => {
            json!({"title": v.title(lang), "catchphrase": v.text(lang, |t| &t.catchphrase).map(|x| x.0), "nodes": nodes(v, l), "targets": target_table(plan, &v.id, None, lang)})
        }
        None => Value::Null,
    };
    out["pillars"] = Value::Array(
        plan.of_kind(Kind::Pillar)
            .filter_map(|p| Some((p, volume.pillar(&p.id)?)))
            .map(|(p, continued)| pillar(p, continued, l))
            .collect(),
    );
    out["matrix"] = json!({
        "goals": goals().iter().map(|g| json!({"number": g.number, "colour": g.colour, "text_colour": g.text_colour})).collect::<Vec<_>>(),
        "rows": plan.of_kind(Kind::Measure).filter(|m| volume.holds_measure(&m.id)).map(|m| {
            let mut r = l.item_ref(m);
            r["marks"] = json!(goals().iter().map(|g| m.sdgs.iter().any(|s| s.goal() == g.number)).collect::<Vec<_>>());
            r
        }).collect::<Vec<_>>(),
    });
    out["target_list"] = target_list(plan, t, lang, l);
    // The public comment's results close the last volume.
    if !plan.comments.is_empty() && volume.number == volume.count {
        out["comments"] = super::operation::comments(l, t);
    }
}

/// A measure in the PDF: its facts, sections and targets.
fn measure(m: &Item, l: &Linker<'_>) -> Value {
    let (plan, lang) = (l.plan, l.lang);
    let ids = plan.section_ids(m.version(lang).0);
    // The n-th titled section has the n-th anchor (the untitled part before the first
    // heading, when there is one, is the intro).
    let mut titled = 0;
    let secs: Vec<Value> = sections(nodes(m, l))
        .into_iter()
        .map(|(title, n)| {
            let id = match &title {
                None => "intro".to_string(),
                Some(_) => {
                    titled += 1;
                    ids.get(titled - 1)
                        .cloned()
                        .unwrap_or_else(|| format!("section-{titled}"))
                }
            };
            json!({"id": id, "title": title, "nodes": n})
        })
        .collect();
    let after = plan.targets_after(&ids);
    json!({
        "id": m.id, "label": label(plan, m, lang), "title": m.title(lang),
        "department": m.text(lang, |t| &t.department).map(|x| x.0).unwrap_or(""),
        "sdgs": badges(m, lang),
        "strategy": plan.listing(Kind::Strategy, &m.id).map(|i| l.item_ref(i)).collect::<Vec<_>>(),
        "pledges": plan.listing(Kind::Pledge, &m.id).map(|i| l.item_ref(i)).collect::<Vec<_>>(),
        "sections": secs,
        "targets_after": after,
        "targets": target_table(plan, &m.id, None, lang),
    })
}

/// The measures of a pillar this volume holds; in a plan with a middle level, the first
/// measure of each group carries the group (its heading opens the measure).
fn pillar_measures(p: &Item, l: &Linker<'_>) -> Vec<Value> {
    let (plan, lang) = (l.plan, l.lang);
    let mut last_group: Option<&str> = None;
    plan.measures_of(&p.id)
        .filter(|m| l.volume.holds_measure(&m.id))
        .map(|m| {
            let group = m.group.as_deref().and_then(|g| plan.item(g));
            let opens = group.filter(|g| last_group != Some(g.id.as_str()));
            last_group = group.map(|g| g.id.as_str());
            let mut v = measure(m, l);
            v["level"] = json!(if group.is_some() { 3 } else { 2 });
            v["group"] = opens.map_or(
                Value::Null,
                |g| json!({"id": g.id, "label": label(plan, g, lang), "title": g.title(lang), "nodes": nodes(g, l)}),
            );
            v
        })
        .collect()
}

/// A pillar with the measures of it that this volume holds. A pillar continued from the
/// volume before repeats only its heading.
fn pillar(p: &Item, continued: bool, l: &Linker<'_>) -> Value {
    let (plan, lang) = (l.plan, l.lang);
    json!({
        "id": p.id, "label": label(plan, p, lang), "title": p.title(lang), "continued": continued,
        "short": p.text(lang, |t| &t.short).map(|x| x.0).unwrap_or(""),
        "nodes": if continued { Vec::new() } else { nodes(p, l) },
        "targets": if continued { json!({"years": [], "rows": []}) } else { target_table(plan, &p.id, None, lang) },
        "measures": pillar_measures(p, l),
    })
}

/// The parts of the strategy: the chapters that speak of it, then its goals with the page of
/// each of their measures in the basic plan.
fn strategy_parts(out: &mut Value, l: &Linker<'_>, t: &Strings, plan_pages: &HashMap<String, PlanPage>) {
    let (plan, lang) = (l.plan, l.lang);
    // The chapters that speak of the strategy (refer to a strategy goal) introduce it.
    let speaks_of_strategy = |ch: &&Item| {
        plan.of_kind(Kind::Strategy).any(|g| {
            plan.backlinks
                .get(&g.id)
                .is_some_and(|b| b.iter().any(|x| x.from == ch.id))
        })
    };
    out["intro"] = Value::Array(plan.of_kind(Kind::Chapter).filter(speaks_of_strategy).map(|ch| json!({
        "id": ch.id, "label": label(plan, ch, lang), "title": ch.title(lang), "nodes": nodes(ch, l),
        "periods": if ch.tables.contains(&TableKind::Periods) { plan.tables.periods.as_ref().map(|x| serde_json::to_value(tables::periods(x, lang)).unwrap_or(Value::Null)) } else { None },
    })).collect());
    out["goals"] = Value::Array(
        plan.of_kind(Kind::Strategy)
            .map(|g| {
                json!({
                    "id": g.id, "label": label(plan, g, lang), "title": g.title(lang),
                    "area": g.text(lang, |t| &t.area).map(|x| x.0),
                    "nodes": nodes(g, l),
                    "numeric": target_table(plan, &g.id, Some(TargetType::Numeric), lang),
                    "kpi": target_table(plan, &g.id, Some(TargetType::Kpi), lang),
                    "measures": g.measures.iter().filter_map(|m| plan.item(m)).map(|m| {
                        let mut r = l.item_ref(m);
                        let at = plan_pages.get(&m.id);
                        r["page"] = json!(at.map(|a| a.page));
                        r["volume"] = json!(at.and_then(|a| a.volume).map(|(n, count)| volumes::label(t.get("volume_n"), n, count)));
                        r
                    }).collect::<Vec<_>>(),
                })
            })
            .collect(),
    );
}

fn target_list(plan: &Plan, t: &Strings, lang: Lang, l: &Linker<'_>) -> Value {
    let row = |t: &Target, owner: &Item| {
        let mut row = serde_json::to_value(tables::Figures::of(t, lang)).unwrap_or_default();
        row["anchor"] = json!(format!("t-{}", t.id));
        row["url"] = json!(l.url(&item_path(owner)));
        row["owner"] = json!(format!("{} {}", label(plan, owner, lang), owner.title(lang)).trim());
        row
    };
    let mut groups = Vec::new();
    let mut add = |title: String, owners: Vec<&Item>| {
        let rows: Vec<Value> = owners
            .iter()
            .flat_map(|o| plan.targets_of(&o.id).map(move |t| (t, *o)))
            .map(|(t, o)| row(t, o))
            .collect();
        if !rows.is_empty() {
            groups.push(json!({"title": title, "rows": rows}));
        }
    };
    add(
        t.get("group_vision").to_string(),
        plan.of_kind(Kind::Vision).filter(|v| l.volume.holds(v)).collect(),
    );
    for p in plan.of_kind(Kind::Pillar) {
        let mut owners: Vec<&Item> = l.volume.holds(p).then_some(p).into_iter().collect();
        owners.extend(plan.measures_of(&p.id).filter(|m| l.volume.holds_measure(&m.id)));
        add(format!("{} {}", label(plan, p, lang), p.title(lang)), owners);
    }
    Value::Array(groups)
}
