//! Resolve stage: the images the text shows. A picture of the site's own files
//! (`![地図](images/map.png)`, a file of `static/`) must exist, and the PDFs can only show it
//! in a format typst reads (PNG, JPEG, GIF, WebP, SVG); otherwise the page has a broken image
//! or the PDF prints the alternative text instead — each said as a warning with its place.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Tag};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::markdown::{is_site_path, site_file};
use crate::model::Plan;

/// Whether typst can place these bytes as an image (it decodes them).
pub fn typesettable(bytes: &[u8]) -> bool {
    use typst::foundations::Bytes;
    use typst::visualize::{ImageFormat, RasterFormat, RasterImage, SvgImage, VectorFormat};
    let data = Bytes::new(bytes.to_vec());
    match ImageFormat::detect(bytes) {
        Some(ImageFormat::Raster(RasterFormat::Exchange(f))) => RasterImage::plain(data, f).is_ok(),
        Some(ImageFormat::Vector(VectorFormat::Svg)) => SvgImage::new(data).is_ok(),
        _ => false,
    }
}

/// Checks every image of the text against the files of `static/`; returns the images the
/// PDFs can show (each file read and decoded once, here, for the whole build).
pub fn check(plan: &Plan, diags: &mut Diagnostics) -> HashSet<String> {
    let mut decoded: HashMap<String, bool> = HashMap::new();
    for item in &plan.items {
        for v in std::iter::once(&item.ja).chain(item.en.as_ref()) {
            for (e, span) in v.body.links() {
                let Event::Start(Tag::Image { dest_url, .. }) = e else {
                    continue;
                };
                if !is_site_path(dest_url) {
                    continue;
                }
                let name = site_file(dest_url);
                let d = match plan.static_files.get(&name) {
                    None => Diagnostic::warning("missing-image", format!("there is no file `static/{name}` to show"))
                        .at(v.file, span.clone(), "the page shows a broken image here")
                        .hint("put the image in the content folder's static/ folder (static/images/map.png is written images/map.png), or correct the name"),
                    Some(path) => match *decoded
                        .entry(name.clone())
                        .or_insert_with(|| std::fs::read(path).is_ok_and(|b| typesettable(&b)))
                    {
                        true => continue,
                        false => Diagnostic::warning(
                            "image-not-in-pdf",
                            format!("the PDFs cannot show `{name}`: it is not an image in a format they read"),
                        )
                        .at(v.file, span.clone(), "the PDFs print the alternative text instead")
                        .hint("save the image as PNG, JPEG or SVG (the web pages show it either way)"),
                    },
                };
                diags.push(d);
            }
        }
    }
    decoded
        .into_iter()
        .filter_map(|(name, ok)| ok.then_some(name))
        .collect()
}
