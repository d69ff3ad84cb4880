//! Model stage: the resolved plan — items (pages), targets (目標値・成果指標) and the data
//! tables of the formulation policy — as the renderers see it.

/// The plan's lookup tables, keyed by the ids of its own files: foldhash instead of std's
/// SipHash, which guards against keys chosen to collide (not a risk with a city's content)
/// at several times the cost per lookup.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// A set hashed as [`HashMap`] is, for the same reason.
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

use serde::{Deserialize, Serialize};

pub use super::body::Body;
use super::sdg::{SdgGoal, SdgRef};
pub use super::tables::*;
pub use super::target::*;
use super::{Kind, Lang};
use crate::config::Config;
use crate::diag::FileId;

/// The text fields of an item in one language (front-matter fields a translator translates).
#[derive(Clone, Debug, Default)]
pub struct Texts {
    /// Title (required).
    pub title: String,
    /// One-sentence summary for listings and the page description.
    pub summary: Option<String>,
    /// Short name of a pillar's policy field (子育て・教育).
    pub short: Option<String>,
    /// Catchphrase of the vision or a district.
    pub catchphrase: Option<String>,
    /// Responsible department of a measure.
    pub department: Option<String>,
    /// National area a strategy goal follows.
    pub area: Option<String>,
}

impl Texts {
    /// The names of the text fields in front-matter — the one list of them — in the order
    /// [`Texts::values`] gives them and digests read them.
    pub const NAMES: [&'static str; 6] = ["title", "summary", "short", "catchphrase", "department", "area"];

    /// Each field's value, in the order of [`Texts::NAMES`].
    pub fn values(&self) -> [Option<&String>; 6] {
        [
            Some(&self.title),
            self.summary.as_ref(),
            self.short.as_ref(),
            self.catchphrase.as_ref(),
            self.department.as_ref(),
            self.area.as_ref(),
        ]
    }

    /// The fields from values in the order of [`Texts::NAMES`].
    pub fn from_values(v: [Option<String>; 6]) -> Texts {
        let [title, summary, short, catchphrase, department, area] = v;
        Texts {
            title: title.unwrap_or_default(),
            summary,
            short,
            catchphrase,
            department,
            area,
        }
    }
}

/// One language version of an item.
#[derive(Clone, Debug)]
pub struct Version {
    /// The language.
    pub lang: Lang,
    /// The file it came from.
    pub file: FileId,
    /// Text fields.
    pub texts: Texts,
    /// The body.
    pub body: Body,
}

/// Whether an English translation matches its Japanese source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationStatus {
    /// Made from the current Japanese text.
    Current,
    /// Made from an older Japanese text.
    Stale,
    /// No `translated_from` recorded, so it cannot be checked.
    Unverified,
    /// No English file.
    Missing,
}

/// A page-like item of the plan (vision, pillar, measure, district, chapter, strategy goal,
/// pledge), with its structure written once and its text per language.
#[derive(Clone, Debug)]
pub struct Item {
    /// What kind of item it is.
    pub kind: Kind,
    /// Its id (the file name stem), unique across the plan.
    pub id: String,
    /// Order within its kind (or within its pillar, for measures).
    pub number: u32,
    /// For a measure or group: the pillar it belongs to (for a measure under a group, the
    /// group's pillar).
    pub pillar: Option<String>,
    /// For a measure in a plan with a middle level: its group.
    pub group: Option<String>,
    /// For a measure: the SDG goals and targets it serves.
    pub sdgs: Vec<SdgRef>,
    /// For a strategy goal or pledge: the measures it is made of.
    pub measures: Vec<String>,
    /// For a chapter: data tables shown after the body.
    pub tables: Vec<TableKind>,
    /// The Japanese source.
    pub ja: Version,
    /// The English translation, if any.
    pub en: Option<Version>,
    /// State of the English translation.
    pub translation: TranslationStatus,
    /// Digest of the Japanese text, recorded by translations as `translated_from`.
    pub digest: String,
    /// For a stale translation: the date (YYYY-MM-DD) the current Japanese text was
    /// committed, when the content is in git and the change is committed.
    pub source_changed: Option<String>,
    /// The digest the English translation records in `translated_from`, if any.
    pub translated_from: Option<String>,
}

