//! Render stage (PDF): the typst `World` keikaku compiles in. It serves only the theme's
//! `.typ` files and fonts (compiled into the binary) and one in-memory data file; nothing
//! else can be read, no package can be fetched, and `today` is fixed, so a document is
//! the same on every machine and every run.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};

use crate::theme::Theme;
use crate::theme::fonts::fonts;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The path of the in-memory data file the templates read with `json("/data.json")`.
pub const DATA_PATH: &str = "/data.json";

fn file_id(path: &str) -> FileId {
    // The paths are our own constants and valid virtual paths.
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("valid virtual path"),
    )
    .intern()
}

/// A compilation of one document: its main template, its data and its fixed date.
pub struct KeikakuWorld {
    library: LazyHash<Library>,
    /// The templates, parsed once per world (typst asks for a source many times).
    sources: Vec<Source>,
    main: FileId,
    data: Bytes,
    /// Other files the document reads: the content's images (`/static/images/map.png`).
    files: Vec<(String, Bytes)>,
    today: Datetime,
}

impl KeikakuWorld {
    /// A world compiling `main` (one of the theme's typst templates, `/plan.typ`) with
    /// `data` (JSON) and `inputs` (`sys.inputs`), on the fixed date `today`.
    pub fn new(theme: &Theme, main: &str, data: Vec<u8>, inputs: &[(&str, &str)], today: (i32, u8, u8)) -> Self {
        let mut dict = Dict::new();
        for (k, v) in inputs {
            dict.insert((*k).into(), (*v).into_value());
        }
        // a11y-extras: row header cells (`pdf.header-cell(scope: "row")`) in the tagged PDF.
        let library = Library::builder()
            .with_inputs(dict)
            .with_features([typst::Feature::A11yExtras].into_iter().collect())
            .build();
        KeikakuWorld {
            library: LazyHash::new(library),
            sources: theme
                .typst
                .iter()
                .map(|(name, text)| Source::new(file_id(&format!("/{name}")), text.clone()))
                .collect(),
            main: file_id(main),
            data: Bytes::new(data),
            files: Vec::new(),
            // Dates in the configuration are checked; fall back to a fixed day otherwise.
            today: Datetime::from_ymd(today.0, today.1, today.2)
                .unwrap_or_else(|| Datetime::from_ymd(2025, 1, 1).expect("valid date")),
        }
    }

    /// The world with these files too (path in the document, bytes).
    pub fn with_files(mut self, files: Vec<(String, Bytes)>) -> Self {
        self.files = files;
        self
    }

    /// The path and source text of a theme file, for diagnostics.
    pub fn template_text(&self, id: FileId) -> Option<(String, String)> {
        self.sources
            .iter()
            .find(|s| s.id() == id)
            .map(|s| (id.get().vpath().get_with_slash().to_string(), s.text().to_string()))
    }
}

impl World for KeikakuWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().1
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources.iter().find(|s| s.id() == id) {
            Some(source) => Ok(source.clone()),
            None => Err(FileError::NotFound(id.get().vpath().get_with_slash().into())),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.get().root(), VirtualRoot::Project) {
            return Err(FileError::AccessDenied);
        }
        let path = id.get().vpath().get_with_slash();
        if path == DATA_PATH {
            return Ok(self.data.clone());
        }
        if let Some((_, bytes)) = self.files.iter().find(|(p, _)| *p == path) {
            return Ok(bytes.clone());
        }
        match self.sources.iter().find(|s| s.id() == id) {
            Some(source) => Ok(Bytes::from_string(source.text().to_string())),
            None => Err(FileError::NotFound(path.into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().0.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
