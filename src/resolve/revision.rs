//! Resolve stage: the 新旧対照表 of a revision — the plan compared with an earlier edition of
//! itself. Items are matched by id (so a measure moved to another pillar or renumbered is the
//! same measure, shown as moved), each section's text is compared character by character in
//! Japanese (there are no word boundaries to lean on) and word by word in English, unchanged
//! sections are shortened to （略）, and targets are compared field by field.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use similar::{ChangeTag, TextDiff};

use crate::model::{Item, Lang, Plan, Target, Version};

pub use crate::model::revision::*;

/// The words a reference without text (`[](measure:kosodate-1)`) is shown with: the title of
/// what it names, as the pages show it.
fn ref_words(plan: &Plan, dest: &str, lang: Lang) -> String {
    use crate::model::Referent;
    let Some((kind, id)) = crate::load::markdown::split_ref(dest) else {
        return String::new();
    };
    match plan.referent(kind, id) {
        Some(Referent::Item(i)) => i.title(lang).to_string(),
        Some(Referent::Target(t, _)) => t.indicator.get(lang).to_string(),
        Some(Referent::Sdg(r, g)) => crate::render::format::sdg_label(&r, g, lang),
        None => String::new(),
    }
}

/// The text of a body, section by section: (heading, plain text). Japanese line breaks join
/// without a space; a reference without text reads as the title of what it names.
pub fn sections_of(plan: &Plan, v: &Version) -> Vec<(Option<String>, String)> {
    let mut out: Vec<(Option<String>, String)> = vec![(None, String::new())];
    let mut in_h2 = false;
    // The link being read, and the length of the text when it started.
    let mut link: Option<(String, usize)> = None;
    for (e, _) in v.body.events() {
        let last = out.len() - 1;
        match e {
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url.to_string(), out[last].1.len())),
            Event::End(TagEnd::Link) => {
                if let Some((dest, at)) = link.take()
                    && out[last].1.len() == at
                {
                    let words = ref_words(plan, &dest, v.lang);
                    out[last].1.push_str(&words);
                }
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                in_h2 = true;
                out.push((Some(String::new()), String::new()));
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => in_h2 = false,
            Event::Text(t) | Event::Code(t) if in_h2 => {
                if let Some(h) = out[last].0.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Text(t) | Event::Code(t) => out[last].1.push_str(&t),
            Event::SoftBreak => {
                let text = &mut out[last].1;
                if text
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == ',' || c == '.')
                {
                    text.push(' ');
                }
            }
            Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out[last].1.push('\n')
            }
            _ => {}
        }
    }
    for s in &mut out {
        s.1 = s.1.trim().to_string();
    }
    if out[0].1.is_empty() {
        out.remove(0);
    }
    out
}

/// The two columns of a text compared: (new, old), changed runs marked.
pub fn compare_text(new: &str, old: &str, lang: Lang) -> (Vec<Segment>, Vec<Segment>) {
    let diff = match lang {
        Lang::Ja => TextDiff::from_chars(old, new),
        Lang::En => TextDiff::from_words(old, new),
    };
    let (mut n, mut o): (Vec<Segment>, Vec<Segment>) = (Vec::new(), Vec::new());
    let push = |v: &mut Vec<Segment>, text: &str, changed: bool| match v.last_mut() {
        Some(l) if l.changed == changed => l.text.push_str(text),
        _ => v.push(Segment {
            text: text.to_string(),
            changed,
        }),
    };
    for c in diff.iter_all_changes() {
        let t = c.value();
        match c.tag() {
            ChangeTag::Equal => {
                push(&mut n, t, false);
                push(&mut o, t, false);
            }
            ChangeTag::Insert => push(&mut n, t, true),
            ChangeTag::Delete => push(&mut o, t, true),
        }
    }
    (n, o)
}

fn plain(text: &str) -> Vec<Segment> {
    vec![Segment {
        text: text.to_string(),
        changed: false,
    }]
}

/// The sections of an item in both editions, matched by their headings, in the new edition's
/// order, removed ones after.
fn section_diffs(plans: (&Plan, &Plan), new: Option<&Version>, old: Option<&Version>, lang: Lang) -> Vec<SectionDiff> {
    let n = new.map(|v| sections_of(plans.0, v)).unwrap_or_default();
    let mut o = old.map(|v| sections_of(plans.1, v)).unwrap_or_default();
    let mut out = Vec::new();
    for (title, text) in n {
        let pos = o.iter().position(|(t, _)| *t == title);
        let diff = match pos.map(|p| o.remove(p)) {
            Some((_, old_text)) if old_text == text => SectionDiff {
                title,
                new: Some(plain(&text)),
                old: Some(plain(&old_text)),
                same: true,
            },
            Some((_, old_text)) => {
                let (a, b) = compare_text(&text, &old_text, lang);
                SectionDiff {
                    title,
                    new: Some(a),
                    old: Some(b),
                    same: false,
                }
            }
            None => SectionDiff {
                title,
                new: Some(vec![Segment { text, changed: true }]),
                old: None,
                same: false,
            },
        };
        out.push(diff);
    }
    out.extend(o.into_iter().map(|(title, text)| SectionDiff {
        title,
        new: None,
        old: Some(vec![Segment { text, changed: true }]),
        same: false,
    }));
    out
}

