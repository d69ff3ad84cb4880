//! Render stage (PDF): Markdown events to a JSON tree the typst templates walk. Content
//! reaches typst as data, never as typst markup, so nothing an editor writes can run as
//! typst code. Soft line breaks between Japanese characters vanish here, as on the web.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use serde_json::{Value, json};

use crate::load::markdown::split_ref;
use crate::model::Body;
use crate::render::markdown::{first_char, soft_break_is_space};

/// Resolves a cross-reference for a PDF: the label of the target inside this document (if
/// it is in it), the address of its web page, and its default title.
pub trait PdfLinker {
    /// (label in the document, web address, title), or `None` if it does not resolve.
    fn resolve(&self, kind: &str, id: &str) -> Option<(Option<String>, String, String)>;

    /// The path in the document of an image of the site's files (`images/map.png`) that the
    /// PDF can show; `None` prints its alternative text instead.
    fn image(&self, _dest: &str) -> Option<String> {
        None
    }
}

struct Frame {
    node: Value,
    children: Vec<Value>,
}

/// How deep block quotes and lists nest in the PDF. Deeper ones are typeset at this depth
/// (their text kept, their extra indent dropped): typst stops at a limit of nested show
/// rules (twenty quotes), and a tree thousands deep would exhaust the stack.
pub const MAX_BLOCK_DEPTH: usize = 8;

/// How deep any nodes nest (emphasis in emphasis …); deeper ones join their parent.
pub const MAX_DEPTH: usize = 32;

fn is_block_container(node: &Value) -> bool {
    matches!(node["k"].as_str(), Some("quote" | "ul" | "ol"))
}

fn last_char(children: &[Value]) -> Option<char> {
    children
        .iter()
        .rev()
        .find_map(|v| v.get("s").and_then(Value::as_str).and_then(|s| s.chars().last()))
}

/// Converts a body (or the part of it between `from` and `to` events) to JSON nodes:
/// `{"k": kind, "c": [children], …}`, text as `{"k": "t", "s": "…"}`. One pass over the
/// events with a stack of the nodes they have opened.
pub fn to_nodes(body: &Body, linker: &dyn PdfLinker) -> Vec<Value> {
    let events: Vec<Event<'_>> = body.events().map(|(e, _)| e).collect();
    // Heading levels as the PDF's structure needs them: never more than one below the one
    // before (`##` then `####` is typeset as `##` then `###`; PDF/UA refuses a skip).
    let mut last_level = 1;
    let mut definitions: HashMap<String, Vec<Value>> = HashMap::new();
    let mut stack: Vec<Frame> = vec![Frame {
        node: json!({"k": "root"}),
        children: Vec::new(),
    }];
    for (i, e) in events.iter().enumerate() {
        let leaf = match e {
            Event::Start(tag) => {
                let empty = matches!(events.get(i + 1), Some(Event::End(TagEnd::Link)));
                let node = start_node(tag, empty, linker, &mut last_level);
                open(&mut stack, node);
                continue;
            }
            Event::End(_) => {
                // Every End has its Start, so the stack holds more than the root here.
                let Some(frame) = stack.pop() else { break };
                close(frame, stack.last_mut().expect("root frame stays"), &mut definitions);
                continue;
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                json!({"k": "t", "s": t.to_string()})
            }
            Event::SoftBreak => {
                let top = stack.last().expect("root frame stays");
                if !soft_break_is_space(last_char(&top.children), first_char(&events[i + 1..])) {
                    continue;
                }
                json!({"k": "t", "s": " "})
            }
            Event::HardBreak => json!({"k": "br"}),
            Event::Rule => json!({"k": "hr"}),
            Event::FootnoteReference(label) => json!({"k": "fnref", "label": label.to_string()}),
            _ => continue,
        };
        stack.last_mut().expect("root frame stays").children.push(leaf);
    }
    let mut nodes = stack.into_iter().next().map(|f| f.children).unwrap_or_default();
    place_footnotes(&mut nodes, &definitions, 0);
    nodes
}

