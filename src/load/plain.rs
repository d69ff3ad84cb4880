//! Load stage: the plain front-matter nearly every page has — one `key: value` per line, the
//! values plain words, simple double-quoted strings, whole numbers or one-line lists of those
//! — read without the YAML reader, to the very same [`FrontMatter`], places included. Anything
//! else (comments, escapes, other quotes, block values, values YAML could read as another
//! type, lines it would join) is declined, and the YAML reader reads the page as before: it
//! alone reports mistakes. Reading a front-matter through the YAML reader took about 14 µs,
//! the largest share of the load stage (BENCHMARKS.md, session 19); this takes well under one.
//! A test compares the two on every front-matter of the bundled plan and on thousands of
//! variations of them.

use super::frontmatter::{FrontMatter, Located};
use super::yaml::Place;

/// Reads a front-matter `yaml` when it is plain, or `None` for the YAML reader.
pub fn read(yaml: &str) -> Option<FrontMatter> {
    let mut fm = FrontMatter::default();
    let mut start = 0;
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        let at = Line {
            text: line.strip_suffix('\n').unwrap_or(line),
            start,
            number: i as u64 + 1,
        };
        start += line.len();
        // Blank, or a field left out as unknown (blanked to spaces).
        if at.text.bytes().all(|b| b == b' ') {
            continue;
        }
        field(&mut fm, &at)?;
    }
    Some(fm)
}

/// One line of the YAML text.
struct Line<'a> {
    text: &'a str,
    /// Byte offset of the line in the YAML text.
    start: usize,
    /// Line number, from 1.
    number: u64,
}

impl Line<'_> {
    /// The place of `len` bytes at byte `at` of the line.
    fn place(&self, at: usize, len: usize) -> Place {
        Place {
            bytes: Some(((self.start + at) as u64, len as u64)),
            line: self.number,
            column: self.text[..at].chars().count() as u64 + 1,
        }
    }
}

/// Reads one `key: value` line into `fm`; `None` when it is not plain or names a field twice.
fn field(fm: &mut FrontMatter, line: &Line<'_>) -> Option<()> {
    let colon = line.text.find(": ")?;
    let key = &line.text[..colon];
    let mut at = colon + 2;
    at += line.text[at..].bytes().take_while(|&b| b == b' ').count();
    let end = line.text.trim_end_matches(' ').len();
    if at >= end {
        return None;
    }
    let value = &line.text[at..end];
    let text = |slot: &mut Option<Located<String>>| set(slot, string(line, at, value)?);
    match key {
        "title" => text(&mut fm.title),
        "summary" => text(&mut fm.summary),
        "short" => text(&mut fm.short),
        "catchphrase" => text(&mut fm.catchphrase),
        "department" => text(&mut fm.department),
        "area" => text(&mut fm.area),
        "pillar" => text(&mut fm.pillar),
        "group" => text(&mut fm.group),
        "translated_from" => text(&mut fm.translated_from),
        "number" => set(&mut fm.number, number(line, at, value)?),
        "sdgs" => set(&mut fm.sdgs, list(line, at, value)?),
        "measures" => set(&mut fm.measures, list(line, at, value)?),
        "tables" => set(&mut fm.tables, list(line, at, value)?),
        _ => None,
    }
}

/// Fills an empty slot; `None` when it was filled already (YAML's reader reports that).
fn set<T>(slot: &mut Option<T>, v: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(v);
    Some(())
}

/// A string value at byte `at` of the line: plain or simply double-quoted.
fn string(line: &Line<'_>, at: usize, value: &str) -> Option<Located<String>> {
    let text = quoted(value).or_else(|| plain(value, false))?;
    Some(Located {
        value: text.to_string(),
        place: line.place(at, value.len()),
    })
}

/// The text of a double-quoted value with nothing to unescape, without its quotes.
fn quoted(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.is_empty() && !inner.contains(['"', '\\']) && inner.chars().all(ordinary)).then_some(inner)
}

