//! Model stage: an item's Markdown body — its text, its events kept compactly, and what the
//! checks look for in it.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, MetadataBlockKind, Tag, TagEnd};

/// A Markdown body: its text and its events, parsed once when it is read. The events are
/// kept compactly (20 bytes each, a text as its place in `text`, see [`Ev`]) and handed to
/// each renderer as pulldown-cmark's own events, borrowing from the body ([`Body::events`]):
/// kept whole they took some 60 MB at 5,000 measures (96 bytes an event, half a million
/// events, 112,000 copied texts), and parsing again in each renderer cost the pages stage
/// 40–60 ms of that build (BENCHMARKS.md, sessions 22 and 23).
#[derive(Clone, Debug, Default)]
pub struct Body {
    /// The Markdown text.
    pub text: String,
    /// Byte offset of `text` in its file (the events' ranges count from the file's start).
    pub offset: usize,
    /// What the checks look for, found in one pass when the body is read: its level-2
    /// headings (the sections of a measure), with their text and range.
    pub headings: Vec<(String, Range<usize>)>,
    /// The headings of any level that have no text.
    pub empty_headings: Vec<Range<usize>>,
    /// The events, each with its byte range in `text`.
    events: Box<[(Ev, [u32; 2])]>,
    /// The events kept whole (those [`Ev`] has no compact form for), by [`Ev::Kept`], with
    /// their ranges again (the checks look for links among these alone).
    kept: Box<[(Event<'static>, [u32; 2])]>,
}

/// The events of a body being read, gathered in buffers the thread reuses and copied out at
/// the size they came to (growing each body's lists from empty cost more than parsing it).
pub struct Reading {
    events: Vec<(Ev, [u32; 2])>,
    kept: Vec<(Event<'static>, [u32; 2])>,
}

thread_local! {
    static BUFFERS: std::cell::Cell<Option<Reading>> = const { std::cell::Cell::new(None) };
}

/// An event of a body, compactly: a text of the body by its place in it, a tag that holds no
/// text, or the index of an event kept whole (a link, a heading with attributes, a text
/// pulldown-cmark made rather than found: `“` for `"`, a decoded `&amp;`).
#[derive(Clone, Copy, Debug)]
enum Ev {
    Str(StrKind, u32, u32),
    Start(PlainTag),
    End(TagEnd),
    SoftBreak,
    HardBreak,
    Rule,
    TaskListMarker(bool),
    Kept(u32),
}

/// The events that are a text.
#[derive(Clone, Copy, Debug)]
enum StrKind {
    Text,
    Code,
    InlineMath,
    DisplayMath,
    Html,
    InlineHtml,
    FootnoteReference,
}

impl StrKind {
    /// The kind and text of a text event (`None` for the others).
    fn of<'e, 'a>(e: &'e Event<'a>) -> Option<(Self, &'e CowStr<'a>)> {
        Some(match e {
            Event::Text(s) => (Self::Text, s),
            Event::Code(s) => (Self::Code, s),
            Event::InlineMath(s) => (Self::InlineMath, s),
            Event::DisplayMath(s) => (Self::DisplayMath, s),
            Event::Html(s) => (Self::Html, s),
            Event::InlineHtml(s) => (Self::InlineHtml, s),
            Event::FootnoteReference(s) => (Self::FootnoteReference, s),
            _ => return None,
        })
    }

    /// The text event of this kind with the text `s`.
    fn event(self, s: CowStr<'_>) -> Event<'_> {
        match self {
            Self::Text => Event::Text(s),
            Self::Code => Event::Code(s),
            Self::InlineMath => Event::InlineMath(s),
            Self::DisplayMath => Event::DisplayMath(s),
            Self::Html => Event::Html(s),
            Self::InlineHtml => Event::InlineHtml(s),
            Self::FootnoteReference => Event::FootnoteReference(s),
        }
    }
}

/// The tags that hold no text: most of a body's start events (a heading with an id, classes
/// or attributes, and a numbered list's start number, are kept whole with their tags).
#[derive(Clone, Copy, Debug)]
enum PlainTag {
    Paragraph,
    Heading(HeadingLevel),
    BulletList,
    BlockQuote(Option<BlockQuoteKind>),
    HtmlBlock,
    Item,
    DefinitionList,
    DefinitionListTitle,
    DefinitionListDefinition,
    TableHead,
    TableRow,
    TableCell,
    Emphasis,
    Strong,
    Strikethrough,
    Superscript,
    Subscript,
    MetadataBlock(MetadataBlockKind),
}

impl PlainTag {
    fn of(tag: &Tag<'_>) -> Option<Self> {
        Some(match tag {
            Tag::Paragraph => Self::Paragraph,
            Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            } if classes.is_empty() && attrs.is_empty() => Self::Heading(*level),
            Tag::List(None) => Self::BulletList,
            Tag::BlockQuote(k) => Self::BlockQuote(*k),
            Tag::HtmlBlock => Self::HtmlBlock,
            Tag::Item => Self::Item,
            Tag::DefinitionList => Self::DefinitionList,
            Tag::DefinitionListTitle => Self::DefinitionListTitle,
            Tag::DefinitionListDefinition => Self::DefinitionListDefinition,
            Tag::TableHead => Self::TableHead,
            Tag::TableRow => Self::TableRow,
            Tag::TableCell => Self::TableCell,
            Tag::Emphasis => Self::Emphasis,
            Tag::Strong => Self::Strong,
            Tag::Strikethrough => Self::Strikethrough,
            Tag::Superscript => Self::Superscript,
            Tag::Subscript => Self::Subscript,
            Tag::MetadataBlock(k) => Self::MetadataBlock(*k),
            _ => return None,
        })
    }

    fn tag(self) -> Tag<'static> {
        match self {
            Self::Paragraph => Tag::Paragraph,
            Self::Heading(level) => Tag::Heading {
                level,
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            },
            Self::BulletList => Tag::List(None),
            Self::BlockQuote(k) => Tag::BlockQuote(k),
            Self::HtmlBlock => Tag::HtmlBlock,
            Self::Item => Tag::Item,
            Self::DefinitionList => Tag::DefinitionList,
            Self::DefinitionListTitle => Tag::DefinitionListTitle,
            Self::DefinitionListDefinition => Tag::DefinitionListDefinition,
            Self::TableHead => Tag::TableHead,
            Self::TableRow => Tag::TableRow,
            Self::TableCell => Tag::TableCell,
            Self::Emphasis => Tag::Emphasis,
            Self::Strong => Tag::Strong,
            Self::Strikethrough => Tag::Strikethrough,
            Self::Superscript => Tag::Superscript,
            Self::Subscript => Tag::Subscript,
            Self::MetadataBlock(k) => Tag::MetadataBlock(k),
        }
    }
}

impl Reading {
    /// Starts reading a body's events.
    pub fn start() -> Self {
        BUFFERS.take().unwrap_or(Reading {
            events: Vec::new(),
            kept: Vec::new(),
        })
    }

    /// Adds the next event of `src` (the body's text), with its byte range in `src`.
    pub fn push(&mut self, src: &str, e: &Event<'_>, r: Range<usize>) {
        let range = [r.start, r.end].map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        let ev = match (StrKind::of(e), e) {
            (Some((kind, s)), _) => place(src, s).map(|(a, b)| Ev::Str(kind, a, b)),
            (_, Event::Start(t)) => PlainTag::of(t).map(Ev::Start),
            (_, Event::End(t)) => Some(Ev::End(*t)),
            (_, Event::SoftBreak) => Some(Ev::SoftBreak),
            (_, Event::HardBreak) => Some(Ev::HardBreak),
            (_, Event::Rule) => Some(Ev::Rule),
            (_, Event::TaskListMarker(b)) => Some(Ev::TaskListMarker(*b)),
            _ => None,
        };
        let ev = ev.unwrap_or_else(|| {
            self.kept.push((e.clone().into_static(), range));
            Ev::Kept(self.kept.len() as u32 - 1)
        });
        self.events.push((ev, range));
    }

    /// The body of `text` (at byte `offset` of its file) with the events read.
    pub fn finish(mut self, text: &str, offset: usize) -> Body {
        let body = Body {
            text: text.to_string(),
            offset,
            events: Box::from(&self.events[..]),
            kept: self.kept.drain(..).collect(),
            ..Body::default()
        };
        self.events.clear();
        BUFFERS.set(Some(self));
        body
    }
}

impl Body {
    /// The start events of the links and images, with their ranges in the whole file.
    pub fn links(&self) -> impl Iterator<Item = (&Event<'static>, Range<usize>)> {
        self.kept
            .iter()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::Link { .. } | Tag::Image { .. })))
            .map(|(e, r)| (e, self.range(r)))
    }

    /// The events of the body, each with its byte range in the whole file: pulldown-cmark's
    /// events for the text ([`crate::load::markdown::options`]), borrowing from the body.
    pub fn events(&self) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
        self.events.iter().map(|(ev, r)| (self.event(*ev), self.range(r)))
    }

    fn range(&self, r: &[u32; 2]) -> Range<usize> {
        r[0] as usize + self.offset..r[1] as usize + self.offset
    }

    fn event(&self, ev: Ev) -> Event<'_> {
        match ev {
            Ev::Str(kind, a, b) => kind.event(CowStr::Borrowed(&self.text[a as usize..b as usize])),
            Ev::Start(t) => Event::Start(t.tag()),
            Ev::End(t) => Event::End(t),
            Ev::SoftBreak => Event::SoftBreak,
            Ev::HardBreak => Event::HardBreak,
            Ev::Rule => Event::Rule,
            Ev::TaskListMarker(b) => Event::TaskListMarker(b),
            Ev::Kept(i) => lend(&self.kept[i as usize].0),
        }
    }
}

