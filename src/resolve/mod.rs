//! Resolve stage: turns the loaded files into a [`Plan`] — groups each item's Japanese source
//! with its translation, checks ids and every reference (front-matter and prose), computes
//! translation status and backlinks. Everything an editor can get wrong here becomes a
//! diagnostic; all of them are collected before the build stops.

pub mod checks;
pub mod glyphs;
pub mod images;
mod operation;
pub mod refs;
pub mod revision;
pub mod shape;
pub mod stale;

use std::collections::HashMap;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::load::frontmatter::{FrontMatter, span_of};
use crate::load::{Document, Loaded};
use crate::model::sdg::SdgRef;
use crate::model::{Item, Kind, Lang, Plan, TableKind, Texts, TranslationStatus, Version};

/// Digest of the text of a Japanese source (its text fields and body), as recorded by a
/// translation in `translated_from`. Twelve hex digits of SHA-256.
pub fn text_digest(texts: &Texts, body_source: &str) -> String {
    // The text as it is hashed, hashed in one piece (many small updates cost more).
    let mut text = Vec::with_capacity(body_source.len() + 256);
    for f in texts.values() {
        text.extend_from_slice(f.map(String::as_str).unwrap_or("").trim().as_bytes());
        text.push(0);
    }
    // Line endings and trailing spaces do not change the text.
    for line in body_source.lines() {
        text.extend_from_slice(line.trim_end().as_bytes());
        text.push(b'\n');
    }
    let out = Sha256::digest(&text);
    out.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The digest of a Japanese source file's text (as [`text_digest`]), or `None` when it has
/// no readable front-matter. Used on old versions of a file from its history.
pub fn digest_of_source(text: &str) -> Option<String> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let file = sources.add(std::path::Path::new("old"), text.to_string());
    let split = crate::load::frontmatter::split(text, file, &mut diags)?;
    let fm = crate::load::frontmatter::parse(&sources, file, &split, &mut diags)?;
    Some(text_digest(&texts_of(&fm), split.body))
}

fn texts_of(fm: &FrontMatter) -> Texts {
    Texts::from_values(fm.texts().map(|v| v.map(|v| v.value.trim().to_string())))
}

/// Groups documents by id, reporting duplicates and translations without a source. Ids used
/// twice are added to `broken`, so references to them add no follow-on errors.
#[allow(
    clippy::vec_box,
    reason = "documents are over a kilobyte: boxed, they are paired and reordered by moving pointers"
)]
fn group(
    docs: Vec<Box<Document>>,
    sources: &Sources,
    diags: &mut Diagnostics,
    broken: &mut std::collections::HashSet<String>,
) -> Vec<(Box<Document>, Option<Box<Document>>)> {
    // By index, each taken once into its pair (boxed: a document is over a kilobyte).
    let mut docs: Vec<Option<Box<Document>>> = docs.into_iter().map(Some).collect();
    // (Japanese source, its translation) by index, in the sources' order, and the
    // translations left without a source.
    let (pairs, left): (Vec<(usize, Option<usize>)>, Vec<usize>) = {
        let mut ja: HashMap<&str, usize> = HashMap::new();
        let mut en: HashMap<&str, usize> = HashMap::new();
        let mut order: Vec<usize> = Vec::new();
        for (n, d) in docs.iter().enumerate() {
            let Some(d) = d else { continue };
            let map = if d.lang == Lang::Ja { &mut ja } else { &mut en };
            if let Some(&first) = map.get(d.id.as_str()) {
                let first = docs[first].as_ref().expect("a document indexed is still there");
                broken.insert(d.id.clone());
                diags.push(duplicate_id(d, first, sources));
                continue;
            }
            if d.lang == Lang::Ja {
                order.push(n);
            }
            map.insert(d.id.as_str(), n);
        }
        let pairs = order
            .into_iter()
            .map(|n| (n, docs[n].as_ref().and_then(|d| en.remove(d.id.as_str()))))
            .collect();
        (pairs, en.into_values().collect())
    };
    let mut out = Vec::with_capacity(pairs.len());
    for (j, e) in pairs {
        let j = docs[j].take().expect("each source is paired once");
        let e = e.and_then(|e| docs[e].take());
        let id = &j.id;
        if let Some(e) = &e
            && e.kind != j.kind
            && !broken.contains(id)
        {
            diags.push(
                Diagnostic::error(
                    "translation-kind-mismatch",
                    format!("the translation of `{id}` is in another folder than its source"),
                )
                .at(e.file, 0..0, format!("in {}/", e.kind.folder()))
                .also(j.file, 0..0, format!("source in {}/", j.kind.folder()))
                .hint("keep the .ja.md and .en.md files of an item side by side in the same folder"),
            );
        }
        out.push((j, e));
    }
    let mut orphans: Vec<Box<Document>> = left.into_iter().filter_map(|n| docs[n].take()).collect();
    orphans.sort_by_key(|d| d.file);
    for e in orphans.into_iter().filter(|e| !broken.contains(&e.id)) {
        diags.push(
            Diagnostic::error(
                "translation-without-source",
                format!("`{}.en.md` has no Japanese source `{}.ja.md`", e.id, e.id),
            )
            .at(e.file, 0..0, "translation of nothing")
            .hint(
                "Japanese is the source of truth: create the .ja.md file, or rename this file to match an existing id",
            ),
        );
    }
    out
}

