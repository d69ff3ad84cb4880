//! `keikaku compare OLD`: a quick 新旧対照表 in the terminal — the content compared with an
//! earlier edition (a folder or `git:<revision>`): the counts of items added, changed and
//! removed, then each changed section with its changed runs in 【】 (new) and 〔〕 (old).

use std::path::Path;

use keikaku::diag;
use keikaku::model::Lang;
use keikaku::model::revision::{Change, Segment};
use keikaku::timings::Timings;

fn marked(segments: &[Segment], open: &str, close: &str) -> String {
    segments
        .iter()
        .map(|s| {
            if s.changed {
                format!("{open}{}{close}", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect::<String>()
        .replace('\n', " ")
}

/// Prints the comparison of `content` with the edition `old`.
pub fn run(content: &Path, old: &str, english: bool) -> anyhow::Result<u8> {
    let c = keikaku::check(content, &Timings::default())?;
    let (errors, _) = c.diags.counts();
    let Some(plan) = c.plan.as_ref().filter(|_| errors == 0) else {
        diag::emit_stderr(&c.sources, &c.diags);
        eprintln!(
            "nothing compared: {} has {errors} error{}",
            content.display(),
            super::plural(errors)
        );
        return Ok(1);
    };
    let [ja, en] = keikaku::earlier::compare(plan, content, old, Path::new("."))?;
    let (rev, lang) = if english { (en, Lang::En) } else { (ja, Lang::Ja) };
    let (a, ch, r) = rev.counts();
    println!(
        "{old} ({}) → {}: {a} added (新設), {ch} changed (変更), {r} removed (削除)",
        rev.old_name,
        content.display()
    );
    for i in &rev.items {
        let what = match i.change {
            Change::Added => "新設",
            Change::Changed => "変更",
            Change::Removed => "削除",
        };
        let title = if i.change == Change::Removed {
            &i.title.1
        } else {
            &i.title.0
        };
        println!("\n[{what}] {} {}", i.label, marked(title, "【", "】"));
        if let Some(from) = &i.moved_from {
            println!("  moved from {from}");
        }
        for s in i.sections.iter().filter(|s| !s.same && i.change == Change::Changed) {
            let name = s.title.clone().unwrap_or_else(|| {
                if lang == Lang::Ja {
                    "前文".into()
                } else {
                    "Introduction".into()
                }
            });
            println!("  {name}");
            if let Some(n) = &s.new {
                println!("    新: {}", marked(n, "【", "】"));
            }
            if let Some(o) = &s.old {
                println!("    旧: {}", marked(o, "〔", "〕"));
            }
        }
        for t in &i.targets {
            for f in &t.fields {
                println!("  {} {}: {} (旧 {})", t.indicator, f.field, f.new, f.old);
            }
            if t.change != Change::Changed {
                println!(
                    "  {} ({})",
                    t.indicator,
                    if t.change == Change::Added { "新設" } else { "削除" }
                );
            }
        }
    }
    Ok(0)
}
