//! Model stage: the plan's own types — languages, kinds of page, fiscal years, SDGs,
//! targets and the data tables — independent of how they were read or will be rendered.

pub mod body;
pub mod comments;
pub mod config;
pub mod date;
pub mod fiscal_year;
pub mod plan;
pub mod progress;
pub mod projects;
pub mod report;
pub mod revision;
pub mod sdg;
pub mod tables;
pub mod target;
pub mod terms;
pub mod wcag;

pub use date::Date;
pub use fiscal_year::{FiscalYear, YearRange};
pub use plan::*;

use serde::Serialize;

/// A language of the site. Japanese is the source of truth; English is a translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語 (source).
    Ja,
    /// English (translation).
    En,
}

impl Lang {
    /// Both languages, source first.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// `ja` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Reads `ja` or `en`.
    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Output folder prefix: `` for Japanese (site root), `en/` for English.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Ja => "",
            Lang::En => "en/",
        }
    }
}

/// A text given in both languages (used by configuration and data tables).
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Bilingual {
    /// Japanese.
    pub ja: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

impl Bilingual {
    /// The text in a language; English falls back to Japanese when empty.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.ja,
        }
    }
}

/// A kind of page-like item, one folder of the content each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 将来像 — the vision of the basic plan (one item).
    Vision,
    /// 柱・基本目標 — the first level of the plan.
    Pillar,
    /// 政策 — the optional middle level between a pillar and its measures.
    Group,
    /// 施策 — a measure of a pillar (or of a group, in a plan with a middle level).
    Measure,
    /// 地域 — a district and its future.
    District,
    /// 策定方針の章 — a chapter of the formulation policy.
    Chapter,
    /// 総合戦略の基本目標 — a basic goal of the comprehensive strategy.
    Strategy,
    /// 公約 — a pledge of the head of the municipality.
    Pledge,
}

impl Kind {
    /// Every kind, in the order pages are listed.
    pub const ALL: [Kind; 8] = [
        Kind::Vision,
        Kind::Pillar,
        Kind::Group,
        Kind::Measure,
        Kind::District,
        Kind::Chapter,
        Kind::Strategy,
        Kind::Pledge,
    ];

    /// The content folder holding this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Vision => "vision",
            Kind::Pillar => "pillars",
            Kind::Group => "groups",
            Kind::Measure => "measures",
            Kind::District => "districts",
            Kind::Chapter => "chapters",
            Kind::Strategy => "strategy",
            Kind::Pledge => "pledges",
        }
    }

    /// The kind whose folder is `name`.
    pub fn from_folder(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == name)
    }

    /// The word used in references: `[](measure:kosodate-1)`.
    pub fn ref_name(self) -> &'static str {
        match self {
            Kind::Vision => "vision",
            Kind::Pillar => "pillar",
            Kind::Group => "group",
            Kind::Measure => "measure",
            Kind::District => "district",
            Kind::Chapter => "chapter",
            Kind::Strategy => "strategy",
            Kind::Pledge => "pledge",
        }
    }

    /// A name for the kind in messages to editors: `measure (施策)`.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Vision => "vision (将来像)",
            Kind::Pillar => "pillar (柱・基本目標)",
            Kind::Group => "group (政策, the middle level)",
            Kind::Measure => "measure (施策)",
            Kind::District => "district (地域)",
            Kind::Chapter => "chapter (策定方針の章)",
            Kind::Strategy => "strategy goal (総合戦略の基本目標)",
            Kind::Pledge => "pledge (公約)",
        }
    }
}
