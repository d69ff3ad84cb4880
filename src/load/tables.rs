//! Load stage: data tables — targets as CSV (`data/targets/*.csv`, editable in a spreadsheet)
//! and the formulation policy's tables as YAML (`data/periods.yaml`, `bodies.yaml`,
//! `schedule.yaml`).

use std::ops::Range;

use super::yaml::{self, YamlSource};
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::model::{Bilingual, Direction, FiscalYear, Target, TargetType, YearValue};

/// The columns a targets CSV must have (any order); year columns (R5, R6 …) hold actuals.
pub const TARGET_COLUMNS: [&str; 12] = [
    "id",
    "owner",
    "type",
    "indicator_ja",
    "indicator_en",
    "unit_ja",
    "unit_en",
    "direction",
    "baseline_year",
    "baseline",
    "target_year",
    "target",
];

/// Byte ranges of the fields of one CSV line (quotes respected).
pub(super) fn field_ranges(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(start..line.trim_end_matches(['\r', '\n']).len().max(start));
    out
}

/// A reader of a table's rows, the header among them, each row as long as it is (a row of
/// the wrong length is reported by the one who reads it).
pub(super) fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes())
}

/// The header row's cells, trimmed (none when the file has no readable header).
pub fn header(sources: &Sources, file: FileId) -> Vec<String> {
    match reader(sources.text(file)).records().next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The spans of the header row's cells.
pub(super) fn header_cells(sources: &Sources, file: FileId) -> Vec<Range<usize>> {
    let line = sources.line_span(file, 1);
    field_ranges(&sources.text(file)[line.clone()])
        .into_iter()
        .map(|r| line.start + r.start..line.start + r.end)
        .collect()
}

/// A row being read: where its cells are, for diagnostics.
pub(super) struct Row<'a> {
    pub file: FileId,
    pub line_span: Range<usize>,
    cells: Vec<Range<usize>>,
    pub record: std::borrow::Cow<'a, csv::StringRecord>,
}

impl Row<'_> {
    /// A row of a table with `width` columns, or `None` after a diagnostic when it cannot be
    /// read or has the wrong number of cells.
    pub fn read(
        sources: &Sources,
        file: FileId,
        rec: csv::Result<csv::StringRecord>,
        width: usize,
        diags: &mut Diagnostics,
    ) -> Option<Row<'static>> {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(1);
                diags.push(
                    Diagnostic::error("csv-syntax", format!("this CSV row cannot be read: {e}"))
                        .at(file, sources.line_span(file, line), "here")
                        .hint("a field with a comma or a quote must be in double quotes, with quotes inside doubled (\"\")"),
                );
                return None;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(1);
        let line_span = sources.line_span(file, line);
        let empty = rec.iter().all(|c| c.trim().is_empty());
        if !empty && rec.len() != width {
            diags.push(
                Diagnostic::error("wrong-column-count", format!("this row has {} columns but the header has {width}", rec.len()))
                    .at(file, line_span, "wrong number of columns")
                    .hint("every row needs one cell per header column; leave a cell empty (nothing between two commas) when there is no value"),
            );
            return None;
        }
        Some(Row {
            file,
            cells: field_ranges(&sources.text(file)[line_span.clone()]),
            line_span,
            record: std::borrow::Cow::Owned(rec),
        })
    }

    pub fn span(&self, col: usize) -> Range<usize> {
        match self.cells.get(col) {
            Some(r) if !r.is_empty() => self.line_span.start + r.start..self.line_span.start + r.end,
            Some(r) => self.line_span.start + r.start..self.line_span.start + r.start,
            None => self.line_span.clone(),
        }
    }
    pub fn get(&self, col: usize) -> &str {
        self.record.get(col).unwrap_or("").trim()
    }
}