/// A plain value that YAML reads as the string it spells: it starts with a letter, or with
/// a digit when it cannot be a number (a digest `958a7c540976`, `2030年`), holds nothing
/// that could start a comment, a mapping or a flow collection, and is not a word YAML reads
/// as null or true/false. In a list (`in_list`), commas end it, so none is allowed either.
fn plain(value: &str, in_list: bool) -> Option<&str> {
    let first = value.chars().next()?;
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | '_' | '+' | '-' | 'e' | 'E');
    let radix = ["0x", "0o", "0b"]
        .iter()
        .any(|p| value.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(p)));
    let not_a_number = first.is_ascii_digit() && !radix && !value.chars().all(numeric);
    let starts_well = !first.is_ascii() || first.is_ascii_alphabetic() || not_a_number;
    let special = |c: char| matches!(c, ':' | '#' | '[' | ']' | '{' | '}') || (in_list && c == ',');
    let words = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    (starts_well
        && !value.chars().any(special)
        && value.chars().all(ordinary)
        && !words.iter().any(|w| value.eq_ignore_ascii_case(w)))
    .then_some(value)
}

/// A character that needs no care in a YAML scalar: no control character, tab, line or
/// paragraph separator, byte-order mark.
fn ordinary(c: char) -> bool {
    !(c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}'))
}

/// A whole number written plainly: digits, no sign, no leading zero.
fn number(line: &Line<'_>, at: usize, value: &str) -> Option<Located<u32>> {
    let plain = value.bytes().all(|b| b.is_ascii_digit()) && (value == "0" || !value.starts_with('0'));
    let n = plain.then(|| value.parse().ok()).flatten()?;
    Some(Located {
        value: n,
        place: line.place(at, value.len()),
    })
}

