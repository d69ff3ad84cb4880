//! Load stage: the site configuration, `keikaku.yaml` at the top of the content folder.
//! It names the city, the site, the base URL and the plan periods, so that `--content`
//! points at a whole plan.

use serde::Deserialize;

use crate::model::terms::{SectionSpec, Terms, TermsConfig, default_sections};
use crate::model::{Bilingual, Date, Lang, YearRange};

/// The accessibility settings (`accessibility:` in `keikaku.yaml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// The conformance level aimed at: `A`, `AA` or `AAA`.
    #[serde(default = "level_aa")]
    pub level: String,
    /// The municipality's own policy text (方針), shown on the accessibility page.
    #[serde(default)]
    pub policy: Option<Bilingual>,
    /// Where readers report a problem (the responsible division), shown on the page.
    #[serde(default)]
    pub contact: Option<Bilingual>,
}

fn level_aa() -> String {
    "AA".into()
}

impl Default for Accessibility {
    fn default() -> Self {
        Accessibility {
            level: level_aa(),
            policy: None,
            contact: None,
        }
    }
}

/// The public comment on a draft (パブリックコメント, `public_comment:` in `keikaku.yaml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicComment {
    /// First day comments are taken.
    pub from: Date,
    /// Last day comments are taken.
    pub until: Date,
    /// How to comment (Markdown: where to send, what to write), shown on the page of the
    /// public comment while the plan is a draft.
    #[serde(default)]
    pub how: Option<Bilingual>,
    /// How many people commented (the comments themselves are in `data/comments.csv`).
    #[serde(default)]
    pub people: Option<u32>,
}

/// The site configuration (`keikaku.yaml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The municipality, e.g. 見本市 / Sample City.
    pub city: Bilingual,
    /// Site title.
    pub title: Bilingual,
    /// Public address of the site, e.g. `https://www.city.example.lg.jp/keikaku/`. Links inside
    /// the site are relative, so the site also works from any other folder; this address is
    /// used for canonical links, language alternates and the sitemap.
    pub base_url: String,
    /// Period of the basic plan this site publishes (e.g. 前期基本計画: R5–R9).
    pub plan_period: YearRange,
    /// Period of the comprehensive strategy (e.g. R7–R11), independent of the plan's: it may
    /// start or end in other years. Needed only when the content has strategy goals.
    #[serde(default)]
    pub strategy_period: Option<YearRange>,
    /// The plan's vocabulary: what it calls its levels, documents and targets.
    #[serde(default)]
    pub terms: TermsConfig,
    /// Interface strings replaced for this plan (any key of the theme's `i18n.yaml`), for
    /// wording the terms do not cover.
    #[serde(default)]
    pub strings: std::collections::BTreeMap<String, Bilingual>,
    /// The sections every measure has, in order; the four of the 基本計画 when not given.
    #[serde(default)]
    pub measure_sections: Option<Vec<SectionSpec>>,
    /// Whether measures sit under a middle level (基本目標 → 政策 → 施策): the `groups/`
    /// folder, each measure naming its `group:` instead of its pillar.
    #[serde(default)]
    pub middle_level: bool,
    /// What the accessibility page states: the target level and the city's policy.
    #[serde(default)]
    pub accessibility: Accessibility,
    /// A notice shown at the foot of every page (e.g. that sample content is illustrative).
    #[serde(default)]
    pub notice: Option<Bilingual>,
    /// Whether the plan is the draft (案) put out for public comment: every page and PDF says
    /// so, pages are not for search engines, PDF names end in `-draft`. `keikaku build
    /// --draft` does the same for one build.
    #[serde(default)]
    pub draft: bool,
    /// The public comment on the draft: its period, how to comment, how many commented.
    #[serde(default)]
    pub public_comment: Option<PublicComment>,
    /// The earlier edition the build compares the plan with, publishing the 新旧対照表: a
    /// content folder (relative to this one) or `git:<revision>` (a tag or commit of the
    /// repository the content is in).
    #[serde(default)]
    pub compare_with: Option<String>,
    /// Publication date (YYYY-MM-DD), used for the sitemap and document metadata.
    #[serde(default)]
    pub published: Option<Date>,
    /// Let raw HTML written in Markdown through to the pages. Off by default: raw HTML is
    /// then shown as text, so nothing an editor pastes can run a script, add an event
    /// handler or a `javascript:` link. Turn it on only when everyone who can change the
    /// content is trusted (the PDFs never run HTML either way).
    #[serde(default)]
    pub allow_raw_html: bool,
    /// The most measures one PDF of the basic plan holds. A plan with more is typeset in
    /// volumes (分冊) of about equal size: typst holds a whole document while laying it out
    /// (about 2.5 MB a page, a measure taking one to two pages).
    #[serde(default)]
    pub measures_per_pdf_volume: Option<std::num::NonZeroUsize>,
}

/// Measures per PDF volume when `keikaku.yaml` does not say. A city's plan (the bundled example has 24
/// measures) is one PDF; a volume of 50 measures is about 60 pages and is typeset in about
/// 150 MB, which keeps the build of a plan of 5,000 measures under 500 MB.
pub const MEASURES_PER_PDF_VOLUME: usize = 50;

impl Config {
    /// The base URL, always ending with `/`.
    pub fn base(&self) -> String {
        let b = self.base_url.trim();
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    }

    /// The path part of the base URL (`/keikaku/`), used where relative links cannot work
    /// (the 404 page, which a server shows at any address).
    pub fn base_path(&self) -> String {
        let b = self.base();
        let after_scheme = b.split_once("://").map(|(_, r)| r).unwrap_or(&b);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    /// The plan's vocabulary, defaults filled in.
    pub fn terms(&self) -> Terms {
        Terms::from_config(&self.terms)
    }

    /// The sections of a measure, in order.
    pub fn sections(&self) -> Vec<SectionSpec> {
        self.measure_sections.clone().unwrap_or_else(default_sections)
    }

    /// The most measures in one PDF volume of the basic plan.
    pub fn volume_measures(&self) -> usize {
        self.measures_per_pdf_volume
            .map_or(MEASURES_PER_PDF_VOLUME, std::num::NonZeroUsize::get)
    }

    /// Absolute URL of a site path (`measures/kosodate-1/`) in a language.
    pub fn absolute(&self, lang: Lang, path: &str) -> String {
        crate::text::cat(&[&self.base(), lang.prefix(), path])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FiscalYear;

    fn cfg(base: &str) -> Config {
        Config {
            city: Bilingual::default(),
            title: Bilingual::default(),
            base_url: base.into(),
            plan_period: YearRange {
                from: FiscalYear(2024),
                to: FiscalYear(2027),
            },
            strategy_period: None,
            terms: TermsConfig::default(),
            strings: Default::default(),
            measure_sections: None,
            middle_level: false,
            accessibility: Accessibility::default(),
            notice: None,
            draft: false,
            public_comment: None,
            compare_with: None,
            published: None,
            allow_raw_html: false,
            measures_per_pdf_volume: None,
        }
    }

    #[test]
    fn base_path_of_a_sub_folder_site() {
        assert_eq!(cfg("https://city.example.jp/keikaku").base_path(), "/keikaku/");
        assert_eq!(cfg("https://city.example.jp").base_path(), "/");
        assert_eq!(
            cfg("https://city.example.jp/keikaku/").absolute(Lang::En, "vision/"),
            "https://city.example.jp/keikaku/en/vision/"
        );
    }
}
