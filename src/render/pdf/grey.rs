//! Render stage (PDF): the pictures of the print edition in grey. A print shop refuses RGB
//! colours; typst cannot turn an image into CMYK, so the print edition gets each picture as a
//! greyscale PNG (K only on the press) at its size on the page — an SVG rasterised at 4×
//! its natural size with the theme's fonts — while the screen edition keeps the original.

use anyhow::{Context, Result, anyhow};

use crate::theme::fonts::FONT_FILES;

/// How many pixels an SVG's CSS pixel becomes in print (4 × 96 = 384 dpi).
const SVG_SCALE: f32 = 4.0;

/// [`greyscale_png`], made once per picture for the whole process: every print document
/// that shows a picture, and every run of `keikaku serve`, takes the same grey copy (making
/// one took about 80 ms of the 300 ms serve spent on the edited print edition).
pub fn greyscale_png_cached(bytes: &[u8]) -> Result<typst::foundations::Bytes> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static MADE: OnceLock<Mutex<HashMap<u64, typst::foundations::Bytes>>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let key = xxhash_rust::xxh3::xxh3_64(bytes);
    if let Some(b) = made.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(b.clone());
    }
    let grey = typst::foundations::Bytes::new(greyscale_png(bytes)?);
    let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
    // A long session that replaces its pictures again and again keeps only the latest few.
    if made.len() >= 64 {
        made.clear();
    }
    made.insert(key, grey.clone());
    Ok(grey)
}

/// The greyscale PNG of an image (PNG, JPEG, GIF, WebP or SVG), with the resolution that
/// keeps its size on the page.
pub fn greyscale_png(bytes: &[u8]) -> Result<Vec<u8>> {
    use typst::visualize::{ImageFormat, RasterFormat, RasterImage, VectorFormat};
    let (rgba, dpi) = match ImageFormat::detect(bytes) {
        Some(ImageFormat::Raster(RasterFormat::Exchange(f))) => {
            let dpi = RasterImage::plain(typst::foundations::Bytes::new(bytes.to_vec()), f)
                .ok()
                .and_then(|i| i.dpi())
                .unwrap_or(72.0);
            let img = image::load_from_memory(bytes).context("decoding the picture")?;
            (img.to_rgba8(), dpi)
        }
        Some(ImageFormat::Vector(VectorFormat::Svg)) => (rasterise_svg(bytes)?, f64::from(SVG_SCALE) * 72.0),
        _ => return Err(anyhow!("not a picture the PDFs can show")),
    };
    // Transparent parts print as the paper: composite on white, then take the luminance.
    let (w, h) = rgba.dimensions();
    let grey: Vec<u8> = rgba
        .pixels()
        .map(|p| {
            let [r, g, b, a] = p.0.map(f32::from);
            let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            (y * a / 255.0 + 255.0 * (1.0 - a / 255.0)).round().clamp(0.0, 255.0) as u8
        })
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let per_metre = (dpi / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    enc.write_header()?.write_image_data(&grey)?;
    Ok(out)
}

/// An SVG drawn at [`SVG_SCALE`], its text set in the theme's fonts.
fn rasterise_svg(bytes: &[u8]) -> Result<image::RgbaImage> {
    let mut opt = resvg::usvg::Options::default();
    for font in FONT_FILES {
        opt.fontdb_mut().load_font_data(font.to_vec());
    }
    opt.font_family = "BIZ UDPGothic".into();
    let tree = resvg::usvg::Tree::from_data(bytes, &opt).context("reading the SVG")?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(SVG_SCALE)
        .ok_or_else(|| anyhow!("the SVG has no size"))?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| anyhow!("the SVG is too large"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(SVG_SCALE, SVG_SCALE),
        &mut pixmap.as_mut(),
    );
    // tiny-skia's pixels are premultiplied; un-premultiply for the compositing above.
    let data: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    image::RgbaImage::from_raw(size.width(), size.height(), data).ok_or_else(|| anyhow!("drawing the SVG"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_becomes_a_grey_png_of_the_same_size_on_the_page() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50" fill="#1f5c45"/><text x="10" y="30" font-size="20" fill="#fff">計画</text></svg>"##;
        let png = greyscale_png(svg.as_bytes()).unwrap();
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (400, 200));
        assert!(matches!(img.color(), image::ColorType::L8), "{:?}", img.color());
        let px = img.to_luma8().get_pixel(2, 2).0[0];
        assert!((60..120).contains(&px), "the dark green is a dark grey: {px}");
    }
}
