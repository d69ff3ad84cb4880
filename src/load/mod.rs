//! Load stage: walks the content folder, reads every file (UTF-8, with a clear error for
//! anything else; CSV may also be Shift_JIS as Excel writes it in Japan), splits page files
//! into front-matter and Markdown, and reads the data tables. Nothing is cross-checked here;
//! that is the resolve stage's job.

pub mod comments;
mod data;
pub mod frontmatter;
pub mod history;
pub mod markdown;
mod plain;
pub mod projects;
pub mod reports;
pub mod tables;
mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, FileId, SourceFile, Sources, did_you_mean};
use crate::model::{Body, Kind, Lang, Tables, Target};
use data::DataOutcome;
use frontmatter::FrontMatter;
pub use walk::{is_editor_scratch, is_hidden};
use walk::{refused, walk};

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
    /// The body: its text, and what the checks look for in it.
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
    /// Page files, each in a box of its own: a document is over a kilobyte, and the
    /// resolve stage pairs and reorders them.
    pub documents: Vec<Box<Document>>,
    /// Targets from all CSV files.
    pub targets: Vec<Target>,
    /// Data tables.
    pub tables: Tables,
    /// Target ids from rows that had errors (they still count as existing).
    pub broken_targets: Vec<String>,
    /// Ids of page files that could not be read or decoded (they still count as existing).
    pub unreadable_pages: Vec<String>,
    /// Introductions of index pages (`intros/`).
    pub intros: Vec<crate::model::Intro>,
    /// Files copied unchanged to the output (`static/`): (path in content, path in output).
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// The header of each targets file, in file order (for `keikaku export`).
    pub target_tables: Vec<crate::model::SourceTable>,
    /// The editions of the implementation plan that could be read, in year order.
    pub editions: Vec<crate::model::projects::Edition>,
    /// The texts of the yearly progress reports.
    pub report_files: Vec<reports::ReportFile>,
    /// The public comments and the city's answers.
    pub comments: Vec<crate::model::comments::Comment>,
    /// The comments table as read (for `keikaku export`).
    pub comment_table: Option<crate::model::SourceTable>,
}

/// Why a file's bytes could not be read as text.
enum Undecoded {
    /// The file could not be read.
    Unreadable(std::io::Error),
    /// Not valid text: the lossy text and where the first bad byte is.
    Invalid { lossy: String, start: usize },
}

/// Reads a file's bytes as text (UTF-8; CSV files may be Shift_JIS).
fn decode(root: &Path, rel: &Path) -> Result<String, Undecoded> {
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => return Err(Undecoded::Unreadable(e)),
    };
    // Without a byte-order mark the bytes become the text as they are (no copy).
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let (bytes, e) = match String::from_utf8(bytes) {
        Ok(s) => return Ok(s),
        Err(e) => {
            let error = e.utf8_error();
            (e.into_bytes(), error)
        }
    };
    if rel.extension().is_some_and(|x| x == "csv") {
        let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
        if !had_errors {
            return Ok(text.into_owned());
        }
    }
    Err(Undecoded::Invalid {
        lossy: String::from_utf8_lossy(&bytes).into_owned(),
        start: String::from_utf8_lossy(&bytes[..e.valid_up_to()]).len(),
    })
}