/// The node an element starts as (`empty`: a link with no text of its own, which a reference
/// fills with its title). `last_level` is the level of the heading before.
fn start_node(tag: &Tag<'_>, empty: bool, linker: &dyn PdfLinker, last_level: &mut u8) -> Value {
    match tag {
        Tag::Paragraph => json!({"k": "p"}),
        Tag::Heading { level, .. } => {
            *last_level = heading_level(*level).min(*last_level + 1);
            json!({"k": "h", "level": *last_level})
        }
        Tag::BlockQuote(_) => json!({"k": "quote"}),
        Tag::CodeBlock(_) => json!({"k": "pre"}),
        Tag::List(Some(start)) => json!({"k": "ol", "start": start}),
        Tag::List(None) => json!({"k": "ul"}),
        Tag::Item => json!({"k": "li"}),
        Tag::Emphasis => json!({"k": "em"}),
        Tag::Strong => json!({"k": "strong"}),
        Tag::Strikethrough => json!({"k": "strike"}),
        Tag::Table(_) => json!({"k": "table"}),
        Tag::TableHead => json!({"k": "thead"}),
        Tag::TableRow => json!({"k": "tr"}),
        Tag::TableCell => json!({"k": "td"}),
        Tag::Link { dest_url, .. } => match split_ref(dest_url) {
            Some((kind, id)) => match linker.resolve(kind, id) {
                Some((label, url, title)) => {
                    json!({"k": "ref", "anchor": label, "url": url, "title": title, "empty": empty})
                }
                None => json!({"k": "span"}),
            },
            // A link to nothing (`[x]()`) is its text.
            None if dest_url.trim().is_empty() => json!({"k": "span"}),
            None => json!({"k": "link", "url": dest_url.to_string()}),
        },
        Tag::Image { dest_url, .. } => match linker.image(dest_url) {
            Some(src) => json!({"k": "img", "src": src}),
            None => json!({"k": "image"}),
        },
        Tag::FootnoteDefinition(label) => json!({"k": "fndef", "label": label.to_string()}),
        _ => json!({"k": "span"}),
    }
}

/// Opens `node` on the stack, or a flat node in its place where it would nest too deep (its
/// content then joins its parent).
fn open(stack: &mut Vec<Frame>, node: Value) {
    let depth = stack.iter().filter(|f| is_block_container(&f.node)).count();
    // An item follows its list: flattened with it, kept with it.
    let parent_flat = stack.last().is_some_and(|f| f.node["k"] == "flat");
    let flatten = (is_block_container(&node) && depth >= MAX_BLOCK_DEPTH)
        || (node["k"] == "li" && parent_flat)
        || stack.len() >= MAX_DEPTH;
    let node = if flatten { json!({"k": "flat"}) } else { node };
    stack.push(Frame {
        node,
        children: Vec::new(),
    });
}

/// Closes an element: its node with its children goes to `parent` (a footnote's text to
/// `definitions` instead; flat nodes and images without a file give their children).
fn close(mut frame: Frame, parent: &mut Frame, definitions: &mut HashMap<String, Vec<Value>>) {
    if frame.node["k"] == "ref" && frame.node["empty"] == true {
        let title = frame.node["title"].clone();
        frame.children.push(json!({"k": "t", "s": title}));
    }
    if frame.node["k"] == "img" {
        // The alternative text describes the image to a screen reader.
        let alt: String = frame.children.iter().map(super::markdown::plain_text).collect();
        frame.node["alt"] = json!(alt);
        parent.children.push(frame.node);
        return;
    }
    if frame.node["k"] == "fndef" {
        // A footnote's text goes where it is referred to (see `place_footnotes`).
        let label = frame.node["label"].as_str().unwrap_or_default().to_string();
        definitions.insert(label, frame.children);
        return;
    }
    if frame.node["k"] == "p" && frame.children.len() == 1 && frame.children[0]["k"] == "img" {
        // A picture alone in its paragraph is a block of its own.
        parent.children.extend(frame.children);
        return;
    }
    if frame.node["k"] == "image" || frame.node["k"] == "flat" {
        // Images are described by their alternative text in the PDF; blocks
        // nested too deep join their parent.
        parent.children.extend(frame.children);
        return;
    }
    frame.node["c"] = Value::Array(frame.children);
    parent.children.push(frame.node);
}

