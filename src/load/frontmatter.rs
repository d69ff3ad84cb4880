//! Load stage: front-matter — the YAML block between `---` lines at the top of a page file —
//! and which fields each kind of page may or must have in each language.

use std::ops::Range;

use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use super::yaml::{self, Place, YamlSource};
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};
use crate::model::{Kind, Lang};

/// A front-matter value with its place in the YAML text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub place: Place,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    /// Read through the YAML reader's located value, whose place is where the value is
    /// used (an alias's, not its anchor's).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<T>::deserialize(d)?;
        Ok(Located {
            value: s.value,
            place: Place::of(&s.referenced),
        })
    }
}

/// Every field a page's front-matter can have; which ones are allowed depends on the kind
/// and language (see [`check_fields`]).
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Title.
    pub title: Option<Located<String>>,
    /// One-sentence summary.
    pub summary: Option<Located<String>>,
    /// Pillar's policy-field name.
    pub short: Option<Located<String>>,
    /// Catchphrase (vision, district).
    pub catchphrase: Option<Located<String>>,
    /// Responsible department (measure).
    pub department: Option<Located<String>>,
    /// National area (strategy goal).
    pub area: Option<Located<String>>,
    /// Pillar id (measure, group).
    pub pillar: Option<Located<String>>,
    /// Group id (measure, in a plan with a middle level).
    pub group: Option<Located<String>>,
    /// Order number.
    pub number: Option<Located<u32>>,
    /// SDG goals and targets (measure).
    pub sdgs: Option<Located<Vec<Located<String>>>>,
    /// Measure ids (strategy goal, pledge).
    pub measures: Option<Located<Vec<Located<String>>>>,
    /// Data tables to show (chapter).
    pub tables: Option<Located<Vec<Located<String>>>>,
    /// Digest of the Japanese text this translation was made from (English only).
    pub translated_from: Option<Located<String>>,
}

/// A page file split into front-matter and body.
pub struct Split<'a> {
    /// The YAML text.
    pub yaml: &'a str,
    /// Byte offset of the YAML in the file.
    pub yaml_start: usize,
    /// Number of lines before the YAML (the opening `---`).
    pub yaml_line_offset: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_start: usize,
}

/// Splits `---\nyaml\n---\nbody`. Records a diagnostic and returns `None` when the file does
/// not start with front-matter or it is not closed.
pub fn split<'a>(text: &'a str, file: FileId, diags: &mut Diagnostics) -> Option<Split<'a>> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        diags.push(
            Diagnostic::error("missing-front-matter", "the file does not start with front-matter")
                .at(file, 0..first_line_end.min(text.len()), "expected `---` here")
                .hint("start the file with a line `---`, then fields such as `title: …`, then another `---` line, then the text"),
        );
        return None;
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map(|i| pos + i).unwrap_or(text.len());
        if text[pos..end].trim_end() == "---" {
            let body_start = (end + 1).min(text.len());
            return Some(Split {
                yaml: &text[yaml_start..pos],
                yaml_start,
                yaml_line_offset: 1,
                body: &text[body_start..],
                body_start,
            });
        }
        pos = end + 1;
    }
    diags.push(
        Diagnostic::error("unclosed-front-matter", "the front-matter is never closed")
            .at(file, 0..3, "front-matter starts here")
            .hint("add a line `---` after the last front-matter field, before the text"),
    );
    None
}

/// Parses the front-matter YAML of a page file.
pub fn parse(sources: &Sources, file: FileId, s: &Split<'_>, diags: &mut Diagnostics) -> Option<FrontMatter> {
    if s.yaml.trim().is_empty() {
        return Some(FrontMatter::default());
    }
    let src = YamlSource {
        file,
        base: s.yaml_start,
        line_offset: s.yaml_line_offset,
    };
    let yaml = without_unknown_fields(s.yaml, file, s.yaml_start, diags);
    if let Some(fm) = super::plain::read(&yaml) {
        return Some(fm);
    }
    yaml::parse(sources, src, &yaml, "front-matter", diags)
}

/// Every front-matter field name, the one list of them.
const FIELDS: [&str; 13] = [
    "title",
    "summary",
    "short",
    "catchphrase",
    "department",
    "area",
    "pillar",
    "group",
    "number",
    "sdgs",
    "measures",
    "tables",
    "translated_from",
];

/// Reports every unknown top-level field of a front-matter at once (a YAML reader stops at
/// the first), and returns the text with those fields blanked out — same length, so every
/// place in it is still right — for the reader to parse the rest.
fn without_unknown_fields(yaml: &str, file: FileId, base: usize, diags: &mut Diagnostics) -> String {
    let mut out = String::with_capacity(yaml.len());
    let mut blanking = false;
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        let top_level = line.chars().next().is_some_and(|c| !c.is_whitespace() && c != '#');
        if top_level {
            blanking = false;
            let key = line.split_once(':').map(|(k, _)| k.trim());
            if let Some(k) = key.filter(|k| !k.is_empty() && !k.contains(' ') && !FIELDS.contains(k)) {
                let start = base + pos;
                let mut d = Diagnostic::error("unknown-field", format!("front-matter: unknown field `{k}`")).at(
                    file,
                    start..start + k.len(),
                    "unknown field",
                );
                d = match crate::diag::did_you_mean(k, FIELDS.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("the fields a page may have are: {}", FIELDS.join(", "))),
                };
                diags.push(d);
                blanking = true;
            }
        }
        if blanking {
            for c in line.chars() {
                match c {
                    '\n' => out.push('\n'),
                    c => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
                }
            }
        } else {
            out.push_str(line);
        }
        pos += line.len();
    }
    out
}