/// The error of a document whose id an earlier one of its language already has.
fn duplicate_id(d: &Document, first: &Document, sources: &Sources) -> Diagnostic {
    Diagnostic::error("duplicate-id", format!("the id `{}` is used twice", d.id))
        .at(d.file, 0..0, format!("second {} `{}`", d.kind.describe(), d.id))
        .also(
            first.file,
            0..0,
            format!("first used here, by a {}", first.kind.describe()),
        )
        .hint(format!(
            "ids are file names and must be unique across the whole plan; rename one of {} and {}",
            sources.path(first.file).display(),
            sources.path(d.file).display()
        ))
}

/// Runs a check of one item on every item, on all cores; what it finds is added in the
/// items' order, as one loop would.
pub(crate) fn each_item(plan: &Plan, diags: &mut Diagnostics, check: impl Fn(&Item, &mut Diagnostics) + Sync) {
    let found: Vec<Diagnostics> = plan
        .items
        .par_iter()
        .map(|item| {
            let mut d = Diagnostics::default();
            check(item, &mut d);
            d
        })
        .collect();
    for d in found {
        diags.append(d);
    }
}

/// Makes an item from its Japanese source and its translation (no cross-checks).
pub fn make_item(ja: Document, en: Option<Document>, sources: &Sources, diags: &mut Diagnostics) -> Item {
    let fm = &ja.front;
    let texts = texts_of(fm);
    let digest = text_digest(&texts, &ja.body.text);
    let mut sdgs = Vec::new();
    if let Some(list) = &fm.sdgs {
        for s in &list.value {
            match SdgRef::parse(&s.value) {
                Ok(r) => sdgs.push(r),
                Err(why) => diags.push(
                    Diagnostic::error("unknown-sdg", format!("`{}` is not an SDG goal or target", s.value))
                        .at(ja.file, span_of(sources, ja.file, ja.yaml_start, s), why)
                        .hint("SDG tags are goals 1–17 or targets such as \"4.2\" or \"1.a\"; quote targets like \"4.10\" so they stay text"),
                ),
            }
        }
    }
    let mut tables = Vec::new();
    if let Some(list) = &fm.tables {
        for t in &list.value {
            match t.value.as_str() {
                "periods" => tables.push(TableKind::Periods),
                "bodies" => tables.push(TableKind::Bodies),
                "schedule" => tables.push(TableKind::Schedule),
                other => diags.push(
                    Diagnostic::error("unknown-table", format!("there is no data table `{other}`"))
                        .at(ja.file, span_of(sources, ja.file, ja.yaml_start, t), "unknown table")
                        .hint("the tables are periods, bodies and schedule"),
                ),
            }
        }
    }
    let translation = match &en {
        None => TranslationStatus::Missing,
        Some(e) => match &e.front.translated_from {
            None => TranslationStatus::Unverified,
            Some(d) if d.value.trim() == digest => TranslationStatus::Current,
            Some(_) => TranslationStatus::Stale,
        },
    };
    let translated_from = en
        .as_ref()
        .and_then(|e| e.front.translated_from.as_ref())
        .map(|d| d.value.trim().to_string());
    let en_version = en.map(|e| Version {
        lang: Lang::En,
        file: e.file,
        texts: texts_of(&e.front),
        body: e.body,
    });
    Item {
        kind: ja.kind,
        id: ja.id.clone(),
        number: fm.number.as_ref().map(|n| n.value).unwrap_or(0),
        pillar: fm.pillar.as_ref().map(|p| p.value.trim().to_string()),
        group: fm.group.as_ref().map(|p| p.value.trim().to_string()),
        sdgs,
        measures: fm
            .measures
            .as_ref()
            .map(|l| l.value.iter().map(|m| m.value.trim().to_string()).collect())
            .unwrap_or_default(),
        tables,
        ja: Version {
            lang: Lang::Ja,
            file: ja.file,
            texts,
            body: ja.body,
        },
        en: en_version,
        translation,
        digest,
        source_changed: None,
        translated_from,
    }
}

