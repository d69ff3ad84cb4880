//! Resolve stage: checks of single items and tables that do not involve references —
//! a measure's sections, translation status, target years, and the data tables.

use std::ops::Range;

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::load::markdown::h2_headings;
use crate::model::terms::SectionSpec;
use crate::model::{Item, Kind, Plan, TranslationStatus};

/// Reports headings with no text (`##` alone): a screen reader announces an empty heading,
/// and a tagged PDF cannot have one. Run on every item by resolve, and by `serve`'s
/// incremental rebuilds.
pub fn check_headings_of(item: &crate::model::Item, diags: &mut Diagnostics) {
    for v in std::iter::once(&item.ja).chain(item.en.as_ref()) {
        for span in &v.body.empty_headings {
            diags.push(
                Diagnostic::error("empty-heading", "this heading has no text")
                    .at(v.file, span.clone(), "empty heading")
                    .hint("write the heading's words after the #, or delete the line"),
            );
        }
    }
}

/// Long on purpose: a list of independent checks, each a few lines, read top to bottom;
/// splitting it would only scatter them.
pub fn check_items(plan: &Plan, sources: &Sources, diags: &mut Diagnostics) {
    super::each_item(plan, diags, |item, d| {
        if !plan.broken.contains(&item.id) {
            check_item(plan, item, sources, d);
        }
    });
    let period = &plan.config.plan_period;
    for t in &plan.targets {
        if t.target.year < t.baseline.year {
            diags.push(
                Diagnostic::error(
                    "target-before-baseline",
                    format!("the target `{}` is due before its baseline year", t.id),
                )
                .at(t.file, t.span.clone(), "target_year is before baseline_year")
                .hint("the baseline is where you start; the target year comes after it"),
            );
        }
        if t.kind == crate::model::TargetType::Target && (t.target.year < period.from || t.target.year > period.to) {
            diags.push(
                Diagnostic::warning(
                    "year-outside-plan",
                    format!(
                        "the target `{}` is due in {}, outside the plan period {}–{}",
                        t.id,
                        t.target.year.compact(),
                        period.from.compact(),
                        period.to.compact()
                    ),
                )
                .at(t.file, t.span.clone(), "target_year")
                .hint("targets of the basic plan are usually set for its last year"),
            );
        }
    }
}

/// The checks of [`check_items`] that look at one item: a measure's sections and targets, a
/// pillar's measures, the translation's status.
fn check_item(plan: &Plan, item: &Item, sources: &Sources, diags: &mut Diagnostics) {
    if item.kind == Kind::Measure {
        for v in std::iter::once(&item.ja).chain(item.en.as_ref()) {
            check_sections(v, &plan.sections, sources, diags);
        }
        // A broken targets row may belong to this measure: then its error is enough.
        if plan.targets_of(&item.id).next().is_none()
            && !plan.targets.is_empty()
            && plan.broken.iter().all(|b| plan.item(b).is_some())
        {
            diags.push(
                Diagnostic::warning(
                    "measure-without-targets",
                    format!("the measure `{}` has no targets", item.id),
                )
                .at(
                    item.ja.file,
                    0..0,
                    "no row in data/targets/*.csv names this measure as owner",
                )
                .hint(format!("add rows with owner `{}` to a targets CSV", item.id)),
            );
        }
    }
    if item.kind == Kind::Pillar && plan.measures_of(&item.id).next().is_none() {
        diags.push(
            Diagnostic::warning("empty-pillar", format!("the pillar `{}` has no measures", item.id))
                .at(item.ja.file, 0..0, "no measure names this pillar")
                .hint(if plan.config.middle_level {
                    format!(
                        "measures join it through a group: a group with `pillar: {}` and measures with `group: <that group>`",
                        item.id
                    )
                } else {
                    format!("measures join a pillar with `pillar: {}` in their front-matter", item.id)
                }),
        );
    }
    match item.translation {
        TranslationStatus::Missing => diags.push(
            Diagnostic::warning(
                "missing-translation",
                format!("`{}` has no English translation", item.id),
            )
            .at(item.ja.file, 0..0, "Japanese only")
            .hint(format!(
                "the English site shows the Japanese text with a notice; add {}.en.md beside this file",
                item.id
            )),
        ),
        TranslationStatus::Stale => {
            // The en version exists when the status is Stale.
            if let Some(en) = &item.en {
                diags.push(
                    Diagnostic::warning(
                        "stale-translation",
                        format!(
                            "the English translation of `{}` was made from an older Japanese text",
                            item.id
                        ),
                    )
                    .at(en.file, 0..0, "translation may be out of date")
                    .hint(format!(
                        "update the English text, then set `translated_from: {}`",
                        item.digest
                    )),
                );
            }
        }
        _ => {}
    }
}