/// The columns of a targets table's header row: the named ones (`id`, `owner`, …) by name, and
/// the fiscal years of actual values, each with its index. Unknown and repeated columns are
/// diagnostics.
fn target_columns<'h>(
    header: &'h csv::StringRecord,
    sources: &Sources,
    file: FileId,
    diags: &mut Diagnostics,
) -> (std::collections::HashMap<&'h str, usize>, Vec<(usize, FiscalYear)>) {
    let header_line = sources.line_span(file, 1);
    let cells = header_cells(sources, file);
    let mut col = std::collections::HashMap::new();
    let mut year_cols: Vec<(usize, FiscalYear)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let span = cells.get(i).cloned().unwrap_or(header_line.clone());
        let fy = FiscalYear::parse(name).ok();
        let twice = col.contains_key(name) || fy.is_some_and(|y| year_cols.iter().any(|(_, x)| *x == y));
        if twice {
            diags.push(
                Diagnostic::error("duplicate-column", format!("the column `{name}` appears twice"))
                    .at(file, span, "a second time")
                    .hint("each column appears once in the header row; delete or rename one of them"),
            );
        } else if TARGET_COLUMNS.contains(&name) {
            col.insert(name, i);
        } else if let Some(fy) = fy {
            year_cols.push((i, fy));
        } else {
            let mut d = Diagnostic::error("unknown-column", format!("unknown column `{name}` in a targets table")).at(
                file,
                span,
                "not a known column or a fiscal year",
            );
            d = match did_you_mean(name, TARGET_COLUMNS) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!(
                    "columns are {} and fiscal years such as R6 for actual values",
                    TARGET_COLUMNS.join(", ")
                )),
            };
            diags.push(d);
        }
    }
    (col, year_cols)
}

