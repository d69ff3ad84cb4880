//! The PDFs: sixteen for the bundled plan (the basic plan, the strategy, the latest edition
//! of the implementation plan and the FY R6 progress report, each in two languages and two
//! editions), listed on the downloads page, byte-identical from one build to the next, with print page boxes.
//! Checks with external PDF tools (fonts embedded, qpdf, page boxes, odd-page chapters)
//! are in `scripts/check_pdfs.py`, run by `scripts/test.sh`.

use crate::harness::Fixture;

const NAMES: [&str; 16] = [
    "downloads/later-basic-plan-ja.pdf",
    "downloads/later-basic-plan-ja-print.pdf",
    "downloads/later-basic-plan-en.pdf",
    "downloads/later-basic-plan-en-print.pdf",
    "downloads/comprehensive-strategy-ja.pdf",
    "downloads/comprehensive-strategy-ja-print.pdf",
    "downloads/comprehensive-strategy-en.pdf",
    "downloads/comprehensive-strategy-en-print.pdf",
    "downloads/implementation-plan-R8-R10-ja.pdf",
    "downloads/implementation-plan-R8-R10-ja-print.pdf",
    "downloads/implementation-plan-R8-R10-en.pdf",
    "downloads/implementation-plan-R8-R10-en-print.pdf",
    "downloads/progress-report-R6-ja.pdf",
    "downloads/progress-report-R6-ja-print.pdf",
    "downloads/progress-report-R6-en.pdf",
    "downloads/progress-report-R6-en-print.pdf",
];

#[test]
fn builds_sixteen_reproducible_pdfs_listed_on_the_downloads_page() {
    let a = Fixture::new("bundled");
    let r = a.build_with_pdf();
    assert!(r.stderr.contains("and 16 PDFs"), "{}", r.stderr);
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
    assert!(page.contains("実施計画（令和8年度〜令和10年度）（PDF）"), "{page}");
    assert!(page.contains("令和6年度 進捗状況報告（PDF）"), "{page}");
    assert_eq!(
        title(&std::fs::read(a.output().join("downloads/progress-report-R6-ja.pdf")).unwrap()),
        "小諸市 令和6年度 進捗状況報告"
    );
    let en = a.read("en/downloads/index.html");
    assert!(en.contains("Late-Term Basic Plan") && en.contains("Print"));
}

#[test]
fn print_edition_has_trim_and_bleed_boxes() {
    let f = Fixture::new("small");
    f.build_with_pdf();
    let pdf = std::fs::read(f.output().join("downloads/basic-plan-ja-print.pdf")).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    // A4 (595.28 × 841.89 pt) inside a 15 mm slug (42.52 pt); bleed 3 mm (8.50 pt).
    assert!(
        text.contains("/TrimBox[42.519684 42.519684 637.7953 884.4094]"),
        "TrimBox missing"
    );
    assert!(text.contains("/BleedBox"), "BleedBox missing");
    let screen = std::fs::read(f.output().join("downloads/basic-plan-ja.pdf")).unwrap();
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
    assert!(!f.exists("downloads/basic-plan-ja.pdf"));
    assert!(f.read("downloads/index.html").contains("--no-pdf"));
}

/// A PDF's document title (the Info dictionary's, UTF-16 or PDFDocEncoding).
fn title(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .expect("an Info dictionary");
    let dict = doc.get_dictionary(info).expect("Info is a dictionary");
    let bytes = dict.get(b"Title").and_then(|t| t.as_str()).expect("a Title");
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(u) => String::from_utf16_lossy(
            &u.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        ),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[test]
fn a_plan_larger_than_a_volume_is_typeset_in_volumes() {
    // The bundled plan has 24 measures in six pillars; at 10 a volume it takes three
    // volumes of eight: pillars 1–2, 3–4 and 5–6.
    let f = Fixture::new("bundled");
    let config = f.read_content("keikaku.yaml");
    f.write("keikaku.yaml", format!("{config}\nmeasures_per_pdf_volume: 10\n"));
    let r = f.build_with_pdf();
    // 3 volumes × 2 languages × 2 editions, and the 4 each of the strategy, the
    // implementation plan and the progress report.
    assert!(r.stderr.contains("and 24 PDFs"), "{}", r.stderr);
    for lang in ["ja", "en"] {
        assert!(!f.exists(&format!("downloads/later-basic-plan-{lang}.pdf")));
        for v in 1..=3 {
            for ed in ["", "-print"] {
                let name = format!("downloads/later-basic-plan-{lang}-vol0{v}{ed}.pdf");
                let pdf = std::fs::read(f.output().join(&name)).unwrap_or_else(|_| panic!("{name} written"));
                assert!(pdf.starts_with(b"%PDF-"), "{name} is a PDF");
                let want = if lang == "ja" {
                    format!("第{v}分冊（全3分冊）")
                } else {
                    format!("Volume {v} of 3")
                };
                assert!(title(&pdf).ends_with(&want), "{name} names its volume: {}", title(&pdf));
            }
        }
    }
    let page = f.read("downloads/index.html");
    assert!(
        page.contains("href=\"../downloads/later-basic-plan-ja-vol02.pdf\""),
        "downloads page links the volumes"
    );
    assert!(
        page.contains("後期基本計画 第2分冊（全3分冊）（PDF）"),
        "and names them"
    );
    assert!(
        f.read("en/downloads/index.html")
            .contains("Late-Term Basic Plan Volume 3 of 3")
    );
    // A plan within the limit stays one PDF.
    let one = Fixture::new("small");
    one.write(
        "keikaku.yaml",
        format!("{}\nmeasures_per_pdf_volume: 100\n", one.read_content("keikaku.yaml")),
    );
    assert!(one.build_with_pdf().stderr.contains("and 8 PDFs"));
    assert!(one.exists("downloads/basic-plan-ja.pdf"));
}

#[test]
fn a_volume_size_of_zero_is_refused_with_its_line() {
    let f = Fixture::new("small");
    let config = f.read_content("keikaku.yaml");
    f.write("keikaku.yaml", format!("{config}\nmeasures_per_pdf_volume: 0\n"));
    f.build().fails_with("keikaku.yaml:").says("measures_per_pdf_volume");
}

/// A 1 × 1 PNG.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 31, 21, 196,
    137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2, 135, 1, 128, 235, 71, 186, 146, 0, 0,
    0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[test]
fn images_of_the_content_reach_the_pdfs_and_a_missing_or_unreadable_one_is_a_warning() {
    let f = Fixture::new("small");
    f.write("static/images/dot.png", PNG)
        .write("static/images/broken.png", b"not a picture")
        .edit(
            "chapters/kosei.ja.md",
            "計画の期間は次のとおりです。",
            "計画の期間は次のとおりです。\n\n![小さな点の図](images/dot.png)\n\n![壊れた図](images/broken.png)\n\n![ない図](images/none.png)\n\n",
        );
    let r = f.build_with_pdf();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning[missing-image]") && r.stderr.contains("static/images/none.png"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("warning[image-not-in-pdf]"), "{}", r.stderr);
    let pdf =
        String::from_utf8_lossy(&std::fs::read(f.output().join("downloads/basic-plan-ja.pdf")).unwrap()).into_owned();
    assert!(
        pdf.contains("/Subtype /Image") || pdf.contains("/Subtype/Image"),
        "the picture is in the PDF"
    );
    assert!(
        f.read("policy/kosei/index.html")
            .contains("src=\"../../images/dot.png\"")
    );
}
