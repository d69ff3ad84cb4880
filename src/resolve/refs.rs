//! Resolve stage: every reference between items — a measure's pillar, a strategy goal's or
//! pledge's measures, a target's owner, and `[](kind:id)` links in prose — is checked here,
//! and backlinks are collected for "referenced by" lists.

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::load::Document;
use crate::load::frontmatter::{Located, span_of};
use crate::load::markdown::{REF_KINDS, refs};
use crate::model::plan::{HashMap, HashSet};
use crate::model::sdg::SdgRef;
use crate::model::{Backlink, Kind, Plan, TargetType};

/// The reference fields of a Japanese front-matter, kept with their places.
pub struct FrontRefs {
    file: FileId,
    kind: Kind,
    broken: bool,
    yaml_start: usize,
    pillar: Option<Located<String>>,
    group: Option<Located<String>>,
    measures: Vec<Located<String>>,
}

impl FrontRefs {
    /// Takes the reference fields of a document.
    pub fn of(d: &Document) -> Self {
        FrontRefs {
            file: d.file,
            kind: d.kind,
            broken: d.broken,
            yaml_start: d.yaml_start,
            pillar: d.front.pillar.clone(),
            group: d.front.group.clone(),
            measures: d.front.measures.as_ref().map(|m| m.value.clone()).unwrap_or_default(),
        }
    }
}

fn ids_of_kind(plan: &Plan, kind: Kind) -> Vec<&str> {
    plan.of_kind(kind).map(|i| i.id.as_str()).collect()
}

/// The diagnostic for a reference to `id` that should be a `want`.
fn bad_item_ref(
    plan: &Plan,
    want: Kind,
    id: &str,
    file: FileId,
    span: std::ops::Range<usize>,
    how_written: &dyn Fn(&str) -> String,
) -> Option<Diagnostic> {
    if plan.broken.contains(id) {
        return None;
    }
    match plan.item(id) {
        Some(it) if it.kind == want => None,
        Some(it) => Some(
            Diagnostic::error(
                "wrong-kind",
                format!("`{id}` is a {}, not a {}", it.kind.describe(), want.describe()),
            )
            .at(file, span, format!("expected a {}", want.ref_name()))
            .hint(format!(
                "to refer to this {}, write {}",
                it.kind.ref_name(),
                how_written_kind(it.kind, id)
            )),
        ),
        None => {
            let ids = ids_of_kind(plan, want);
            let mut d = Diagnostic::error(
                "unknown-reference",
                format!("there is no {} with the id `{id}`", want.describe()),
            )
            .at(file, span, "unknown id");
            d = match did_you_mean(id, ids.iter().copied()) {
                Some(s) => d.hint(format!("did you mean {}?", how_written(s))),
                None => d.hint(format!("the {} ids are: {}", want.ref_name(), ids.join(", "))),
            };
            Some(d)
        }
    }
}

fn how_written_kind(kind: Kind, id: &str) -> String {
    format!("[]({}:{id})", kind.ref_name())
}

