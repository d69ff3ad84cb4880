//! Render stage (PDF): the later basic plan and the comprehensive strategy, each in Japanese
//! and English, each in a screen edition (tagged PDF/UA-1, links, bookmarks) and a print
//! edition (A4 trim, 3 mm bleed, crop marks, CMYK, chapters on odd pages, page references),
//! typeset with embedded typst from the theme's templates and the plan as data.

pub mod data;
pub mod markdown;
mod print;
pub mod world;

use std::collections::HashMap;

use anyhow::{Context as _, Result, anyhow};
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Label, Smart};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::{Lang, Plan};
use data::Doc;
use world::KeikakuWorld;

/// A PDF edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    /// For reading on screen: tagged, linked, RGB.
    Screen,
    /// For the print shop: bleed, crop marks, CMYK.
    Print,
}

impl Edition {
    /// `screen` or `print`.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Screen => "screen",
            Edition::Print => "print",
        }
    }
}

/// One PDF written by the build.
pub struct PdfFile {
    /// Which document.
    pub doc: Doc,
    /// Language.
    pub lang: Lang,
    /// Edition.
    pub edition: Edition,
    /// Path in the output folder.
    pub path: String,
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
}

/// The file name of a PDF in the output folder.
pub fn file_name(doc: Doc, lang: Lang, edition: Edition) -> String {
    let d = match doc {
        Doc::Plan => "later-basic-plan",
        Doc::Strategy => "comprehensive-strategy",
    };
    match edition {
        Edition::Screen => format!("downloads/{d}-{}.pdf", lang.code()),
        Edition::Print => format!("downloads/{d}-{}-print.pdf", lang.code()),
    }
}

fn describe(world: &KeikakuWorld, d: &SourceDiagnostic) -> String {
    let place = d.span.id().and_then(|id| {
        let (path, text) = KeikakuWorld::template_text(id)?;
        let range = world.range(d.span)?;
        let line = text[..range.start.min(text.len())].lines().count().max(1);
        Some(format!("themes/default/typst{path}:{line}"))
    });
    let hints: String = d.hints.iter().map(|h| format!("\n  hint: {}", h.v)).collect();
    match place {
        Some(p) => format!("{p}: {}{hints}", d.message),
        None => format!("{}{hints}", d.message),
    }
}

/// Compiles one document. Errors, and warnings that would spoil the result (an unknown font
/// family), are returned as an error naming the template line.
fn compile(main: &str, data: &serde_json::Value, edition: Edition, today: (i32, u8, u8)) -> Result<PagedDocument> {
    let json = serde_json::to_vec(data).context("serialising the document data")?;
    let world = KeikakuWorld::new(main, json, &[("edition", edition.name())], today);
    let warned = typst::compile::<PagedDocument>(&world);
    let fatal: Vec<String> = warned
        .warnings
        .iter()
        .filter(|w| {
            w.severity == Severity::Warning && (w.message.contains("unknown font family") || w.message.contains("font"))
        })
        .map(|w| describe(&world, w))
        .collect();
    let doc = warned.output.map_err(|errs| {
        anyhow!(
            "typesetting {main} failed:\n{}",
            errs.iter().map(|e| describe(&world, e)).collect::<Vec<_>>().join("\n")
        )
    })?;
    if !fatal.is_empty() {
        return Err(anyhow!("typesetting {main}: {}", fatal.join("\n")));
    }
    let _ = world.main();
    Ok(doc)
}

fn export(doc: &PagedDocument, ident: String, edition: Edition, today: (i32, u8, u8)) -> Result<Vec<u8>> {
    let standards = match edition {
        Edition::Screen => PdfStandards::new(&[PdfStandard::Ua_1, PdfStandard::A_2b])
            .or_else(|_| PdfStandards::new(&[PdfStandard::Ua_1]))
            .map_err(|e| anyhow!("choosing PDF standards: {}", e.message()))?,
        Edition::Print => PdfStandards::default(),
    };
    let stamp = Datetime::from_ymd_hms(today.0, today.1, today.2, 0, 0, 0).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("keikaku".into())),
        timestamp: stamp,
        standards,
        tagged: edition == Edition::Screen,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(doc, &options).map_err(|errs| {
        anyhow!(
            "writing the PDF failed:\n{}",
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    match edition {
        Edition::Screen => Ok(bytes),
        Edition::Print => print::set_page_boxes(&bytes),
    }
}

/// The page of each measure in a compiled basic plan.
fn measure_pages(doc: &PagedDocument) -> HashMap<String, u64> {
    let Some(label) = Label::new(PicoStr::intern("measure-pages")) else {
        return HashMap::new();
    };
    let Ok(content) = doc.introspector().query_label(label) else {
        return HashMap::new();
    };
    let Ok(value) = content.get_by_name("value") else {
        return HashMap::new();
    };
    serde_json::to_value(&value)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// The fixed date of the documents: the configuration's publication date, else
/// `SOURCE_DATE_EPOCH`, else 1 January 2025.
fn fixed_date(plan: &Plan) -> (i32, u8, u8) {
    if let Some(d) = plan.config.published.as_deref().and_then(data::parse_date) {
        return d;
    }
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
    {
        let days = secs.div_euclid(86_400);
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        return (y, m, d);
    }
    (2025, 1, 1)
}

/// Typesets every PDF: for each language and edition, the basic plan, then the strategy
/// (which cites the plan's page numbers).
pub fn render_pdfs(plan: &Plan) -> Result<Vec<PdfFile>> {
    let today = fixed_date(plan);
    let mut out = Vec::new();
    for lang in Lang::ALL {
        for edition in [Edition::Screen, Edition::Print] {
            let plan_data = data::document(plan, lang, Doc::Plan, &HashMap::new());
            let plan_doc = compile("/plan.typ", &plan_data, edition, today)?;
            let pages = measure_pages(&plan_doc);
            let strategy_data = data::document(plan, lang, Doc::Strategy, &pages);
            let strategy_doc = compile("/strategy.typ", &strategy_data, edition, today)?;
            for (doc, compiled) in [(Doc::Plan, &plan_doc), (Doc::Strategy, &strategy_doc)] {
                let path = file_name(doc, lang, edition);
                let bytes =
                    export(compiled, path.clone(), edition, today).with_context(|| format!("writing {path}"))?;
                out.push(PdfFile {
                    doc,
                    lang,
                    edition,
                    path,
                    bytes,
                    pages: compiled.pages().len(),
                });
            }
        }
    }
    Ok(out)
}
