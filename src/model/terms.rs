//! Model stage: the plan's own vocabulary and shape, from `keikaku.yaml` — what it calls its
//! levels, documents and targets (柱 or 基本目標, 目標指標 or 成果指標, 前期・後期 …)
//! and the sections its measures have. Every interface string names these through
//! placeholders (`{pillar}`, `{Measures}`, `{plan}`), filled in once per build by
//! [`Terms::fill`], so no city's word is written in the theme or the code.

use serde::{Deserialize, Serialize};

use super::{Bilingual, Lang};

/// One word of the plan's vocabulary, in both languages.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Japanese (施策).
    pub ja: String,
    /// English, in lower case where it is a common noun (measure): keikaku capitalises it at
    /// the start of a title.
    #[serde(default)]
    pub en: String,
    /// English plural, when it is not the word + `s` (policy → policies).
    #[serde(default)]
    pub en_plural: Option<String>,
    /// The short form before a number in labels (柱 in 柱3, Pillar in Pillar 3); the word
    /// itself when not given.
    #[serde(default)]
    pub label: Option<Bilingual>,
    /// For a document (the basic plan, the strategy): the start of its PDF file names
    /// (`later-basic-plan` gives `later-basic-plan-ja.pdf`).
    #[serde(default)]
    pub slug: Option<String>,
}

impl Term {
    fn new(ja: &str, en: &str) -> Term {
        Term {
            ja: ja.into(),
            en: en.into(),
            ..Term::default()
        }
    }

    fn plural(mut self, en: &str) -> Term {
        self.en_plural = Some(en.into());
        self
    }

    fn labelled(mut self, ja: &str, en: &str) -> Term {
        self.label = Some(Bilingual {
            ja: ja.into(),
            en: en.into(),
        });
        self
    }

    fn slugged(mut self, slug: &str) -> Term {
        self.slug = Some(slug.into());
        self
    }

    /// The word in a language (English falls back to Japanese).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.ja,
        }
    }

    /// The plural in a language (Japanese has none).
    pub fn plural_of(&self, lang: Lang) -> String {
        match (lang, &self.en_plural) {
            (Lang::En, Some(p)) if !self.en.is_empty() => p.clone(),
            (Lang::En, None) if !self.en.is_empty() => format!("{}s", self.en),
            _ => self.get(lang).to_string(),
        }
    }

    /// The short form before a number (柱 / Pillar).
    pub fn label_of(&self, lang: Lang) -> String {
        match &self.label {
            Some(l) => l.get(lang).to_string(),
            None => capitalised(self.get(lang)),
        }
    }
}

/// `measure` → `Measure`; Japanese is unchanged.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