/// Checks the targets table: unique ids, owners that exist, types that fit the owner.
pub fn check_targets(plan: &mut Plan, diags: &mut Diagnostics) {
    let mut index: HashMap<String, usize> = Default::default();
    for i in 0..plan.targets.len() {
        let t = &plan.targets[i];
        if let Some(&first) = index.get(&t.id) {
            let f = &plan.targets[first];
            diags.push(
                Diagnostic::error("duplicate-id", format!("the target id `{}` is used twice", t.id))
                    .at(t.file, t.span.clone(), "second row")
                    .also(f.file, f.span.clone(), "first row")
                    .hint("give every target its own id, e.g. the measure id and a number: kosodate-1-3"),
            );
            continue;
        }
        if plan.item(&t.id).is_some() {
            diags.push(
                Diagnostic::error(
                    "duplicate-id",
                    format!("the target id `{}` is also the id of a page", t.id),
                )
                .at(t.file, t.span.clone(), "target row")
                .hint("ids are shared by pages and targets; add a number to the target id, e.g. kosodate-1-1"),
            );
        }
        index.insert(t.id.clone(), i);
        let owner_kind = plan.item(&t.owner).map(|o| o.kind);
        let owner_broken = plan.broken.contains(&t.owner);
        let t = &mut plan.targets[i];
        match owner_kind {
            _ if owner_broken => {}
            None => {
                let ids: Vec<&str> = plan.items.iter().filter(|i| matches!(i.kind, Kind::Measure | Kind::Pillar | Kind::Vision | Kind::Strategy)).map(|i| i.id.as_str()).collect();
                let mut d = Diagnostic::error("unknown-reference", format!("the target `{}` belongs to `{}`, which does not exist", t.id, t.owner))
                    .at(t.file, t.span.clone(), "unknown owner");
                d = match did_you_mean(&t.owner, ids.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("the owner is the id of a measure, a pillar, the vision (`vision`) or a strategy goal"),
                };
                diags.push(d);
            }
            Some(Kind::Measure) if t.kind == TargetType::Target => {}
            Some(Kind::Pillar | Kind::Vision) if matches!(t.kind, TargetType::Target | TargetType::Mezasou) => t.kind = TargetType::Mezasou,
            Some(Kind::Strategy) if matches!(t.kind, TargetType::Numeric | TargetType::Kpi) => {}
            Some(Kind::Strategy) => diags.push(
                Diagnostic::error("bad-target-type", format!("the strategy target `{}` needs a type", t.id))
                    .at(t.file, t.span.clone(), "type missing or wrong")
                    .hint("write `numeric` (数値目標) or `kpi` in the `type` column"),
            ),
            Some(k) => diags.push(
                Diagnostic::error("bad-target-type", format!("a {} cannot have a target of this type", k.describe()))
                    .at(t.file, t.span.clone(), "wrong owner or type")
                    .hint("targets belong to measures, pillars, the vision or strategy goals; only strategy goals use `numeric` and `kpi`"),
            ),
        }
    }
    plan.target_index = index;
}

