//! `keikaku new`: the files of a new item.

use std::path::Path;

/// Creates the files of a new item and names them.
pub fn run(content: &Path, item: &keikaku::new::NewItem<'_>) -> anyhow::Result<u8> {
    match keikaku::new::create(content, item) {
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
