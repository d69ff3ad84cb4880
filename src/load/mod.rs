//! Load stage: walks the content folder, reads every file (UTF-8, with a clear error for
//! anything else; CSV may also be Shift_JIS as Excel writes it in Japan), splits page files
//! into front-matter and Markdown, and reads the data tables. Nothing is cross-checked here;
//! that is the resolve stage's job.

pub mod frontmatter;
pub mod history;
pub mod markdown;
pub mod tables;
pub mod yaml;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::model::{Body, Kind, Lang, Periods, Schedule, Tables, Target};
use frontmatter::FrontMatter;

/// The name of the configuration file at the top of the content folder.
pub const CONFIG_FILE: &str = "keikaku.yaml";

/// A page file as read: its place, kind, id, language, front-matter and parsed body.
pub struct Document {
    /// The file.
    pub file: FileId,
    /// Kind, from the folder.
    pub kind: Kind,
    /// Id, from the file name.
    pub id: String,
    /// Language, from the file name.
    pub lang: Lang,
    /// Front-matter fields.
    pub front: FrontMatter,
    /// Byte offset of the front-matter YAML in the file.
    pub yaml_start: usize,
    /// The Markdown source of the body.
    pub body_source: String,
    /// The parsed body.
    pub body: Body,
    /// Whether the file had errors (its front-matter could not be read); it still counts as
    /// existing, so references to it do not add follow-on errors.
    pub broken: bool,
}

/// Everything read from a content folder.
#[derive(Default)]
pub struct Loaded {
    /// Site configuration, if it could be read.
    pub config: Option<Config>,
    /// Page files.
    pub documents: Vec<Document>,
    /// Targets from all CSV files.
    pub targets: Vec<Target>,
    /// Data tables.
    pub tables: Tables,
    /// Target ids from rows that had errors (they still count as existing).
    pub broken_targets: Vec<String>,
    /// Files copied unchanged to the output (`static/`): (path in content, path in output).
    pub static_files: Vec<(PathBuf, PathBuf)>,
}

