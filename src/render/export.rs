//! Render stage (export): every table keikaku reads, written back in the form it reads it —
//! the targets files (`data/targets/*.csv`, their columns in the order the file had them),
//! the editions of the implementation plan (`data/projects/R7-R9.csv`) and the public
//! comments (`data/comments.csv`) — so that finance and
//! planning staff can take a table to a spreadsheet and put it back. The form is the one
//! Excel writes as "CSV UTF-8": a byte-order mark, CRLF line ends, quotes only where needed.
//! The bundled plan's tables are kept in this form, so exporting them gives the same bytes.

use std::path::PathBuf;

use super::OutputFile;
use crate::diag::Sources;
use crate::model::projects::{Edition, Funding, Project};
use crate::model::{Direction, FiscalYear, Plan, Target, TargetType};

/// A number as a table holds it: `42`, `45.1`, `0.25` (no separators, no needless decimals).
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Rows as CSV bytes in the form of Excel's "CSV UTF-8".
fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// A target's cell of the column `name`.
fn target_cell(t: &Target, name: &str) -> String {
    match name {
        "id" => t.id.clone(),
        "owner" => t.owner.clone(),
        "type" => match t.kind {
            // What a pillar's or the vision's target is when its type is left empty.
            TargetType::Target | TargetType::Mezasou => String::new(),
            TargetType::Numeric => "numeric".into(),
            TargetType::Kpi => "kpi".into(),
        },
        "indicator_ja" => t.indicator.ja.clone(),
        "indicator_en" => t.indicator.en.clone(),
        "unit_ja" => t.unit.ja.clone(),
        "unit_en" => t.unit.en.clone(),
        "direction" => match t.direction {
            Direction::Up => "up".into(),
            Direction::Down => "down".into(),
        },
        "baseline_year" => t.baseline.year.compact(),
        "baseline" => number(t.baseline.value),
        "target_year" => t.target.year.compact(),
        "target" => number(t.target.value),
        year => FiscalYear::parse(year)
            .ok()
            .and_then(|y| t.actuals.iter().find(|a| a.year == y))
            .map(|a| number(a.value))
            .unwrap_or_default(),
    }
}

/// A project's cell of the column `name`.
fn project_cell(p: &Project, name: &str) -> String {
    let amount = |v: i64| v.to_string();
    match name {
        "id" => p.id.clone(),
        "measure" => p.measure.clone(),
        "strategy" => p.strategy.clone().unwrap_or_default(),
        "kind" => p.kind.ja().to_string(),
        "name_ja" => p.name.ja.clone(),
        "name_en" => p.name.en.clone(),
        "department_ja" => p.department.ja.clone(),
        "department_en" => p.department.en.clone(),
        "outline_ja" => p.outline.ja.clone(),
        "outline_en" => p.outline.en.clone(),
        "activity_ja" => p.activity.as_ref().map(|a| a.name.ja.clone()).unwrap_or_default(),
        "activity_en" => p.activity.as_ref().map(|a| a.name.en.clone()).unwrap_or_default(),
        "activity_unit_ja" => p.activity.as_ref().map(|a| a.unit.ja.clone()).unwrap_or_default(),
        "activity_unit_en" => p.activity.as_ref().map(|a| a.unit.en.clone()).unwrap_or_default(),
        "activity_target" => p.activity.as_ref().map(|a| number(a.target)).unwrap_or_default(),
        col => {
            let (y, part) = match col.split_once('_') {
                Some((y, part)) => (y, Funding::SOURCES.iter().position(|s| *s == part)),
                None => (col, None),
            };
            let Some(c) = FiscalYear::parse(y)
                .ok()
                .and_then(|y| p.costs.iter().find(|c| c.year == y))
            else {
                return String::new();
            };
            match part {
                None => amount(c.total),
                Some(k) => amount(c.funding.parts()[k]),
            }
        }
    }
}

/// A comment's cell of the column `name`.
fn comment_cell(c: &crate::model::comments::Comment, name: &str) -> String {
    match name {
        "number" => c.number.to_string(),
        "item" => c.item.clone(),
        "section" => c.section.clone().unwrap_or_default(),
        "summary_ja" => c.summary.ja.clone(),
        "summary_en" => c.summary.en.clone(),
        "answer_ja" => c.answer.ja.clone(),
        "answer_en" => c.answer.en.clone(),
        "reflection" => c.reflection.ja().to_string(),
        _ => String::new(),
    }
}

/// An edition as its file.
fn edition_file(sources: &Sources, e: &Edition) -> OutputFile {
    let mut rows = vec![e.columns.clone()];
    rows.extend(
        e.projects
            .iter()
            .map(|p| e.columns.iter().map(|c| project_cell(p, c)).collect()),
    );
    OutputFile {
        path: sources.path(e.file).to_path_buf(),
        bytes: csv(&rows),
    }
}

/// Every table keikaku reads, as files at their paths in the content folder.
pub fn files(plan: &Plan, sources: &Sources) -> Vec<OutputFile> {
    let mut out: Vec<OutputFile> = plan
        .target_tables
        .iter()
        .map(|table| {
            let mut rows = vec![table.columns.clone()];
            rows.extend(
                plan.targets
                    .iter()
                    .filter(|t| t.file == table.file)
                    .map(|t| table.columns.iter().map(|c| target_cell(t, c)).collect()),
            );
            OutputFile {
                path: PathBuf::from(sources.path(table.file)),
                bytes: csv(&rows),
            }
        })
        .collect();
    out.extend(plan.editions.0.iter().map(|e| edition_file(sources, e)));
    if let Some(table) = &plan.comment_table {
        let mut rows = vec![table.columns.clone()];
        rows.extend(
            plan.comments
                .iter()
                .map(|c| table.columns.iter().map(|col| comment_cell(c, col)).collect()),
        );
        out.push(OutputFile {
            path: PathBuf::from(sources.path(table.file)),
            bytes: csv(&rows),
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_tables_hold_them() {
        assert_eq!(number(42.0), "42");
        assert_eq!(number(45.1), "45.1");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(0.25), "0.25");
    }

    #[test]
    fn quotes_only_where_needed() {
        let b = csv(&[vec!["a".into(), "b,c".into(), "\"q\"".into(), String::new()]]);
        assert_eq!(b, b"\xEF\xBB\xBFa,\"b,c\",\"\"\"q\"\"\",\r\n");
    }
}
