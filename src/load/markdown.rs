//! Load stage: Markdown bodies, parsed with pulldown-cmark into events that keep their byte
//! ranges (here for the checks, and by each renderer again), and the cross-references
//! (`[](measure:kosodate-1)`) they contain.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::model::Body;
use crate::model::body::Reading;

/// The Markdown extensions keikaku enables: tables, footnotes, strikethrough, heading ids,
/// and typographic punctuation — "…" and '…' become “…” and ‘…’, `--` an en dash, `...` an
/// ellipsis — once, for the pages, the PDFs and the search index alike.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether a link or image destination is a path into the site's files (`images/map.png`,
/// a file of `static/`), as opposed to an address (`https://…`), an anchor (`#…`) or an
/// explicit relative path.
pub fn is_site_path(dest: &str) -> bool {
    !dest.is_empty() && !dest.contains(':') && !dest.starts_with(['#', '/', '.', '?'])
}

/// The file of `static/` (its path in the output) a site path names: without a query or
/// fragment, with percent-escapes decoded (`images/map%201.png` → `images/map 1.png`).
pub fn site_file(dest: &str) -> String {
    let path = dest.split(['?', '#']).next().unwrap_or_default();
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a body that starts at byte `offset` of its file: keeps its text, its events and
/// what the checks look for, in one pass of the parser.
pub fn parse(body: &str, offset: usize) -> Body {
    let mut reading = Reading::start();
    let events = Parser::new_ext(body, options()).into_offset_iter().map(|(e, r)| {
        reading.push(body, &e, r.clone());
        (e, r.start + offset..r.end + offset)
    });
    let (headings, empty_headings) = outline(events);
    let mut b = reading.finish(body, offset);
    b.headings = headings;
    b.empty_headings = empty_headings;
    b
}

/// The words that may stand before `:` in a reference.
pub const REF_KINDS: [&str; 9] = [
    "vision", "pillar", "measure", "district", "chapter", "strategy", "pledge", "target", "sdg",
];

/// A cross-reference written in prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProseRef {
    /// The kind word (`measure`, `sdg`, …), or an unknown word that looked like one.
    pub kind: String,
    /// The id after the colon.
    pub id: String,
    /// Byte range of the whole link in the file.
    pub span: Range<usize>,
}

/// Whether a link destination is an ordinary URL rather than a reference.
fn is_url(dest: &str) -> bool {
    let scheme = dest.split(':').next().unwrap_or("").to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel" | "ftp")
        || !dest.contains(':')
        || dest.starts_with('#')
        || dest.starts_with('/')
        || dest.starts_with('.')
}

/// Splits a destination `kind:id` into its parts, or `None` for an ordinary link.
pub fn split_ref(dest: &str) -> Option<(&str, &str)> {
    if is_url(dest) {
        return None;
    }
    let (k, id) = dest.split_once(':')?;
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some((k, id))
}

/// All references in a body.
pub fn refs(body: &Body) -> Vec<ProseRef> {
    body.links()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::Link { dest_url, .. }) => split_ref(dest_url).map(|(k, id)| ProseRef {
                kind: k.to_string(),
                id: id.to_string(),
                span: r,
            }),
            _ => None,
        })
        .collect()
}

/// The level-2 headings of a body, with their text and range.
pub fn h2_headings(body: &Body) -> &[(String, Range<usize>)] {
    &body.headings
}

/// Level-2 headings: their text and range.
type Headings = Vec<(String, Range<usize>)>;

/// What the checks look for in a body, found in one pass over its events: its level-2
/// headings with their text and range, and its headings without text.
fn outline<'a>(events: impl Iterator<Item = (Event<'a>, Range<usize>)>) -> (Headings, Vec<Range<usize>>) {
    use pulldown_cmark::{HeadingLevel, TagEnd};
    let (mut headings, mut empty) = (Vec::new(), Vec::new());
    // The heading being read: its level, its text, its range.
    let mut current: Option<(HeadingLevel, String, Range<usize>)> = None;
    for (e, r) in events {
        match e {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new(), r)),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, r)) = current.take() {
                    let text = text.trim();
                    if text.is_empty() {
                        empty.push(r.clone());
                    }
                    if level == HeadingLevel::H2 {
                        headings.push((text.to_string(), r));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s, _)) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            _ => {}
        }
    }
    (headings, empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references_with_file_offsets() {
        let b = parse(
            "施策は[](measure:kosodate-1)と[SDG](sdg:4.2)、[外部](https://example.jp)。",
            100,
        );
        let r = refs(&b);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].kind.as_str(), r[0].id.as_str()), ("measure", "kosodate-1"));
        assert_eq!(r[0].span.start, 100 + "施策は".len());
        assert_eq!((r[1].kind.as_str(), r[1].id.as_str()), ("sdg", "4.2"));
    }

    #[test]
    fn finds_empty_headings_and_links_in_the_same_pass() {
        let b = parse(
            "## 見出し\n\n### \n\n[外部](https://example.jp)と![図](images/map.png)\n\n#  *  *\n",
            0,
        );
        assert_eq!(
            b.empty_headings.len(),
            1,
            "`###` alone has no text; `#  *  *` has (the asterisks)"
        );
        let links: Vec<bool> = b
            .links()
            .map(|(e, _)| matches!(e, Event::Start(Tag::Image { .. })))
            .collect();
        assert_eq!(links, [false, true]);
        assert_eq!(h2_headings(&b).len(), 1);
    }

    #[test]
    fn parses_the_kept_text_again_with_the_ranges_of_the_file() {
        let file = "---\ntitle: x\n---\n## 見出し\n\n本文の*強調*です。\n";
        let start = file.find("## ").expect("a heading");
        let b = parse(&file[start..], start);
        let texts: Vec<(String, &str)> = b
            .events()
            .filter_map(|(e, r)| match e {
                Event::Text(t) => Some((t.to_string(), &file[r])),
                _ => None,
            })
            .collect();
        let want = [
            ("見出し", "見出し"),
            ("本文の", "本文の"),
            ("強調", "強調"),
            ("です。", "です。"),
        ];
        assert_eq!(texts, want.map(|(t, s)| (t.to_string(), s)));
        assert_eq!(
            b.headings[0].1,
            b.events().next().expect("the heading").1,
            "the same ranges at load"
        );
    }

    #[test]
    fn lists_level_two_headings() {
        let b = parse("## 現状と課題\n\n本文\n\n### 小見出し\n\n## 方針（目的）\n", 0);
        let h: Vec<&str> = h2_headings(&b).iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(h, ["現状と課題", "方針（目的）"]);
    }
}
