//! Render stage: turns the resolved [`Plan`](crate::model::Plan) into output files — the
//! bilingual website (HTML via tera) and the sitemap. Each renderer returns files in memory;
//! the write stage puts them on disk.

pub mod chart;
pub mod format;
pub mod html;
pub mod markdown;
pub mod opendata;
pub mod pages;
pub mod pdf;
pub mod search;
mod site_pages;
pub mod tables;
mod targets;
pub mod theme;

use std::path::PathBuf;

/// A file to write, relative to the output folder.
pub struct OutputFile {
    /// Path inside the output folder.
    pub path: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}