impl Item {
    /// The version to show in `lang`, and whether it is a fallback to Japanese.
    pub fn version(&self, lang: Lang) -> (&Version, bool) {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => (en, false),
            (Lang::En, None) => (&self.ja, true),
            (Lang::Ja, _) => (&self.ja, false),
        }
    }

    /// The SDG goals the item serves (from its goal and target tags), in order, once each.
    pub fn sdg_goals(&self) -> Vec<u8> {
        let mut g: Vec<u8> = self.sdgs.iter().map(SdgRef::goal).collect();
        g.sort();
        g.dedup();
        g
    }

    /// The title in `lang` (falls back to Japanese).
    pub fn title(&self, lang: Lang) -> &str {
        &self.version(lang).0.texts.title
    }

    /// A text field in `lang`, falling back to the Japanese one; the flag says whether the
    /// returned text is Japanese shown on an English page.
    pub fn text(&self, lang: Lang, field: fn(&Texts) -> &Option<String>) -> Option<(&str, bool)> {
        let (v, fallback) = self.version(lang);
        match field(&v.texts) {
            Some(t) => Some((t.as_str(), fallback)),
            None if lang == Lang::En => field(&self.ja.texts).as_deref().map(|t| (t, true)),
            None => None,
        }
    }
}

/// The data tables that can be shown inside a chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    /// Plan structure and periods chart.
    Periods,
    /// Formulation bodies.
    Bodies,
    /// Formulation schedule.
    Schedule,
}

/// The introduction of an index page, written by the city (`intros/pillars.ja.md`):
/// Markdown whose placeholders (`{plan_period}`, `{n_pillars:kanji}`) are filled from the
/// plan when the page is made.
#[derive(Clone, Debug)]
pub struct Intro {
    /// The page (`pillars`, one of [`super::terms::INTRO_PAGES`]).
    pub page: String,
    /// Its language.
    pub lang: Lang,
    /// The file.
    pub file: FileId,
    /// The Markdown text.
    pub text: String,
}

/// Something that refers to an item: shown as "referenced by" on the item's page.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Backlink {
    /// Id of the referring item.
    pub from: String,
}

/// The whole resolved plan.
#[derive(Clone)]
pub struct Plan {
    /// Site configuration.
    pub config: Config,
    /// The plan's vocabulary (from the configuration, defaults filled in).
    pub terms: super::terms::Terms,
    /// The sections of every measure, in order.
    pub sections: Vec<super::terms::SectionSpec>,
    /// All items, ordered by kind, then pillar and number.
    pub items: Vec<Item>,
    /// Item index by id.
    pub index: HashMap<String, usize>,
    /// All targets, in file order.
    pub targets: Vec<Target>,
    /// Target index by id.
    pub target_index: HashMap<String, usize>,
    /// Data tables.
    pub tables: Tables,
    /// The introductions the content writes for index pages.
    pub intros: Vec<Intro>,
    /// The files of `static/`: their path in the site (`images/map.png`) and on disk.
    pub static_files: HashMap<String, std::path::PathBuf>,
    /// The pictures of the text that the PDFs can show (found by the resolve stage).
    pub pdf_images: std::collections::HashSet<String>,
    /// A digest of everything the pages are made from (the content's files but the
    /// accessibility results, and keikaku's version): an accessibility test records the one
    /// of the build it tested.
    pub content_digest: String,
    /// Items referring to each item, target (`target:` + id) or SDG goal (`sdg:` + n).
    pub backlinks: HashMap<String, Vec<Backlink>>,
    /// Ids of items and targets whose files had errors: they count as existing, and checks
    /// that depend on their contents are skipped, so one mistake gives one diagnostic.
    pub broken: std::collections::HashSet<String>,
    /// Lookup tables built by [`Plan::reindex`], so no page scans the whole plan.
    pub lookup: Lookup,
    /// The implementation plan's editions, oldest first.
    pub editions: super::projects::Editions,
    /// The yearly progress reports, in year order.
    pub reports: Vec<super::report::Report>,
    /// The targets files as read, for `keikaku export`.
    pub target_tables: Vec<SourceTable>,
    /// The public comments on the draft and the city's answers, by number.
    pub comments: Vec<super::comments::Comment>,
    /// The comments table as read, for `keikaku export`.
    pub comment_table: Option<SourceTable>,
    /// The 新旧対照表 against an earlier edition, in Japanese and English, when one is asked for.
    pub revision: Option<Box<[super::revision::Revision; 2]>>,
}

