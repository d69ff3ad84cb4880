//! The earlier edition a revision is compared with (新旧対照表): another content folder, or
//! the content folder as it was at a git revision (`git:v2023`, `git:HEAD~5`), read out of
//! the repository with `git archive` into a temporary folder, then loaded and resolved like
//! any content.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::model::{Lang, Plan};
use crate::resolve::revision;

/// Reads the earlier edition named by `spec` (`git:<revision>` or a folder, relative to
/// `base`) and compares `plan` with it, in both languages. The earlier edition must have no
/// errors.
pub fn compare(plan: &Plan, content: &Path, spec: &str, base: &Path) -> Result<[revision::Revision; 2]> {
    let tmp = tempfile::tempdir().context("making a temporary folder for the earlier edition")?;
    let folder = match spec.strip_prefix("git:") {
        Some(rev) => from_git(content, rev.trim(), tmp.path())?,
        None => base.join(spec),
    };
    let checked = crate::check(&folder, &crate::timings::Timings::default())?;
    let (errors, _) = checked.diags.counts();
    let Some(old) = checked.plan.filter(|_| errors == 0) else {
        bail!(
            "the earlier edition {spec} has {errors} error{}: check it with `keikaku check --content {}` (for a git revision, check out that revision), or compare with another edition",
            if errors == 1 { "" } else { "s" },
            folder.display()
        );
    };
    // The earlier edition is named as readers know it: its title (and whether it was a
    // draft), with where it was read from.
    let t = crate::theme::Theme::builtin();
    Ok(Lang::ALL.map(|lang| {
        let draft = if old.config.draft {
            t.strings(lang).get("draft_suffix")
        } else {
            ""
        };
        let name = format!("{}{draft}", old.config.title.get(lang));
        revision::compare(plan, &old, &name, lang)
    }))
}

/// Writes the content folder as it was at `rev` into `into`; returns its path there.
fn from_git(content: &Path, rev: &str, into: &Path) -> Result<PathBuf> {
    let git_in = |dir: &Path, args: &[&str]| -> Result<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .context("running git (is it installed?)")?;
        if !out.status.success() {
            bail!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let prefix =
        git_in(content, &["rev-parse", "--show-prefix"]).context("the content folder is not in a git repository")?;
    let top = PathBuf::from(git_in(content, &["rev-parse", "--show-toplevel"])?);
    let archive = into.join("earlier.tar");
    let archive_s = archive.to_string_lossy().into_owned();
    let mut args = vec!["archive", "--format=tar", "-o", archive_s.as_str(), rev];
    if !prefix.is_empty() {
        args.push(prefix.as_str());
    }
    git_in(&top, &args).with_context(|| format!("reading the content folder at the git revision `{rev}`"))?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(into)
        .status()
        .context("running tar")?;
    if !status.success() {
        bail!("tar could not unpack the earlier edition");
    }
    Ok(into.join(prefix))
}
