//! Render stage (HTML): Markdown events to HTML. Cross-references become links titled in the
//! page's language, soft line breaks between Japanese characters vanish (a newline in the
//! source must not become a visible space), raw HTML is shown as text, and the body is cut
//! into sections at its level-2 headings.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use crate::load::markdown::split_ref;
use crate::model::Body;

/// Resolves a reference (`measure`, `kosodate-1`) to an address and a default link text.
pub trait Linker {
    /// The href and title of a reference, or `None` if it does not resolve.
    fn resolve(&self, kind: &str, id: &str) -> Option<(String, String)>;

    /// The relative address of the site root from the page (`../../`), which a path into
    /// `static/` written in the text (`images/map.png`) is prefixed with.
    fn root(&self) -> &str;

    /// Whether raw HTML in the text is published as HTML (trusted sites only).
    fn raw_html(&self) -> bool {
        false
    }
}

use crate::load::markdown::is_site_path;

/// A part of a body under one level-2 heading (the first part may have no heading).
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// Anchor id of the heading.
    pub id: String,
    /// Heading text, `None` for the part before the first heading.
    pub title: Option<String>,
    /// The HTML of the section, without its heading.
    pub html: String,
}

/// Whether a character belongs to Japanese (or other East Asian) writing, where words are
/// not separated by spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Whether a soft line break (a newline inside a paragraph) shows as a space: not when the
/// character before or after it is Japanese, where a space would be a visible gap. The one
/// rule for the pages, the PDFs and the search index.
pub fn soft_break_is_space(before: Option<char>, after: Option<char>) -> bool {
    !(before.is_some_and(is_cjk) || after.is_some_and(is_cjk))
}

/// The first character of text among `events` (what follows a soft break).
pub fn first_char<'a, 'b: 'a>(events: impl IntoIterator<Item = &'a Event<'b>>) -> Option<char> {
    events.into_iter().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    })
}

fn last_char(events: &[Event<'_>]) -> Option<char> {
    events.iter().rev().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    })
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// Renders a body to sections. `section_ids` names the anchors of the level-2 headings in
/// order (measures use fixed ones); others get `section-N`. One pass over the events, which
/// splits them at the level-2 headings and writes references as links.
pub fn render_sections(body: &Body, linker: &dyn Linker, section_ids: &[&str]) -> Vec<Section> {
    let src: Vec<Event<'_>> = body.events().map(|(e, _)| e).collect();
    let mut sections: Vec<(Option<String>, Vec<Event<'_>>)> = vec![(None, Vec::new())];
    let mut in_h2 = false;
    let mut h2_text = String::new();
    // For each open link: the closing HTML to write for a reference, `None` for a plain link.
    let mut link_stack: Vec<Option<&'static str>> = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let e = &src[i];
        let cur = &mut sections.last_mut().expect("sections is never empty").1;
        match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                in_h2 = true;
                h2_text.clear();
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                in_h2 = false;
                sections.push((Some(h2_text.trim().to_string()), Vec::new()));
            }
            _ if in_h2 => {
                if let Event::Text(t) | Event::Code(t) = e {
                    h2_text.push_str(t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => match split_ref(dest_url) {
                Some((kind, id)) => {
                    let empty = matches!(src.get(i + 1), Some(Event::End(TagEnd::Link)));
                    link_stack.push(Some(open_reference(kind, id, empty, linker, cur)));
                }
                None => {
                    link_stack.push(None);
                    cur.push(site_path(e, linker));
                }
            },
            Event::Start(Tag::Image { .. }) => cur.push(site_path(e, linker)),
            Event::End(TagEnd::Link) => match link_stack.pop().flatten() {
                Some(closing) => cur.push(Event::InlineHtml(CowStr::from(closing))),
                None => cur.push(borrowed(e)),
            },
            Event::SoftBreak => {
                if soft_break_is_space(last_char(cur), first_char(&src[i + 1..])) {
                    cur.push(Event::Text(CowStr::from(" ")));
                }
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) if !attrs.is_empty() && !linker.raw_html() => {
                // Only `id` and `class` reach the page: any other attribute (`onmouseover`,
                // `style`) could run script or cover the page. `allow_raw_html` lets them.
                cur.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: id.clone(),
                    classes: classes.clone(),
                    attrs: Vec::new(),
                }))
            }
            Event::Html(_) | Event::InlineHtml(_) if linker.raw_html() => cur.push(borrowed(e)),
            Event::Html(h) | Event::InlineHtml(h) => cur.push(Event::Text(CowStr::Borrowed(h))),
            _ => cur.push(borrowed(e)),
        }
        i += 1;
    }
    html_sections(sections, section_ids)
}