/// Gives each measure under a group its group's pillar, and orders the items by kind, then
/// pillar, group and number.
fn place_in_levels(items: &mut [Item]) {
    let numbers: HashMap<(Kind, String), u32> = items
        .iter()
        .filter(|i| matches!(i.kind, Kind::Pillar | Kind::Group))
        .map(|i| ((i.kind, i.id.clone()), i.number))
        .collect();
    let group_pillar: HashMap<String, Option<String>> = items
        .iter()
        .filter(|i| i.kind == Kind::Group)
        .map(|i| (i.id.clone(), i.pillar.clone()))
        .collect();
    for i in items.iter_mut().filter(|i| i.kind == Kind::Measure) {
        if let Some(p) = i.group.as_ref().and_then(|g| group_pillar.get(g)) {
            i.pillar = p.clone();
        }
    }
    let number = |kind: Kind, id: &Option<String>| {
        id.as_ref()
            .and_then(|p| numbers.get(&(kind, p.clone())))
            .copied()
            .unwrap_or(0)
    };
    // The key is built once per item (it holds a copy of the id).
    items.sort_by_cached_key(|i| {
        (
            i.kind,
            number(Kind::Pillar, &i.pillar),
            number(Kind::Group, &i.group),
            i.number,
            i.id.clone(),
        )
    });
}

/// A stand-in configuration, so that every other problem is still reported when
/// `keikaku.yaml` is missing or broken.
fn placeholder_config() -> crate::config::Config {
    use crate::model::{FiscalYear, YearRange};
    let all = YearRange {
        from: FiscalYear(1900),
        to: FiscalYear(2200),
    };
    crate::config::Config {
        city: Default::default(),
        title: Default::default(),
        base_url: "https://example.invalid/".into(),
        plan_period: all.clone(),
        strategy_period: Some(all),
        notice: None,
        published: None,
        allow_raw_html: false,
        measures_per_pdf_volume: None,
        terms: Default::default(),
        strings: Default::default(),
        measure_sections: None,
        middle_level: false,
        accessibility: Default::default(),
        draft: false,
        public_comment: None,
        compare_with: None,
    }
}

/// Resolves the loaded content into a plan, recording every problem in `diags`. Returns
/// `None` when there is no usable configuration (the other checks still run).
pub fn resolve(loaded: Loaded, sources: &Sources, diags: &mut Diagnostics) -> Option<Plan> {
    let Loaded {
        config,
        documents,
        targets,
        tables,
        intros,
        broken_targets,
        unreadable_pages,
        target_tables,
        editions,
        report_files,
        mut comments,
        comment_table,
        ..
    } = loaded;
    comments.sort_by_key(|c| c.number);
    let mut broken: std::collections::HashSet<String> = broken_targets.into_iter().collect();
    broken.extend(unreadable_pages);
    broken.extend(documents.iter().filter(|d| d.broken).map(|d| d.id.clone()));
    let has_config = config.is_some();
    // Keep what the reference checks need from the documents before they become items.
    let fronts: Vec<refs::FrontRefs> = documents
        .par_iter()
        .filter(|d| d.lang == Lang::Ja)
        .map(|d| refs::FrontRefs::of(d))
        .collect();
    let groups = group(documents, sources, diags, &mut broken);
    let made: Vec<(Item, Diagnostics)> = groups
        .into_par_iter()
        .map(|(j, e)| {
            let mut d = Diagnostics::default();
            (make_item(*j, e.map(|e| *e), sources, &mut d), d)
        })
        .collect();
    let mut items: Vec<Item> = Vec::with_capacity(made.len());
    for (item, d) in made {
        diags.append(d);
        items.push(item);
    }
    place_in_levels(&mut items);
    let config = config.unwrap_or_else(placeholder_config);
    let mut plan = Plan {
        terms: config.terms(),
        sections: config.sections(),
        config,
        items,
        index: Default::default(),
        targets,
        target_index: Default::default(),
        tables,
        intros,
        static_files: Default::default(),
        pdf_images: Default::default(),
        content_digest: String::new(),
        backlinks: Default::default(),
        broken,
        lookup: Default::default(),
        editions: crate::model::projects::Editions(editions),
        reports: crate::load::reports::assemble(report_files),
        target_tables,
        comments,
        comment_table,
        revision: None,
    };
    plan.reindex();
    refs::check_targets(&mut plan, diags);
    refs::check_front_refs(&plan, &fronts, sources, diags);
    refs::check_prose_refs(&mut plan, diags);
    each_item(&plan, diags, refs::check_item_addresses);
    checks::check_items(&plan, sources, diags);
    each_item(&plan, diags, checks::check_headings_of);
    checks::check_numbering(&plan, sources, diags);
    checks::check_tables(&plan, sources, diags);
    operation::check_editions(&plan, sources, diags);
    operation::check_reports(&plan, sources, diags);
    operation::check_comments(&plan, diags);
    for i in &plan.intros {
        refs::check_text_refs(&plan, sources.text(i.file), i.file, diags);
    }
    let theme = crate::theme::Theme::builtin();
    shape::check_shape(&plan, &theme.string_keys(), sources, diags);
    has_config.then_some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_ignores_line_endings_but_not_words() {
        let t = Texts {
            title: "子育て".into(),
            ..Default::default()
        };
        let a = text_digest(&t, "本文です。\n");
        assert_eq!(a, text_digest(&t, "本文です。\r\n"));
        assert_ne!(a, text_digest(&t, "本文でした。\n"));
        assert_eq!(a.len(), 12);
    }
}
