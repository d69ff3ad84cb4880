//! The editors' guide explains every problem keikaku reports: each diagnostic code found in
//! the source appears, as `code`, in the guide's tables in both languages.

use std::path::Path;

#[test]
fn every_diagnostic_code_is_explained_in_both_guides() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut codes = std::collections::BTreeSet::new();
    for e in walkdir::WalkDir::new(root.join("src")) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        for kind in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (i, _) in text.match_indices(kind) {
                let rest = text[i + kind.len()..].trim_start();
                if let Some(code) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
                    codes.insert(code.to_string());
                }
            }
        }
    }
    assert!(codes.len() > 40, "{} codes found", codes.len());
    for guide in ["docs/editing.ja.md", "docs/editing.en.md"] {
        let text = std::fs::read_to_string(root.join(guide)).unwrap();
        let missing: Vec<&String> = codes.iter().filter(|c| !text.contains(&format!("`{c}`"))).collect();
        assert!(missing.is_empty(), "{guide} does not explain {missing:?}");
    }
}
