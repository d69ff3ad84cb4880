//! Render stage: turns the resolved [`Plan`](crate::model::Plan) into output files — the
//! bilingual website (`site`, HTML via tera), the search index, open data and the PDFs
//! (`pdf`, typst). Each renderer hands its files to the write stage's staging; nothing here
//! touches the output folder.

pub mod chart;
pub mod cost_chart;
pub mod export;
pub mod format;
pub mod markdown;
pub mod opendata;
pub mod opendata_ops;
pub mod paths;
pub mod pdf;
pub mod search;
pub mod site;
pub mod tables;

use std::path::PathBuf;

/// A file to write, relative to the output folder.
pub struct OutputFile {
    /// Path inside the output folder.
    pub path: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}
