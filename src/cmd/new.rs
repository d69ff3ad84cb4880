//! `keikaku new`: the files of a new item.

use std::path::Path;

/// Creates the files of a new item and names them.
pub fn run(
    content: &Path,
    kind: keikaku::new::NewKind,
    id: &str,
    pillar: Option<&str>,
    title: Option<&str>,
) -> anyhow::Result<u8> {
    match keikaku::new::create(content, kind, id, pillar, title) {
        Ok(files) => {
            for f in files {
                println!("created {}", f.display());
            }
            Ok(0)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            Ok(1)
        }
    }
}
