//! Load stage: one edition of the implementation plan (`data/projects/R7-R9.csv`) — a row
//! per project, with its cost and funding for each fiscal year of the edition, kept in a
//! spreadsheet by the finance and planning staff. Every wrong cell is a diagnostic at its
//! line and column; whether the measures and strategy goals exist is the resolve stage's.

use std::collections::HashMap;

use super::tables::{Row, header_cells};
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::model::projects::{Activity, Edition, Funding, Project, ProjectKind, YearCost};
use crate::model::{Bilingual, FiscalYear};

/// The columns every edition needs, besides its years.
pub const REQUIRED: [&str; 4] = ["id", "measure", "kind", "name_ja"];
/// The columns an edition may have.
pub const OPTIONAL: [&str; 11] = [
    "strategy",
    "name_en",
    "department_ja",
    "department_en",
    "outline_ja",
    "outline_en",
    "activity_ja",
    "activity_en",
    "activity_unit_ja",
    "activity_unit_en",
    "activity_target",
];

/// The example header given in hints.
const EXAMPLE: &str = "id,measure,strategy,kind,name_ja,name_en,department_ja,department_en,R7,R7_grants,R7_bonds,R7_other,R7_general,R8,…";

/// The fiscal years of an edition, from its file name (`R7-R9`).
pub fn edition_years(stem: &str) -> Option<(FiscalYear, FiscalYear)> {
    let (a, b) = stem.split_once('-')?;
    let (from, to) = (FiscalYear::parse(a).ok()?, FiscalYear::parse(b).ok()?);
    (from <= to && to.0 - from.0 < 10).then_some((from, to))
}

/// A year column: the year and which part (`None` for the cost itself).
fn year_column(name: &str) -> Option<(FiscalYear, Option<usize>)> {
    let (y, part) = match name.split_once('_') {
        Some((y, p)) => (y, Some(Funding::SOURCES.iter().position(|s| *s == p)?)),
        None => (name, None),
    };
    // Only the compact form (`R7`), so that `id` or `note` is never a year.
    if !y.starts_with(['R', 'H']) {
        return None;
    }
    Some((FiscalYear::parse(y).ok()?, part))
}

/// Where each column of an edition's file is.
struct Columns {
    named: HashMap<String, usize>,
    /// Per year of the edition: the cost column and the four parts' columns.
    years: Vec<(FiscalYear, [Option<usize>; 5])>,
}

