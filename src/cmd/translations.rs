//! `keikaku translations`: which English files are missing, stale or unverified, with what
//! changed in the Japanese text since; or marks translations as current.

use std::path::Path;

use keikaku::diag;
use keikaku::load::history::History;
use keikaku::model::{Item, TranslationStatus as T};
use keikaku::timings::Timings;

/// Lists the translations to look at, or marks `mark_current` as current.
pub fn run(content: &Path, mark_current: Option<Vec<String>>) -> anyhow::Result<u8> {
    let c = keikaku::check(content, &Timings::default())?;
    let Some(plan) = &c.plan else {
        diag::emit_stderr(&c.sources, &c.diags);
        eprintln!("error: fix the errors above first");
        return Ok(1);
    };
    if let Some(ids) = mark_current {
        let changed = keikaku::translations::mark_current(content, plan, &c.sources, &ids)?;
        for f in &changed {
            println!("marked current: {f}");
        }
        if changed.is_empty() {
            println!("nothing to mark: the translations are already current");
        }
        return Ok(0);
    }
    let statuses = keikaku::translations::statuses(plan, &c.sources);
    let stale: Vec<&Item> = statuses
        .iter()
        .filter(|s| s.status == T::Stale)
        .filter_map(|s| plan.item(&s.id))
        .collect();
    let history = History::read(content);
    let infos = keikaku::translations::stale_info(&history, &c.sources, &stale, Some(content));
    let mut infos = stale
        .iter()
        .map(|i| i.id.as_str())
        .zip(infos)
        .collect::<std::collections::HashMap<_, _>>();
    let mut todo = 0;
    for s in statuses {
        let what = match s.status {
            T::Current => continue,
            T::Missing => format!("missing      {} (no English file)", s.source),
            T::Stale => stale_text(s.translation.unwrap_or_default(), infos.remove(s.id.as_str())),
            T::Unverified => format!(
                "unverified   {} (no translated_from recorded)",
                s.translation.unwrap_or_default()
            ),
        };
        todo += 1;
        println!("{what}");
    }
    println!("{todo} translation{} to look at", super::plural(todo));
    Ok(0)
}

/// What to say of a stale translation: when its source changed and what changed since.
fn stale_text(file: String, info: Option<keikaku::translations::StaleInfo>) -> String {
    let info = info.unwrap_or_default();
    let mut out = format!("stale        {file} (the Japanese text changed since it was translated)");
    if let Some(d) = &info.changed_on {
        out.push_str(&format!("\n             the Japanese text was changed on {d}"));
    }
    match (&info.translated_from, &info.diff) {
        (Some((commit, date)), Some(diff)) => {
            out.push_str(&format!(
                "\n             translated from the version of {date} ({}); changes since:\n",
                &commit[..commit.len().min(8)]
            ));
            for line in diff.lines().skip_while(|l| !l.starts_with("@@")) {
                out.push_str(&format!("             {line}\n"));
            }
        }
        _ => out.push_str(
            "\n             (the version it was translated from is not in git history, so the changes cannot be shown)",
        ),
    }
    out
}