/// A target's fields as compared: (field, value) in a fixed order, years by their values.
fn fields(t: &Target, lang: Lang) -> Vec<(String, String)> {
    let mut f = vec![
        ("indicator".to_string(), t.indicator.get(lang).to_string()),
        ("unit".to_string(), t.unit.get(lang).to_string()),
        (
            "baseline".to_string(),
            format!("{} ({})", t.baseline.value, t.baseline.year.compact()),
        ),
        (
            "target".to_string(),
            format!("{} ({})", t.target.value, t.target.year.compact()),
        ),
    ];
    f.extend(t.actuals.iter().map(|a| (a.year.compact(), a.value.to_string())));
    f
}

/// The targets of an item that differ.
fn target_diffs(new: &Plan, old: &Plan, id: &str, lang: Lang) -> Vec<TargetDiff> {
    let mut out = Vec::new();
    let olds: Vec<&Target> = old.targets_of(id).collect();
    for t in new.targets_of(id) {
        let Some(o) = olds.iter().find(|o| o.id == t.id) else {
            out.push(TargetDiff {
                id: t.id.clone(),
                indicator: t.indicator.get(lang).to_string(),
                change: Change::Added,
                fields: Vec::new(),
            });
            continue;
        };
        let (a, b) = (fields(t, lang), fields(o, lang));
        let mut names: Vec<&String> = a.iter().map(|x| &x.0).collect();
        names.extend(b.iter().map(|x| &x.0).filter(|n| !a.iter().any(|x| &x.0 == *n)));
        let value = |list: &[(String, String)], n: &str| {
            list.iter().find(|x| x.0 == n).map(|x| x.1.clone()).unwrap_or_default()
        };
        let changed: Vec<FieldDiff> = names
            .into_iter()
            .filter(|n| value(&a, n) != value(&b, n))
            .map(|n| FieldDiff {
                field: n.clone(),
                new: value(&a, n),
                old: value(&b, n),
            })
            .collect();
        if !changed.is_empty() {
            out.push(TargetDiff {
                id: t.id.clone(),
                indicator: t.indicator.get(lang).to_string(),
                change: Change::Changed,
                fields: changed,
            });
        }
    }
    out.extend(olds.iter().filter(|o| new.target(&o.id).is_none()).map(|o| TargetDiff {
        id: o.id.clone(),
        indicator: o.indicator.get(lang).to_string(),
        change: Change::Removed,
        fields: Vec::new(),
    }));
    out
}

/// Compares one item of the new edition (or of the old, removed) with its earlier self.
fn item_diff(new_plan: &Plan, old_plan: &Plan, new: Option<&Item>, old: Option<&Item>, lang: Lang) -> Option<ItemDiff> {
    let any = new.or(old)?;
    let title = |i: Option<&Item>| i.map(|i| i.title(lang).to_string()).unwrap_or_default();
    let sections = section_diffs(
        (new_plan, old_plan),
        new.map(|i| i.version(lang).0),
        old.map(|i| i.version(lang).0),
        lang,
    );
    let targets = target_diffs(new_plan, old_plan, &any.id, lang);
    let label_new = new.map(|i| new_plan.label(i, lang));
    let label_old = old.map(|i| old_plan.label(i, lang));
    let moved_from = match (new, old) {
        (Some(n), Some(o)) if n.pillar != o.pillar || n.group != o.group || label_new != label_old => label_old.clone(),
        _ => None,
    };
    let (tn, to) = (title(new), title(old));
    let change = match (new, old) {
        (Some(_), None) => Change::Added,
        (None, Some(_)) => Change::Removed,
        _ if tn == to && moved_from.is_none() && targets.is_empty() && sections.iter().all(|s| s.same) => return None,
        _ => Change::Changed,
    };
    let titles = if new.is_some() && old.is_some() {
        compare_text(&tn, &to, lang)
    } else {
        (plain(&tn), plain(&to))
    };
    Some(ItemDiff {
        id: any.id.clone(),
        kind: any.kind,
        change,
        label: label_new.or(label_old).unwrap_or_default(),
        title: titles,
        moved_from,
        sections,
        targets,
    })
}

/// Compares the plan with an earlier edition of it, in a language.
pub fn compare(new: &Plan, old: &Plan, old_name: &str, lang: Lang) -> Revision {
    let mut items: Vec<ItemDiff> = new
        .items
        .iter()
        .filter_map(|n| {
            let o = old.item(&n.id).filter(|o| o.kind == n.kind);
            item_diff(new, old, Some(n), o, lang)
        })
        .collect();
    items.extend(
        old.items
            .iter()
            .filter(|o| new.item(&o.id).is_none_or(|n| n.kind != o.kind))
            .filter_map(|o| item_diff(new, old, None, Some(o), lang)),
    );
    Revision {
        old_name: old_name.to_string(),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_is_compared_character_by_character() {
        let (n, o) = compare_text("保育所を3か所整備します。", "保育所を2か所整備します。", Lang::Ja);
        assert_eq!(
            n,
            vec![
                Segment {
                    text: "保育所を".into(),
                    changed: false
                },
                Segment {
                    text: "3".into(),
                    changed: true
                },
                Segment {
                    text: "か所整備します。".into(),
                    changed: false
                },
            ]
        );
        assert_eq!(
            o[1],
            Segment {
                text: "2".into(),
                changed: true
            }
        );
    }

    #[test]
    fn english_is_compared_word_by_word() {
        let (n, _) = compare_text("We build three nurseries.", "We build two nurseries.", Lang::En);
        assert!(n.iter().any(|s| s.changed && s.text == "three"), "{n:?}");
    }
}
