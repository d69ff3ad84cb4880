//! The PDFs: eight of them (two documents × two languages × two editions), listed on the
//! downloads page, byte-identical from one build to the next, with print page boxes.
//! Checks with external PDF tools (fonts embedded, qpdf, page boxes, odd-page chapters)
//! are in `scripts/check_pdfs.py`, run by `scripts/test.sh`.

use crate::harness::Fixture;

const NAMES: [&str; 8] = [
    "downloads/later-basic-plan-ja.pdf",
    "downloads/later-basic-plan-ja-print.pdf",
    "downloads/later-basic-plan-en.pdf",
    "downloads/later-basic-plan-en-print.pdf",
    "downloads/comprehensive-strategy-ja.pdf",
    "downloads/comprehensive-strategy-ja-print.pdf",
    "downloads/comprehensive-strategy-en.pdf",
    "downloads/comprehensive-strategy-en-print.pdf",
];

#[test]
fn builds_eight_reproducible_pdfs_listed_on_the_downloads_page() {
    let a = Fixture::new("bundled");
    let r = a.build_with_pdf();
    assert!(r.stderr.contains("and 8 PDFs"), "{}", r.stderr);
    let b = Fixture::new("bundled");
    b.build_with_pdf();
    for n in NAMES {
        let x = std::fs::read(a.output().join(n)).unwrap();
        let y = std::fs::read(b.output().join(n)).unwrap();
        assert!(x.starts_with(b"%PDF-"), "{n} is a PDF");
        assert!(x == y, "{n} differs between two builds of the same content");
    }
    let page = a.read("downloads/index.html");
    for n in NAMES {
        assert!(page.contains(&format!("href=\"../{n}\"")), "downloads page links {n}");
    }
    assert!(page.contains("後期基本計画（PDF）") && page.contains("印刷用"));
    let en = a.read("en/downloads/index.html");
    assert!(en.contains("Later Basic Plan") && en.contains("Print"));
}

#[test]
fn print_edition_has_trim_and_bleed_boxes() {
    let f = Fixture::new("small");
    f.build_with_pdf();
    let pdf = std::fs::read(f.output().join("downloads/later-basic-plan-ja-print.pdf")).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    // A4 (595.28 × 841.89 pt) inside a 15 mm slug (42.52 pt); bleed 3 mm (8.50 pt).
    assert!(
        text.contains("/TrimBox[42.519684 42.519684 637.7953 884.4094]"),
        "TrimBox missing"
    );
    assert!(text.contains("/BleedBox"), "BleedBox missing");
    let screen = std::fs::read(f.output().join("downloads/later-basic-plan-ja.pdf")).unwrap();
    assert!(
        !String::from_utf8_lossy(&screen).contains("/TrimBox"),
        "the screen edition has no print boxes"
    );
}

#[test]
fn no_pdf_flag_skips_them_and_says_so() {
    let f = Fixture::new("small");
    let r = f.build();
    assert!(r.stderr.contains("and 0 PDFs"), "{}", r.stderr);
    assert!(!f.exists("downloads/later-basic-plan-ja.pdf"));
    assert!(f.read("downloads/index.html").contains("--no-pdf"));
}