/// The declared section that a heading which is no section stands in for: the next one in
/// order (or one after only optional ones), when it is not written anywhere later — a section
/// renamed, reported as one error that says what it should be.
fn renamed(
    specs: &[SectionSpec],
    lang: crate::model::Lang,
    last: Option<usize>,
    seen: &[bool],
    later: &[&str],
) -> Option<usize> {
    let next = last.map_or(0, |l| l + 1);
    (next..specs.len())
        .find(|&n| !seen[n] && !later.contains(&specs[n].heading(lang)))
        .filter(|&n| specs[next..n].iter().all(|s| !s.required))
}

/// Checks a measure's level-2 headings against the sections the plan declares, and reports
/// every problem of the file at once: each heading that is not a section, each section out
/// of order or written twice, each required section missing.
fn check_sections(v: &crate::model::Version, specs: &[SectionSpec], sources: &Sources, diags: &mut Diagnostics) {
    let have = h2_headings(&v.body);
    let lang = v.lang;
    // Written only for a file with a problem (most have none).
    let hint = || {
        let listing = specs
            .iter()
            .map(|s| format!("## {}{}", s.heading(lang), if s.required { "" } else { " (optional)" }))
            .collect::<Vec<_>>()
            .join(", ");
        format!("the sections of a measure in this plan, in order: {listing}")
    };
    // Underline the heading line only, not the blank line after it.
    let line_of = |r: &Range<usize>| {
        let text = sources.text(v.file);
        let end = text[r.start..r.end].find('\n').map(|i| r.start + i).unwrap_or(r.end);
        r.start..end
    };
    let mut last: Option<usize> = None;
    let mut seen = vec![false; specs.len()];
    for (i, (heading, span)) in have.iter().enumerate() {
        let Some(n) = specs.iter().position(|s| s.heading(lang) == heading) else {
            let later: Vec<&str> = have[i + 1..].iter().map(|(h, _)| h.as_str()).collect();
            if let Some(n) = renamed(specs, lang, last, &seen, &later) {
                diags.push(
                    Diagnostic::error(
                        "measure-sections",
                        format!("this section should be `## {}`", specs[n].heading(lang)),
                    )
                    .at(v.file, line_of(span), format!("found `{heading}`"))
                    .hint(hint()),
                );
                seen[n] = true;
                last = Some(n);
                continue;
            }
            let mut d = Diagnostic::error(
                "measure-sections",
                format!("`## {heading}` is not a section of a measure in this plan"),
            )
            .at(v.file, line_of(span), "unknown section");
            d = match did_you_mean(heading, specs.iter().map(|s| s.heading(lang))) {
                Some(s) => d.hint(format!("did you mean `## {s}`? {}", hint())),
                None => d.hint(format!(
                    "{}; a heading inside a section is `###`, and keikaku.yaml's measure_sections declares the sections",
                    hint()
                )),
            };
            diags.push(d);
            continue;
        };
        if seen[n] {
            diags.push(
                Diagnostic::error(
                    "measure-sections",
                    format!("the section `## {heading}` is written twice"),
                )
                .at(v.file, line_of(span), "second time")
                .hint(format!("merge the two into one; {}", hint())),
            );
        } else if last.is_some_and(|l| n < l) {
            diags.push(
                Diagnostic::error("measure-sections", format!("the section `## {heading}` comes too late"))
                    .at(v.file, line_of(span), "out of order")
                    .hint(format!(
                        "move it before `## {}`; {}",
                        specs[last.unwrap_or(0)].heading(lang),
                        hint()
                    )),
            );
        }
        seen[n] = true;
        last = Some(last.map_or(n, |l| l.max(n)));
    }
    for (spec, _) in specs.iter().zip(&seen).filter(|(s, seen)| s.required && !**seen) {
        let end = sources.text(v.file).len();
        let span = have.last().map(|(_, r)| line_of(r)).unwrap_or(end..end);
        diags.push(
            Diagnostic::error(
                "measure-sections",
                format!("the section `## {}` is missing", spec.heading(lang)),
            )
            .at(v.file, span, "add it in its place")
            .hint(hint()),
        );
    }
}

