//! Resolve stage: the plan's shape as `keikaku.yaml` declares it, checked against the
//! content — measures under a pillar or under a group (middle level), a strategy with its
//! period, the declared measure sections, the `strings:` and terms of the configuration.

use std::ops::Range;

use super::checks::key_span;
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::model::{Kind, Plan};

/// The place of a nested key (`  citizen_bodies:` under `strings:`) in the configuration.
fn nested_key_span(sources: &Sources, file: FileId, parent: &str, key: &str) -> Range<usize> {
    let text = sources.text(file);
    let start = key_span(sources, file, parent).start;
    let at = text[start..]
        .match_indices(&format!("{key}:"))
        .map(|(i, _)| start + i)
        .find(|&i| text[..i].ends_with(' ') || text[..i].ends_with('\n'))
        .unwrap_or(start);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    at..end
}

/// Checks the configuration's shape settings against the content and the theme.
pub fn check_shape(plan: &Plan, theme_keys: &[&str], sources: &Sources, diags: &mut Diagnostics) {
    let config = sources.find(std::path::Path::new(crate::load::CONFIG_FILE));
    let at = |d: Diagnostic, span: Option<Range<usize>>, label: &str| match (config, span) {
        (Some(f), Some(s)) => d.at(f, s, label.to_string()),
        _ => d,
    };
    let cfg = &plan.config;
    let strategy = plan.of_kind(Kind::Strategy).next();
    if let (Some(goal), None) = (strategy, &cfg.strategy_period) {
        diags.push(
            Diagnostic::error("missing-strategy-period", "the plan has strategy goals but no `strategy_period`")
                .at(goal.ja.file, 0..0, "a strategy goal")
                .hint("add the strategy's years to keikaku.yaml, e.g. `strategy_period: {from: R7, to: R11}` (it may differ from plan_period)"),
        );
    }
    if !cfg.middle_level
        && let Some(g) = plan.of_kind(Kind::Group).next()
    {
        diags.push(
            Diagnostic::error("no-middle-level", "this plan has no middle level, so groups/ is not read")
                .at(g.ja.file, 0..0, "a group")
                .hint("to put measures under groups (基本目標 → 政策 → 施策), set `middle_level: true` in keikaku.yaml; otherwise move these files away"),
        );
    }
    for key in cfg.strings.keys().filter(|k| !theme_keys.contains(&k.as_str())) {
        let d = Diagnostic::error("unknown-string", format!("the theme has no interface string `{key}`"));
        let d = match did_you_mean(key, theme_keys.iter().copied()) {
            Some(s) => d.hint(format!(
                "did you mean `{s}`? (the keys are those of themes/default/i18n.yaml)"
            )),
            None => d.hint("the keys under `strings:` are those of the theme's i18n.yaml, e.g. `home_vision`"),
        };
        diags.push(at(
            d,
            config.map(|f| nested_key_span(sources, f, "strings", key)),
            "not a string of the theme",
        ));
    }
    if !matches!(cfg.accessibility.level.as_str(), "A" | "AA" | "AAA") {
        let d = Diagnostic::error(
            "bad-level",
            format!("`{}` is not a conformance level", cfg.accessibility.level),
        )
        .hint("write A, AA or AAA (most public bodies aim at AA)");
        diags.push(at(
            d,
            config.map(|f| nested_key_span(sources, f, "accessibility", "level")),
            "A, AA or AAA",
        ));
    }
    check_section_specs(plan, config, sources, diags);
    for (name, term) in plan.terms.all() {
        if let Some(slug) = term.slug.as_deref().filter(|s| !crate::load::valid_id(s)) {
            let d = Diagnostic::error("bad-slug", format!("`{slug}` cannot start a file name"))
                .hint("a slug is the start of the PDF file names: lower-case letters a–z, digits and hyphens, e.g. `later-basic-plan`");
            diags.push(at(
                d,
                config.map(|f| nested_key_span(sources, f, "terms", name)),
                "slug",
            ));
        }
    }
    check_placeholders(plan, config, sources, diags);
}

/// The braces the theme's own strings fill in on the page (`{n}` results, `{date}` …).
const PAGE_PLACEHOLDERS: [&str; 23] = [
    "n", "date", "status", "q", "count", "level", "years", "total", "kind", "year", "before", "now", "name", "value",
    "from", "until", "people", "caption", "old", "added", "changed", "removed", "previous",
];

