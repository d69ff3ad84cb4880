//! Load stage: the public comments and the city's answers (`data/comments.csv`), a row per
//! comment, kept in a spreadsheet like the targets. Whether the items and sections they are
//! about exist is the resolve stage's.

use std::collections::HashMap;

use super::tables::{Row, header_cells};
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::model::Bilingual;
use crate::model::comments::{Comment, Reflection};

/// The columns of the comments table: required ones first.
pub const COLUMNS: [&str; 8] = [
    "number",
    "item",
    "summary_ja",
    "answer_ja",
    "reflection",
    "section",
    "summary_en",
    "answer_en",
];
const REQUIRED: usize = 5;

/// Reads the comments (the file already decoded and registered as `file`).
pub fn read_comments(sources: &Sources, file: FileId, diags: &mut Diagnostics) -> Vec<Comment> {
    let text = sources.text(file);
    let mut rdr = super::tables::reader(text);
    let mut records = rdr.records();
    let Some(Ok(header)) = records.next() else {
        diags.push(
            Diagnostic::error("missing-column", "the comments table has no header row")
                .at(file, 0..0, "empty")
                .hint(format!("the first row names the columns: {}", COLUMNS.join(","))),
        );
        return Vec::new();
    };
    let Some(col) = read_header(sources, file, &header, diags) else {
        return Vec::new();
    };
    let mut out: Vec<Comment> = Vec::new();
    for rec in records {
        let Some(row) = Row::read(sources, file, rec, header.len(), diags) else {
            continue;
        };
        if row.record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some(c) = read_row(&row, &col, diags) {
            match out.iter().find(|x| x.number == c.number) {
                Some(first) => diags.push(
                    Diagnostic::error(
                        "duplicate-comment",
                        format!("comment number {} appears twice", c.number),
                    )
                    .at(file, row.span(col["number"]), "a second time")
                    .also(file, first.span.clone(), "first here")
                    .hint("number the comments 1, 2, 3 … once each, as the results will list them"),
                ),
                None => out.push(c),
            }
        }
    }
    out
}

/// Where each column is; `None` after diagnostics when the header is wrong.
fn read_header(
    sources: &Sources,
    file: FileId,
    header: &csv::StringRecord,
    diags: &mut Diagnostics,
) -> Option<HashMap<&'static str, usize>> {
    let spans = header_cells(sources, file);
    let mut col: HashMap<&'static str, usize> = HashMap::new();
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let span = spans.get(i).cloned().unwrap_or(0..0);
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if col.insert(c, i).is_some() => {
                ok = false;
                diags.push(
                    Diagnostic::error("duplicate-column", format!("the column `{name}` appears twice"))
                        .at(file, span, "a second time")
                        .hint("each column appears once in the header row; delete or rename one of them"),
                );
            }
            Some(_) => {}
            None => {
                ok = false;
                let d = Diagnostic::error(
                    "unknown-column",
                    format!("unknown column `{name}` in the comments table"),
                )
                .at(file, span, "not a known column");
                diags.push(match did_you_mean(name, COLUMNS) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("the columns are {}", COLUMNS.join(", "))),
                });
            }
        }
    }
    let missing: Vec<&str> = COLUMNS[..REQUIRED]
        .iter()
        .copied()
        .filter(|c| !col.contains_key(c))
        .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(
                "missing-column",
                format!("the comments table has no column {}", missing.join(", ")),
            )
            .at(file, sources.line_span(file, 1), "header row")
            .hint(format!("the header row names: {}", COLUMNS.join(","))),
        );
        return None;
    }
    ok.then_some(col)
}

/// One comment's row; `None` after diagnostics when a cell is wrong.
fn read_row(row: &Row<'_>, col: &HashMap<&str, usize>, diags: &mut Diagnostics) -> Option<Comment> {
    let get = |name: &str| col.get(name).map(|&i| row.get(i).to_string()).unwrap_or_default();
    let mut ok = true;
    for name in &COLUMNS[..REQUIRED] {
        if get(name).is_empty() {
            ok = false;
            diags.push(
                Diagnostic::error("missing-value", format!("`{name}` is empty"))
                    .at(row.file, row.span(col[name]), "empty cell")
                    .hint(format!("every comment needs a value in `{name}`")),
            );
        }
    }
    let number = get("number").parse::<u32>().ok().filter(|n| *n > 0);
    if number.is_none() && !get("number").is_empty() {
        ok = false;
        diags.push(
            Diagnostic::error("not-a-number", format!("`{}` is not a comment number", get("number")))
                .at(row.file, row.span(col["number"]), "expected 1, 2, 3 …")
                .hint("number the comments with whole numbers from 1"),
        );
    }
    let reflection = Reflection::parse(&get("reflection"));
    if reflection.is_none() && !get("reflection").is_empty() {
        ok = false;
        diags.push(
            Diagnostic::error(
                "bad-reflection",
                format!("`{}` is not a way a comment was reflected", get("reflection")),
            )
            .at(row.file, row.span(col["reflection"]), "unknown category")
            .hint("write 反映, 一部反映, 反映なし or その他"),
        );
    }
    if !ok {
        return None;
    }
    let bi = |k: &str| Bilingual {
        ja: get(&format!("{k}_ja")),
        en: get(&format!("{k}_en")),
    };
    Some(Comment {
        number: number?,
        item: get("item"),
        section: Some(get("section")).filter(|s| !s.is_empty()),
        summary: bi("summary"),
        answer: bi("answer"),
        reflection: reflection?,
        file: row.file,
        span: row.line_span.clone(),
        ref_spans: ["item", "section"].map(|c| col.get(c).map_or(row.line_span.clone(), |&i| row.span(i))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn reads_comments_and_reports_wrong_cells() {
        let mut s = Sources::default();
        let f = s.add(
            Path::new("data/comments.csv"),
            "number,item,section,summary_ja,answer_ja,reflection\n1,k-1,policy,保育を増やして,増やします,反映\n1,k-1,,重複,答え,反映なし\nx,k-1,,a,b,検討\n".into(),
        );
        let mut d = Diagnostics::default();
        let c = read_comments(&s, f, &mut d);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].reflection, Reflection::Reflected);
        let out = crate::diag::render_plain(&s, &d);
        assert!(out.contains("comment number 1 appears twice"), "{out}");
        assert!(
            out.contains("`x` is not a comment number") && out.contains("`検討` is not a way"),
            "{out}"
        );
    }
}
