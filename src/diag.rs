//! Diagnostics, shared by every stage: typed problems that an editor can fix, each with a
//! source span, a plain message and hints, rendered like rustc/typst (via codespan-reporting)
//! or as JSON for CI annotations.

use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Files, SimpleFile};
use codespan_reporting::term;
use serde::Serialize;

/// How bad a diagnostic is: errors stop the build, warnings are shown and the build goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce correct output.
    Error,
    /// Something an editor should look at; the output is still written.
    Warning,
}

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// Every source file read during a build, kept so diagnostics can quote the offending line.
#[derive(Default)]
pub struct Sources {
    files: Vec<SimpleFile<String, String>>,
    paths: Vec<PathBuf>,
}

fn missing() -> codespan_reporting::files::Error {
    codespan_reporting::files::Error::FileMissing
}

impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, codespan_reporting::files::Error> {
        Ok(self.files.get(id).ok_or_else(missing)?.name().clone())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.files.get(id).ok_or_else(missing)?.source().as_str())
    }

    fn line_index(&'a self, id: FileId, byte: usize) -> Result<usize, codespan_reporting::files::Error> {
        self.files.get(id).ok_or_else(missing)?.line_index((), byte)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.files.get(id).ok_or_else(missing)?.line_range((), line)
    }
}

/// A file ready to be registered (its lines found), made on any thread.
pub struct SourceFile {
    path: PathBuf,
    file: SimpleFile<String, String>,
}

impl Sources {
    /// Registers a file; `display` is the path shown to editors (relative to the content folder).
    pub fn add(&mut self, display: &Path, text: String) -> FileId {
        self.add_file(Self::file(display, text))
    }

    /// A file for [`Sources::add_file`]: the work of registering it that needs no list of
    /// files (finding its lines), so that thousands of files can be prepared on all cores.
    pub fn file(display: &Path, text: String) -> SourceFile {
        SourceFile {
            path: display.to_path_buf(),
            file: SimpleFile::new(display.display().to_string().replace('\\', "/"), text),
        }
    }

    /// Registers a file made by [`Sources::file`].
    pub fn add_file(&mut self, f: SourceFile) -> FileId {
        self.paths.push(f.path);
        self.files.push(f.file);
        self.files.len() - 1
    }

    /// Replaces the text of a registered file (an incremental rebuild read it again).
    pub fn replace(&mut self, id: FileId, text: String) {
        if let Some(f) = self.files.get_mut(id) {
            *f = SimpleFile::new(f.name().clone(), text);
        }
    }

    /// The ids of every registered file.
    pub fn ids(&self) -> std::ops::Range<FileId> {
        0..self.paths.len()
    }

    /// The id of the file registered with this display path, if any.
    pub fn find(&self, display: &Path) -> Option<FileId> {
        self.paths.iter().position(|p| p == display)
    }

    /// The text of a registered file.
    pub fn text(&self, id: FileId) -> &str {
        // The id was handed out by `add`, so the file exists.
        self.files.get(id).map(|f| f.source().as_str()).unwrap_or("")
    }

    /// The display path of a registered file.
    pub fn path(&self, id: FileId) -> &Path {
        &self.paths[id]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, byte: usize) -> (usize, usize) {
        match self.location(id, byte) {
            Ok(loc) => (loc.line_number, loc.column_number),
            Err(_) => (1, 1),
        }
    }

    /// Byte offset of a 1-based line and column (column counted in characters).
    pub fn offset_of(&self, id: FileId, line: usize, col: usize) -> usize {
        let text = self.text(id);
        let Ok(range) = Files::line_range(self, id, line.saturating_sub(1)) else {
            return text.len();
        };
        let line_text = &text[range.clone()];
        let within = line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        range.start + within
    }

    /// Byte range of the whole of a 1-based line, without its line ending.
    pub fn line_span(&self, id: FileId, line: usize) -> Range<usize> {
        let text = self.text(id);
        match Files::line_range(self, id, line.saturating_sub(1)) {
            Ok(r) => {
                let s = &text[r.clone()];
                r.start..r.start + s.trim_end_matches(['\n', '\r']).len()
            }
            Err(_) => text.len()..text.len(),
        }
    }
}

/// A place in a source file with a short message shown under it.
#[derive(Clone, Debug)]
pub struct Label {
    /// The file.
    pub file: FileId,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// Short text printed under the underlined span.
    pub message: String,
}

/// One problem found in the content, with where it is and how to fix it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable short code (`unknown-reference`, `yaml-syntax`, …) for tests and CI tools.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is wrong; `None` for problems not tied to a file.
    pub primary: Option<Label>,
    /// Other places that explain the problem (the first definition of a duplicate id, …).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// Sets the primary location.
    pub fn at(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            file,
            span,
            message: label.into(),
        });
        self
    }

    /// Adds a secondary location.
    pub fn also(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: label.into(),
        });
        self
    }

    /// Adds a hint telling the editor how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// All diagnostics of one build, in the order they were found.
