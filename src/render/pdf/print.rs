//! Render stage (PDF, print edition): page boxes for the print shop. Typst writes the media
//! box only (and a TrimBox only when its own `bleed` is used, which we do not, because the
//! crop marks need room outside the bleed); this sets TrimBox (A4) and BleedBox (A4 + 3 mm)
//! on every page with lopdf.

use anyhow::{Context, Result};
use lopdf::{Document, Object};

/// Millimetres to PDF points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// The slug around the trim (room for crop marks) — must match `slug` in the theme's lib.typ.
pub const SLUG_MM: f32 = 15.0;
/// The bleed around the trim.
pub const BLEED_MM: f32 = 3.0;
/// A4.
pub const TRIM_MM: (f32, f32) = (210.0, 297.0);

fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Object {
    Object::Array(vec![
        Object::Real(x0),
        Object::Real(y0),
        Object::Real(x1),
        Object::Real(y1),
    ])
}

/// Sets TrimBox and BleedBox on every page.
pub fn set_page_boxes(pdf: &[u8]) -> Result<Vec<u8>> {
    let mut doc = Document::load_mem(pdf).context("reading the typeset PDF")?;
    let (s, b) = (mm(SLUG_MM), mm(BLEED_MM));
    let (w, h) = (mm(TRIM_MM.0), mm(TRIM_MM.1));
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for id in pages {
        let page = doc
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .context("a page of the PDF")?;
        page.set("TrimBox", rect(s, s, s + w, s + h));
        page.set("BleedBox", rect(s - b, s - b, s + w + b, s + h + b));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).context("writing the PDF with page boxes")?;
    Ok(out)
}