/// The key a prose reference (`[](kind:id)`) is known by in the backlinks (`sdg:4`,
/// `target:k-1`, an item's id), or `None` after a diagnostic when it names nothing.
/// Used for the items' bodies and for every other Markdown the content writes.
pub fn prose_ref_key(
    plan: &Plan,
    r: &crate::load::markdown::ProseRef,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<String> {
    let span = r.span.clone();
    match r.kind.as_str() {
        "sdg" => match SdgRef::parse(&r.id) {
            Ok(s) => Some(format!("sdg:{}", s.goal())),
            Err(why) => {
                diags.push(
                    Diagnostic::error("unknown-sdg", format!("`{}` is not an SDG goal or target", r.id))
                        .at(file, span, why)
                        .hint("write [](sdg:13) for a goal or [](sdg:13.1) for a target"),
                );
                None
            }
        },
        "target" => {
            if plan.broken.contains(&r.id) {
                None
            } else if plan.target(&r.id).is_some() {
                Some(format!("target:{}", r.id))
            } else {
                let ids: Vec<&str> = plan.targets.iter().map(|t| t.id.as_str()).collect();
                let mut d = Diagnostic::error(
                    "unknown-reference",
                    format!("there is no target with the id `{}`", r.id),
                )
                .at(file, span, "unknown target");
                d = match did_you_mean(&r.id, ids.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean [](target:{s})?")),
                    None => d.hint("target ids are in the `id` column of data/targets/*.csv"),
                };
                diags.push(d);
                None
            }
        }
        k => match Kind::ALL.into_iter().find(|kind| kind.ref_name() == k) {
            Some(kind) => match bad_item_ref(plan, kind, &r.id, file, span, &|s| format!("[]({k}:{s})")) {
                Some(d) => {
                    diags.push(d);
                    None
                }
                None => Some(r.id.clone()),
            },
            None if UNSAFE_SCHEMES.contains(&k.to_ascii_lowercase().as_str()) => {
                diags.push(unsafe_address(file, span, k));
                None
            }
            None => {
                let mut d = Diagnostic::error("unknown-reference-kind", format!("`{k}:` is not a kind of reference"))
                    .at(file, span, "unknown kind");
                d = match did_you_mean(k, REF_KINDS) {
                    Some(s) => d.hint(format!("did you mean `{s}:`?")),
                    None => d.hint(format!(
                        "references are written [](kind:id) with kind one of {}",
                        REF_KINDS.join(", ")
                    )),
                };
                diags.push(d);
                None
            }
        },
    }
}

/// Checks the references of a Markdown text that is not an item's body (an introduction,
/// an evaluation of a progress report): each must name something that exists.
pub fn check_text_refs(plan: &Plan, text: &str, file: FileId, diags: &mut Diagnostics) {
    let body = crate::load::markdown::parse(text, 0);
    for r in refs(&body) {
        let _ = prose_ref_key(plan, &r, file, diags);
    }
}

/// Checks front-matter references and records their backlinks.
pub fn check_front_refs(plan: &Plan, fronts: &[FrontRefs], sources: &Sources, diags: &mut Diagnostics) {
    for f in fronts {
        if f.kind == Kind::Measure && !f.broken {
            check_level(plan, f, sources, diags);
        }
        if let Some(g) = &f.group
            && f.kind == Kind::Measure
            && plan.config.middle_level
        {
            let span = span_of(sources, f.file, f.yaml_start, g);
            if let Some(d) = bad_item_ref(plan, Kind::Group, g.value.trim(), f.file, span, &|s| {
                format!("`group: {s}`")
            }) {
                diags.push(d);
            }
        }
        if let Some(p) = &f.pillar
            && !(f.kind == Kind::Measure && plan.config.middle_level)
        {
            let span = span_of(sources, f.file, f.yaml_start, p);
            if let Some(d) = bad_item_ref(plan, Kind::Pillar, p.value.trim(), f.file, span, &|s| {
                format!("`pillar: {s}`")
            }) {
                diags.push(d);
            }
        }
        for m in &f.measures {
            let span = span_of(sources, f.file, f.yaml_start, m);
            if let Some(d) = bad_item_ref(plan, Kind::Measure, m.value.trim(), f.file, span, &|s| format!("`{s}`")) {
                diags.push(d);
            }
        }
    }
}

/// A measure names its pillar, or its group in a plan with a middle level, never both.
fn check_level(plan: &Plan, f: &FrontRefs, sources: &Sources, diags: &mut Diagnostics) {
    let (want, other, other_value) = if plan.config.middle_level {
        ("group", "pillar", &f.pillar)
    } else {
        ("pillar", "group", &f.group)
    };
    if let Some(v) = other_value {
        let span = span_of(sources, f.file, f.yaml_start, v);
        let hint = if plan.config.middle_level {
            "in a plan with a middle level a measure names its group (`group: …`); its pillar is the group's"
        } else {
            "this plan has no middle level (`middle_level: true` in keikaku.yaml): a measure names its pillar (`pillar: …`)"
        };
        diags.push(
            Diagnostic::error(
                "field-not-allowed",
                format!("a measure of this plan has no field `{other}`"),
            )
            .at(f.file, span, "not a field of a measure here")
            .hint(hint),
        );
    }
    let have = if plan.config.middle_level { &f.group } else { &f.pillar };
    if have.is_none() {
        let end = sources.line_span(f.file, 1).end;
        diags.push(
            Diagnostic::error(
                "missing-field",
                format!("the front-matter has no `{want}`, which every measure (施策) of this plan needs"),
            )
            .at(f.file, 0..end, format!("add `{want}: …` in this front-matter"))
            .hint(format!(
                "add the id of the {want} this measure belongs to, e.g. `{want}: {}`",
                plan.of_kind(if want == "group" { Kind::Group } else { Kind::Pillar })
                    .next()
                    .map_or("kosodate", |i| i.id.as_str())
            )),
        );
    }
}

/// Address schemes that run code or carry a whole document in the page.
const UNSAFE_SCHEMES: [&str; 4] = ["javascript", "vbscript", "data", "file"];

/// Schemes a link may use; an image may use the first two (or none: a file of the site).
const LINK_SCHEMES: [&str; 5] = ["https", "http", "mailto", "tel", "ftp"];

fn unsafe_address(file: crate::diag::FileId, span: std::ops::Range<usize>, scheme: &str) -> Diagnostic {
    Diagnostic::error(
        "unsafe-address",
        format!("keikaku does not publish links or images with `{scheme}:` addresses"),
    )
    .at(file, span, "not allowed")
    .hint("link to a web page (https://…), to a page of the plan ([](measure:id)), or to a file of static/ (files/plan.pdf)")
}

/// The scheme of an address as a browser reads it (tabs and line breaks removed, any
/// case), if it has one.
fn scheme_of(dest: &str) -> Option<String> {
    let clean: String = dest.chars().filter(|c| !c.is_ascii_control() && *c != ' ').collect();
    let (head, _) = clean.split_once(':')?;
    (!head.is_empty() && head.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| head.to_ascii_lowercase())
}

/// Checks the addresses of an item's links and images: an image may only come from the
/// site or from `http(s)`, a link may not use a scheme that runs code (`javascript:`).
/// References (`[](measure:id)`) are checked by [`check_prose_refs`]. Run on every item by
/// resolve, and by `serve`'s incremental rebuilds.
pub fn check_item_addresses(item: &crate::model::Item, diags: &mut Diagnostics) {
    use pulldown_cmark::{Event, Tag};
    for v in std::iter::once(&item.ja).chain(item.en.as_ref()) {
        for (e, span) in v.body.links() {
            let (dest, image) = match e {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => continue,
            };
            if !image && crate::load::markdown::split_ref(dest).is_some() {
                continue;
            }
            let Some(scheme) = scheme_of(dest) else { continue };
            let allowed = if image { &LINK_SCHEMES[..2] } else { &LINK_SCHEMES[..] };
            if !allowed.contains(&scheme.as_str()) {
                diags.push(unsafe_address(v.file, span.clone(), &scheme));
            }
        }
    }
}

/// Checks `[](kind:id)` links in every body and records backlinks.
/// Long on purpose: one arm per kind of reference, each with its own diagnostic and hint.
pub fn check_prose_refs(plan: &mut Plan, diags: &mut Diagnostics) {
    let mut backlinks = Backlinks::default();
    for (n, item) in plan.items.iter().enumerate() {
        for m in &item.measures {
            backlinks.add(m, n, &item.id);
        }
        for s in &item.sdgs {
            backlinks.add(&format!("sdg:{}", s.goal()), n, &item.id);
        }
    }
    // The references in each item's text, found on all cores; added and reported in the
    // items' order, so backlinks and diagnostics do not depend on timing.
    let found: Vec<(Vec<String>, Diagnostics)> = {
        use rayon::prelude::*;
        let plan: &Plan = plan;
        plan.items
            .par_iter()
            .map(|item| {
                let mut d = Diagnostics::default();
                let keys = std::iter::once(&item.ja)
                    .chain(item.en.as_ref())
                    .flat_map(|v| refs(&v.body).into_iter().map(move |r| (r, v.file)))
                    .filter_map(|(r, file)| prose_ref_key(plan, &r, file, &mut d))
                    .filter(|key| *key != item.id)
                    .collect();
                (keys, d)
            })
            .collect()
    };
    for (n, (keys, d)) in found.into_iter().enumerate() {
        diags.append(d);
        for key in keys {
            backlinks.add(&key, n, &plan.items[n].id);
        }
    }
    plan.backlinks = backlinks
        .lists
        .into_iter()
        .map(|(key, (_, list))| (key, list))
        .collect();
}

/// The backlinks being gathered: for each key (an item's id, `sdg:4`), its number and the
/// items that refer to it, each once, in the order first met.
#[derive(Default)]
struct Backlinks {
    lists: HashMap<String, (usize, Vec<Backlink>)>,
    /// (key's number, referring item's index) already listed: a set rather than a scan of
    /// the list, as an SDG goal's list holds a sizeable share of all items.
    seen: HashSet<(usize, usize)>,
}

impl Backlinks {
    /// Records that item `from` (whose id is `id`) refers to `key`, unless it already did.
    fn add(&mut self, key: &str, from: usize, id: &str) {
        let next = self.lists.len();
        let (k, list) = match self.lists.get_mut(key) {
            Some(entry) => entry,
            None => self.lists.entry(key.to_string()).or_insert((next, Vec::new())),
        };
        if self.seen.insert((*k, from)) {
            list.push(Backlink { from: id.to_string() });
        }
    }
}
