//! `keikaku serve`: the preview, until the process is stopped.

use keikaku::serve::ServeOptions;

/// Starts the preview and waits for ever.
pub fn run(options: ServeOptions) -> anyhow::Result<u8> {
    if !options.content.is_dir() {
        anyhow::bail!("the content folder {} does not exist", options.content.display());
    }
    let preview = keikaku::serve::start(&options)?;
    let url = format!("http://{}/", preview.addr);
    eprintln!(
        "serving {} at {url} ({}); press Ctrl+C to stop",
        options.content.display(),
        if preview.polling {
            "watching by polling"
        } else {
            "watching for changes"
        }
    );
    if options.open {
        let _ = open::that_detached(&url);
    }
    loop {
        std::thread::park();
    }
}
