//! `keikaku init`: a new plan for a new municipality.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

/// Asks for a missing answer on the terminal; `None` when not in a terminal.
fn ask(question: &str) -> Option<String> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    print!("{question}: ");
    std::io::stdout().flush().ok()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    Some(line.trim().to_string()).filter(|l| !l.is_empty())
}

/// Writes the plan and names its files.
pub fn run(dir: &Path, name: Option<String>, name_en: Option<String>) -> anyhow::Result<u8> {
    let ja = name.or_else(|| ask("自治体の名前（日本語、例：見本町） / Name in Japanese"));
    let en = name_en.or_else(|| ask("Name in English (e.g. Mihon Town) / 英語の名前"));
    let (Some(ja), Some(en)) = (ja, en) else {
        eprintln!(
            "error: give the municipality's name: keikaku init {} --name 見本町 --name-en \"Mihon Town\"",
            dir.display()
        );
        return Ok(2);
    };
    let today = {
        use std::time::{SystemTime, UNIX_EPOCH};
        let days = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() / 86_400);
        let (y, m, _) = keikaku::model::date::civil_from_days(i64::try_from(days).unwrap_or(0));
        (y, m)
    };
    match keikaku::init::init(dir, &keikaku::init::Municipality { ja, en }, today) {
        Ok(files) => {
            for f in &files {
                println!("created {}", f.display());
            }
            println!(
                "\nnext: keikaku build --content {} --output output   (then open output/index.html)",
                dir.display()
            );
            Ok(0)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            Ok(1)
        }
    }
}
