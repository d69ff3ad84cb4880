//! Load stage: the yearly progress reports' texts — `progress/<year>/index.<lang>.md` (the
//! report's introduction) and `progress/<year>/<measure>.<lang>.md` (a measure's evaluation
//! and next steps, under two headings). Whether the measures exist is the resolve stage's.

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};
use crate::model::report::{Evaluation, Report, section_headings};
use crate::model::{FiscalYear, Lang};

/// One file of a report, as read.
pub enum ReportFile {
    /// `index.<lang>.md`.
    Intro(FiscalYear, Lang, FileId, String),
    /// `<measure>.<lang>.md`.
    Evaluation(FiscalYear, Evaluation),
}

/// Reads a file of `progress/<folder>/<name>`; `None` after a diagnostic when it is wrong.
pub fn read(sources: &Sources, file: FileId, folder: &str, name: &str, diags: &mut Diagnostics) -> Option<ReportFile> {
    let Ok(year) = FiscalYear::parse(folder) else {
        diags.push(
            Diagnostic::error("bad-report-year", format!("`{folder}` is not a fiscal year"))
                .at(file, 0..0, "in this folder")
                .hint("put each year's progress report in a folder named after the fiscal year it reports on, e.g. progress/R6/"),
        );
        return None;
    };
    let Some((id, lang)) = super::id_and_lang(name).and_then(|(id, l)| Some((id, Lang::from_code(l)?))) else {
        diags.push(
            Diagnostic::error("bad-file-name", format!("`{name}` does not say its measure and language"))
                .at(file, 0..0, "file name")
                .hint("name an evaluation after its measure and language, e.g. kenko-1.ja.md, and the introduction index.ja.md"),
        );
        return None;
    };
    let text = sources.text(file);
    if id == "index" {
        return Some(ReportFile::Intro(year, lang, file, text.to_string()));
    }
    let (evaluation, next) = sections(text, lang, file, diags)?;
    Some(ReportFile::Evaluation(
        year,
        Evaluation {
            measure: id.to_string(),
            lang,
            file,
            evaluation,
            next,
        },
    ))
}

/// The two sections of an evaluation: their Markdown.
type Sections = (String, String);

/// Splits an evaluation into its two sections (`## 評価`, `## 今後の方向性`).
fn sections(text: &str, lang: Lang, file: FileId, diags: &mut Diagnostics) -> Option<Sections> {
    let (first, second) = section_headings(lang);
    let mut found: Vec<(String, std::ops::Range<usize>, usize)> = Vec::new();
    let mut offset = 0;
    let mut fence = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        if !fence && let Some(h) = t.strip_prefix("## ") {
            found.push((h.trim().to_string(), offset..offset + t.len(), offset + line.len()));
        }
        offset += line.len();
    }
    let hint = format!("an evaluation has two sections, in this order: `## {first}` and `## {second}`");
    let mut ok = true;
    let before = found.first().map_or(text.len(), |f| f.1.start);
    if !text[..before].trim().is_empty() {
        ok = false;
        let start = text.len() - text.trim_start().len();
        let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        diags.push(
            Diagnostic::error("evaluation-section", "text before the first section would not be shown")
                .at(file, start..end, "before any section")
                .hint(hint.clone()),
        );
    }
    let names: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    if names != [first, second] {
        ok = false;
        let mut d = Diagnostic::error(
            "evaluation-section",
            format!(
                "the sections are {} but should be `{first}` and `{second}`",
                if names.is_empty() {
                    "missing".to_string()
                } else {
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                }
            ),
        );
        d = match found.iter().find(|f| f.0 != first && f.0 != second) {
            Some(f) => d.at(file, f.1.clone(), "not a section of an evaluation"),
            None => d.at(file, 0..0, "here"),
        };
        diags.push(d.hint(hint));
    }
    if !ok {
        return None;
    }
    let body = |i: usize| {
        let start = found[i].2;
        let end = found.get(i + 1).map_or(text.len(), |f| f.1.start);
        text[start..end].trim().to_string()
    };
    Some((body(0), body(1)))
}

/// Gathers the files of the reports into one report per year, in year order.
pub fn assemble(files: Vec<ReportFile>) -> Vec<Report> {
    let mut out: Vec<Report> = Vec::new();
    for f in files {
        let year = match &f {
            ReportFile::Intro(y, ..) | ReportFile::Evaluation(y, _) => *y,
        };
        let i = match out.iter().position(|r| r.year == year) {
            Some(i) => i,
            None => {
                out.push(Report {
                    year,
                    intro: Vec::new(),
                    evaluations: Vec::new(),
                });
                out.len() - 1
            }
        };
        match f {
            ReportFile::Intro(_, lang, file, text) => out[i].intro.push((lang, file, text)),
            ReportFile::Evaluation(_, e) => out[i].evaluations.push(e),
        }
    }
    out.sort_by_key(|r| r.year);
    for r in &mut out {
        r.evaluations
            .sort_by(|a, b| (&a.measure, a.lang).cmp(&(&b.measure, b.lang)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_text(text: &str) -> (Option<ReportFile>, String) {
        let mut s = Sources::default();
        let f = s.add(Path::new("progress/R6/m-1.ja.md"), text.to_string());
        let mut d = Diagnostics::default();
        let r = read(&s, f, "R6", "m-1.ja.md", &mut d);
        (r, crate::diag::render_plain(&s, &d))
    }

    #[test]
    fn splits_the_two_sections() {
        let (r, out) = read_text("## 評価\n\n順調です。\n\n## 今後の方向性\n\n続けます。\n");
        assert!(out.is_empty(), "{out}");
        let Some(ReportFile::Evaluation(y, e)) = r else {
            panic!("not an evaluation")
        };
        assert_eq!(y, FiscalYear(2024));
        assert_eq!(e.evaluation, "順調です。");
        assert_eq!(e.next, "続けます。");
    }

    #[test]
    fn a_wrong_section_is_named() {
        let (r, out) = read_text("## 評価\n\nx\n\n## 課題\n\ny\n");
        assert!(r.is_none());
        assert!(out.contains("the sections are `評価`, `課題`"), "{out}");
        assert!(out.contains("m-1.ja.md:5:"), "{out}");
    }
}