impl Columns {
    /// Places the header's column `i`, named `name`; `Err` with (code, message, label, hint)
    /// when the name is wrong.
    fn place(&mut self, i: usize, name: &str) -> Result<(), (&'static str, String, &'static str, String)> {
        let twice = || {
            Err((
                "duplicate-column",
                format!("the column `{name}` appears twice"),
                "a second time",
                "each column appears once in the header row; delete or rename one of them".to_string(),
            ))
        };
        if REQUIRED.contains(&name) || OPTIONAL.contains(&name) {
            return match self.named.insert(name.to_string(), i) {
                Some(_) => twice(),
                None => Ok(()),
            };
        }
        let Some((year, part)) = year_column(name) else {
            let known: Vec<&str> = REQUIRED.iter().chain(OPTIONAL.iter()).copied().collect();
            let hint = match did_you_mean(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the columns are {}, and for each year R7 (the cost) and R7_grants, R7_bonds, R7_other, R7_general (its funding)",
                    known.join(", ")
                ),
            };
            return Err((
                "unknown-column",
                format!("unknown column `{name}` in a projects table"),
                "not a known column",
                hint,
            ));
        };
        let (from, to) = (self.years[0].0, self.years[self.years.len() - 1].0);
        match self.years.iter_mut().find(|(y, _)| *y == year) {
            Some((_, slots)) => match slots[part.map_or(0, |p| p + 1)].replace(i) {
                Some(_) => twice(),
                None => Ok(()),
            },
            None => Err((
                "year-outside-edition",
                format!(
                    "{} is not a year of this edition ({}–{})",
                    year.ja(),
                    from.ja(),
                    to.ja()
                ),
                "outside the edition",
                format!(
                    "this file holds the edition {}-{}: its years are {}; a later year belongs in the next edition's file",
                    from.compact(),
                    to.compact(),
                    from.through(to).map(|y| y.compact()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }

    /// The columns the header lacks: the required ones and each year's five.
    fn missing(&self) -> Vec<String> {
        let mut out: Vec<String> = REQUIRED
            .iter()
            .filter(|c| !self.named.contains_key(**c))
            .map(|c| c.to_string())
            .collect();
        for (y, slots) in &self.years {
            for (k, slot) in slots.iter().enumerate() {
                if slot.is_none() {
                    out.push(match k {
                        0 => y.compact(),
                        _ => format!("{}_{}", y.compact(), Funding::SOURCES[k - 1]),
                    });
                }
            }
        }
        out
    }
}

/// Reads the header; `None` (after the diagnostics) when rows cannot be read with it.
fn read_header(
    sources: &Sources,
    file: FileId,
    header: &csv::StringRecord,
    (from, to): (FiscalYear, FiscalYear),
    diags: &mut Diagnostics,
) -> Option<Columns> {
    let spans = header_cells(sources, file);
    let mut cols = Columns {
        named: HashMap::new(),
        years: from.through(to).map(|y| (y, [None; 5])).collect(),
    };
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        if let Err((code, msg, label, hint)) = cols.place(i, name.trim()) {
            ok = false;
            let span = spans.get(i).cloned().unwrap_or(0..0);
            diags.push(Diagnostic::error(code, msg).at(file, span, label).hint(hint));
        }
    }
    let missing = cols.missing();
    if !missing.is_empty() {
        ok = false;
        diags.push(
            Diagnostic::error(
                "missing-column",
                format!("the projects table has no column {}", missing.join(", ")),
            )
            .at(file, sources.line_span(file, 1), "header row")
            .hint(format!("the header row names, for example: {EXAMPLE}")),
        );
    }
    ok.then_some(cols)
}

/// Reads one edition from its CSV file (already decoded and registered as `file`), named
/// `stem` (`R7-R9`); `None` when its name or header is wrong. Rows with errors are left out
/// after their diagnostics.
pub fn read_projects(sources: &Sources, file: FileId, stem: &str, diags: &mut Diagnostics) -> Option<Edition> {
    let Some(years) = edition_years(stem) else {
        diags.push(
            Diagnostic::error(
                "bad-edition-name",
                format!("`{stem}` does not name an edition of the implementation plan"),
            )
            .at(file, 0..0, "file name")
            .hint("name each edition's file after its first and last fiscal years, e.g. data/projects/R7-R9.csv"),
        );
        return None;
    };
    let text = sources.text(file);
    let mut rdr = super::tables::reader(text);
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        _ => {
            diags.push(
                Diagnostic::error("missing-column", "this projects table has no header row")
                    .at(file, 0..0, "empty")
                    .hint(format!("the first row names the columns: {EXAMPLE}")),
            );
            return None;
        }
    };
    let cols = read_header(sources, file, &header, years, diags)?;
    let mut projects: Vec<Project> = Vec::new();
    let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    for rec in records {
        let Some(row) = Row::read(sources, file, rec, header.len(), diags) else {
            continue;
        };
        if row.record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // A second row of an id is reported even when either row has other errors.
        let id = row.get(cols.named["id"]).to_string();
        let span = row.span(cols.named["id"]);
        match seen.iter().find(|(x, _)| !id.is_empty() && *x == id) {
            Some((_, first)) => diags.push(
                Diagnostic::error(
                    "duplicate-project",
                    format!("the project `{id}` appears twice in this edition"),
                )
                .at(file, span, "a second time")
                .also(file, first.clone(), "first here")
                .hint("each project is one row of an edition; give the other project an id of its own"),
            ),
            None => {
                seen.push((id, row.line_span.clone()));
                projects.extend(read_row(&row, &cols, diags));
            }
        }
    }
    let edition = Edition {
        from: years.0,
        to: years.1,
        projects,
        file,
        columns: header.iter().map(|c| c.trim().to_string()).collect(),
    };
    Some(edition)
}

/// Reads one project's row; `None` after diagnostics when a cell is wrong.
fn read_row(row: &Row<'_>, cols: &Columns, diags: &mut Diagnostics) -> Option<Project> {
    let get = |name: &str| {
        cols.named
            .get(name)
            .map(|&i| row.get(i).to_string())
            .unwrap_or_default()
    };
    let mut ok = true;
    for name in REQUIRED {
        if get(name).is_empty() {
            ok = false;
            diags.push(
                Diagnostic::error("missing-value", format!("`{name}` is empty"))
                    .at(row.file, row.span(cols.named[name]), "empty cell")
                    .hint(format!("every project needs a value in `{name}`")),
            );
        }
    }
    let id = get("id");
    if !id.is_empty() && !super::valid_id(&id) {
        ok = false;
        diags.push(
            Diagnostic::error("bad-project-id", format!("`{id}` cannot be a project id"))
                .at(row.file, row.span(cols.named["id"]), "not an id")
                .hint("project ids are made of lower-case letters, digits and hyphens, e.g. kenko-1-kenshin; keep the same id in every edition"),
        );
    }
    let kind = ProjectKind::parse(&get("kind"));
    if kind.is_none() && !get("kind").is_empty() {
        ok = false;
        diags.push(
            Diagnostic::error(
                "bad-project-kind",
                format!("`{}` is not a kind of project", get("kind")),
            )
            .at(row.file, row.span(cols.named["kind"]), "unknown kind")
            .hint("write 新規 (new), 拡充 (expanded), 継続 (continued) or 終了 (ended)"),
        );
    }
    let mut costs = Vec::new();
    for (year, slots) in &cols.years {
        match read_year(row, *year, slots, diags) {
            Ok(Some(c)) => costs.push(c),
            Ok(None) => {}
            Err(()) => ok = false,
        }
    }
    let activity = read_activity(row, cols, diags);
    if !ok || activity.is_err() {
        return None;
    }
    let bi = |k: &str| Bilingual {
        ja: get(&format!("{k}_ja")),
        en: get(&format!("{k}_en")),
    };
    Some(Project {
        measure: get("measure"),
        strategy: Some(get("strategy")).filter(|s| !s.is_empty()),
        kind: kind?,
        name: bi("name"),
        department: bi("department"),
        outline: bi("outline"),
        costs,
        activity: activity.ok()?,
        file: row.file,
        span: row.line_span.clone(),
        ref_spans: ["measure", "strategy"].map(|c| cols.named.get(c).map_or(row.line_span.clone(), |&i| row.span(i))),
        id,
    })
}

/// A whole number of thousands of yen (`12000`, `12,000`), or a diagnostic.
fn amount(row: &Row<'_>, col: usize, diags: &mut Diagnostics) -> Result<i64, ()> {
    let raw = row.get(col);
    let cleaned: String = raw.chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
    match cleaned.parse::<i64>() {
        Ok(v) if (0..=1_000_000_000_000).contains(&v) => Ok(v),
        _ => {
            diags.push(
                Diagnostic::error("not-an-amount", format!("`{raw}` is not an amount in thousands of yen"))
                    .at(row.file, row.span(col), "expected a whole number")
                    .hint("write costs in 千円 as whole numbers without units, e.g. 12000 or 12,000; 0 for a source that gives nothing"),
            );
            Err(())
        }
    }
}

/// One year's cost and funding; `Ok(None)` when the five cells are empty.
fn read_year(
    row: &Row<'_>,
    year: FiscalYear,
    slots: &[Option<usize>; 5],
    diags: &mut Diagnostics,
) -> Result<Option<YearCost>, ()> {
    let cols: Vec<usize> = slots.iter().flatten().copied().collect();
    if cols.iter().all(|&c| row.get(c).is_empty()) {
        return Ok(None);
    }
    let total_col = cols[0];
    if row.get(total_col).is_empty() {
        diags.push(
            Diagnostic::error(
                "missing-value",
                format!("the cost of {} is empty but its funding is given", year.ja()),
            )
            .at(row.file, row.span(total_col), "empty cell")
            .hint(format!(
                "write the year's cost (事業費, 千円) in {}, or empty the funding cells too",
                year.compact()
            )),
        );
        return Err(());
    }
    let total = amount(row, total_col, diags);
    let mut parts = [0i64; 4];
    let mut ok = total.is_ok();
    for (k, &c) in cols[1..].iter().enumerate() {
        if !row.get(c).is_empty() {
            match amount(row, c, diags) {
                Ok(v) => parts[k] = v,
                Err(()) => ok = false,
            }
        }
    }
    let total = total?;
    if !ok {
        return Err(());
    }
    let funding = Funding {
        grants: parts[0],
        bonds: parts[1],
        other: parts[2],
        general: parts[3],
    };
    if funding.sum() != total {
        let fmt = |v: i64| v.to_string();
        diags.push(
            Diagnostic::error(
                "funding-mismatch",
                format!("the funding of {} adds up to {} but the cost is {} (千円)", year.ja(), fmt(funding.sum()), fmt(total)),
            )
            .at(row.file, row.span(total_col), "the cost")
            .hint(format!("国・県支出金 + 地方債 + その他 + 一般財源 ({y}_grants + {y}_bonds + {y}_other + {y}_general) must equal {y}; the difference is {}", fmt(total - funding.sum()), y = year.compact())),
        );
        return Err(());
    }
    Ok(Some(YearCost { year, total, funding }))
}

/// The activity indicator, if the row gives one.
fn read_activity(row: &Row<'_>, cols: &Columns, diags: &mut Diagnostics) -> Result<Option<Activity>, ()> {
    let get = |name: &str| {
        cols.named
            .get(name)
            .map(|&i| row.get(i).to_string())
            .unwrap_or_default()
    };
    if get("activity_ja").is_empty() {
        return Ok(None);
    }
    let target = get("activity_target");
    let col = cols.named.get("activity_target").copied();
    let value = target
        .replace([',', '，'], "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite());
    match (value, col) {
        (Some(v), _) => Ok(Some(Activity {
            name: Bilingual {
                ja: get("activity_ja"),
                en: get("activity_en"),
            },
            unit: Bilingual {
                ja: get("activity_unit_ja"),
                en: get("activity_unit_en"),
            },
            target: v,
        })),
        (None, col) => {
            let span = col.map_or(row.line_span.clone(), |c| row.span(c));
            diags.push(
                Diagnostic::error("not-a-number", format!("the activity indicator's target `{target}` is not a number"))
                    .at(row.file, span, "expected a number")
                    .hint("give the value planned for the edition's last year in activity_target, as a plain number, or empty activity_ja"),
            );
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const HEAD: &str = "id,measure,strategy,kind,name_ja,name_en,R7,R7_grants,R7_bonds,R7_other,R7_general,R8,R8_grants,R8_bonds,R8_other,R8_general\n";

    fn load(stem: &str, csv: &str) -> (Option<Edition>, String) {
        let mut s = Sources::default();
        let f = s.add(Path::new(&format!("data/projects/{stem}.csv")), csv.to_string());
        let mut d = Diagnostics::default();
        let e = read_projects(&s, f, stem, &mut d);
        (e, crate::diag::render_plain(&s, &d))
    }

    #[test]
    fn reads_costs_and_funding() {
        let (e, out) = load(
            "R7-R8",
            &format!("{HEAD}a-1,m-1,,新規,健診,Checkups,\"12,000\",6000,0,0,6000,,,,,\n"),
        );
        assert!(out.is_empty(), "{out}");
        let e = e.unwrap();
        assert_eq!(e.projects[0].costs.len(), 1);
        assert_eq!(e.projects[0].costs[0].total, 12000);
        assert_eq!(e.projects[0].kind, ProjectKind::New);
    }

    #[test]
    fn every_wrong_cell_is_reported() {
        let (_, out) = load("R7-R8", &format!("{HEAD}a-1,m-1,,続行,健診,,100,50,0,0,40,x,,,,\n"));
        assert!(out.contains("`続行` is not a kind of project"), "{out}");
        assert!(out.contains("adds up to 90 but the cost is 100"), "{out}");
        assert!(out.contains("`x` is not an amount"), "{out}");
        assert!(out.contains("R7-R8.csv:2:"), "{out}");
    }

    #[test]
    fn a_year_outside_the_edition_and_a_bad_name() {
        let (_, out) = load("R7-R7", HEAD);
        assert!(out.contains("令和8年度 is not a year of this edition"), "{out}");
        let (e, out) = load("2025", HEAD);
        assert!(e.is_none() && out.contains("does not name an edition"), "{out}");
    }
}
