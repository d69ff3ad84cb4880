//! The documents of a plan one by one, for the benchmarks and tools (`cargo bench --bench
//! pdf` compares the embedded typst with the typst command line on them): each with its
//! output name, template, data and edition, typeset as the build does, or written out as
//! the typst command line reads them.

use std::collections::HashMap;

use anyhow::{Result, anyhow};

use super::volumes::{self, Volume};
use super::{Doc, Edition, PdfSettings, cited_documents, compile, data, export, file_name, fixed_date, measure_pages};
use crate::diag::{Diagnostics, Sources};
use crate::model::{Lang, Plan};
use crate::theme::Theme;

/// One document to typeset, for benchmarks and tools: its output name, main template,
/// data and edition.
pub struct Job {
    /// Output path of the PDF.
    pub name: String,
    /// Main template (`/plan.typ` or `/strategy.typ`).
    pub main: &'static str,
    /// The document data (`/data.json`).
    pub data: serde_json::Value,
    /// Edition.
    pub edition: Edition,
}

/// The documents of a plan (eight, or more when the basic plan is in volumes), with the
/// strategy's page numbers taken from a first typesetting of the basic plan.
pub fn jobs(plan: &Plan, theme: &Theme) -> Result<Vec<Job>> {
    let today = fixed_date(plan, &PdfSettings::default());
    let volumes = volumes::volumes(plan);
    let mut out = Vec::new();
    for lang in Lang::ALL {
        for edition in [Edition::Screen, Edition::Print] {
            let mut pages = HashMap::new();
            for v in &volumes {
                let plan_data = data::document(plan, theme, lang, Doc::Plan, v, &HashMap::new());
                let (mut s, mut d) = (Sources::default(), Diagnostics::default());
                let doc = compile(theme, "/plan.typ", &plan_data, edition, today, &mut s, &mut d)?
                    .ok_or_else(|| anyhow!("the basic plan could not be typeset"))?;
                pages.extend(measure_pages(&doc, v));
                out.push(Job {
                    name: file_name(plan, Doc::Plan, lang, edition, v.split()),
                    main: "/plan.typ",
                    data: plan_data,
                    edition,
                });
            }
            for (doc, main) in cited_documents(plan) {
                out.push(Job {
                    name: file_name(plan, doc, lang, edition, None),
                    main,
                    data: data::document(plan, theme, lang, doc, &Volume::whole(), &pages),
                    edition,
                });
            }
        }
    }
    Ok(out)
}

/// Typesets and exports one job, as the build does.
pub fn typeset(plan: &Plan, theme: &Theme, job: &Job) -> Result<Vec<u8>> {
    let today = fixed_date(plan, &PdfSettings::default());
    let (mut s, mut d) = (Sources::default(), Diagnostics::default());
    let doc = compile(theme, job.main, &job.data, job.edition, today, &mut s, &mut d)?
        .ok_or_else(|| anyhow!("{} could not be typeset", job.name))?;
    export(&doc, job.name.clone(), job.edition, today)
}

/// Writes the theme's templates and fonts, and a job's data, into `dir`, laid out as the
/// typst command line expects (`--root dir --font-path dir/fonts`).
pub fn export_sources(dir: &std::path::Path, theme: &Theme, job: &Job) -> Result<()> {
    std::fs::create_dir_all(dir.join("fonts"))?;
    for (name, text) in &theme.typst {
        std::fs::write(dir.join(name), text)?;
    }
    for (i, f) in crate::theme::fonts::FONT_FILES.iter().enumerate() {
        std::fs::write(dir.join("fonts").join(format!("font{i}.ttf")), f)?;
    }
    std::fs::write(dir.join("data.json"), serde_json::to_vec(&job.data)?)?;
    Ok(())
}