/// Writes the start of a reference (`kind:id`) to `out`: a link to what it names, or a marked
/// span when it names nothing; an empty reference gets the name as its text. Returns the
/// HTML that closes it.
fn open_reference(kind: &str, id: &str, empty: bool, linker: &dyn Linker, out: &mut Vec<Event<'_>>) -> &'static str {
    match linker.resolve(kind, id) {
        Some((href, name)) => {
            out.push(Event::InlineHtml(CowStr::from(crate::text::cat(&[
                "<a class=\"ref ref-",
                &escape(kind),
                "\" href=\"",
                &escape(&href),
                "\">",
            ]))));
            if empty {
                out.push(Event::Text(CowStr::from(name)));
            }
            "</a>"
        }
        None => {
            out.push(Event::InlineHtml(CowStr::from("<span class=\"ref-broken\">")));
            if empty {
                out.push(Event::Text(CowStr::from(format!("{kind}:{id}"))));
            }
            "</span>"
        }
    }
}

/// The sections' HTML, each with its anchor: `intro` for the text before the first level-2
/// heading (left out when empty), then `section_ids` in order, `section-N` after them.
fn html_sections(sections: Vec<(Option<String>, Vec<Event<'_>>)>, section_ids: &[&str]) -> Vec<Section> {
    let mut n = 0;
    sections
        .into_iter()
        .filter(|(title, ev)| title.is_some() || !ev.is_empty())
        .map(|(title, ev)| {
            let mut html = String::with_capacity(1024);
            pulldown_cmark::html::push_html(&mut html, ev.into_iter());
            let id = match &title {
                None => "intro".to_string(),
                Some(_) => {
                    n += 1;
                    section_ids
                        .get(n - 1)
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| format!("section-{n}"))
                }
            };
            Section { id, title, html }
        })
        .collect()
}

/// An event that borrows its text from `e` instead of copying it (the texts of a page's
/// events are its bulk).
fn borrowed<'a, 'b: 'a>(e: &'a Event<'b>) -> Event<'a> {
    match e {
        Event::Text(t) => Event::Text(CowStr::Borrowed(t)),
        Event::Code(t) => Event::Code(CowStr::Borrowed(t)),
        Event::Html(t) => Event::Html(CowStr::Borrowed(t)),
        Event::InlineHtml(t) => Event::InlineHtml(CowStr::Borrowed(t)),
        other => other.clone(),
    }
}

/// Prefixes a link or image destination that is a path into the site with the page's root.
fn site_path<'a>(e: &Event<'a>, linker: &dyn Linker) -> Event<'a> {
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if is_site_path(dest_url) => Event::Start(Tag::Link {
            link_type: *link_type,
            dest_url: CowStr::from(format!("{}{dest_url}", linker.root())),
            title: title.clone(),
            id: id.clone(),
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if is_site_path(dest_url) => Event::Start(Tag::Image {
            link_type: *link_type,
            dest_url: CowStr::from(format!("{}{dest_url}", linker.root())),
            title: title.clone(),
            id: id.clone(),
        }),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::parse;

    struct L;
    impl Linker for L {
        fn resolve(&self, kind: &str, id: &str) -> Option<(String, String)> {
            (kind == "measure" && id == "kosodate-1").then(|| ("../measures/kosodate-1/".into(), "子育て支援".into()))
        }
        fn root(&self) -> &str {
            "../../"
        }
    }

    fn html(md: &str) -> String {
        render_sections(&parse(md, 0), &L, &[])
            .into_iter()
            .map(|s| s.html)
            .collect()
    }

    #[test]
    fn soft_breaks_between_japanese_vanish() {
        assert_eq!(
            html("見本市は\n山の麓にあります。"),
            "<p>見本市は山の麓にあります。</p>\n"
        );
        assert_eq!(
            html("The town lies\nbelow the mountain."),
            "<p>The town lies below the mountain.</p>\n"
        );
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_never_reach_the_page() {
        let h = html("## 節\n\n### 取り組み {#act .note onmouseover=alert(1) style=position:fixed;inset:0}\n");
        assert!(h.contains(r#"<h3 id="act" class="note">"#), "{h}");
        assert!(!h.contains("onmouseover") && !h.contains("style"), "{h}");
    }

    /// The text a reader sees of a paragraph with soft line breaks (Japanese, English and
    /// both mixed) is the same on the page, in the PDF and in the search index.
    #[test]
    fn soft_breaks_give_the_same_text_on_the_page_in_the_pdf_and_in_search() {
        let md = "見本市は\n山の麓にあります。The town lies\nbelow the mountain\nの南斜面に\n`code`\nがあります。\n";
        let body = parse(md, 0);
        let page = html(md)
            .replace("<p>", "")
            .replace("</p>", "")
            .replace("<code>", "")
            .replace("</code>", "");
        let search = crate::render::search::plain_text(&body);
        struct P;
        impl crate::render::pdf::markdown::PdfLinker for P {
            fn resolve(&self, _: &str, _: &str) -> Option<(Option<String>, String, String)> {
                None
            }
        }
        fn text(v: &serde_json::Value, out: &mut String) {
            if let Some(s) = v.get("s").and_then(|s| s.as_str()) {
                out.push_str(s);
            }
            for c in v.get("c").and_then(|c| c.as_array()).into_iter().flatten() {
                text(c, out);
            }
        }
        let mut pdf = String::new();
        for n in crate::render::pdf::markdown::to_nodes(&body, &P) {
            text(&n, &mut pdf);
        }
        let expected = "見本市は山の麓にあります。The town lies below the mountainの南斜面にcodeがあります。";
        assert_eq!(page.trim(), expected);
        assert_eq!(search.trim(), expected);
        assert_eq!(pdf.trim(), expected);
    }

    #[test]
    fn references_take_the_title_when_empty() {
        assert_eq!(
            html("詳しくは[](measure:kosodate-1)へ。"),
            "<p>詳しくは<a class=\"ref ref-measure\" href=\"../measures/kosodate-1/\">子育て支援</a>へ。</p>\n"
        );
        assert!(html("[こちら](measure:kosodate-1)").contains(">こちら</a>"));
    }

    #[test]
    fn paths_into_the_site_start_from_the_page_root() {
        let h = html("![地図](images/map.png) [PDF](files/a.pdf) [外](https://example.jp/) [節](#policy)");
        assert!(h.contains(r#"src="../../images/map.png""#), "{h}");
        assert!(h.contains(r#"href="../../files/a.pdf""#), "{h}");
        assert!(h.contains(r#"href="https://example.jp/""#), "{h}");
        assert!(h.contains(r##"href="#policy""##), "{h}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let h = html("a <script>alert(1)</script> b");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
    }

    #[test]
    fn splits_sections_at_level_two_headings() {
        let s = render_sections(
            &parse("前文\n\n## 現状と課題\n\n本文\n\n## 方針（目的）\n\n方針\n", 0),
            &L,
            &["situation", "policy"],
        );
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].id, "situation");
        assert_eq!(s[1].title.as_deref(), Some("現状と課題"));
        assert_eq!(s[2].html, "<p>方針</p>\n");
    }
}
