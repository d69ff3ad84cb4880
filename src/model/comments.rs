//! Model stage: the public comments on a draft (パブリックコメント) and the city's answers —
//! each comment's number, the item (and section) it is about, the summary of the opinion, the
//! city's answer and how the plan reflects it (`data/comments.csv`).

use std::ops::Range;

use serde::Serialize;

use super::Bilingual;
use crate::diag::FileId;

/// How the city reflected a comment in the plan (反映状況).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reflection {
    /// 反映: the plan was changed as the comment asked.
    Reflected,
    /// 一部反映: changed in part.
    Partly,
    /// 反映なし: not changed (the answer says why).
    NotReflected,
    /// その他: a question, an opinion on something else.
    Other,
}

impl Reflection {
    /// Every category, in the order tables list them.
    pub const ALL: [Reflection; 4] = [
        Reflection::Reflected,
        Reflection::Partly,
        Reflection::NotReflected,
        Reflection::Other,
    ];

    /// The word in the open data and CSS classes: `reflected`, `partly`, `not-reflected`, `other`.
    pub fn slug(self) -> &'static str {
        match self {
            Reflection::Reflected => "reflected",
            Reflection::Partly => "partly",
            Reflection::NotReflected => "not-reflected",
            Reflection::Other => "other",
        }
    }

    /// How a city's table writes it.
    pub fn ja(self) -> &'static str {
        match self {
            Reflection::Reflected => "反映",
            Reflection::Partly => "一部反映",
            Reflection::NotReflected => "反映なし",
            Reflection::Other => "その他",
        }
    }

    /// Reads a category written in Japanese or as its slug.
    pub fn parse(s: &str) -> Option<Reflection> {
        Reflection::ALL
            .into_iter()
            .find(|r| r.ja() == s || r.slug().eq_ignore_ascii_case(s))
    }
}

/// One comment and the city's answer.
#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    /// Its number (通し番号).
    pub number: u32,
    /// The id of the item it is about.
    pub item: String,
    /// The section of that item, by id (a measure's `current`, `policy` …), if any.
    pub section: Option<String>,
    /// 意見の概要.
    pub summary: Bilingual,
    /// 市の考え方.
    pub answer: Bilingual,
    /// 反映状況.
    pub reflection: Reflection,
    /// The file.
    #[serde(skip)]
    pub file: FileId,
    /// The row.
    #[serde(skip)]
    pub span: Range<usize>,
    /// The `item` and `section` cells.
    #[serde(skip)]
    pub ref_spans: [Range<usize>; 2],
}

/// Counts per category, in [`Reflection::ALL`] order.
pub fn counts<'a>(comments: impl IntoIterator<Item = &'a Comment>) -> [usize; 4] {
    let mut c = [0; 4];
    for x in comments {
        c[Reflection::ALL.iter().position(|r| *r == x.reflection).unwrap_or(3)] += 1;
    }
    c
}