/// Reads the targets of one CSV file (already decoded and registered as `file`). Returns the
/// targets read and the ids of rows that had errors.
pub fn read_targets(sources: &Sources, file: FileId, diags: &mut Diagnostics) -> (Vec<Target>, Vec<String>) {
    let text = sources.text(file);
    let mut rdr = reader(text);
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            diags.push(
                Diagnostic::error("csv-syntax", format!("the CSV file cannot be read: {e}")).at(file, 0..0, "here"),
            );
            return (Vec::new(), Vec::new());
        }
        None => {
            diags.push(
                Diagnostic::warning("empty-table", "this targets file is empty")
                    .at(file, 0..0, "no header row")
                    .hint(format!(
                        "the first row names the columns: {},R6,R7,…",
                        TARGET_COLUMNS.join(",")
                    )),
            );
            return (Vec::new(), Vec::new());
        }
    };
    let header_line = sources.line_span(file, 1);
    let (col, year_cols) = target_columns(&header, sources, file, diags);
    let missing: Vec<&str> = TARGET_COLUMNS
        .iter()
        .copied()
        .filter(|c| !col.contains_key(c) && *c != "type")
        .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(
                "missing-column",
                format!("the targets table has no column {}", missing.join(", ")),
            )
            .at(file, header_line.clone(), "header row")
            .hint(format!("the header row must name: {}", TARGET_COLUMNS.join(","))),
        );
        // The rows' ids still count as existing, so references to them add no more errors.
        let ids = col
            .get("id")
            .map(|&i| {
                records
                    .filter_map(Result::ok)
                    .filter_map(|r| r.get(i).map(|s| s.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        return (Vec::new(), ids);
    }
    read_target_rows(sources, file, records, &col, &year_cols, header.len(), diags)
}

/// Reads the rows of a targets table after its header (`width` columns, `col` and `year_cols`
/// as [`target_columns`] found them): the targets, and the ids of rows that had errors.
fn read_target_rows(
    sources: &Sources,
    file: FileId,
    records: csv::StringRecordsIter<'_, &[u8]>,
    col: &std::collections::HashMap<&str, usize>,
    year_cols: &[(usize, FiscalYear)],
    width: usize,
    diags: &mut Diagnostics,
) -> (Vec<Target>, Vec<String>) {
    let text = sources.text(file);
    let mut out = Vec::new();
    let mut broken = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(1);
                diags.push(
                    Diagnostic::error("csv-syntax", format!("this CSV row cannot be read: {e}"))
                        .at(file, sources.line_span(file, line), "here")
                        .hint("a field with a comma or a quote must be in double quotes, with quotes inside doubled (\"\")"),
                );
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(1);
        let line_span = sources.line_span(file, line);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = Row {
            file,
            cells: field_ranges(&text[line_span.clone()]),
            line_span,
            record: std::borrow::Cow::Borrowed(&rec),
        };
        let id_of = |r: &csv::StringRecord| r.get(col["id"]).unwrap_or("").trim().to_string();
        if rec.len() != width {
            broken.push(id_of(&rec));
            diags.push(
                Diagnostic::error("wrong-column-count", format!("this row has {} columns but the header has {width}", rec.len()))
                    .at(file, row.line_span.clone(), "wrong number of columns")
                    .hint("every row needs one cell per header column; leave a cell empty (nothing between two commas) when there is no value"),
            );
            continue;
        }
        match read_target_row(&row, col, year_cols, diags) {
            Some(t) => out.push(t),
            None => broken.push(id_of(&rec)),
        }
    }
    (out, broken)
}

/// A target from one row: the required cells first (each empty one a diagnostic), then each
/// cell read and checked by its own reader, so that a diagnostic points at its cell. `None`
/// when any cell is wrong.
fn read_target_row(
    row: &Row<'_>,
    col: &std::collections::HashMap<&str, usize>,
    years: &[(usize, FiscalYear)],
    diags: &mut Diagnostics,
) -> Option<Target> {
    let c = |name: &str| col[name];
    let mut ok = true;
    let mut required = |name: &str, diags: &mut Diagnostics| -> String {
        let v = row.get(c(name)).to_string();
        if v.is_empty() {
            ok = false;
            diags.push(
                Diagnostic::error("missing-value", format!("`{name}` is empty"))
                    .at(row.file, row.span(c(name)), "empty cell")
                    .hint(format!("every target needs a value in `{name}`")),
            );
        }
        v
    };
    let id = required("id", diags);
    let owner = required("owner", diags);
    let indicator_ja = required("indicator_ja", diags);
    let _ = required("baseline_year", diags);
    let _ = required("baseline", diags);
    let _ = required("target_year", diags);
    let _ = required("target", diags);
    if !id_cell(row, c("id"), &id, diags) || !ok {
        return None;
    }
    let direction = direction_cell(row, c("direction"), diags);
    let kind = type_cell(row, col.get("type").copied(), diags);
    let baseline_year = year_cell(row, c("baseline_year"), diags);
    let baseline = number_cell(row, c("baseline"), diags);
    let target_year = year_cell(row, c("target_year"), diags);
    let target = number_cell(row, c("target"), diags);
    let mut actuals = Vec::new();
    for &(i, fy) in years {
        if row.get(i).is_empty() {
            continue;
        }
        if let Some(v) = number_cell(row, i, diags) {
            actuals.push(YearValue { year: fy, value: v });
        }
    }
    actuals.sort_by_key(|a| a.year);
    Some(Target {
        id,
        owner,
        kind: kind?,
        indicator: Bilingual {
            ja: indicator_ja,
            en: row.get(c("indicator_en")).to_string(),
        },
        unit: Bilingual {
            ja: row.get(c("unit_ja")).to_string(),
            en: row.get(c("unit_en")).to_string(),
        },
        direction: direction?,
        baseline: YearValue {
            year: baseline_year?,
            value: baseline?,
        },
        target: YearValue {
            year: target_year?,
            value: target?,
        },
        actuals,
        file: row.file,
        span: row.line_span.clone(),
    })
}

/// Whether the target id `id` in cell `i` can be one (an empty id has its own error).
fn id_cell(row: &Row<'_>, i: usize, id: &str, diags: &mut Diagnostics) -> bool {
    let ok = id.is_empty()
        || (id.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch)) && !id.starts_with(['.', '-']));
    if !ok {
        diags.push(
            Diagnostic::error("bad-target-id", format!("`{id}` cannot be a target id"))
                .at(row.file, row.span(i), "not an id")
                .hint("target ids are made of letters, digits, hyphens, dots and underscores, e.g. kosodate-1-2"),
        );
    }
    ok
}

/// Records that cell `i` of `row` is wrong (`code`, what is wrong, the cell's label, how to
/// put it right); the cell then has no value.
fn wrong_cell<T>(
    row: &Row<'_>,
    i: usize,
    code: &'static str,
    msg: String,
    label: &str,
    hint: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    diags.push(Diagnostic::error(code, msg).at(row.file, row.span(i), label).hint(hint));
    None
}

/// The number in cell `i` (thousands separators allowed), or `None` after a diagnostic.
fn number_cell(row: &Row<'_>, i: usize, diags: &mut Diagnostics) -> Option<f64> {
    let raw = row.get(i);
    let cleaned: String = raw.chars().filter(|ch| *ch != ',' && *ch != '，').collect();
    match cleaned.parse::<f64>() {
        // Beyond a thousand trillion a value cannot be shown digit for digit.
        Ok(v) if v.is_finite() && v.abs() > 1e15 => wrong_cell(
            row,
            i,
            "number-too-large",
            format!("`{raw}` is too large a value"),
            "larger than 1,000,000,000,000,000",
            "give the value in a larger unit (千人, 億円) and say so in unit_ja and unit_en",
            diags,
        ),
        Ok(v) if v.is_finite() => Some(v),
        _ => wrong_cell(
            row,
            i,
            "not-a-number",
            format!("`{raw}` is not a number"),
            "expected a number",
            "write plain numbers without units, e.g. 75 or 12.5 or 5440000",
            diags,
        ),
    }
}

