//! The theme's fonts (BIZ UDP Mincho and Gothic, and Libertinus Serif for the Latin of the
//! English PDFs; SIL Open Font License), compiled into the
//! binary and parsed once: the PDF stage typesets with them and the resolve stage checks
//! that every character of the content has a glyph in them.

use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The font files, as the binary carries them.
pub const FONT_FILES: &[&[u8]] = &[
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/BIZUDPMincho_400Regular.ttf"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/BIZUDPMincho_700Bold.ttf"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/BIZUDPGothic_400Regular.ttf"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/BIZUDPGothic_700Bold.ttf"
    )),
    // The Latin of the English PDFs' text: BIZ UD's quotation marks and apostrophes are
    // full-width (“city’ s”), and it has no italic.
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/LibertinusSerif-Regular.otf"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/LibertinusSerif-Bold.otf"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/LibertinusSerif-Italic.otf"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/fonts/LibertinusSerif-BoldItalic.otf"
    )),
];

/// The fonts, parsed once per process (they are constant: a cache, not state).
pub fn fonts() -> &'static (Vec<Font>, LazyHash<FontBook>) {
    static FONTS: OnceLock<(Vec<Font>, LazyHash<FontBook>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        let book = FontBook::from_fonts(&fonts);
        (fonts, LazyHash::new(book))
    })
}

/// Whether some font has a glyph for `c`.
pub fn covers(c: char) -> bool {
    fonts().0.iter().any(|f| f.info().coverage.contains(c as u32))
}