/// Which optional parts a plan has: a plan without districts, a strategy, pledges, vision
/// targets, chapters or a data table builds no page, navigation item, counter or PDF part
/// for it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Parts {
    /// The vision (基本構想の将来像).
    pub vision: bool,
    /// Targets of the vision or the pillars (成果指標).
    pub vision_targets: bool,
    /// The middle level between pillars and measures.
    pub groups: bool,
    /// Districts.
    pub districts: bool,
    /// The comprehensive strategy's goals.
    pub strategy: bool,
    /// The pledges.
    pub pledges: bool,
    /// Chapters about the plan.
    pub policy: bool,
    /// The periods, bodies and schedule tables.
    pub periods: bool,
    /// See `periods`.
    pub bodies: bool,
    /// See `periods`.
    pub schedule: bool,
}

/// Positions of items and targets by kind, pillar and owner.
#[derive(Clone, Default)]
pub struct Lookup {
    by_kind: HashMap<Kind, Vec<usize>>,
    by_pillar: HashMap<String, Vec<usize>>,
    /// Measures by group, and groups by pillar.
    by_group: HashMap<String, Vec<usize>>,
    groups_by_pillar: HashMap<String, Vec<usize>>,
    by_owner: HashMap<String, Vec<usize>>,
    /// Measures by SDG: the goal number (`7`) for any tag of the goal, the target (`7.2`).
    by_sdg: HashMap<String, Vec<usize>>,
    /// The items (strategy goals, pledges) whose `measures` list a measure, by its id.
    listing: HashMap<String, Vec<usize>>,
}