/// Registers a decoded file. Unreadable and invalid files are diagnostics (and `None`).
fn register(
    rel: &Path,
    decoded: Result<SourceFile, Undecoded>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<FileId> {
    match decoded {
        Ok(f) => Some(sources.add_file(f)),
        Err(Undecoded::Unreadable(e)) => {
            let id = sources.add(rel, String::new());
            diags.push(
                Diagnostic::error("unreadable-file", format!("the file cannot be read: {e}"))
                    .at(id, 0..0, "here")
                    .hint("check that the file exists and that you may read it (permissions, a sync tool still writing it)"),
            );
            None
        }
        Err(Undecoded::Invalid { lossy, start }) => {
            let is_csv = rel.extension().is_some_and(|x| x == "csv");
            let id = sources.add(rel, lossy);
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
            None
        }
    }
}

/// What a file of the content folder is, from its place.
enum Role {
    Config,
    Static(PathBuf),
    Data {
        name: String,
        ext: String,
    },
    Page(Kind),
    Intro,
    /// A file of a progress report: its folder (the year) and file name.
    Report(String, String),
    UnknownFolder(String),
    Ignored,
    Unused,
}

fn role(rel: &Path) -> Role {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let ext = rel
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match (parts.first().map(String::as_str), parts.len()) {
        (Some(CONFIG_FILE), 1) => Role::Config,
        (Some("static"), _) => Role::Static(parts[1..].iter().collect()),
        (Some("data"), _) => Role::Data {
            name: parts[1..].join("/"),
            ext,
        },
        (Some("intros"), 2) if ext == "md" => Role::Intro,
        (Some("progress"), 3) if ext == "md" => Role::Report(parts[1].clone(), parts[2].clone()),
        (Some(folder), n) if n >= 2 && ext == "md" => match Kind::from_folder(folder) {
            Some(kind) => Role::Page(kind),
            None => Role::UnknownFolder(folder.to_string()),
        },
        _ if ext == "md" || ext == "yaml" || ext == "yml" || ext == "csv" => Role::Ignored,
        _ => Role::Unused,
    }
}

/// How a changed file (path relative to the content folder) matters to a build, for
/// incremental rebuilds.
pub enum Relevance {
    /// A page file of this kind.
    Page(Kind),
    /// Not read by the build at all (hidden, an editor's backup, an unknown extension).
    None,
    /// Anything else the build reads (configuration, data, static files, misplaced pages).
    Other,
}

/// How a file matters to a build.
pub fn relevance(rel: &Path) -> Relevance {
    if is_hidden(rel) || is_editor_scratch(rel) {
        return Relevance::None;
    }
    match role(rel) {
        Role::Page(kind) => Relevance::Page(kind),
        Role::Unused => Relevance::None,
        _ => Relevance::Other,
    }
}

/// Reads a file as text again; `None` unless it reads cleanly (then a full build reports it).
pub fn reread(root: &Path, rel: &Path) -> Option<String> {
    // A file that became a link out of the folder or a pipe is not read here either (the full
    // build that follows reports it).
    let real_root = root.canonicalize().ok()?;
    if refused(&real_root, rel).is_some() {
        return None;
    }
    decode(root, rel).ok()
}

/// What reading one file gave.
enum Outcome {
    Config(Option<Box<Config>>),
    Page(Option<Box<Document>>),
    Intro(Option<crate::model::Intro>),
    Report(Option<reports::ReportFile>),
    Data(Option<DataOutcome>),
    None,
}

/// Reports a file that is in no place keikaku reads, or a static file that cannot be read;
/// returns where a readable static file goes in the output.
fn place_problem(
    root: &Path,
    rel: &Path,
    role: &Role,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<PathBuf> {
    match role {
        Role::Static(out) => match std::fs::File::open(root.join(rel)) {
            // Copied when the site is written: what `check` accepts, `build` can copy.
            Ok(_) => return Some(out.clone()),
            Err(e) => {
                register(rel, Err(Undecoded::Unreadable(e)), sources, diags);
            }
        },
        Role::UnknownFolder(folder) => {
            let id = sources.add(rel, String::new());
            let folders: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
            let mut d = Diagnostic::error("unknown-folder", format!("`{folder}` is not a folder keikaku knows")).at(
                id,
                0..0,
                "this file is not used",
            );
            d = match did_you_mean(folder, folders.iter().copied()) {
                Some(s) => d.hint(format!("did you mean the folder `{s}`?")),
                None => d.hint(format!("page files go in one of: {}", folders.join(", "))),
            };
            diags.push(d);
        }
        Role::Ignored => {
            let id = sources.add(rel, String::new());
            diags.push(
                Diagnostic::warning("ignored-file", "this file is not in a place keikaku reads, so it is ignored")
                    .at(id, 0..0, "ignored")
                    .hint("pages go in a kind folder (measures/, pillars/ …), tables in data/, images and other files to publish in static/"),
            );
        }
        _ => {}
    }
    None
}

impl Loaded {
    /// Remembers what a file that could not be read or decoded would have defined — a page's
    /// id, the ids of a targets table's rows (from its text as far as it can be read) — so
    /// that references to them add no follow-on errors: one error, one message.
    fn mark_unreadable(&mut self, rel: &Path, role: &Role, lossy: Option<&str>) {
        match role {
            Role::Page(_) => {
                let name = rel
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if let Some((id, _)) = id_and_lang(&name) {
                    self.unreadable_pages.push(id.to_string());
                }
            }
            Role::Data { name, .. } if name.starts_with("targets/") => {
                let mut scratch_sources = Sources::default();
                let mut scratch = Diagnostics::default();
                let f = scratch_sources.add(rel, lossy.unwrap_or_default().to_string());
                let (ok, broken) = tables::read_targets(&scratch_sources, f, &mut scratch);
                self.broken_targets.extend(ok.into_iter().map(|t| t.id).chain(broken));
            }
            _ => {}
        }
    }

    /// Adds what one file gave.
    fn take(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Config(c) => self.config = c.map(|c| *c),
            Outcome::Page(Some(doc)) => self.documents.push(doc),
            Outcome::Intro(Some(i)) => self.intros.push(i),
            Outcome::Data(Some(DataOutcome::Targets(table, ok, broken))) => {
                self.target_tables.push(table);
                self.targets.extend(ok);
                self.broken_targets.extend(broken);
            }
            Outcome::Data(Some(DataOutcome::Projects(edition))) => {
                if let Some(e) = edition {
                    let at = self.editions.partition_point(|x| x.from < e.from);
                    self.editions.insert(at, e);
                }
            }
            Outcome::Report(Some(f)) => self.report_files.push(f),
            Outcome::Data(Some(DataOutcome::Comments(table, c))) => {
                self.comment_table = Some(table);
                self.comments = c;
            }
            Outcome::Data(Some(DataOutcome::Periods(f, t))) => {
                self.tables.files[0] = Some(f);
                self.tables.periods = t;
            }
            Outcome::Data(Some(DataOutcome::Bodies(f, t))) => {
                self.tables.files[1] = Some(f);
                self.tables.bodies = t;
            }
            Outcome::Data(Some(DataOutcome::Schedule(f, t))) => {
                self.tables.files[2] = Some(f);
                self.tables.schedule = t;
            }
            Outcome::Data(Some(DataOutcome::Accessibility(t))) => self.tables.accessibility = t,
            Outcome::Page(None)
            | Outcome::Intro(None)
            | Outcome::Report(None)
            | Outcome::Data(None)
            | Outcome::None => {}
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
    let paths = walk(root, sources, diags)?;
    // Read and decode every file on all cores, register them in order (so file ids and
    // diagnostics do not depend on timing), then parse them on all cores.
    let roles: Vec<Role> = paths.iter().map(|p| role(p)).collect();
    let decoded: Vec<Option<Result<SourceFile, Undecoded>>> = paths
        .par_iter()
        .zip(roles.par_iter())
        .map(|(rel, role)| {
            matches!(
                role,
                Role::Config | Role::Data { .. } | Role::Page(_) | Role::Intro | Role::Report(..)
            )
            .then(|| decode(root, rel).map(|text| Sources::file(rel, text)))
        })
        .collect();
    let mut files: Vec<Option<FileId>> = Vec::with_capacity(paths.len());
    let config_seen = roles.iter().any(|r| matches!(r, Role::Config));
    for ((rel, role), decoded) in paths.iter().zip(&roles).zip(decoded) {
        let lossy = match &decoded {
            Some(Err(Undecoded::Invalid { lossy, .. })) => Some(lossy.clone()),
            _ => None,
        };
        let failed = matches!(decoded, Some(Err(_)));
        let file = decoded.and_then(|d| register(rel, d, sources, diags));
        if failed {
            loaded.mark_unreadable(rel, role, lossy.as_deref());
        }
        if let Some(out) = place_problem(root, rel, role, sources, diags) {
            loaded.static_files.push((rel.clone(), out));
        }
        files.push(file);
    }
    let src: &Sources = sources;
    let outcomes: Vec<(Outcome, Diagnostics)> = paths
        .par_iter()
        .zip(roles.par_iter())
        .zip(files.par_iter())
        .map(|((rel, role), file)| {
            let mut d = Diagnostics::default();
            let outcome = match (role, file) {
                (Role::Config, Some(f)) => Outcome::Config(
                    tables::read_yaml_table::<Config>(src, *f, "site configuration", &mut d).map(Box::new),
                ),
                (Role::Page(kind), Some(f)) => Outcome::Page(load_page(rel, *kind, src, *f, &mut d).map(Box::new)),
                (Role::Intro, Some(f)) => Outcome::Intro(load_intro(rel, src, *f, &mut d)),
                (Role::Report(folder, name), Some(f)) => Outcome::Report(reports::read(src, *f, folder, name, &mut d)),
                (Role::Data { name, ext }, Some(f)) => Outcome::Data(data::load_data(name, ext, src, *f, &mut d)),
                _ => Outcome::None,
            };
            (outcome, d)
        })
        .collect();
    for (outcome, d) in outcomes {
        diags.append(d);
        loaded.take(outcome);
    }
    if !config_seen {
        diags.push(
            Diagnostic::error("missing-config", format!("the content folder has no {CONFIG_FILE}"))
                .hint(format!("create {CONFIG_FILE} at the top of the content folder with city, title, base_url, plan_period and strategy_period (see docs/editing.ja.md)")),
        );
    }
    Ok(loaded)
}

/// Reads an introduction (`intros/pillars.ja.md`): Markdown with no front-matter, for one of
/// the index pages that take one.
fn load_intro(rel: &Path, sources: &Sources, file: FileId, diags: &mut Diagnostics) -> Option<crate::model::Intro> {
    use crate::model::terms::INTRO_PAGES;
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = id_and_lang(&name).and_then(|(p, l)| Some((p.to_string(), Lang::from_code(l)?)));
    let Some((page, lang)) = parsed else {
        diags.push(
            Diagnostic::error("bad-file-name", format!("`{name}` does not say its language"))
                .at(file, 0..0, "file name")
                .hint("name introductions <page>.ja.md and <page>.en.md, e.g. intros/pillars.ja.md"),
        );
        return None;
    };
    if !INTRO_PAGES.contains(&page.as_str()) {
        let mut d = Diagnostic::error("unknown-intro", format!("there is no index page `{page}` to introduce")).at(
            file,
            0..0,
            "this file is not used",
        );
        d = match did_you_mean(&page, INTRO_PAGES.iter().copied()) {
            Some(s) => d.hint(format!("did you mean `{s}.{}.md`?", lang.code())),
            None => d.hint(format!("introductions are for the pages: {}", INTRO_PAGES.join(", "))),
        };
        diags.push(d);
        return None;
    }
    Some(crate::model::Intro {
        page,
        lang,
        file,
        text: sources.text(file).to_string(),
    })
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

/// Parses a registered page file (kind from its folder). `None` when its name is wrong;
/// a broken document when its front-matter cannot be read.
pub fn load_page(rel: &Path, kind: Kind, sources: &Sources, file: FileId, diags: &mut Diagnostics) -> Option<Document> {
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
        return None;
    };
    if !valid_id(&id) {
        diags.push(
            Diagnostic::error("bad-id", format!("`{id}` cannot be an id"))
                .at(file, 0..0, "file name")
                .hint(
                    "ids (the file name before .ja.md) use lower-case letters a–z, digits and hyphens, e.g. kosodate-1",
                ),
        );
        return None;
    }
    let text = sources.text(file);
    let broken_doc = |id: String| Document {
        file,
        kind,
        id,
        lang,
        front: FrontMatter::default(),
        yaml_start: 0,
        body: Body::default(),
        broken: true,
    };
    let Some(split) = frontmatter::split(text, file, diags) else {
        return Some(broken_doc(id));
    };
    let Some(front) = frontmatter::parse(sources, file, &split, diags) else {
        return Some(broken_doc(id));
    };
    frontmatter::check_fields(sources, file, split.yaml_start, kind, lang, &front, diags);
    let body = markdown::parse(split.body, split.body_start);
    Some(Document {
        file,
        kind,
        id,
        lang,
        front,
        yaml_start: split.yaml_start,
        body,
        broken: false,
    })
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
