//! Render stage: the default theme (tera templates, CSS, interface strings), compiled into
//! the binary so `keikaku` works from anywhere with nothing else installed.

use std::collections::HashMap;

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
    "404.html",
);

/// Static files copied to the output: (path, contents).
pub const STATIC: &[(&str, &str)] = &[(
    "assets/style.css",
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/style.css")),
)];

const I18N: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n.yaml"));

/// Interface strings (menu names, headings, notices) in one language.
pub fn strings(lang: Lang) -> HashMap<String, String> {
    // The theme's strings file is compiled in and covered by a test.
    let all: HashMap<String, Bilingual> = serde_saphyr::from_str(I18N).expect("theme i18n.yaml is valid");
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