/// Reports every `{name}` in the introductions and the `strings:` that is neither a term nor
/// a value keikaku fills in: it would be shown as it is written.
fn check_placeholders(plan: &Plan, config: Option<FileId>, sources: &Sources, diags: &mut Diagnostics) {
    use crate::model::terms::{VARIABLES, unknown_placeholders};
    let names: Vec<String> = plan
        .terms
        .all()
        .iter()
        .map(|(n, _)| (*n).to_string())
        .chain(VARIABLES.iter().map(|v| (*v).to_string()))
        .collect();
    let report = |diags: &mut Diagnostics, file: FileId, span: Range<usize>, key: &str| {
        let d = Diagnostic::error(
            "unknown-placeholder",
            format!("`{{{key}}}` is not a value keikaku fills in"),
        )
        .at(file, span, "shown as written");
        let (base, format) = key.split_once(':').map_or((key, ""), |(b, f)| (b, f));
        let format = if format.is_empty() {
            String::new()
        } else {
            format!(":{format}")
        };
        let d = match did_you_mean(base, names.iter().map(String::as_str)).filter(|s| *s != base) {
            Some(s) => d.hint(format!("did you mean `{{{s}{format}}}`? (counts are written `{{n_…}}`, `{{n_…:kanji}}` or `{{n_…:words}}`)")),
            None => d.hint(format!(
                "the values are {} and the plan's terms ({{plan}}, {{pillar}}, {{Measures}} …); write braces as text with other words inside, e.g. （ ）",
                VARIABLES.map(|v| format!("{{{v}}}")).join(", ")
            )),
        };
        diags.push(d);
    };
    for intro in &plan.intros {
        for (span, key) in unknown_placeholders(&intro.text, &plan.terms, &[]) {
            report(diags, intro.file, span, &key);
        }
    }
    let Some(f) = config else {
        return;
    };
    for (name, value) in &plan.config.strings {
        for text in [&value.ja, &value.en] {
            for (_, key) in unknown_placeholders(text, &plan.terms, &PAGE_PLACEHOLDERS) {
                report(diags, f, nested_key_span(sources, f, "strings", name), &key);
            }
        }
    }
}

/// Checks `measure_sections:`: ids that can be anchors, each once, headings in both
/// languages, one section marked `targets`.
fn check_section_specs(plan: &Plan, config: Option<FileId>, sources: &Sources, diags: &mut Diagnostics) {
    let Some(specs) = &plan.config.measure_sections else {
        return;
    };
    let span = config.map(|f| key_span(sources, f, "measure_sections"));
    let mut push = |d: Diagnostic| {
        diags.push(match (config, span.clone()) {
            (Some(f), Some(s)) => d.at(f, s, "measure_sections"),
            _ => d,
        })
    };
    if specs.is_empty() {
        push(
            Diagnostic::error("bad-sections", "`measure_sections` is empty").hint(
                "declare the sections of a measure, or remove `measure_sections` to use the four of the basic plan",
            ),
        );
    }
    for (n, s) in specs.iter().enumerate() {
        if !crate::load::valid_id(&s.id) {
            push(
                Diagnostic::error("bad-sections", format!("`{}` cannot be a section id", s.id))
                    .hint("section ids are anchors in the page address: lower-case letters a–z, digits and hyphens, e.g. `situation`"),
            );
        }
        if specs[..n].iter().any(|o| o.id == s.id) {
            push(
                Diagnostic::error("bad-sections", format!("the section id `{}` is used twice", s.id))
                    .hint("give each section its own id"),
            );
        }
        if s.ja.trim().is_empty() || s.en.trim().is_empty() {
            push(
                Diagnostic::error("bad-sections", format!("the section `{}` lacks a heading", s.id))
                    .hint("write its heading in both languages, e.g. `{id: situation, ja: 現状と課題, en: Current situation and issues}`"),
            );
        }
    }
    if specs.iter().filter(|s| s.targets).count() > 1 {
        push(
            Diagnostic::error("bad-sections", "more than one section is marked `targets: true`")
                .hint("mark the one section the measure's target table follows"),
        );
    }
}