macro_rules! terms {
    ($($(#[$doc:meta])* $name:ident => $default:expr;)*) => {
        /// The plan's vocabulary (`terms:` in `keikaku.yaml`); each term not given there is
        /// keikaku's default, listed in the editors' guide.
        #[derive(Clone, Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct TermsConfig {
            $($(#[$doc])* #[serde(default)] pub $name: Option<Term>,)*
        }

        /// The vocabulary with every term filled in.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Terms {
            $($(#[$doc])* pub $name: Term,)*
        }

        impl Terms {
            /// The terms of a configuration, defaults where it gives none.
            pub fn from_config(c: &TermsConfig) -> Terms {
                Terms { $($name: c.$name.clone().unwrap_or_else(|| $default),)* }
            }

            /// Every term with its placeholder name, for [`Terms::fill`] and the guide.
            pub fn all(&self) -> Vec<(&'static str, &Term)> {
                vec![$((stringify!($name), &self.$name),)*]
            }
        }

        impl Default for Terms {
            fn default() -> Terms {
                Terms::from_config(&TermsConfig::default())
            }
        }
    };
}

terms! {
    /// The edition of the basic plan the site publishes (基本計画, 前期基本計画); its slug
    /// starts the PDF file names.
    plan => Term::new("基本計画", "Basic Plan").slugged("basic-plan");
    /// The basic vision (基本構想).
    vision_doc => Term::new("基本構想", "Basic Vision");
    /// The comprehensive strategy and its edition (総合戦略, 第2期総合戦略).
    strategy => Term::new("総合戦略", "Comprehensive Strategy").slugged("comprehensive-strategy");
    /// The picture of the future the vision draws (将来像, めざす姿).
    vision => Term::new("将来像", "vision");
    /// The first level under the vision (政策の柱, 基本目標).
    pillar => Term::new("政策の柱", "policy pillar").labelled("柱", "Pillar");
    /// The optional middle level (政策), when `middle_level: true`.
    group => Term::new("政策", "policy").plural("policies").labelled("政策", "Policy");
    /// The level that carries sections and targets (施策).
    measure => Term::new("施策", "measure");
    /// A district of the municipality (地域, 地区).
    district => Term::new("地域", "district");
    /// The part of the vision about the districts (地域別の将来像).
    district_vision => Term::new("地域別の将来像", "district visions");
    /// A basic goal of the strategy (基本目標).
    strategy_goal => Term::new("基本目標", "basic goal").labelled("基本目標", "Basic goal");
    /// A pledge of the head of the municipality (公約, 町長公約, マニフェスト); `label` is the
    /// short form before its number.
    pledge => Term::new("公約", "pledge");
    /// A target of the vision or a pillar (成果指標, 目標指標).
    vision_target => Term::new("成果指標", "outcome indicator");
    /// A target of a measure (目標値).
    target => Term::new("目標値", "target");
    /// The chapters about the plan itself (計画について, 策定方針).
    policy => Term::new("計画について", "about the plan");
    /// The three-year rolling implementation plan (実施計画); its slug starts the PDF file
    /// names and the site's section address.
    implementation => Term::new("実施計画", "implementation plan").slugged("implementation-plan");
    /// A project of the implementation plan (事業, 主要事業).
    project => Term::new("事業", "project");
    /// The yearly progress report (進捗状況報告, 施策評価).
    progress_report => Term::new("進捗状況報告", "progress report").slugged("progress-report");
}

impl Terms {
    /// Fills the placeholders of an interface string: `{pillar}` the word, `{pillars}` its
    /// plural, `{Pillar}` / `{Pillars}` capitalised (English). Other braces (`{n}`, `{date}`)
    /// are left for the page to fill.
    pub fn fill(&self, text: &str, lang: Lang) -> String {
        if !text.contains('{') {
            return text.to_string();
        }
        let all = self.all();
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        for (span, key) in braces(text) {
            if let Some(w) = self.word(&all, key, lang) {
                out.push_str(&text[done..span.start]);
                out.push_str(&w);
                done = span.end;
            }
        }
        out.push_str(&text[done..]);
        out
    }

    /// The text of one placeholder (`Pillars`), or `None` when it is not a term.
    fn word(&self, all: &[(&'static str, &Term)], key: &str, lang: Lang) -> Option<String> {
        let lower = key.to_lowercase();
        let capital = key.chars().next().is_some_and(char::is_uppercase);
        let (term, plural) = all
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|(_, t)| (*t, false))
            .or_else(|| {
                let singular = lower.strip_suffix('s')?;
                all.iter().find(|(n, _)| *n == singular).map(|(_, t)| (*t, true))
            })?;
        let w = if plural {
            term.plural_of(lang)
        } else {
            term.get(lang).to_string()
        };
        Some(if capital { capitalised(&w) } else { w })
    }
}

/// The index pages whose introduction the content may write (`intros/<page>.<lang>.md`);
/// a page without one shows the theme's `<page>_intro` string.
pub const INTRO_PAGES: [&str; 10] = [
    "home",
    "pillars",
    "districts",
    "strategy",
    "policy",
    "pledges",
    "sdgs",
    "targets",
    "implementation",
    "progress",
];

/// The values an introduction (or an interface string) can name in braces, filled from the
/// plan's data so that nothing is typed twice: `{plan_period}` (令和6年度〜令和9年度),
/// `{n_pillars}` (6), `{n_pillars:kanji}` (六), `{n_pillars:words}` (six) …
pub const VARIABLES: [&str; 11] = [
    "city",
    "plan_period",
    "strategy_period",
    "plan_years",
    "n_pillars",
    "n_groups",
    "n_measures",
    "n_districts",
    "n_strategy_goals",
    "n_pledges",
    "n_targets",
];

/// The placeholders in a text (`{plan_period}` …) that are neither a term nor a variable
/// nor one of `allowed`: (byte range of the braces, name).
pub fn unknown_placeholders(text: &str, terms: &Terms, allowed: &[&str]) -> Vec<(std::ops::Range<usize>, String)> {
    let all = terms.all();
    let mut out = Vec::new();
    for (span, key) in braces(text) {
        let name = key.split(':').next().unwrap_or_default();
        let format_ok = match key.split_once(':') {
            None => true,
            Some((n, f)) => (n.starts_with("n_") || n == "plan_years") && matches!(f, "kanji" | "words"),
        };
        let known = terms.word(&all, key, Lang::Ja).is_some()
            || (VARIABLES.contains(&name) && format_ok)
            || allowed.contains(&key);
        // Braces holding anything but a name (`{ }`, a sentence) are text, not a placeholder.
        let looks_like_name = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        if !known && looks_like_name {
            out.push((span, key.to_string()));
        }
    }
    out
}

/// Every `{…}` of a text: (byte range of the braces, what is inside). An opening brace
/// with no closing one is text.
fn braces(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(open) = text[pos..].find('{').map(|i| pos + i) {
        let Some(close) = text[open..].find('}').map(|i| open + i) else {
            break;
        };
        out.push((open..close + 1, &text[open + 1..close]));
        pos = close + 1;
    }
    out
}

/// `6` → `六`, `10` → `十`, `24` → `二十四` (up to 99; digits beyond).
pub fn kanji_number(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=99 => {
            let (t, u) = (n / 10, n % 10);
            format!("{}十{}", if t == 1 { "" } else { D[t] }, if u == 0 { "" } else { D[u] })
        }
        _ => n.to_string(),
    }
}

/// `6` → `six` (up to twenty; digits beyond).
pub fn english_number(n: usize) -> String {
    const W: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    W.get(n).map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// Fills the variables of a text (`{n_pillars:kanji}` …) from `values` (name → number or
/// text); other braces are left as they are.
pub fn fill_variables(text: &str, values: &[(&str, Value)], lang: Lang) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (name, v) in values {
        let plain = format!("{{{name}}}");
        match v {
            Value::Text(t) => out = out.replace(&plain, t),
            Value::Number(n) => {
                out = out
                    .replace(&plain, &n.to_string())
                    .replace(&format!("{{{name}:kanji}}"), &kanji_number(*n))
                    .replace(
                        &format!("{{{name}:words}}"),
                        &match lang {
                            Lang::Ja => kanji_number(*n),
                            Lang::En => english_number(*n),
                        },
                    );
            }
        }
    }
    out
}

/// The value of a variable.
#[derive(Clone, Debug)]
pub enum Value {
    /// A text (a period, the city's name).
    Text(String),
    /// A count, writable as digits, kanji or English words.
    Number(usize),
}

/// A section every measure has (`measure_sections:` in `keikaku.yaml`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// The section's anchor on the page and in the PDFs (`situation`).
    pub id: String,
    /// Its heading in Japanese (`## 現状と課題`).
    pub ja: String,
    /// Its heading in English.
    pub en: String,
    /// Whether every measure must have it (true when not given).
    #[serde(default = "yes")]
    pub required: bool,
    /// Whether the measure's target table follows this section's text.
    #[serde(default)]
    pub targets: bool,
}

fn yes() -> bool {
    true
}

impl SectionSpec {
    /// The heading in a language.
    pub fn heading(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// The sections of a measure when `keikaku.yaml` does not declare them: the four of the
/// 基本計画 in the formulation policy (現状と課題 / 方針（目的） / 具体的目標・目標値 /
/// SDGsの推進に向けた取り組み).
pub fn default_sections() -> Vec<SectionSpec> {
    let s = |id: &str, ja: &str, en: &str, targets: bool| SectionSpec {
        id: id.into(),
        ja: ja.into(),
        en: en.into(),
        required: true,
        targets,
    };
    vec![
        s("situation", "現状と課題", "Current situation and issues", false),
        s("policy", "方針（目的）", "Policy (purpose)", false),
        s("targets", "具体的目標・目標値", "Specific goals and targets", true),
        s("sdgs", "SDGsの推進に向けた取り組み", "Action on the SDGs", false),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_with_the_plans_words() {
        let c = TermsConfig {
            pillar: Some(Term::new("基本目標", "goal").labelled("柱", "Pillar")),
            ..TermsConfig::default()
        };
        let t = Terms::from_config(&c);
        assert_eq!(t.fill("{pillar}と{measure}", Lang::Ja), "基本目標と施策");
        assert_eq!(
            t.fill("{Pillars} and {measures} ({n})", Lang::En),
            "Goals and measures ({n})"
        );
        assert_eq!(t.fill("{Groups}", Lang::En), "Policies");
        assert_eq!(t.fill("unclosed {plan", Lang::En), "unclosed {plan");
        assert_eq!(t.pillar.label_of(Lang::Ja), "柱");
        assert_eq!(t.measure.label_of(Lang::En), "Measure");
    }

    #[test]
    fn numbers_in_words_and_unknown_placeholders() {
        assert_eq!(kanji_number(6), "六");
        assert_eq!(kanji_number(10), "十");
        assert_eq!(kanji_number(24), "二十四");
        assert_eq!(english_number(4), "four");
        let v = [("n_pillars", Value::Number(6)), ("city", Value::Text("見本町".into()))];
        assert_eq!(
            fill_variables("{city}の{n_pillars:kanji}つの柱（{n_pillars}）", &v, Lang::Ja),
            "見本町の六つの柱（6）"
        );
        let t = Terms::default();
        let bad = unknown_placeholders("{pillars}{n_pillars:kanji}{n_pilars}{ }{date}", &t, &["date"]);
        assert_eq!(bad, vec![(26..36, "n_pilars".to_string())]);
    }
}
