//! Render stage (search): a static search index per language, `search/<lang>.json` and its
//! parts `search/<lang>/<n>.json`, read by
//! `assets/search.js` on the search page. Japanese has no spaces between words, so instead
//! of a word index the index keeps each page's plain text, and the script matches any
//! substring (after Unicode NFKC normalisation and case folding): 「待機児童」 is found inside
//! 「待機児童ゼロ」. English queries also match plurals. For a plan of this size (≈90 pages a
//! language, ≈250 KB of text) a substring scan in the browser takes a few milliseconds and
//! needs no server, no other host, and no segmenter; see docs/search.md for the measurements.

use pulldown_cmark::{Event, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use super::paths::item_path;
use crate::model::{Body, Item, Lang, Plan};
use crate::render::markdown::{first_char, soft_break_is_space};
use crate::theme::Theme;

/// One searchable page.
#[derive(Serialize)]
struct Doc {
    /// Address relative to the site root.
    u: String,
    /// Title.
    t: String,
    /// Where it belongs (施策1-2 ・ pillar name).
    s: String,
    /// Plain text.
    x: String,
}

/// The plain text of a body: paragraphs separated by newlines, Japanese soft breaks joined.
pub fn plain_text(body: &Body) -> String {
    let mut out = String::new();
    for (i, (e, _)) in body.events.iter().enumerate() {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak
                if soft_break_is_space(
                    out.chars().last(),
                    first_char(body.events[i + 1..].iter().map(|(e, _)| e)),
                ) =>
            {
                out.push(' ')
            }
            Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// The projects of the latest edition of the implementation plan, by measure.
type Projects<'a> = std::collections::HashMap<&'a str, Vec<&'a crate::model::projects::Project>>;

fn doc(plan: &Plan, theme: &Theme, item: &Item, lang: Lang, projects: &Projects<'_>) -> Doc {
    let (v, _) = item.version(lang);
    let pillar = item.pillar.as_ref().and_then(|p| plan.item(p));
    let label = plan.label(item, lang);
    let section = match pillar {
        Some(p) => format!(
            "{label} ・ {}",
            p.text(lang, |t| &t.short).map(|x| x.0).unwrap_or(p.title(lang))
        ),
        None if label.is_empty() => theme.strings(lang).get("kind_vision").to_string(),
        None => label,
    };
    let mut text = String::new();
    if let Some((s, _)) = item.text(lang, |t| &t.summary) {
        text.push_str(s);
        text.push('\n');
    }
    text.push_str(&plain_text(&v.body));
    for t in plan.targets_of(&item.id) {
        text.push('\n');
        text.push_str(t.indicator.get(lang));
    }
    // The measure's page lists its projects: their names and outlines find it.
    for p in projects.get(item.id.as_str()).into_iter().flatten() {
        for s in [p.name.get(lang), p.outline.get(lang)] {
            text.push('\n');
            text.push_str(s);
        }
    }
    let path = item_path(item);
    Doc {
        u: format!("{}{}", lang.prefix(), path),
        t: item.title(lang).to_string(),
        s: section,
        x: text,
    }
}

/// How many items one file of the index holds. The index of a large plan comes in parts, so
/// the browser loads them in parallel and an edit rewrites one part, not the whole index.
pub const SHARD_SIZE: usize = 250;

/// The part of the index that holds the item at this position in the plan.
pub fn shard_of(position: usize) -> usize {
    position / SHARD_SIZE
}

/// The search index of each language: `search/<lang>.json` says how many parts there are,
/// `search/<lang>/<n>.json` hold the pages.
pub fn files(plan: &Plan, theme: &Theme) -> Vec<OutputFile> {
    let shards = plan.items.len().div_ceil(SHARD_SIZE).max(1);
    let mut out: Vec<OutputFile> = Lang::ALL
        .iter()
        .map(|&lang| OutputFile {
            path: format!("search/{}.json", lang.code()).into(),
            bytes: format!("{{\"shards\":{shards}}}").into_bytes(),
        })
        .collect();
    out.extend(shard_files(plan, theme, &(0..shards).collect::<Vec<_>>()));
    out
}

/// Some parts of the search index, in both languages.
pub fn shard_files(plan: &Plan, theme: &Theme, shards: &[usize]) -> Vec<OutputFile> {
    let jobs: Vec<(Lang, usize)> = Lang::ALL
        .iter()
        .flat_map(|&l| shards.iter().map(move |&n| (l, n)))
        .collect();
    let projects = plan.editions.latest().map(|e| e.by_measure()).unwrap_or_default();
    jobs.par_iter()
        .map(|&(lang, n)| {
            let from = (n * SHARD_SIZE).min(plan.items.len());
            let to = ((n + 1) * SHARD_SIZE).min(plan.items.len());
            let docs: Vec<Doc> = plan.items[from..to]
                .iter()
                .map(|i| doc(plan, theme, i, lang, &projects))
                .collect();
            OutputFile {
                path: format!("search/{}/{n}.json", lang.code()).into(),
                bytes: serde_json::to_vec(&docs).unwrap_or_default(),
            }
        })
        .collect()
}