/// The place of a top-level key (`number:`) in a file, to the end of its line.
pub(super) fn key_span(sources: &Sources, file: FileId, key: &str) -> Range<usize> {
    let text = sources.text(file);
    let at = text
        .match_indices(key)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
        .unwrap_or(0);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    at..end
}

/// Reports what is accepted by each field alone but wrong together: two items of one list
/// with the same number (two 施策 1-2), a second vision, a plan or strategy period that ends
/// before it begins.
pub fn check_numbering(plan: &Plan, sources: &Sources, diags: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<(Kind, Option<&str>, u32), &crate::model::Item> = Default::default();
    for item in plan.items.iter().filter(|i| !plan.broken.contains(&i.id)) {
        if item.kind == Kind::Vision {
            if let Some(first) = plan.of_kind(Kind::Vision).next().filter(|v| v.id != item.id) {
                diags.push(
                    Diagnostic::error("second-vision", "the plan has one vision, and this is a second one")
                        .at(item.ja.file, 0..0, "a second vision")
                        .also(first.ja.file, 0..0, "the vision")
                        .hint("keep one file in vision/ (with its .en.md translation); move this text into it"),
                );
            }
            continue;
        }
        let key = (item.kind, item.group.as_deref().or(item.pillar.as_deref()), item.number);
        match seen.get(&key) {
            Some(first) => diags.push(
                Diagnostic::error(
                    "duplicate-number",
                    format!(
                        "the {} `{}` has the same number, {}, as `{}`",
                        item.kind.describe(),
                        item.id,
                        item.number,
                        first.id
                    ),
                )
                .at(
                    item.ja.file,
                    key_span(sources, item.ja.file, "number:"),
                    "the same number",
                )
                .also(
                    first.ja.file,
                    key_span(sources, first.ja.file, "number:"),
                    "as this one",
                )
                .hint("numbers order the list and label each item (施策1-2): give each its own"),
            ),
            None => {
                seen.insert(key, item);
            }
        }
    }
    let config = sources.find(std::path::Path::new(crate::load::CONFIG_FILE));
    let cfg = &plan.config;
    // The site's address goes into every page's canonical link and the sitemap.
    let url = cfg.base_url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    if !rest.is_some_and(|r| !r.is_empty() && !r.contains(|c: char| c.is_whitespace() || "<>\"'`".contains(c))) {
        let mut d = Diagnostic::error("bad-base-url", format!("`{url}` is not a web address")).hint(
            "write the address the site will have, starting with https://, e.g. https://www.city.example.lg.jp/keikaku",
        );
        if let Some(f) = config {
            d = d.at(f, key_span(sources, f, "base_url"), "not an http(s) address");
        }
        diags.push(d);
    }
    for (key, period) in [
        ("plan_period", Some(&cfg.plan_period)),
        ("strategy_period", cfg.strategy_period.as_ref()),
    ]
    .into_iter()
    .filter_map(|(k, p)| Some((k, p?)))
    {
        if period.from > period.to {
            let mut d = Diagnostic::error(
                "period-backwards",
                format!(
                    "`{key}` ends ({}) before it begins ({})",
                    period.to.compact(),
                    period.from.compact()
                ),
            )
            .hint("write the first fiscal year in `from` and the last in `to`, e.g. {from: R6, to: R9}");
            if let Some(f) = config {
                d = d.at(f, key_span(sources, f, key), "from is after to");
            }
            diags.push(d);
        }
    }
}

/// The place of `needle` in the YAML list entry that contains `anchor` (a text unique to the
/// entry, such as its Japanese label); the anchor itself when the needle is not found there.
fn locate(sources: &Sources, file: Option<FileId>, anchor: &str, needle: &str) -> Option<(FileId, Range<usize>)> {
    let file = file?;
    let text = sources.text(file);
    let at = text.find(anchor)?;
    let start = text[..at].rfind("- ").unwrap_or(0);
    let end = text[at..]
        .find("\n  - ")
        .or_else(|| text[at..].find("\n- "))
        .map(|i| at + i)
        .unwrap_or(text.len());
    let span = match text[start..end].find(needle) {
        Some(i) => start + i..start + i + needle.len(),
        None => at..at + anchor.len(),
    };
    Some((file, span))
}

