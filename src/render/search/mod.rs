//! Render stage (search): a static search index per language, read by `assets/search.js`
//! on the search page. Japanese has no spaces between words, so instead of a word index the
//! index keys every page by the strings of one to three characters of its text (after
//! Unicode NFKC normalisation and case folding): 「待機児童」 is found inside 「待機児童ゼロ」,
//! which a word index would miss. English queries also match plurals.
//!
//! - `search/<lang>.json`: how many pages, postings parts and pages per text part.
//! - `search/<lang>/p<n>.json`: for each string, the pages that hold it (text and title);
//!   a string's part is a hash of it, so a query loads only the parts of its own strings.
//! - `search/<lang>/f<n>.json`: the pages' addresses, titles, sections and text, a few pages
//!   a file, loaded only for the results shown.
//!
//! See docs/search.md for the measurements.

pub mod index;

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use super::paths::item_path;
use crate::load::markdown::split_ref;
use crate::model::{Body, Item, Lang, Plan};
use crate::render::markdown::{first_char, soft_break_is_space};
use crate::theme::Theme;
use index::{Gram, Postings, grams, normalise};

/// One searchable page.
#[derive(Serialize, PartialEq)]
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
    plain_text_with(body, &|_, _| None)
}

/// [`plain_text`], with the text of a reference written without one (`[](target:…)`) as
/// `label` gives it (the pages show the same).
pub fn plain_text_with(body: &Body, label: &dyn Fn(&str, &str) -> Option<String>) -> String {
    let mut out = String::new();
    let events: Vec<Event<'_>> = body.events().map(|(e, _)| e).collect();
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Link { dest_url, .. }) if matches!(events.get(i + 1), Some(Event::End(TagEnd::Link))) => {
                if let Some(text) = split_ref(dest_url).and_then(|(kind, id)| label(kind, id)) {
                    out.push_str(&text);
                }
            }
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak if soft_break_is_space(out.chars().last(), first_char(&events[i + 1..])) => out.push(' '),
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
    let label = |kind: &str, id: &str| {
        let r = plan.referent(kind, id)?;
        Some(crate::render::format::referent_label(&r, lang))
    };
    text.push_str(&plain_text_with(&v.body, &label));
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

/// How many bytes (of JSON, about) a file of the pages' text is meant to hold: a result
/// shown loads one such file.
const TEXT_BYTES: usize = 4 * 1024;

/// The search index of one language, kept by `keikaku serve` to follow an edit.
struct LangIndex {
    lang: Lang,
    docs: Vec<Doc>,
    postings: Postings,
    shards: usize,
    per_file: usize,
}

/// The search index of both languages.
pub struct Index {
    langs: Vec<LangIndex>,
}

fn doc_grams(d: &Doc) -> [Vec<Gram>; 2] {
    [grams(&normalise(&d.x)), grams(&normalise(&d.t))]
}

fn json_len(d: &Doc) -> usize {
    d.u.len() + d.t.len() + d.s.len() + d.x.len() + 24
}

impl LangIndex {
    /// The index of these pages, and all its files.
    fn new(lang: Lang, docs: Vec<Doc>) -> (LangIndex, Vec<OutputFile>) {
        // One page after the other (the two languages take a core each): the strings of a
        // page are counted and let go, so memory holds only the postings.
        let mut postings = Postings::default();
        let (mut chars, mut x, mut t) = (Vec::new(), Vec::new(), Vec::new());
        for (n, d) in docs.iter().enumerate() {
            index::grams_into(&normalise(&d.x), &mut chars, &mut x);
            index::grams_into(&normalise(&d.t), &mut chars, &mut t);
            postings.add(n as u32, &x, &t);
        }
        let mut index = LangIndex {
            lang,
            docs,
            postings,
            shards: 1,
            per_file: 1,
        };
        (index.shards, index.per_file) = index.layout();
        let files = index.files(index.postings.encoded());
        (index, files)
    }

    /// How many postings parts, and pages per text file, for the index as it is.
    fn layout(&self) -> (usize, usize) {
        let bytes = self.postings.bytes();
        let text: usize = self.docs.iter().map(json_len).sum();
        let per_file = (TEXT_BYTES * self.docs.len().max(1) / text.max(1)).max(1);
        (index::shard_count(bytes), per_file)
    }

    fn meta(&self) -> OutputFile {
        let meta = format!(
            "{{\"pages\":{},\"text_bytes\":{},\"shards\":{},\"per_file\":{},\"max_gram\":{}}}",
            self.docs.len(),
            self.docs.iter().map(json_len).sum::<usize>(),
            self.shards,
            self.per_file,
            index::MAX_GRAM
        );
        OutputFile {
            path: format!("search/{}.json", self.lang.code()).into(),
            bytes: meta.into_bytes(),
        }
    }