/// Where a text an event borrowed from `src` lies in it, or `None` for a text the parser
/// made (or one too far in for 32 bits).
fn place(src: &str, s: &CowStr<'_>) -> Option<(u32, u32)> {
    let CowStr::Borrowed(s) = s else {
        return None;
    };
    let start = (s.as_ptr() as usize).checked_sub(src.as_ptr() as usize)?;
    let end = start + s.len();
    (end <= src.len() && src.is_char_boundary(start) && src.is_char_boundary(end))
        .then(|| Some((u32::try_from(start).ok()?, u32::try_from(end).ok()?)))
        .flatten()
}

/// An event kept whole, its texts lent rather than copied.
fn lend<'a>(e: &'a Event<'static>) -> Event<'a> {
    let s = |c: &'a CowStr<'static>| CowStr::Borrowed(c.as_ref());
    if let Some((kind, t)) = StrKind::of(e) {
        return kind.event(s(t));
    }
    match e {
        Event::Start(t) => Event::Start(match t {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => Tag::Heading {
                level: *level,
                id: id.as_ref().map(s),
                classes: classes.iter().map(s).collect(),
                attrs: attrs.iter().map(|(k, v)| (s(k), v.as_ref().map(s))).collect(),
            },
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => Tag::CodeBlock(CodeBlockKind::Fenced(s(info))),
            Tag::FootnoteDefinition(label) => Tag::FootnoteDefinition(s(label)),
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type: *link_type,
                dest_url: s(dest_url),
                title: s(title),
                id: s(id),
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type: *link_type,
                dest_url: s(dest_url),
                title: s(title),
                id: s(id),
            },
            // The other tags hold no text (a table's alignments, a list's start).
            other => other.clone(),
        }),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use crate::load::markdown::{options, parse};

    /// The kept events are the parser's, with the file's ranges, for texts with every kind of
    /// event: made texts (typographic quotes, entities, escapes), links and images, headings
    /// with attributes, code, tables, footnotes, task lists, numbered lists, raw HTML.
    #[test]
    fn the_kept_events_are_the_parser_s() {
        let texts = [
            "## 見出し {#a .b data-x=y}\n\n本文の*強調*と**太字**、\"引用\" -- 'と' ... &amp; \\* `コード`。\n",
            "[施策](measure:kosodate-1)、[](sdg:4.2)、![図](images/map.png \"題\")、<https://example.jp>\n",
            "| 年度 | 件数 |\n| --- | ---: |\n| R6 | 12 |\n\n本文[^1]。\n\n[^1]: 注。\n",
            "- [ ] 未完了\n- [x] 完了\n\n3. 三\n4. 四\n\n> 引用\n\n---\n\n~~消~~\n",
            "```rust\nfn main() {}\n```\n\n<div>生の HTML</div>\n\n行末  \n改行と<b>インライン</b>\n",
            "",
        ];
        for (n, text) in texts.iter().enumerate() {
            let offset = 1000 * n;
            let body = parse(text, offset);
            let kept: Vec<_> = body.events().collect();
            let fresh: Vec<_> = Parser::new_ext(text, options())
                .into_offset_iter()
                .map(|(e, r)| (e, r.start + offset..r.end + offset))
                .collect();
            assert_eq!(kept, fresh, "text {n}");
        }
        let body = parse(texts[1], 7);
        let links: Vec<_> = body.links().map(|(_, r)| &texts[1][r.start - 7..r.end - 7]).collect();
        assert_eq!(
            links,
            [
                "[施策](measure:kosodate-1)",
                "[](sdg:4.2)",
                "![図](images/map.png \"題\")",
                "<https://example.jp>"
            ]
        );
    }
}
