//! Render stage: the default theme (tera templates, CSS, interface strings, typst
//! templates), compiled into the binary so `keikaku` works from anywhere with nothing else
//! installed. `--theme DIR` reads the same files from a folder instead (each file that is
//! missing there falls back to the built-in one), so a theme can be edited with `serve`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;

use crate::model::{Bilingual, Lang};

macro_rules! theme_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/", $name)))),*]
    };
}

/// The templates of the default theme: (name, source).
pub const TEMPLATES: &[(&str, &str)] = theme_files!(
    "base.html",
    "macros.html",
    "home.html",
    "item.html",
    "index.html",
    "pledges.html",
    "sdgs.html",
    "sdg.html",
    "table-page.html",
    "targets.html",
    "downloads.html",
    "search.html",
    "accessibility.html",
    "404.html",
);

/// Static files copied to the output: (path, contents).
pub const STATIC: &[(&str, &str)] = &[
    (
        "assets/style.css",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/style.css")),
    ),
    (
        "assets/search.js",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/search.js")),
    ),
];

const I18N: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n.yaml"));

static THEME_DIR: RwLock<Option<PathBuf>> = RwLock::new(None);

/// Reads the theme from `dir` from now on (`None`: the built-in theme).
pub fn set_dir(dir: Option<PathBuf>) {
    *THEME_DIR.write().unwrap_or_else(|e| e.into_inner()) = dir;
}

/// The theme folder in use, if any.
pub fn dir() -> Option<PathBuf> {
    THEME_DIR.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// A theme file (`templates/base.html`, `typst/lib.typ` …): from the theme folder when one
/// is set and has it, else the built-in copy.
pub fn file(rel: &str, builtin: &'static str) -> Cow<'static, str> {
    match dir().map(|d| d.join(rel)).and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(text) => Cow::Owned(text),
        None => Cow::Borrowed(builtin),
    }
}

/// The templates in use: (name, source).
pub fn templates() -> Vec<(&'static str, Cow<'static, str>)> {
    TEMPLATES
        .iter()
        .map(|(name, text)| (*name, file(&format!("templates/{name}"), text)))
        .collect()
}

/// The static files in use: (output path, contents).
pub fn static_files() -> Vec<(&'static str, Cow<'static, str>)> {
    STATIC
        .iter()
        .map(|(path, text)| {
            (
                *path,
                file(&format!("static/{}", path.trim_start_matches("assets/")), text),
            )
        })
        .collect()
}

/// Interface strings (menu names, headings, notices) in one language.
pub fn strings(lang: Lang) -> HashMap<String, String> {
    let text = file("i18n.yaml", I18N);
    let all: HashMap<String, Bilingual> = match serde_saphyr::from_str(&text) {
        Ok(all) => all,
        Err(e) => {
            eprintln!(
                "warning: the theme's i18n.yaml cannot be read ({}); using the built-in strings",
                e.without_snippet()
            );
            // The built-in strings file is compiled in and covered by a test.
            serde_saphyr::from_str(I18N).expect("built-in i18n.yaml is valid")
        }
    };
    all.into_iter().map(|(k, v)| (k, v.get(lang).to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_has_both_languages() {
        let all: HashMap<String, Bilingual> = serde_saphyr::from_str(I18N).unwrap();
        for (k, v) in all {
            assert!(!v.ja.is_empty() && !v.en.is_empty(), "string {k} lacks a language");
        }
    }
}