    /// The postings parts of these numbers (all when `only` is `None`).
    fn shard_files(&self, encoded: Vec<(Gram, String, String)>, only: Option<&[usize]>) -> Vec<OutputFile> {
        let mut parts: Vec<BTreeMap<String, [String; 2]>> = vec![BTreeMap::new(); self.shards];
        for (g, x, t) in encoded {
            parts[index::shard_of(g, self.shards)].insert(index::unpack(g), [x, t]);
        }
        parts
            .into_par_iter()
            .enumerate()
            .filter(|(n, _)| only.is_none_or(|o| o.contains(n)))
            .map(|(n, part)| OutputFile {
                path: format!("search/{}/p{n}.json", self.lang.code()).into(),
                bytes: serde_json::to_vec(&part).unwrap_or_default(),
            })
            .collect()
    }

    /// The text files of these numbers.
    fn text_files(&self, files: impl IntoParallelIterator<Item = usize>) -> Vec<OutputFile> {
        files
            .into_par_iter()
            .map(|n| {
                let from = (n * self.per_file).min(self.docs.len());
                let to = ((n + 1) * self.per_file).min(self.docs.len());
                OutputFile {
                    path: format!("search/{}/f{n}.json", self.lang.code()).into(),
                    bytes: serde_json::to_vec(&self.docs[from..to]).unwrap_or_default(),
                }
            })
            .collect()
    }

    fn files(&self, encoded: Vec<(Gram, String, String)>) -> Vec<OutputFile> {
        let mut out = vec![self.meta()];
        out.extend(self.shard_files(encoded, None));
        out.extend(self.text_files(0..self.docs.len().div_ceil(self.per_file)));
        out
    }

    /// Puts these pages' new text in; returns the files that changed (all of them when the
    /// index's layout changed with it).
    fn update(&mut self, pages: Vec<(usize, Doc)>) -> Vec<OutputFile> {
        let mut changed: Vec<Gram> = Vec::new();
        let mut text_files: Vec<usize> = Vec::new();
        for (n, doc) in pages {
            if self.docs[n] == doc {
                continue;
            }
            let new = doc_grams(&doc);
            let old = doc_grams(&self.docs[n]);
            changed.extend(self.postings.replace(n as u32, [&old[0], &old[1]], [&new[0], &new[1]]));
            self.docs[n] = doc;
            text_files.push(n / self.per_file);
        }
        let layout = self.layout();
        if layout != (self.shards, self.per_file) {
            (self.shards, self.per_file) = layout;
            return self.files(self.postings.encoded());
        }
        let mut shards: Vec<usize> = changed.iter().map(|&g| index::shard_of(g, self.shards)).collect();
        shards.sort_unstable();
        shards.dedup();
        text_files.sort_unstable();
        text_files.dedup();
        // Only the strings of the parts that changed are encoded again.
        let encoded = self
            .postings
            .encoded_where(|g| shards.binary_search(&index::shard_of(g, self.shards)).is_ok());
        let mut out = vec![self.meta()];
        out.extend(self.shard_files(encoded, Some(&shards)));
        out.extend(self.text_files(text_files));
        out
    }
}

impl Index {
    /// The index of every page of the plan, and all its files.
    pub fn new(plan: &Plan, theme: &Theme) -> (Index, Vec<OutputFile>) {
        let projects = plan.editions.latest().map(|e| e.by_measure()).unwrap_or_default();
        let (langs, files): (Vec<LangIndex>, Vec<Vec<OutputFile>>) = Lang::ALL
            .par_iter()
            .map(|&lang| {
                let docs = plan
                    .items
                    .iter()
                    .map(|i| doc(plan, theme, i, lang, &projects))
                    .collect();
                LangIndex::new(lang, docs)
            })
            .unzip();
        (Index { langs }, files.into_iter().flatten().collect())
    }

    /// Follows an edit of these items (positions in the plan): the files that changed.
    pub fn update(&mut self, plan: &Plan, theme: &Theme, items: &[usize]) -> Vec<OutputFile> {
        let projects = plan.editions.latest().map(|e| e.by_measure()).unwrap_or_default();
        self.langs
            .iter_mut()
            .flat_map(|l| {
                let docs = items
                    .iter()
                    .map(|&n| (n, doc(plan, theme, &plan.items[n], l.lang, &projects)))
                    .collect();
                l.update(docs)
            })
            .collect()
    }
}

/// The search index of each language (see the module's notes).
pub fn files(plan: &Plan, theme: &Theme) -> Vec<OutputFile> {
    Index::new(plan, theme).1
}
