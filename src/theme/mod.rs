//! The theme: tera templates, CSS and script, interface strings, typst templates and fonts.
//! The default theme is compiled into the binary so `keikaku` works from anywhere with
//! nothing else installed. `--theme DIR` reads the same files from a folder instead (each
//! file missing there, and each interface string missing from its `i18n.yaml`, falls back to
//! the built-in one). A [`Theme`] is read once, before the pipeline starts, and travels to
//! the stages that need it as a value.

pub mod fonts;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::config::Config;
use crate::model::terms::Terms;
use crate::model::{Bilingual, Lang};

macro_rules! theme_files {
    ($dir:literal; $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $dir, "/", $name)))),*]
    };
}

/// The templates of the default theme: (name, source).
pub const TEMPLATES: &[(&str, &str)] = theme_files!("templates";
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
    "implementation.html",
    "progress.html",
    "progress-index.html",
    "public-comment.html",
    "revision.html",
    "404.html",
);

/// Static files of the default theme: (name in `static/`, contents), copied to `assets/`.
pub const STATIC: &[(&str, &str)] = theme_files!("static"; "style.css", "search.js");

/// The typst templates of the default theme: (name in `typst/`, source).
pub const TYPST: &[(&str, &str)] =
    theme_files!("typst"; "lib.typ", "plan.typ", "strategy.typ", "implementation.typ", "progress.typ", "revision.typ");

const I18N: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n.yaml"));

/// The interface strings of one language (menu names, headings, notices), by key.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Strings(HashMap<String, String>);

impl Strings {
    /// The string for `key`. Every key of the built-in theme exists in every theme (a theme's
    /// missing strings are the built-in ones); an unknown key is a bug in a template or in
    /// keikaku, shown as the key itself so that it is seen.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.0.get(key) {
            Some(s) => s,
            None => {
                debug_assert!(false, "unknown interface string {key}");
                key
            }
        }
    }

    /// Every (key, string).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }
}

/// A theme, read into memory.
#[derive(Clone, Debug)]
pub struct Theme {
    /// The folder it was read from (`None`: the built-in theme).
    pub dir: Option<PathBuf>,
    /// Tera templates: (name, source).
    pub templates: Vec<(&'static str, String)>,
    /// Static files: (path in the output, contents).
    pub static_files: Vec<(String, String)>,
    /// Typst templates: (name, source).
    pub typst: Vec<(&'static str, String)>,
    strings: [Strings; 2],
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin()
    }
}

impl Theme {
    /// The built-in theme.
    pub fn builtin() -> Theme {
        // The built-in strings file is compiled in and covered by a test.
        Theme::read(None).expect("the built-in theme is valid")
    }

    /// Reads the theme in `dir` (`None`: the built-in theme).
    pub fn read(dir: Option<&Path>) -> Result<Theme> {
        let file = |rel: String, builtin: &str| -> Result<String> {
            match dir.map(|d| d.join(&rel)) {
                Some(p) if p.exists() => {
                    std::fs::read_to_string(&p).with_context(|| format!("reading the theme file {}", p.display()))
                }
                _ => Ok(builtin.to_string()),
            }
        };
        let read = |sub: &str, list: &[(&'static str, &str)]| -> Result<Vec<(&'static str, String)>> {
            list.iter()
                .map(|(name, text)| Ok((*name, file(format!("{sub}/{name}"), text)?)))
                .collect()
        };
        let builtin: HashMap<String, Bilingual> = serde_saphyr::from_str(I18N).context("the built-in i18n.yaml")?;
        let mut all = builtin;
        if let Some(d) = dir
            && d.join("i18n.yaml").exists()
        {
            let p = d.join("i18n.yaml");
            let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            let own: HashMap<String, Bilingual> = serde_saphyr::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{}: {}", p.display(), e))
                .context("the theme's interface strings cannot be read")?;
            all.extend(own);
        }
        let strings =
            Lang::ALL.map(|lang| Strings(all.iter().map(|(k, v)| (k.clone(), v.get(lang).to_string())).collect()));
        Ok(Theme {
            dir: dir.map(Path::to_path_buf),
            templates: read("templates", TEMPLATES)?,
            static_files: read("static", STATIC)?
                .into_iter()
                .map(|(name, text)| (format!("assets/{name}"), text))
                .collect(),
            typst: read("typst", TYPST)?,
            strings,
        })
    }

    /// The interface strings of a language.
    pub fn strings(&self, lang: Lang) -> &Strings {
        &self.strings[lang as usize]
    }

    /// The theme as one plan speaks: its `strings:` replace the theme's, and the plan's
    /// terms fill every placeholder (`{pillar}`, `{Measures}`, `{city}` …).
    pub fn for_plan(&self, config: &Config, terms: &Terms) -> Theme {
        let mut theme = self.clone();
        for lang in Lang::ALL {
            let strings = &mut theme.strings[lang as usize].0;
            for (k, v) in &config.strings {
                strings.insert(k.clone(), v.get(lang).to_string());
            }
            let city = config.city.get(lang);
            for v in strings.values_mut() {
                *v = terms.fill(v, lang).replace("{city}", city);
            }
        }
        theme
    }

    /// A digest of the theme's files and strings (with the plan's content digest, it marks
    /// the build an accessibility test tested).
    pub fn digest(&self) -> u64 {
        let mut all = xxhash_rust::xxh3::Xxh3::new();
        let pairs = self
            .templates
            .iter()
            .map(|(n, t)| (*n, t.as_str()))
            .chain(self.typst.iter().map(|(n, t)| (*n, t.as_str())))
            .chain(self.static_files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        for (name, text) in pairs {
            all.update(name.as_bytes());
            all.update(text.as_bytes());
        }
        for strings in &self.strings {
            let mut keys: Vec<(&String, &String)> = strings.0.iter().collect();
            keys.sort();
            for (k, v) in keys {
                all.update(k.as_bytes());
                all.update(v.as_bytes());
            }
        }
        all.digest()
    }

    /// Whether `key` is an interface string of the built-in theme (for checking the
    /// `strings:` of `keikaku.yaml`).
    pub fn has_string(&self, key: &str) -> bool {
        self.strings[0].0.contains_key(key)
    }

    /// Every key of the interface strings, sorted.
    pub fn string_keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.strings[0].0.keys().map(String::as_str).collect();
        k.sort_unstable();
        k
    }
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

    #[test]
    fn a_theme_missing_strings_and_files_falls_back_to_the_built_in_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("i18n.yaml"), "home: {ja: トップ, en: Top}\n").unwrap();
        let t = Theme::read(Some(dir.path())).unwrap();
        assert_eq!(t.strings(Lang::Ja).get("home"), "トップ");
        assert_eq!(
            t.strings(Lang::En).get("menu"),
            "Menu",
            "a missing key is the built-in string"
        );
        assert_eq!(t.templates, Theme::builtin().templates);
    }

    #[test]
    fn a_broken_strings_file_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("i18n.yaml"), "home: {ja: [\n").unwrap();
        let e = Theme::read(Some(dir.path())).unwrap_err();
        assert!(format!("{e:#}").contains("i18n.yaml"), "{e:#}");
    }
}
