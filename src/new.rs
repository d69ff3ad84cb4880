//! On top of the pipeline: `keikaku new` creates the Japanese and English files of a new
//! item with the front-matter it needs (and, for a measure, its four sections), numbered
//! after the existing ones. It refuses an id that is already used.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::load::valid_id;

/// The kinds of item `keikaku new` can create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    /// 施策 (needs `--pillar`).
    Measure,
    /// まちづくりの柱.
    Pillar,
    /// 地域.
    District,
    /// 策定方針の章.
    Chapter,
}

fn existing_ids(content: &Path) -> Vec<String> {
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".ja.md")
                .or_else(|| name.strip_suffix(".en.md"))
                .map(str::to_string)
        })
        .collect()
}

/// The highest `number:` in the Japanese files of `dir` (optionally only those with
/// `pillar: <pillar>`).
fn highest_number(dir: &Path, pillar: Option<&str>) -> u32 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".ja.md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter(|t| pillar.is_none_or(|p| t.lines().any(|l| l.trim() == format!("pillar: {p}"))))
        .filter_map(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("number:").and_then(|n| n.trim().parse::<u32>().ok()))
        })
        .max()
        .unwrap_or(0)
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Creates the files of a new item; returns their paths.
/// Long on purpose: one arm per kind of item, each with its own front-matter in both
/// languages.
pub fn create(
    content: &Path,
    kind: NewKind,
    id: &str,
    pillar: Option<&str>,
    title: Option<&str>,
) -> Result<Vec<PathBuf>> {
    if !content.join(crate::load::CONFIG_FILE).is_file() {
        bail!(
            "{} is not a content folder (it has no {})",
            content.display(),
            crate::load::CONFIG_FILE
        );
    }
    if !valid_id(id) {
        bail!("`{id}` cannot be an id: use lower-case letters a–z, digits and hyphens, e.g. kosodate-5");
    }
    if existing_ids(content).iter().any(|e| e == id) {
        bail!("the id `{id}` is already used; choose another one");
    }
    if let Some(t) = title.filter(|t| t.chars().any(char::is_control) || t.trim().is_empty()) {
        bail!("the title {t:?} is empty or has a line break or another control character: give a title on one line");
    }
    let (dir, number, ja_front, en_front, ja_body, en_body) = match kind {
        NewKind::Measure => {
            let Some(p) = pillar else {
                bail!("a new measure needs its pillar: add --pillar <pillar id>")
            };
            if !existing_ids(&content.join("pillars")).iter().any(|e| e == p) {
                bail!("there is no pillar `{p}` in {}", content.join("pillars").display());
            }
            let dir = content.join("measures").join(p);
            let n = highest_number(&content.join("measures"), Some(p)) + 1;
            (
                dir,
                n,
                format!("pillar: {p}\nnumber: {n}\ndepartment: （担当の部・課）\nsdgs: []\nsummary: （この施策を一文で）\n"),
                "department: (responsible division)\nsummary: (the measure in one sentence)\n".to_string(),
                "## 現状と課題\n\n（現状と課題を書きます。）\n\n## 方針（目的）\n\n（方針を書きます。）\n\n## 具体的目標・目標値\n\n（目標を書きます。目標値は data/targets/ の CSV に、owner をこの施策の id にして加えます。）\n\n## SDGsの推進に向けた取り組み\n\n（SDGsへの貢献を書きます。）\n".to_string(),
                "## Current situation and issues\n\n(Current situation and issues.)\n\n## Policy (purpose)\n\n(Policy.)\n\n## Specific goals and targets\n\n(Goals; the target values go in data/targets/*.csv.)\n\n## Action on the SDGs\n\n(Contribution to the SDGs.)\n".to_string(),
            )
        }
        NewKind::Pillar => {
            let n = highest_number(&content.join("pillars"), None) + 1;
            (
                content.join("pillars"),
                n,
                format!("short: （政策分野の名前）\nnumber: {n}\nsummary: （この柱を一文で）\n"),
                "short: (policy field)\nsummary: (the pillar in one sentence)\n".into(),
                "（この柱の基本方針を書きます。）\n".into(),
                "(The pillar's basic policy.)\n".into(),
            )
        }
        NewKind::District => {
            let n = highest_number(&content.join("districts"), None) + 1;
            (
                content.join("districts"),
                n,
                format!("number: {n}\ncatchphrase: （めざす地域の姿）\nsummary: （この地域を一文で）\n"),
                "catchphrase: (the district's vision)\nsummary: (the district in one sentence)\n".into(),
                "（地域の特徴と、めざす姿を書きます。）\n".into(),
                "(The district and what it aims to become.)\n".into(),
            )
        }
        NewKind::Chapter => {
            let n = highest_number(&content.join("chapters"), None) + 1;
            (
                content.join("chapters"),
                n,
                format!("number: {n}\nsummary: （この章を一文で）\n"),
                "summary: (the chapter in one sentence)\n".into(),
                "（本文を書きます。）\n".into(),
                "(Text.)\n".into(),
            )
        }
    };
    let _ = number;
    std::fs::create_dir_all(&dir)?;
    let ja_title = title.map(quote).unwrap_or_else(|| "（題名）".into());
    let ja = dir.join(format!("{id}.ja.md"));
    let en = dir.join(format!("{id}.en.md"));
    std::fs::write(&ja, format!("---\ntitle: {ja_title}\n{ja_front}---\n{ja_body}"))?;
    std::fs::write(&en, format!("---\ntitle: (title in English)\n{en_front}---\n{en_body}"))?;
    Ok(vec![ja, en])
}