/// The fiscal year in cell `i`, or `None` after a diagnostic.
fn year_cell(row: &Row<'_>, i: usize, diags: &mut Diagnostics) -> Option<FiscalYear> {
    let raw = row.get(i);
    FiscalYear::parse(raw).ok().or_else(|| {
        wrong_cell(
            row,
            i,
            "bad-fiscal-year",
            format!("`{raw}` is not a fiscal year"),
            "expected a fiscal year",
            "write fiscal years like R6, 令和6年度 or H27",
            diags,
        )
    })
}

/// Which way is better for the target, from cell `i` (empty: up), or `None` after a diagnostic.
fn direction_cell(row: &Row<'_>, i: usize, diags: &mut Diagnostics) -> Option<Direction> {
    match row.get(i) {
        "up" | "" | "上" | "増" => Some(Direction::Up),
        "down" | "下" | "減" => Some(Direction::Down),
        other => wrong_cell(
            row,
            i,
            "bad-direction",
            format!("`{other}` is not a direction"),
            "expected up or down",
            "write `up` when a higher value is better, `down` when a lower value is better",
            diags,
        ),
    }
}

/// The type of target in cell `i` (no `type` column or an empty cell: an ordinary target),
/// or `None` after a diagnostic.
fn type_cell(row: &Row<'_>, i: Option<usize>, diags: &mut Diagnostics) -> Option<TargetType> {
    match i.map(|i| row.get(i)).unwrap_or("") {
        "" => Some(TargetType::Target),
        "numeric" | "数値目標" => Some(TargetType::Numeric),
        "kpi" | "KPI" => Some(TargetType::Kpi),
        "mezasou" => Some(TargetType::Mezasou),
        other => wrong_cell(
            row,
            i.unwrap_or_default(),
            "bad-target-type",
            format!("`{other}` is not a type of target"),
            "unknown type",
            "leave `type` empty for measures, pillars and the vision; write `numeric` (数値目標) or `kpi` for strategy goals",
            diags,
        ),
    }
}

/// Reads a YAML data table of type `T`.
pub fn read_yaml_table<T: serde::de::DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let text = sources.text(file);
    yaml::parse(
        sources,
        YamlSource {
            file,
            base: 0,
            line_offset: 0,
        },
        text,
        what,
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn load(csv: &str) -> (Vec<Target>, Diagnostics, Sources) {
        let mut s = Sources::default();
        let f = s.add(Path::new("data/targets/t.csv"), csv.to_string());
        let mut d = Diagnostics::default();
        let (t, _) = read_targets(&s, f, &mut d);
        (t, d, s)
    }

    const HEAD: &str = "id,owner,type,indicator_ja,indicator_en,unit_ja,unit_en,direction,baseline_year,baseline,target_year,target,R5,R6,R7\n";

    #[test]
    fn reads_targets_with_yearly_actuals() {
        let (t, d, _) = load(&format!(
            "{HEAD}k-1,kosodate-1,,待機児童数,Children on waiting lists,人,children,down,R4,12,R9,0,10,6,\n"
        ));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].direction, Direction::Down);
        assert_eq!(t[0].actuals.len(), 2);
        assert_eq!(t[0].actuals[1].year, FiscalYear(2024));
    }

    #[test]
    fn errors_on_wrong_column_count_and_bad_values() {
        let (_, d, s) = load(&format!(
            "{HEAD}k-1,kosodate-1,,x,x,人,p,up,R4,12,R9\nk-2,kosodate-1,,x,x,人,p,sideways,R44x,ten,R9,1,,,\n"
        ));
        let out = crate::diag::render_plain(&s, &d);
        assert!(out.contains("this row has 11 columns but the header has 15"), "{out}");
        assert!(out.contains("`sideways` is not a direction"), "{out}");
        assert!(out.contains("`R44x` is not a fiscal year"), "{out}");
        assert!(out.contains("`ten` is not a number"), "{out}");
        assert!(out.contains("t.csv:3:"), "{out}");
    }
}