/// The byte range in the file of a front-matter value.
pub fn span_of<T>(sources: &Sources, file: FileId, yaml_start: usize, v: &Located<T>) -> Range<usize> {
    YamlSource {
        file,
        base: yaml_start,
        line_offset: 1,
    }
    .span_at(sources, &v.place)
}

const TEXT_FIELDS: [&str; 6] = crate::model::Texts::NAMES;

impl FrontMatter {
    /// The text fields, in the order of [`crate::model::Texts::NAMES`].
    pub fn texts(&self) -> [Option<&Located<String>>; 6] {
        [
            self.title.as_ref(),
            self.summary.as_ref(),
            self.short.as_ref(),
            self.catchphrase.as_ref(),
            self.department.as_ref(),
            self.area.as_ref(),
        ]
    }
}

fn present(fm: &FrontMatter) -> Vec<(&'static str, Option<&Place>)> {
    fn loc<T>(v: &Option<Located<T>>) -> Option<&Place> {
        v.as_ref().map(|v| &v.place)
    }
    let texts = TEXT_FIELDS
        .into_iter()
        .zip(fm.texts())
        .map(|(name, v)| (name, v.map(|v| &v.place)));
    let structure = [
        ("pillar", loc(&fm.pillar)),
        ("group", loc(&fm.group)),
        ("number", loc(&fm.number)),
        ("sdgs", loc(&fm.sdgs)),
        ("measures", loc(&fm.measures)),
        ("tables", loc(&fm.tables)),
        ("translated_from", loc(&fm.translated_from)),
    ];
    texts.chain(structure).filter(|(_, l)| l.is_some()).collect()
}

/// The fields a Japanese file of `kind` must have, and those it may have.
pub fn fields_for(kind: Kind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        Kind::Vision => (&["title"], &["summary", "catchphrase"]),
        Kind::Pillar => (&["title", "short", "number"], &["summary"]),
        Kind::Group => (&["title", "pillar", "number"], &["summary"]),
        // A measure names its pillar, or its group in a plan with a middle level: the
        // resolve stage, which knows the plan's shape, requires the right one.
        Kind::Measure => (
            &["title", "number", "department"],
            &["summary", "sdgs", "pillar", "group"],
        ),
        Kind::District => (&["title", "number"], &["summary", "catchphrase"]),
        Kind::Chapter => (&["title", "number"], &["summary", "tables"]),
        Kind::Strategy => (&["title", "number", "measures"], &["summary", "area"]),
        Kind::Pledge => (&["title", "number", "measures"], &["summary"]),
    }
}

/// Checks that the front-matter of a `kind` file in `lang` has its required fields and no
/// field that belongs elsewhere (structure is written once, in the Japanese file).
pub fn check_fields(
    sources: &Sources,
    file: FileId,
    yaml_start: usize,
    kind: Kind,
    lang: Lang,
    fm: &FrontMatter,
    diags: &mut Diagnostics,
) {
    let (required, optional) = fields_for(kind);
    let have = present(fm);
    let src = YamlSource {
        file,
        base: yaml_start,
        line_offset: 1,
    };
    let allowed = |f: &str| match lang {
        Lang::Ja => required.contains(&f) || optional.contains(&f),
        Lang::En => {
            f == "translated_from" || (TEXT_FIELDS.contains(&f) && (required.contains(&f) || optional.contains(&f)))
        }
    };
    for (name, loc) in &have {
        if allowed(name) {
            continue;
        }
        let span = loc.map(|l| src.span_at(sources, l)).unwrap_or(0..0);
        let d = if lang == Lang::En && (required.contains(name) || optional.contains(name)) {
            Diagnostic::error(
                "structure-in-translation",
                format!("`{name}` belongs in the Japanese file, not in the translation"),
            )
            .at(file, span, "structural field in an English file")
            .hint(format!(
                "structure (ids, numbers, SDG tags, links) is written once in the Japanese file; remove `{name}` here"
            ))
        } else if *name == "translated_from" {
            Diagnostic::error("field-not-allowed", "`translated_from` is only for translations")
                .at(file, span, "only English files record this")
                .hint("remove the line: the Japanese file is the source")
        } else {
            let mut all: Vec<&str> = required.iter().chain(optional.iter()).copied().collect();
            all.sort();
            Diagnostic::error(
                "field-not-allowed",
                format!("a {} has no field `{name}`", kind.describe()),
            )
            .at(file, span, "not a field of this kind of page")
            .hint(format!("the fields of a {} are: {}", kind.describe(), all.join(", ")))
        };
        diags.push(d);
    }
    let needed: Vec<&str> = match lang {
        Lang::Ja => required.to_vec(),
        Lang::En => vec!["title"],
    };
    for name in needed {
        if have.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let end = sources.line_span(file, 1).end;
        diags.push(
            Diagnostic::error(
                "missing-field",
                format!(
                    "the front-matter has no `{name}`, which every {} needs",
                    kind.describe()
                ),
            )
            .at(file, 0..end, format!("add `{name}: …` in this front-matter"))
            .hint(field_hint(name)),
        );
    }
}

fn field_hint(name: &str) -> String {
    match name {
        "title" => "add a line such as `title: 子育て支援の充実`".into(),
        "number" => "add the order number, e.g. `number: 1` (no quotes)".into(),
        "pillar" => "add the id of the pillar this belongs to, e.g. `pillar: kosodate`".into(),
        "group" => "add the id of the group (middle level) this measure belongs to, e.g. `group: kosodate-a`".into(),
        "department" => "add the responsible department, e.g. `department: 保健福祉部 子育て支援課`".into(),
        "short" => "add the policy field name, e.g. `short: 子育て・教育`".into(),
        "measures" => "list the ids of the measures, e.g. `measures: [kosodate-1, kosodate-2]`".into(),
        other => format!("add `{other}: …`"),
    }
}