fn at_place(d: Diagnostic, place: Option<(FileId, Range<usize>)>, label: &str) -> Diagnostic {
    match place {
        Some((f, span)) => d.at(f, span, label),
        None => d,
    }
}

/// Checks the data tables for facts that do not fit together.
pub fn check_tables(plan: &Plan, sources: &Sources, diags: &mut Diagnostics) {
    check_schedule(plan, sources, diags);
    check_periods(plan, sources, diags);
}

/// The schedule's entries: a month of the year, in a track the schedule defines.
fn check_schedule(plan: &Plan, sources: &Sources, diags: &mut Diagnostics) {
    let [_, _, schedule_file] = plan.tables.files;
    if let Some(s) = &plan.tables.schedule {
        for e in &s.entries {
            if !(1..=12).contains(&e.month) {
                let place = locate(sources, schedule_file, &e.ja, &format!("month: {}", e.month));
                diags.push(
                    at_place(
                        Diagnostic::error(
                            "bad-month",
                            format!("schedule entry 「{}」 has month {}", e.ja, e.month),
                        ),
                        place,
                        "not a month",
                    )
                    .hint("months are 1 to 12 (April is 4, March is 3)"),
                );
            }
            if !s.tracks.iter().any(|t| t.id == e.track) {
                let ids: Vec<&str> = s.tracks.iter().map(|t| t.id.as_str()).collect();
                let place = locate(sources, schedule_file, &e.ja, &e.track);
                let mut d = at_place(
                    Diagnostic::error(
                        "unknown-reference",
                        format!(
                            "schedule entry 「{}」 is in the track `{}`, which is not defined",
                            e.ja, e.track
                        ),
                    ),
                    place,
                    "unknown track",
                );
                d = match did_you_mean(&e.track, ids.iter().copied()) {
                    Some(m) => d.hint(format!("did you mean `{m}`? the tracks are: {}", ids.join(", "))),
                    None => d.hint(format!("the tracks are: {}", ids.join(", "))),
                };
                diags.push(d);
            }
        }
    }
}

/// The plan periods chart: each span inside the chart's years, the spans of a row one after
/// the other.
fn check_periods(plan: &Plan, sources: &Sources, diags: &mut Diagnostics) {
    let [periods_file, _, _] = plan.tables.files;
    if let Some(p) = &plan.tables.periods {
        for row in &p.rows {
            for s in &row.spans {
                if s.from > s.to || s.from < p.years.from || s.to > p.years.to {
                    let place = locate(sources, periods_file, &s.ja, &s.ja);
                    diags.push(
                        at_place(
                            Diagnostic::error(
                                "bad-period",
                                format!(
                                    "the period 「{}」 ({}–{}) does not fit the chart {}–{}",
                                    s.ja,
                                    s.from.compact(),
                                    s.to.compact(),
                                    p.years.from.compact(),
                                    p.years.to.compact()
                                ),
                            ),
                            place,
                            "outside the chart's years",
                        )
                        .hint("each span runs from an earlier to a later year inside `years`"),
                    );
                }
            }
            // Spans of one row follow each other: two that share a year would be drawn on top
            // of each other.
            let mut spans: Vec<_> = row.spans.iter().filter(|s| s.from <= s.to).collect();
            spans.sort_by_key(|s| s.from);
            for pair in spans.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if b.from <= a.to {
                    let place = locate(sources, periods_file, &b.ja, &b.ja);
                    diags.push(
                        at_place(
                            Diagnostic::error(
                                "overlapping-periods",
                                format!(
                                    "the periods 「{}」 ({}–{}) and 「{}」 ({}–{}) share years",
                                    a.ja,
                                    a.from.compact(),
                                    a.to.compact(),
                                    b.ja,
                                    b.from.compact(),
                                    b.to.compact()
                                ),
                            ),
                            place,
                            "begins before the one before it ends",
                        )
                        .hint("in one row each period begins after the one before it ends"),
                    );
                }
            }
        }
    }
}