/// Reads a file's bytes as text. Invalid UTF-8 is a diagnostic; CSV files may be Shift_JIS.
fn read_text(root: &Path, rel: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Result<Option<FileId>> {
    let full = root.join(rel);
    let bytes = match std::fs::read(&full) {
        Ok(b) => b,
        Err(e) => {
            let id = sources.add(rel, String::new());
            diags.push(
                Diagnostic::error("unreadable-file", format!("the file cannot be read: {e}"))
                    .at(id, 0..0, "here")
                    .hint("check that the file exists and that you may read it (permissions, a sync tool still writing it)"),
            );
            return Ok(None);
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Some(sources.add(rel, s.to_string()))),
        Err(e) => {
            let is_csv = rel.extension().is_some_and(|x| x == "csv");
            if is_csv {
                let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
                if !had_errors {
                    return Ok(Some(sources.add(rel, text.into_owned())));
                }
            }
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let valid = e.valid_up_to();
            let id = sources.add(rel, lossy);
            let start = String::from_utf8_lossy(&bytes[..valid]).len();
            let end = sources.text(id)[start..]
                .chars()
                .next()
                .map(|c| start + c.len_utf8())
                .unwrap_or(start);
            diags.push(
                Diagnostic::error("invalid-utf8", "the file is not valid UTF-8 text")
                    .at(id, start..end, "this byte is not UTF-8")
                    .hint(if is_csv {
                        "save the file as \"CSV UTF-8\" (or Shift_JIS) in Excel"
                    } else {
                        "save the file with the encoding UTF-8 (in most editors: File > Save with encoding > UTF-8)"
                    }),
            );
            Ok(None)
        }
    }
}

/// Reads a content folder. I/O failures of the folder itself are application errors;
/// problems with individual files are diagnostics.
pub fn load(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Result<Loaded> {
    if !root.is_dir() {
        anyhow::bail!(
            "the content folder {} does not exist or is not a folder",
            root.display()
        );
    }
    let mut loaded = Loaded::default();
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = entry.with_context(|| format!("reading the content folder {}", root.display()))?;
        // A link is read through; a broken one is reported as unreadable.
        if entry.file_type().is_file() || entry.path_is_symlink() && !entry.path().is_dir() {
            // walkdir yields paths under root.
            paths.push(entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf());
        }
    }
    let mut config_seen = false;
    for rel in paths {
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let ext = rel
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match (parts.first().map(String::as_str), parts.len()) {
            (Some(CONFIG_FILE), 1) => {
                config_seen = true;
                if let Some(f) = read_text(root, &rel, sources, diags)? {
                    loaded.config = tables::read_yaml_table::<Config>(sources, f, "site configuration", diags);
                }
            }
            (Some("static"), _) => {
                let out: PathBuf = parts[1..].iter().collect();
                loaded.static_files.push((rel.clone(), out));
            }
            (Some("data"), _) => load_data(root, &rel, &parts, &ext, sources, diags, &mut loaded)?,
            (Some(folder), n) if n >= 2 && ext == "md" => {
                match Kind::from_folder(folder) {
                    Some(kind) => {
                        if let Some(doc) = load_page(root, &rel, kind, sources, diags)? {
                            loaded.documents.push(doc);
                        }
                    }
                    None => {
                        let id = sources.add(&rel, String::new());
                        let folders: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
                        let mut d =
                            Diagnostic::error("unknown-folder", format!("`{folder}` is not a folder keikaku knows"))
                                .at(id, 0..0, "this file is not used");
                        d = match did_you_mean(folder, folders.iter().copied()) {
                            Some(s) => d.hint(format!("did you mean the folder `{s}`?")),
                            None => d.hint(format!("page files go in one of: {}", folders.join(", "))),
                        };
                        diags.push(d);
                    }
                }
            }
            _ => {
                if ext == "md" || ext == "yaml" || ext == "yml" || ext == "csv" {
                    let id = sources.add(&rel, String::new());
                    diags.push(
                        Diagnostic::warning("ignored-file", "this file is not in a place keikaku reads, so it is ignored")
                            .at(id, 0..0, "ignored")
                            .hint("pages go in a kind folder (measures/, pillars/ …), tables in data/, images and other files to publish in static/"),
                    );
                }
            }
        }
    }
    if !config_seen {
        diags.push(
            Diagnostic::error("missing-config", format!("the content folder has no {CONFIG_FILE}"))
                .hint(format!("create {CONFIG_FILE} at the top of the content folder with city, title, base_url, plan_period and strategy_period (see docs/editing.ja.md)")),
        );
    }
    Ok(loaded)
}

fn load_data(
    root: &Path,
    rel: &Path,
    parts: &[String],
    ext: &str,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    loaded: &mut Loaded,
) -> Result<()> {
    let name = parts[1..].join("/");
    let Some(file) = read_text(root, rel, sources, diags)? else {
        return Ok(());
    };
    match (name.as_str(), ext) {
        (n, "csv") if n.starts_with("targets/") => {
            let (ok, broken) = tables::read_targets(sources, file, diags);
            loaded.targets.extend(ok);
            loaded.broken_targets.extend(broken);
        }
        ("periods.yaml", _) => {
            loaded.tables.files[0] = Some(file);
            loaded.tables.periods = tables::read_yaml_table::<Periods>(sources, file, "plan periods table", diags)
        }
        ("bodies.yaml", _) => {
            loaded.tables.files[1] = Some(file);
            loaded.tables.bodies = tables::read_yaml_table(sources, file, "formulation bodies table", diags)
        }
        ("schedule.yaml", _) => {
            loaded.tables.files[2] = Some(file);
            loaded.tables.schedule = tables::read_yaml_table::<Schedule>(sources, file, "schedule table", diags)
        }
        _ => diags.push(
            Diagnostic::warning("ignored-file", "keikaku does not know this data file, so it is ignored")
                .at(file, 0..0, "ignored")
                .hint("data files are targets/*.csv, periods.yaml, bodies.yaml and schedule.yaml"),
        ),
    }
    Ok(())
}

/// Splits `kosodate-1.ja.md` into (`kosodate-1`, `ja`).
fn id_and_lang(file_name: &str) -> Option<(&str, &str)> {
    let stem = file_name.strip_suffix(".md")?;
    let (id, lang) = stem.rsplit_once('.')?;
    Some((id, lang))
}

/// Whether an id is made of lower-case ASCII letters, digits and hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn load_page(
    root: &Path,
    rel: &Path,
    kind: Kind,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<Document>> {
    let Some(file) = read_text(root, rel, sources, diags)? else {
        return Ok(None);
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = id_and_lang(&name).and_then(|(id, l)| Lang::from_code(l).map(|l| (id.to_string(), l)));
    let Some((id, lang)) = parsed else {
        diags.push(
            Diagnostic::error("bad-file-name", format!("`{name}` does not say its language"))
                .at(file, 0..0, "file name")
                .hint(format!(
                    "name page files <id>.ja.md (Japanese) and <id>.en.md (English), e.g. {}.ja.md",
                    name.trim_end_matches(".md")
                )),
        );
        return Ok(None);
    };
    if !valid_id(&id) {
        diags.push(
            Diagnostic::error("bad-id", format!("`{id}` cannot be an id"))
                .at(file, 0..0, "file name")
                .hint(
                    "ids (the file name before .ja.md) use lower-case letters a–z, digits and hyphens, e.g. kosodate-1",
                ),
        );
        return Ok(None);
    }
    let text = sources.text(file).to_string();
    let broken_doc = |id: String| Document {
        file,
        kind,
        id,
        lang,
        front: FrontMatter::default(),
        yaml_start: 0,
        body_source: String::new(),
        body: Body::default(),
        broken: true,
    };
    let Some(split) = frontmatter::split(&text, file, diags) else {
        return Ok(Some(broken_doc(id)));
    };
    let Some(front) = frontmatter::parse(sources, file, &split, diags) else {
        return Ok(Some(broken_doc(id)));
    };
    frontmatter::check_fields(sources, file, split.yaml_start, kind, lang, &front, diags);
    let body = markdown::parse(split.body, split.body_start);
    Ok(Some(Document {
        file,
        kind,
        id,
        lang,
        front,
        yaml_start: split.yaml_start,
        body_source: split.body.to_string(),
        body,
        broken: false,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_file_names_give_id_and_language() {
        assert_eq!(id_and_lang("kosodate-1.ja.md"), Some(("kosodate-1", "ja")));
        assert_eq!(id_and_lang("kosodate-1.md"), None);
        assert!(valid_id("kosodate-1"));
        assert!(!valid_id("Kosodate"));
        assert!(!valid_id("子育て"));
    }
}
