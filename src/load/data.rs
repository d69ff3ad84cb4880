//! Load stage: the files of `data/` — the targets' and projects' CSV, the public comments,
//! the formulation policy's YAML tables and the accessibility results — each read by its
//! own reader into what it gives the build.

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};
use crate::model::{Periods, Schedule, Target};

use super::{comments, projects, tables};

/// What a data file gave.
pub(super) enum DataOutcome {
    /// A targets table: its header, its targets and the ids of rows with errors.
    Targets(crate::model::SourceTable, Vec<Target>, Vec<String>),
    /// An edition of the implementation plan.
    Projects(Option<crate::model::projects::Edition>),
    /// The public comments.
    Comments(crate::model::SourceTable, Vec<crate::model::comments::Comment>),
    /// The plan periods.
    Periods(FileId, Option<Periods>),
    /// The formulation bodies.
    Bodies(FileId, Option<crate::model::Bodies>),
    /// The schedule.
    Schedule(FileId, Option<Schedule>),
    /// The accessibility results.
    Accessibility(Option<crate::model::A11yResults>),
}

/// Reads the data file `data/<name>`.
pub(super) fn load_data(
    name: &str,
    ext: &str,
    sources: &Sources,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<DataOutcome> {
    Some(match (name, ext) {
        (n, "csv") if n.starts_with("targets/") => {
            let (ok, broken) = tables::read_targets(sources, file, diags);
            let columns = tables::header(sources, file);
            DataOutcome::Targets(crate::model::SourceTable { file, columns }, ok, broken)
        }
        (n, "csv") if n.starts_with("projects/") && !n[9..].contains('/') => {
            let stem = n[9..].strip_suffix(".csv").unwrap_or(&n[9..]);
            DataOutcome::Projects(projects::read_projects(sources, file, stem, diags))
        }
        ("comments.csv", _) => DataOutcome::Comments(
            crate::model::SourceTable {
                file,
                columns: tables::header(sources, file),
            },
            comments::read_comments(sources, file, diags),
        ),
        ("periods.yaml", _) => DataOutcome::Periods(
            file,
            tables::read_yaml_table::<Periods>(sources, file, "plan periods table", diags),
        ),
        ("bodies.yaml", _) => DataOutcome::Bodies(
            file,
            tables::read_yaml_table(sources, file, "formulation bodies table", diags),
        ),
        ("schedule.yaml", _) => DataOutcome::Schedule(
            file,
            tables::read_yaml_table::<Schedule>(sources, file, "schedule table", diags),
        ),
        ("accessibility.yaml", _) => DataOutcome::Accessibility(tables::read_yaml_table(
            sources,
            file,
            "accessibility test results",
            diags,
        )),
        _ => {
            diags.push(
                Diagnostic::warning("ignored-file", "keikaku does not know this data file, so it is ignored")
                    .at(file, 0..0, "ignored")
                    .hint(
                        "data files are targets/*.csv, projects/<edition>.csv, comments.csv, periods.yaml, bodies.yaml, schedule.yaml and accessibility.yaml",
                    ),
            );
            return None;
        }
    })
}