/// A one-line list `[a, "b"]` of plain or simply quoted strings (at least one).
fn list(line: &Line<'_>, at: usize, value: &str) -> Option<Located<Vec<Located<String>>>> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut offset = at + 1;
    for part in inner.split(',') {
        let lead = part.len() - part.trim_start_matches(' ').len();
        let item = part.trim_matches(' ');
        let text = quoted(item).or_else(|| plain(item, true))?;
        items.push(Located {
            value: text.to_string(),
            place: line.place(offset + lead, item.len()),
        });
        offset += part.len() + 1;
    }
    Some(Located {
        value: items,
        place: line.place(at, 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the YAML reader makes of `yaml`, as the load stage calls it.
    fn by_yaml(yaml: &str) -> Option<FrontMatter> {
        serde_saphyr::from_str::<FrontMatter>(yaml).ok()
    }

    /// Whatever this reader accepts, the YAML reader reads to the same front-matter.
    fn agrees(yaml: &str) -> bool {
        match read(yaml) {
            None => false,
            Some(fm) => {
                assert_eq!(Some(&fm), by_yaml(yaml).as_ref(), "read differently:\n{yaml}");
                true
            }
        }
    }

    /// The front-matters of the bundled plan, split from their pages as the load stage does.
    fn bundled() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(root).sort_by_file_name() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                let (mut sources, mut diags) = (crate::diag::Sources::default(), crate::diag::Diagnostics::default());
                let file = sources.add(e.path(), text.clone());
                if let Some(split) = super::super::frontmatter::split(&text, file, &mut diags) {
                    out.push(split.yaml.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn reads_every_bundled_front_matter_as_yaml_does() {
        let all = bundled();
        assert!(all.len() > 100, "the bundled plan has {} pages", all.len());
        for yaml in &all {
            assert!(agrees(yaml), "a bundled front-matter was declined:\n{yaml}");
        }
    }

    #[test]
    fn places_are_those_of_the_yaml_reader() {
        let yaml = "title: 子育て支援の充実\nnumber: 12\nsdgs: [\"4.2\",  \"1.3\"]\nsummary:   \"引用 です\"   \n";
        let fm = read(yaml).unwrap();
        assert_eq!(fm.title.as_ref().unwrap().place.line, 1);
        assert_eq!(fm.summary.as_ref().unwrap().place.column, 12);
        assert!(agrees(yaml));
    }

    #[test]
    fn declines_what_needs_the_yaml_reader() {
        for yaml in [
            "title: a # comment\n",
            "title: \"with \\\"escape\\\"\"\n",
            "title: 'single'\n",
            "title: |\n  block\n",
            "title: first\n  continued\n",
            "title: yes\n",
            "title: Null\n",
            "title: a\ntitle: b\n",
            "number: 012\n",
            "number: -1\n",
            "number: 4294967296\n",
            "number: \"3\"\n",
            "sdgs: []\n",
            "sdgs: [4.2]\n",
            "sdgs: [\"4.2\",]\n",
            "sdgs:\n  - \"4.2\"\n",
            "colour: red\n",
            "title: a\tb\n",
            "title: a\r\n",
            "# a comment\ntitle: a\n",
            " title: a\n",
            "title:a\n",
            "title: &x a\n",
            "title: *x\n",
            "title: {a: b}\n",
        ] {
            assert!(read(yaml).is_none(), "should be left to the YAML reader:\n{yaml}");
        }
    }

    #[test]
    fn agrees_with_the_yaml_reader_on_many_odd_values() {
        let values = [
            "ok",
            "two words",
            "Trailing  ",
            "It's",
            "say \"hi\"",
            "a,b",
            "a, b",
            "a:b",
            "a: b",
            "a #b",
            "a#b",
            "\"\"",
            "\" padded \"",
            "\"a\"b\"",
            "\"a\" ",
            "\"a",
            "a\"",
            "全角　空白　",
            "全角：コロン",
            "ｶﾞ㈱",
            "~",
            "NULL",
            "True",
            "off",
            "Yes",
            "y",
            "n",
            "0",
            "7",
            "007",
            "1e3",
            "0x1F",
            ".inf",
            "-",
            "- a",
            "?",
            "?a",
            "!tag a",
            "%a",
            "@a",
            "`a`",
            "[a]",
            "[a, b]",
            "[\"a\", b]",
            "[ a ]",
            "[a,,b]",
            "[a, [b]]",
            "{}",
            "a\u{85}b",
            "a\u{2028}b",
            "\u{FEFF}a",
            "é",
            "Ünïcödé",
            "–dash",
            "a\\b",
            "'a'",
            "2030年の姿",
            "958a7c540976",
            "123456789012",
            "1st",
            "3.1a",
            "3.1",
            "1e3",
            "1_000",
            "12e",
            "0b1",
            "0o7",
            "0X1f",
            "0xZZ",
            "2024-04-01",
            "1.2.3",
            "+1",
            "1-1",
            "8.a",
            "16.10",
        ];
        let keys = ["title", "number", "sdgs", "translated_from"];
        let mut accepted = 0;
        for k in keys {
            for v in values {
                accepted += agrees(&format!("{k}: {v}\n")) as usize;
                accepted += agrees(&format!("title: 表題\n{k}:  {v}\nsummary: 要約\n")) as usize;
            }
        }
        assert!(accepted > 50, "only {accepted} were read without the YAML reader");
    }

    #[test]
    fn agrees_with_the_yaml_reader_on_bundled_front_matter_changed_at_random() {
        // A fixed sequence (xorshift): the same cases on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let inserts = [
            ":", " ", "#", "\"", "'", "[", "]", ",", "-", "&", "*", "!", "|", ">", "%", "@", "\\", "\t", "\n", "\n ",
            "0", "y", "ー", "：", "\r", "{", "}", "~",
        ];
        let all = bundled();
        let (mut tried, mut accepted) = (0, 0);
        for yaml in &all {
            for _ in 0..40 {
                let mut s = yaml.clone();
                for _ in 0..1 + next(2) {
                    let mut at = next(s.len() + 1);
                    while !s.is_char_boundary(at) {
                        at -= 1;
                    }
                    if next(4) == 0 && at < s.len() {
                        let end = (at + 1..=s.len()).find(|&e| s.is_char_boundary(e)).unwrap_or(s.len());
                        s.replace_range(at..end, "");
                    } else {
                        s.insert_str(at, inserts[next(inserts.len())]);
                    }
                }
                tried += 1;
                accepted += agrees(&s) as usize;
            }
        }
        assert!(
            tried > 1000 && accepted > tried / 10,
            "{accepted} of {tried} read without the YAML reader"
        );
    }
}