/// Puts each footnote's text where it is referred to (`{"k": "fn"}`, a typst footnote,
/// numbered and set at the foot of its page). A footnote referred to inside its own text is
/// left as its number's place only, so nothing nests without end.
fn place_footnotes(nodes: &mut [Value], definitions: &HashMap<String, Vec<Value>>, depth: usize) {
    for n in nodes.iter_mut() {
        if n["k"] == "fnref" {
            let label = n["label"].as_str().unwrap_or_default().to_string();
            let mut text = if depth == 0 {
                definitions.get(&label).cloned().unwrap_or_default()
            } else {
                Vec::new()
            };
            // A note of one paragraph runs on from its number.
            if let [one] = text.as_slice()
                && one["k"] == "p"
            {
                text = one["c"].as_array().cloned().unwrap_or_default();
            }
            place_footnotes(&mut text, definitions, depth + 1);
            *n = json!({"k": "fn", "c": text});
        } else if let Some(Value::Array(children)) = n.get_mut("c") {
            place_footnotes(children, definitions, depth);
        }
    }
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Splits nodes into sections at level-2 headings: (heading text, nodes under it); the
/// part before the first heading has no title.
pub fn sections(nodes: Vec<Value>) -> Vec<(Option<String>, Vec<Value>)> {
    let mut out: Vec<(Option<String>, Vec<Value>)> = vec![(None, Vec::new())];
    for n in nodes {
        if n["k"] == "h" && n["level"] == 2 {
            out.push((Some(plain_text(&n)), Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push(n);
        }
    }
    out.retain(|(t, c)| t.is_some() || !c.is_empty());
    out
}

/// The text of a node and its children.
pub fn plain_text(n: &Value) -> String {
    let mut s = String::new();
    if let Some(t) = n.get("s").and_then(Value::as_str) {
        s.push_str(t);
    }
    if let Some(c) = n.get("c").and_then(Value::as_array) {
        for x in c {
            s.push_str(&plain_text(x));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::parse;

    struct L;
    impl PdfLinker for L {
        fn resolve(&self, kind: &str, id: &str) -> Option<(Option<String>, String, String)> {
            (kind == "measure").then(|| (Some(format!("m-{id}")), "https://x/".into(), "保育".into()))
        }

        fn image(&self, dest: &str) -> Option<String> {
            (dest == "images/map.png").then(|| "/static/images/map.png".into())
        }
    }

    #[test]
    fn footnotes_go_where_they_are_referred_to_and_pictures_keep_their_description() {
        let md =
            "本文です[^a]。\n\n![町の地図](images/map.png)\n\n![ない画像](images/none.png)\n\n[^a]: 注の文です。\n";
        let n = to_nodes(&parse(md, 0), &L);
        assert_eq!(n.len(), 3, "{n:#?}");
        let note = &n[0]["c"][1];
        assert_eq!(note["k"], "fn");
        assert_eq!(
            plain_text(note),
            "注の文です。",
            "the note's text, run on from its number"
        );
        assert_eq!(
            n[1],
            json!({"k": "img", "src": "/static/images/map.png", "alt": "町の地図"})
        );
        assert_eq!(
            plain_text(&n[2]),
            "ない画像",
            "an image the PDF cannot show is its description"
        );
    }

    #[test]
    fn nesting_of_any_depth_stays_within_the_typesetting_limit() {
        fn depth(v: &Value) -> usize {
            1 + v["c"].as_array().map_or(0, |c| c.iter().map(depth).max().unwrap_or(0))
        }
        let deep = format!("{}深い引用\n", "> ".repeat(10_000));
        let n = to_nodes(&parse(&deep, 0), &L);
        assert!(depth(&n[0]) <= MAX_BLOCK_DEPTH + 2, "{}", depth(&n[0]));
        assert_eq!(plain_text(&n[0]), "深い引用");
        let list = (0..30)
            .map(|i| format!("{}- 項目{i}\n", "  ".repeat(i)))
            .collect::<String>();
        let n = to_nodes(&parse(&list, 0), &L);
        assert!(plain_text(&n[0]).contains("項目29"));
    }

    #[test]
    fn an_empty_link_is_its_text() {
        let n = to_nodes(&parse("[空のリンク]()", 0), &L);
        assert_eq!(n[0]["c"][0]["k"], "span");
        assert_eq!(plain_text(&n[0]), "空のリンク");
    }

    #[test]
    fn markdown_becomes_data_not_markup() {
        let n = to_nodes(&parse("見本市は\n山の麓。#set text(red) *強調* [](measure:k-1)", 0), &L);
        let p = &n[0];
        assert_eq!(p["k"], "p");
        let text = plain_text(p);
        assert!(text.starts_with("見本市は山の麓。#set text(red) "), "{text}");
        let kids = p["c"].as_array().unwrap();
        assert!(kids.iter().any(|k| k["k"] == "em"));
        let r = kids.iter().find(|k| k["k"] == "ref").unwrap();
        assert_eq!(r["anchor"], "m-k-1");
        assert_eq!(r["c"][0]["s"], "保育");
    }
}
