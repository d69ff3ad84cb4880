//! Command line: the `keikaku` commands and their options (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// keikaku — publishes a municipal comprehensive plan (総合計画) written in Markdown and data
/// files as a bilingual website (Japanese and English).
#[derive(Parser)]
#[command(name = "keikaku", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Exit status, shown under `--help`.
pub const EXIT_CODES: &str = "Exit status: 0 = done (warnings may have been shown), 1 = the content has errors \
(each is printed with file, line and a hint), 2 = wrong command-line use or a file could not be read or written.\n\
終了コード: 0 = 成功（警告は表示されることがあります）、1 = 内容に誤りがあります（ファイル・行・直し方を表示します）、\
2 = コマンドの使い方の誤り、またはファイルの読み書きができません。";

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Build the website into the output folder (サイトを生成します).
    ///
    /// Reads every file of the content folder, checks it, and writes the whole site. If any
    /// error is found, nothing is written and the previous output stays as it was.
    #[command(after_help = EXIT_CODES)]
    Build {
        /// The content folder (the one that holds keikaku.yaml).
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
        /// Where to write the site.
        #[arg(long, default_value = "output", value_name = "DIR")]
        output: PathBuf,
        /// Skip the PDFs, for a quick preview of the pages (PDFは作りません).
        #[arg(long)]
        no_pdf: bool,
        /// Build the draft (案) for public comment, as `draft: true` in keikaku.yaml does:
        /// every page and PDF says so (案として作ります).
        #[arg(long)]
        draft: bool,
        /// Compare the plan with an earlier edition and publish the 新旧対照表: a content
        /// folder, or `git:<revision>` (a tag or commit), as `compare_with:` in keikaku.yaml.
        #[arg(long, value_name = "FOLDER|git:REV")]
        compare_with: Option<String>,
        /// Read the theme (templates/, static/, i18n.yaml, typst/) from this folder instead
        /// of the built-in one; files missing there come from the built-in theme.
        #[arg(long, value_name = "DIR")]
        theme: Option<PathBuf>,
        /// Print how long each stage of the build took (for benchmarks and bug reports).
        #[arg(long)]
        timings: bool,
        /// Print each event of the write stage (for the tests that stop a build midway).
        #[arg(long, hide = true)]
        events: bool,
    },
    /// Check the content without writing anything (内容を検査します).
    ///
    /// Reports every problem of the whole plan in one run: errors (the site cannot be built)
    /// and warnings (it can, but look at them).
    #[command(after_help = EXIT_CODES)]
    Check {
        /// The content folder (the one that holds keikaku.yaml).
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
        /// How to print problems: `human` (with the source line) or `json` (one object per
        /// line, for CI annotations).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Preview the site while you edit (プレビューを表示します).
    ///
    /// Builds the plan, serves it at http://127.0.0.1:PORT/ and rebuilds on every change of
    /// the content folder; open pages reload by themselves. Problems are shown in the
    /// terminal and on the page; the last good site stays visible meanwhile.
    Serve {
        /// The content folder (the one that holds keikaku.yaml).
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on. Only this computer can see the preview unless you give
        /// another address here (for example 0.0.0.0 to show it on the local network).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the web browser.
        #[arg(long)]
        open: bool,
        /// Look for changes by scanning the folder (for network drives, WSL, containers).
        /// Chosen automatically when file events are not available.
        #[arg(long)]
        poll: bool,
        /// Do not typeset the PDFs in the background.
        #[arg(long)]
        no_pdf: bool,
        /// Where to write the preview (default: a folder of the system's temporary folder,
        /// named after the content folder).
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Read the theme from this folder (see `build --help`) and watch it too.
        #[arg(long, value_name = "DIR")]
        theme: Option<PathBuf>,
    },
    /// Create the files of a new item of the plan (新しい項目を作ります).
    ///
    /// Writes <id>.ja.md and <id>.en.md with the front-matter they need (a measure with the
    /// sections the plan declares), numbered after the existing ones. Refuses an id that is
    /// already used.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: keikaku::new::NewKind,
        /// The id (file name): lower-case letters, digits and hyphens, e.g. kosodate-5.
        id: String,
        /// For a measure or a group: the id of its pillar.
        #[arg(long)]
        pillar: Option<String>,
        /// For a measure in a plan with a middle level: the id of its group.
        #[arg(long)]
        group: Option<String>,
        /// The Japanese title.
        #[arg(long)]
        title: Option<String>,
        /// The content folder (the one that holds keikaku.yaml).
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
    },
    /// Start the plan of a new municipality in a new folder (新しい計画を始めます).
    ///
    /// Writes a plan that builds at once: keikaku.yaml, the vision, one pillar, one measure
    /// with its sections, one targets file and the home page's introduction, in Japanese and
    /// English, each with comments saying what to change. Refuses a folder that is not empty.
    /// Asks for the names when they are not given and it runs in a terminal.
    Init {
        /// The new folder.
        dir: PathBuf,
        /// The municipality's name in Japanese, e.g. 見本町.
        #[arg(long)]
        name: Option<String>,
        /// The municipality's name in English, e.g. "Mihon Town".
        #[arg(long)]
        name_en: Option<String>,
    },
    /// List English translations that are missing or out of date (翻訳の状況を表示します).
    ///
    /// A translation records in `translated_from` the digest of the Japanese text it was made
    /// from. When the Japanese text changes, the translation is reported as stale.
    Translations {
        /// The content folder (the one that holds keikaku.yaml).
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
        /// Mark the translations of these ids as made from the current Japanese text
        /// (after you have updated them). Without ids, marks every existing translation.
        #[arg(long, value_name = "ID", num_args = 0..)]
        mark_current: Option<Vec<String>>,
    },
    /// Compare the content with an earlier edition and print the 新旧対照表 in short
    /// (新旧を比べます): the items added, changed and removed, each changed section with its
    /// changed words in 【】 (new) and 〔〕 (old). `keikaku build --compare-with` publishes it.
    #[command(after_help = EXIT_CODES)]
    Compare {
        /// The earlier edition: a content folder, or `git:<revision>` (a tag or commit of the
        /// repository the content is in, e.g. git:v2023 or git:HEAD~3).
        #[arg(value_name = "FOLDER|git:REV")]
        old: String,
        /// The content folder (the one that holds keikaku.yaml).
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
        /// Print the English texts' comparison instead of the Japanese.
        #[arg(long)]
        english: bool,
    },
    /// Write every data table the plan reads — targets and the implementation plan's
    /// editions — into DIR, in the form keikaku reads them (表データを書き出します).
    ///
    /// The files go to the same paths under DIR as in the content folder
    /// (DIR/data/targets/*.csv, DIR/data/projects/R7-R9.csv), as UTF-8 CSV with a byte-order
    /// mark, which Excel opens as it is. Edit one in a spreadsheet, save it as CSV and put it
    /// back in the content folder: the next build reads it. Nothing is written when the
    /// content has errors.
    #[command(after_help = EXIT_CODES)]
    Export {
        /// The folder to write the tables into (made if it does not exist).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The content folder (the one that holds keikaku.yaml).
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
    },
}

/// Output format of diagnostics.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Like a compiler: file:line:column, the source line underlined, hints.
    Human,
    /// One JSON object per line.
    Json,
}
