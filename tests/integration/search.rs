//! The search index as the browser reads it: for many strings of the bundled plan's text, the
//! pages the index gives are exactly the pages whose text or title hold the string (strings
//! of up to three characters), or include them all (longer ones, which search.js checks
//! against the text of the pages it reads).

use std::collections::BTreeSet;

use keikaku::render::search::index::{MAX_GRAM, key_shard, normalise};
use serde_json::Value;

use crate::harness::Fixture;

const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A list of pages as search.js's `decode()` reads it.
fn decode(s: &str) -> BTreeSet<usize> {
    let digit = |c: char| DIGITS.find(c).unwrap();
    if let Some(bits) = s.strip_prefix('!') {
        return bits
            .chars()
            .enumerate()
            .flat_map(|(k, c)| (0..6).filter(move |j| digit(c) & (1 << j) != 0).map(move |j| k * 6 + j))
            .collect();
    }
    let (mut out, mut last, mut v, mut shift) = (BTreeSet::new(), -1i64, 0usize, 0);
    for c in s.chars() {
        let d = digit(c);
        v |= (d & 31) << shift;
        shift += 5;
        if d & 32 == 0 {
            last += v as i64 + 1;
            out.insert(last as usize);
            (v, shift) = (0, 0);
        }
    }
    out
}

struct Index {
    meta: Value,
    parts: Vec<Value>,
    /// (title, text) of each page, normalised.
    pages: Vec<(String, String)>,
}

fn read(f: &Fixture, lang: &str) -> Index {
    let json = |rel: &str| -> Value { serde_json::from_str(&f.read(&format!("search/{rel}"))).unwrap() };
    let meta = json(&format!("{lang}.json"));
    let n = |k: &str| meta[k].as_u64().unwrap() as usize;
    let parts = (0..n("shards")).map(|p| json(&format!("{lang}/p{p}.json"))).collect();
    let mut pages = Vec::new();
    for file in 0..n("pages").div_ceil(n("per_file")) {
        for d in json(&format!("{lang}/f{file}.json")).as_array().unwrap() {
            pages.push((normalise(d["t"].as_str().unwrap()), normalise(d["x"].as_str().unwrap())));
        }
    }
    assert_eq!(pages.len(), n("pages"));
    assert_eq!(n("max_gram"), MAX_GRAM);
    Index { meta, parts, pages }
}

impl Index {
    /// The pages the index gives for a term, in its text (field 0) or title (field 1).
    fn lookup(&self, term: &str, field: usize) -> BTreeSet<usize> {
        let chars: Vec<char> = term.chars().collect();
        let keys: Vec<String> = if chars.len() <= MAX_GRAM {
            vec![term.to_string()]
        } else {
            chars.windows(MAX_GRAM).map(|w| w.iter().collect()).collect()
        };
        let shards = self.meta["shards"].as_u64().unwrap() as usize;
        let mut got: Option<BTreeSet<usize>> = None;
        for k in keys {
            let list = self.parts[key_shard(&k, shards)]
                .get(&k)
                .map(|e| decode(e[field].as_str().unwrap()))
                .unwrap_or_default();
            got = Some(match got {
                None => list,
                Some(g) => g.intersection(&list).copied().collect(),
            });
        }
        got.unwrap_or_default()
    }

    /// The pages that hold a term, read from their text.
    fn scan(&self, term: &str, field: usize) -> BTreeSet<usize> {
        let of = |p: &(String, String)| {
            if field == 0 {
                p.1.contains(term)
            } else {
                p.0.contains(term)
            }
        };
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| of(p))
            .map(|(n, _)| n)
            .collect()
    }
}

#[test]
fn the_index_finds_exactly_the_pages_that_hold_a_string() {
    let f = Fixture::new("bundled");
    f.build_ok();
    for lang in ["ja", "en"] {
        let index = read(&f, lang);
        // Strings of one to seven characters from every page's text and title, at steps
        // through it, and a few that are nowhere.
        let mut terms: BTreeSet<String> = ["存在しない", "xyzzy", "ゼロカーボンシティ", "childcare"]
            .map(String::from)
            .into();
        for (title, text) in &index.pages {
            for source in [title, text] {
                let chars: Vec<char> = source.chars().collect();
                for at in (0..chars.len()).step_by(37) {
                    for len in 1..=7.min(chars.len() - at) {
                        let t: String = chars[at..at + len].iter().collect();
                        if !t.chars().any(char::is_whitespace) {
                            terms.insert(t);
                        }
                    }
                }
            }
        }
        assert!(terms.len() > 1000, "{lang}: {} terms", terms.len());
        for term in &terms {
            for field in [0, 1] {
                let (got, want) = (index.lookup(term, field), index.scan(term, field));
                if term.chars().count() <= MAX_GRAM {
                    assert_eq!(got, want, "{lang}: {term:?} in field {field}");
                } else {
                    assert!(
                        got.is_superset(&want),
                        "{lang}: {term:?} misses {:?}",
                        want.difference(&got)
                    );
                }
            }
        }
    }
}