/// What a reference in prose (`[](measure:kosodate-1)`, `[](target:…)`, `[](sdg:4.2)`)
/// points to: the one place that reads a reference's kind, shared by every renderer.
pub enum Referent<'a> {
    /// An SDG goal or target, with its goal.
    Sdg(SdgRef, &'a SdgGoal),
    /// A target, with the item it belongs to.
    Target(&'a Target, &'a Item),
    /// An item of the plan.
    Item(&'a Item),
}

impl Plan {
    /// What `kind:id` points to, if it exists (the resolve stage has reported the others).
    pub fn referent(&self, kind: &str, id: &str) -> Option<Referent<'_>> {
        match kind {
            "sdg" => {
                let r = SdgRef::parse(id).ok()?;
                let g = crate::model::sdg::goals().iter().find(|g| g.number == r.goal())?;
                Some(Referent::Sdg(r, g))
            }
            "target" => {
                let t = self.target(id)?;
                Some(Referent::Target(t, self.item(&t.owner)?))
            }
            _ => self.item(id).filter(|i| i.kind.ref_name() == kind).map(Referent::Item),
        }
    }

    /// The optional parts this plan has.
    pub fn parts(&self) -> Parts {
        let has = |k: Kind| self.lookup.by_kind.get(&k).is_some_and(|l| !l.is_empty());
        Parts {
            vision: has(Kind::Vision),
            vision_targets: self.targets.iter().any(|t| t.kind == TargetType::Mezasou),
            groups: self.config.middle_level && has(Kind::Group),
            districts: has(Kind::District),
            strategy: has(Kind::Strategy),
            pledges: has(Kind::Pledge),
            policy: has(Kind::Chapter),
            periods: self.tables.periods.is_some(),
            bodies: self.tables.bodies.is_some(),
            schedule: self.tables.schedule.is_some(),
        }
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    /// The items before and after `item` in its sequence (for the pager of its page): the
    /// measures of its pillar for a measure, the items of its kind otherwise.
    pub fn neighbours(&self, item: &Item) -> (Option<&Item>, Option<&Item>) {
        let list = match (item.kind, &item.pillar) {
            (Kind::Measure, Some(p)) => self.lookup.by_pillar.get(p),
            (Kind::Measure, None) => None,
            (k, _) => self.lookup.by_kind.get(&k),
        };
        // The lists hold item positions in ascending order.
        let pos = list
            .zip(self.index.get(&item.id))
            .and_then(|(l, n)| Some((l, l.binary_search(n).ok()?)));
        match pos {
            Some((l, i)) => (
                i.checked_sub(1).map(|j| &self.items[l[j]]),
                l.get(i + 1).map(|&j| &self.items[j]),
            ),
            None => (None, None),
        }
    }

    /// Rebuilds the indexes of items and targets after `items` or `targets` changed.
    pub fn reindex(&mut self) {
        self.index = self
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.id.clone(), i))
            .collect();
        let mut lookup = Lookup::default();
        for (n, i) in self.items.iter().enumerate() {
            lookup.by_kind.entry(i.kind).or_default().push(n);
            if i.kind == Kind::Measure
                && let Some(p) = &i.pillar
            {
                lookup.by_pillar.entry(p.clone()).or_default().push(n);
            }
            if i.kind == Kind::Measure
                && let Some(g) = &i.group
            {
                lookup.by_group.entry(g.clone()).or_default().push(n);
            }
            if i.kind == Kind::Group
                && let Some(p) = &i.pillar
            {
                lookup.groups_by_pillar.entry(p.clone()).or_default().push(n);
            }
            if i.kind == Kind::Measure {
                let mut keys: Vec<String> = Vec::new();
                for s in &i.sdgs {
                    keys.push(s.goal().to_string());
                    if matches!(s, crate::model::sdg::SdgRef::Target(..)) {
                        keys.push(s.id());
                    }
                }
                keys.sort();
                keys.dedup();
                for k in keys {
                    lookup.by_sdg.entry(k).or_default().push(n);
                }
            }
        }
        for (n, i) in self.items.iter().enumerate() {
            for m in &i.measures {
                let list = lookup.listing.entry(m.clone()).or_default();
                // A measure listed twice by the same item counts once.
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        }
        for (n, t) in self.targets.iter().enumerate() {
            lookup.by_owner.entry(t.owner.clone()).or_default().push(n);
        }
        self.lookup = lookup;
    }

    /// The items of one kind (strategy goals, pledges) that list `measure` among their
    /// measures, in order.
    pub fn listing<'a>(&'a self, kind: Kind, measure: &str) -> impl Iterator<Item = &'a Item> {
        self.lookup
            .listing
            .get(measure)
            .into_iter()
            .flatten()
            .map(|&n| &self.items[n])
            .filter(move |i| i.kind == kind)
    }

    /// The items of one kind, in order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Item> {
        self.lookup
            .by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .map(|&n| &self.items[n])
    }

    /// The measures of a pillar, in order.
    pub fn measures_of<'a>(&'a self, pillar: &'a str) -> impl Iterator<Item = &'a Item> {
        self.lookup
            .by_pillar
            .get(pillar)
            .into_iter()
            .flatten()
            .map(|&n| &self.items[n])
    }

    /// The measures of a group (middle level), in order.
    pub fn measures_of_group<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Item> {
        self.lookup
            .by_group
            .get(group)
            .into_iter()
            .flatten()
            .map(|&n| &self.items[n])
    }

    /// The groups (middle level) of a pillar, in order.
    pub fn groups_of<'a>(&'a self, pillar: &'a str) -> impl Iterator<Item = &'a Item> {
        self.lookup
            .groups_by_pillar
            .get(pillar)
            .into_iter()
            .flatten()
            .map(|&n| &self.items[n])
    }

    /// The numbers that make an item's label: a measure's pillar (and group) number before
    /// its own (施策1-2, 施策1-2-3), a group's pillar number before its own.
    pub fn numbers_of(&self, item: &Item) -> Vec<u32> {
        let mut n = Vec::with_capacity(3);
        if matches!(item.kind, Kind::Measure | Kind::Group) {
            n.push(item.pillar.as_ref().and_then(|p| self.item(p)).map_or(0, |p| p.number));
        }
        if let Some(g) = item.group.as_ref().and_then(|g| self.item(g)) {
            n.push(g.number);
        }
        n.push(item.number);
        n
    }

    /// An item's numbered label in a language: 施策1-2 / Measure 1.2, 柱3 / Pillar 3,
    /// 第1章 / Chapter 1 — the one place that writes it, for pages, PDFs and search.
    pub fn label(&self, item: &Item, lang: Lang) -> String {
        let t = &self.terms;
        let term = match item.kind {
            Kind::Vision => return String::new(),
            Kind::Chapter => {
                return match lang {
                    Lang::Ja => format!("第{}章", item.number),
                    Lang::En => format!("Chapter {}", item.number),
                };
            }
            Kind::Pillar => &t.pillar,
            Kind::Group => &t.group,
            Kind::Measure => &t.measure,
            Kind::District => &t.district,
            Kind::Strategy => &t.strategy_goal,
            Kind::Pledge => &t.pledge,
        };
        let sep = match lang {
            Lang::Ja => "-",
            Lang::En => ".",
        };
        let mut out = term.label_of(lang).to_string();
        if lang == Lang::En {
            out.push(' ');
        }
        for (i, n) in self.numbers_of(item).iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(crate::text::digits((*n).into(), &mut [0; 20]));
        }
        out
    }

    /// The anchors of a measure version's level-2 sections, in order: the declared
    /// section's id for each heading the plan declares (`situation`), `section-N` otherwise.
    pub fn section_ids(&self, v: &Version) -> Vec<String> {
        crate::load::markdown::h2_headings(&v.body)
            .iter()
            .enumerate()
            .map(|(n, (h, _))| {
                self.sections
                    .iter()
                    .find(|s| s.heading(v.lang) == h)
                    .map_or_else(|| format!("section-{}", n + 1), |s| s.id.clone())
            })
            .collect()
    }

    /// Of a measure's section anchors, the one its target table follows: the declared section
    /// marked `targets` when the measure has it, else its last section.
    pub fn targets_after<'a>(&self, ids: &'a [String]) -> Option<&'a str> {
        let marked = self.sections.iter().find(|s| s.targets).map(|s| s.id.as_str());
        ids.iter()
            .find(|id| Some(id.as_str()) == marked)
            .or(ids.last())
            .map(String::as_str)
    }

    /// The measures tagged with an SDG goal (`"7"`: any tag of goal 7) or target (`"7.2"`).
    pub fn measures_with_sdg<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a Item> {
        self.lookup
            .by_sdg
            .get(key)
            .into_iter()
            .flatten()
            .map(|&n| &self.items[n])
    }

    /// The targets owned by an item, in file order.
    pub fn targets_of<'a>(&'a self, owner: &'a str) -> impl Iterator<Item = &'a Target> {
        self.lookup
            .by_owner
            .get(owner)
            .into_iter()
            .flatten()
            .map(|&n| &self.targets[n])
    }

    /// The target with this id.
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.target_index.get(id).map(|&i| &self.targets[i])
    }
}
