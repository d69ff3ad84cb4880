//! Model stage: an item's Markdown body — its text, and what the checks look for in it.

use std::ops::Range;

use pulldown_cmark::Event;

/// A Markdown body: its text, parsed when it is read for what the checks look for, and
/// again by each renderer that reads it ([`Body::events`]). Parsing is cheaper than keeping
/// the events: at 5,000 measures they took some 60 MB (96 bytes an event, half a million
/// events) and about 30 % of the load stage's time to store, against about 5 µs to parse a
/// measure's body again.
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
    /// The start events of the links and images, with their ranges.
    pub links: Vec<(Event<'static>, Range<usize>)>,
}

impl Body {
    /// The start events of the links and images, with their ranges.
    pub fn links(&self) -> impl Iterator<Item = &(Event<'static>, Range<usize>)> {
        self.links.iter()
    }

    /// The events of the body, each with its byte range in the whole file: the same events
    /// on every call (one parser, [`crate::load::markdown::options`]).
    pub fn events(&self) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
        crate::load::markdown::events(&self.text, self.offset)
    }
}