#[derive(Default, Debug)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    /// Whether any diagnostic points into `file`.
    pub fn touches(&self, file: FileId) -> bool {
        self.list
            .iter()
            .any(|d| d.primary.iter().chain(&d.secondary).any(|l| l.file == file))
    }

    /// The files that have a diagnostic with this code (as its main place).
    pub fn files_with(&self, code: &str) -> std::collections::HashSet<FileId> {
        self.list
            .iter()
            .filter(|d| d.code == code)
            .filter_map(|d| d.primary.as_ref().map(|l| l.file))
            .collect()
    }

    /// Moves the diagnostics of `other` (about the same sources) into these.
    pub fn append(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    /// Number of errors and warnings.
    pub fn counts(&self) -> (usize, usize) {
        let e = self.list.iter().filter(|d| d.is_error()).count();
        (e, self.list.len() - e)
    }

    /// The diagnostics, sorted by file and position so output is stable.
    pub fn sorted(&self, sources: &Sources) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.list.iter().collect();
        v.sort_by_key(|d| match &d.primary {
            Some(l) => (0, sources.path(l.file).to_path_buf(), l.span.start),
            None => (1, PathBuf::new(), 0),
        });
        v
    }

    /// Moves the diagnostics of another build step, whose files were registered in
    /// `their_sources`, into these, registering the files in `sources` as needed.
    pub fn absorb(&mut self, their_sources: &Sources, theirs: Diagnostics, sources: &mut Sources) {
        let mut map = |id: FileId| {
            let path = their_sources.path(id);
            sources
                .find(path)
                .unwrap_or_else(|| sources.add(path, their_sources.text(id).to_string()))
        };
        for mut d in theirs.list {
            if let Some(l) = d.primary.as_mut() {
                l.file = map(l.file);
            }
            for l in &mut d.secondary {
                l.file = map(l.file);
            }
            self.list.push(d);
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Iterates over the diagnostics.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(cs::Label::primary(p.file, p.span.clone()).with_message(&p.message));
    }
    for s in &d.secondary {
        labels.push(cs::Label::secondary(s.file, s.span.clone()).with_message(&s.message));
    }
    base.with_code(d.code)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect())
}

/// Renders diagnostics as plain text (no colour), like rustc. Used for snapshots and logs.
pub fn render_plain(sources: &Sources, diags: &Diagnostics) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for d in diags.sorted(sources) {
        match term::emit_into_string(&config, sources, &to_codespan(d)) {
            Ok(s) => out.push_str(&s),
            Err(_) => out.push_str(&format!("{:?}: {}\n", d.severity, d.message)),
        }
    }
    out
}

/// Prints diagnostics to standard error, in colour when it is a terminal.
pub fn emit_stderr(sources: &Sources, diags: &Diagnostics) {
    use termcolor::{ColorChoice, StandardStream};
    let choice = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut stream = StandardStream::stderr(choice);
    let config = term::Config::default();
    for d in diags.sorted(sources) {
        let _ = term::emit_to_write_style(&mut stream, &config, sources, &to_codespan(d));
    }
}

/// One diagnostic in the JSON form printed by `keikaku check --format json`.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable code.
    pub code: &'a str,
    /// What is wrong.
    pub message: &'a str,
    /// File relative to the content folder, if any.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// 1-based end line.
    pub end_line: Option<usize>,
    /// 1-based end column.
    pub end_column: Option<usize>,
    /// How to fix it.
    pub hints: &'a [String],
}

/// Converts diagnostics to their JSON form.
pub fn to_json<'a>(sources: &Sources, diags: &'a Diagnostics) -> Vec<JsonDiagnostic<'a>> {
    diags
        .sorted(sources)
        .into_iter()
        .map(|d| {
            let (file, start, end) = match &d.primary {
                Some(l) => (
                    Some(sources.path(l.file).display().to_string().replace('\\', "/")),
                    Some(sources.line_col(l.file, l.span.start)),
                    Some(sources.line_col(l.file, l.span.end)),
                ),
                None => (None, None, None),
            };
            JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                file,
                line: start.map(|s| s.0),
                column: start.map(|s| s.1),
                end_line: end.map(|s| s.0),
                end_column: end.map(|s| s.1),
                hints: &d.hints,
            }
        })
        .collect()
}

/// The closest candidate to `wrong` by edit distance, if close enough to be a likely typo.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_miss_ids() {
        let ids = ["kosodate-1", "kosodate-2", "kenko-1"];
        assert_eq!(did_you_mean("kosodate-3", ids), Some("kosodate-1"));
        assert_eq!(did_you_mean("kosodte-2", ids), Some("kosodate-2"));
        assert_eq!(did_you_mean("zzz", ids), None);
    }

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let mut s = Sources::default();
        let id = s.add(Path::new("a.md"), "一行目\n二行目の「誤り」\n".into());
        let off = s.text(id).find("誤").unwrap();
        assert_eq!(s.line_col(id, off), (2, 6));
        assert_eq!(s.offset_of(id, 2, 6), off);
    }
}
