//! On top of the pipeline: `keikaku new` creates the Japanese and English files of a new
//! item with the front-matter it needs (and, for a measure, the sections the plan declares),
//! numbered after the existing ones. It refuses to overwrite anything.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::load::valid_id;
use crate::model::Lang;
use crate::model::terms::SectionSpec;

/// The kinds of item `keikaku new` can create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    /// 施策 (needs `--pillar`, or `--group` in a plan with a middle level).
    Measure,
    /// The first level (柱・基本目標).
    Pillar,
    /// The middle level (政策; needs `--pillar`).
    Group,
    /// 地域.
    District,
    /// A chapter about the plan.
    Chapter,
    /// 総合戦略の基本目標.
    Strategy,
    /// A pledge (公約).
    Pledge,
}

/// Where a new item goes: its kind, id, parent (pillar or group) and Japanese title.
pub struct NewItem<'a> {
    /// What to create.
    pub kind: NewKind,
    /// Its id.
    pub id: &'a str,
    /// For a measure or group: its pillar (`--pillar`).
    pub pillar: Option<&'a str>,
    /// For a measure in a plan with a middle level: its group (`--group`).
    pub group: Option<&'a str>,
    /// The Japanese title.
    pub title: Option<&'a str>,
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

/// The highest `number:` in the Japanese files of `dir` (optionally only those whose
/// front-matter has the line `parent`, e.g. `pillar: kosodate`).
fn highest_number(dir: &Path, parent: Option<&str>) -> u32 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".ja.md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter(|t| parent.is_none_or(|p| t.lines().any(|l| l.trim() == p)))
        .filter_map(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("number:").and_then(|n| n.trim().parse::<u32>().ok()))
        })
        .max()
        .unwrap_or(0)
}

/// A YAML string in double quotes.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Reads the plan's configuration, for its shape (middle level, measure sections).
fn read_config(content: &Path) -> Result<Config> {
    let path = content.join(crate::load::CONFIG_FILE);
    if !path.is_file() {
        bail!(
            "{} is not a content folder (it has no {})",
            content.display(),
            crate::load::CONFIG_FILE
        );
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_saphyr::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{} cannot be read ({e}); run `keikaku check` to see where",
            path.display()
        )
    })
}

/// The body of a new measure: the sections the plan declares, each with a line to replace;
/// the targets section links `target` when the measure already has one.
pub fn measure_body(sections: &[SectionSpec], lang: Lang, target: Option<&str>) -> String {
    let mut out = String::new();
    for s in sections {
        let line = match (lang, s.targets, target) {
            (Lang::Ja, true, Some(t)) => {
                format!("[（指標の名前）](target:{t})を目標とします。目標値は data/targets/ の CSV にあります。")
            }
            (Lang::Ja, true, None) => {
                "（目標を書きます。目標値は data/targets/ の CSV に、owner をこの施策の id にして加えます。）".into()
            }
            (Lang::En, true, Some(t)) => {
                format!("We aim at the [indicator](target:{t}); its values are in data/targets/.")
            }
            (Lang::En, true, None) => {
                "(The goals; the target values go in data/targets/*.csv with this measure's id as owner.)".into()
            }
            (Lang::Ja, false, _) => "（ここに本文を書きます。）".into(),
            (Lang::En, false, _) => "(Text.)".into(),
        };
        out.push_str(&format!("\n## {}\n\n{line}\n", s.heading(lang)));
    }
    out
}

/// The folder, Japanese front-matter and body, English front-matter and body of a new item.
type Shape = (PathBuf, String, String, String, String);

/// Where a new item goes and what its two files hold: one arm per kind of item, each with its
/// own front-matter in both languages.
fn shape(content: &Path, config: &Config, new: &NewItem<'_>) -> Result<Shape> {
    let n = |folder: &str| next_number(content, folder, None);
    Ok(match new.kind {
        NewKind::Measure => measure_shape(content, config, new)?,
        NewKind::Group => group_shape(content, config, new)?,
        NewKind::Pillar => (
            content.join("pillars"),
            format!(
                "short: （分野の短い名前）\nnumber: {}\nsummary: （一文で）\n",
                n("pillars")
            ),
            "\n（基本方針を書きます。）\n".into(),
            "short: (short name of the field)\nsummary: (in one sentence)\n".into(),
            "\n(The basic policy.)\n".into(),
        ),
        NewKind::District => (
            content.join("districts"),
            format!(
                "number: {}\ncatchphrase: （めざす姿）\nsummary: （この地域を一文で）\n",
                n("districts")
            ),
            "\n（地域の特徴と、めざす姿を書きます。）\n".into(),
            "catchphrase: (the district's vision)\nsummary: (the district in one sentence)\n".into(),
            "\n(The district and what it aims to become.)\n".into(),
        ),
        NewKind::Chapter => (
            content.join("chapters"),
            format!("number: {}\nsummary: （この章を一文で）\n", n("chapters")),
            "\n（本文を書きます。）\n".into(),
            "summary: (the chapter in one sentence)\n".into(),
            "\n(Text.)\n".into(),
        ),
        NewKind::Strategy => (
            content.join("strategy"),
            format!(
                "number: {}\nmeasures: []\nsummary: （この基本目標を一文で）\n",
                n("strategy")
            ),
            "\n（基本的方向を書き、構成する施策の id を measures に並べます。）\n".into(),
            "summary: (the goal in one sentence)\n".into(),
            "\n(The goal's direction; its measures are listed in the Japanese file.)\n".into(),
        ),
        NewKind::Pledge => (
            content.join("pledges"),
            format!(
                "number: {}\nmeasures: []\nsummary: （この公約を一文で）\n",
                n("pledges")
            ),
            "\n（公約の内容を書き、担う施策の id を measures に並べます。）\n".into(),
            "summary: (the pledge in one sentence)\n".into(),
            "\n(The pledge; the measures that carry it are listed in the Japanese file.)\n".into(),
        ),
    })
}

/// The parent a new `kind` names (its `field`, an item of `folder`), checked to be given (with
/// the command-line `option` that gives it) and to exist.
fn parent_of<'a>(
    content: &Path,
    kind: &str,
    field: &str,
    folder: &str,
    parent: Option<&'a str>,
    option: &str,
) -> Result<&'a str> {
    let Some(p) = parent else {
        bail!("a new {kind} needs its {field}: add {option}")
    };
    if !existing_ids(&content.join(folder)).iter().any(|e| e == p) {
        bail!("there is no {field} `{p}` in {}", content.join(folder).display());
    }
    Ok(p)
}

/// The number after the highest of `folder`'s items (of those under `parent`, a front-matter
/// line such as `pillar: kosodate`, when given).
fn next_number(content: &Path, folder: &str, parent: Option<&str>) -> u32 {
    highest_number(&content.join(folder), parent) + 1
}

/// A new measure, under its group in a plan with a middle level, else under its pillar.
fn measure_shape(content: &Path, config: &Config, new: &NewItem<'_>) -> Result<Shape> {
    let (field, folder, parent, option) = if config.middle_level {
        (
            "group",
            "groups",
            new.group,
            "--group <group id> (this plan has a middle level)",
        )
    } else {
        ("pillar", "pillars", new.pillar, "--pillar <pillar id>")
    };
    let p = parent_of(content, "measure", field, folder, parent, option)?;
    let n = next_number(content, "measures", Some(&format!("{field}: {p}")));
    Ok((
        content.join("measures").join(p),
        format!("{field}: {p}\nnumber: {n}\ndepartment: （担当課）\nsdgs: []\nsummary: （この施策を一文で）\n"),
        measure_body(&config.sections(), Lang::Ja, None),
        "department: (responsible division)\nsummary: (the measure in one sentence)\n".into(),
        measure_body(&config.sections(), Lang::En, None),
    ))
}

/// A new group of the middle level, under its pillar.
fn group_shape(content: &Path, config: &Config, new: &NewItem<'_>) -> Result<Shape> {
    if !config.middle_level {
        bail!("this plan has no middle level: set `middle_level: true` in keikaku.yaml first");
    }
    let p = parent_of(
        content,
        "group",
        "pillar",
        "pillars",
        new.pillar,
        "--pillar <pillar id>",
    )?;
    let n = next_number(content, "groups", Some(&format!("pillar: {p}")));
    Ok((
        content.join("groups"),
        format!("pillar: {p}\nnumber: {n}\nsummary: （この政策を一文で）\n"),
        "\n（この政策の方針を書きます。）\n".into(),
        "summary: (the policy in one sentence)\n".into(),
        "\n(The policy's direction.)\n".into(),
    ))
}

/// Creates the files of a new item; returns their paths.
pub fn create(content: &Path, new: &NewItem<'_>) -> Result<Vec<PathBuf>> {
    let config = read_config(content)?;
    let id = new.id;
    if !valid_id(id) {
        bail!("`{id}` cannot be an id: use lower-case letters a–z, digits and hyphens, e.g. kosodate-5");
    }
    if existing_ids(content).iter().any(|e| e == id) {
        bail!("the id `{id}` is already used; choose another one");
    }
    if let Some(t) = new
        .title
        .filter(|t| t.chars().any(char::is_control) || t.trim().is_empty())
    {
        bail!("the title {t:?} is empty or has a line break or another control character: give a title on one line");
    }
    let (dir, ja_front, ja_body, en_front, en_body) = shape(content, &config, new)?;
    std::fs::create_dir_all(&dir)?;
    let ja_title = new.title.map(quote).unwrap_or_else(|| "（題名）".into());
    let ja = dir.join(format!("{id}.ja.md"));
    let en = dir.join(format!("{id}.en.md"));
    std::fs::write(&ja, format!("---\ntitle: {ja_title}\n{ja_front}---\n{ja_body}"))?;
    std::fs::write(&en, format!("---\ntitle: (title in English)\n{en_front}---\n{en_body}"))?;
    Ok(vec![ja, en])
}
