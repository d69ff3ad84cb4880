//! The search index's n-grams: which pages hold each string of one to three characters of
//! their normalised text, in parts (shards) chosen by a hash of the string, so that a query
//! fetches only the parts of its own strings. A term of up to three characters is one key
//! and its pages are exact; a longer term is every three-character string of it, whose pages
//! are a (very near) superset that `search.js` checks against the text it shows.
//!
//! The normalisation, the key of a term, the hash and the encodings are written twice, here
//! and in `themes/default/static/search.js`; `tests/browser/search.mjs` runs the real script
//! on the real index, so the two cannot drift apart unnoticed.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// The longest key: terms of up to this many characters are looked up whole.
pub const MAX_GRAM: usize = 3;

/// How big (in bytes of JSON, about) one part of the postings is meant to be: a query of an
/// English word touches up to about ten parts.
const SHARD_BYTES: usize = 8 * 1024;

/// The search text of a string: NFKC, lower case, curly quotes as straight ones. The same as
/// `norm()` in search.js.
pub fn normalise(s: &str) -> String {
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    // Most text is NFKC already: the quick check spares the decomposition.
    let lower = match is_nfkc_quick(s.chars()) {
        IsNormalized::Yes => s.to_lowercase(),
        _ => s.nfkc().collect::<String>().to_lowercase(),
    };
    if !lower.contains(['\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}']) {
        return lower;
    }
    lower
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            c => c,
        })
        .collect()
}

/// Whether a character separates a query's terms: JavaScript's `\s` (search.js splits the
/// query on it), so no key holds one.
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}'
    )
}

/// A string of one to three characters packed in a number (each character plus one, in 21
/// bits), so that counting them needs no allocation.
pub type Gram = u64;

fn pack(chars: &[char]) -> Gram {
    chars.iter().rev().fold(0, |k, &c| (k << 21) | (c as u64 + 1))
}

/// The characters of a packed string.
pub fn unpack(mut g: Gram) -> String {
    let mut s = String::new();
    while g != 0 {
        s.extend(char::from_u32((g & 0x1F_FFFF) as u32 - 1));
        g >>= 21;
    }
    s
}

/// The length in UTF-8 of a packed string.
fn key_len(mut g: Gram) -> usize {
    let mut n = 0;
    while g != 0 {
        n += char::from_u32((g & 0x1F_FFFF) as u32 - 1).map_or(0, char::len_utf8);
        g >>= 21;
    }
    n
}

/// Every string of one to three characters of a normalised text, without those that hold a
/// space, each once, in order.
pub fn grams(text: &str) -> Vec<Gram> {
    let mut out = Vec::new();
    grams_into(text, &mut Vec::new(), &mut out);
    out
}

/// [`grams`] into a buffer, with a buffer for the characters: one page after another
/// without allocating.
pub fn grams_into(text: &str, chars: &mut Vec<char>, out: &mut Vec<Gram>) {
    chars.clear();
    chars.extend(text.chars());
    out.clear();
    for i in 0..chars.len() {
        for n in 1..=MAX_GRAM.min(chars.len() - i) {
            let g = &chars[i..i + n];
            if is_space(g[n - 1]) {
                break;
            }
            out.push(pack(g));
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// Which part of the postings holds a string: FNV-1a over its characters, as `shardOf()` in
/// search.js.
pub fn shard_of(g: Gram, shards: usize) -> usize {
    let mut h: u32 = 0x811C_9DC5;
    let mut g = g;
    while g != 0 {
        h ^= (g & 0x1F_FFFF) as u32 - 1;
        h = h.wrapping_mul(16_777_619);
        g >>= 21;
    }
    h as usize % shards
}

/// Which part of the postings holds a key (a string of one to three characters).
pub fn key_shard(key: &str, shards: usize) -> usize {
    shard_of(pack(&key.chars().collect::<Vec<_>>()), shards)
}

/// How many parts the postings of this many bytes come in: a power of two, so that each is
/// about [`SHARD_BYTES`].
pub fn shard_count(bytes: usize) -> usize {
    bytes.div_ceil(SHARD_BYTES).next_power_of_two().clamp(1, 4096)
}

const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A sorted list of pages as text for JSON, whichever of two forms is shorter: the gaps
/// between pages in base-32 digits, least significant first, with the sixth bit of a digit
/// saying another follows (as source maps' VLQ); or, after `!`, a bitmap of six pages a
/// digit. `decode()` in search.js reads both.
pub fn encode(pages: &[u32]) -> String {
    let mut gaps = String::new();
    let mut last: i64 = -1;
    for &p in pages {
        let mut v = (p as i64 - last - 1) as u64;
        last = p as i64;
        loop {
            let d = (v & 31) as usize;
            v >>= 5;
            gaps.push(DIGITS[if v > 0 { d | 32 } else { d }] as char);
            if v == 0 {
                break;
            }
        }
    }
    let top = pages.last().map_or(0, |&p| p as usize + 1);
    if top.div_ceil(6) + 1 >= gaps.len() {
        return gaps;
    }
    let mut bits = vec![0u8; top.div_ceil(6)];
    for &p in pages {
        bits[p as usize / 6] |= 1 << (p % 6);
    }
    let mut out = String::with_capacity(bits.len() + 1);
    out.push('!');
    out.extend(bits.iter().map(|&b| DIGITS[b as usize] as char));
    out
}

/// The length of what [`encode`] writes, without writing it.
pub fn encoded_len(pages: &[u32]) -> usize {
    let mut last: i64 = -1;
    let gaps: usize = pages
        .iter()
        .map(|&p| {
            let v = (p as i64 - last - 1) as u64;
            last = p as i64;
            (64 - v.leading_zeros() as usize).div_ceil(5).max(1)
        })
        .sum();
    let top = pages.last().map_or(0, |&p| p as usize + 1);
    gaps.min(top.div_ceil(6) + 1)
}

/// The pages that hold each string, in text and in titles, in page order.
#[derive(Default)]
pub struct Postings {
    map: FxHashMap<Gram, (Vec<u32>, Vec<u32>)>,
}

impl Postings {
    /// Adds a page's strings (of its text, and of its title). Pages must come in order.
    pub fn add(&mut self, page: u32, text: &[Gram], title: &[Gram]) {
        for &g in text {
            self.map.entry(g).or_default().0.push(page);
        }
        for &g in title {
            self.map.entry(g).or_default().1.push(page);
        }
    }

    /// Takes a page's strings out, and puts its new ones in, wherever they are in the order;
    /// returns the strings whose pages changed.
    pub fn replace(&mut self, page: u32, old: [&[Gram]; 2], new: [&[Gram]; 2]) -> Vec<Gram> {
        let mut changed = Vec::new();
        for field in 0..2 {
            for g in difference(old[field], new[field]) {
                if let Some(p) = self.map.get_mut(&g) {
                    let list = if field == 0 { &mut p.0 } else { &mut p.1 };
                    list.retain(|&x| x != page);
                    if p.0.is_empty() && p.1.is_empty() {
                        self.map.remove(&g);
                    }
                }
                changed.push(g);
            }
            for g in difference(new[field], old[field]) {
                let p = self.map.entry(g).or_default();
                let list = if field == 0 { &mut p.0 } else { &mut p.1 };
                if let Err(at) = list.binary_search(&page) {
                    list.insert(at, page);
                }
                changed.push(g);
            }
        }
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// Every string with its pages, in text and in titles, each as [`encode`] writes them.
    pub fn encoded(&self) -> Vec<(Gram, String, String)> {
        self.encoded_where(|_| true)
    }

    /// [`Postings::encoded`], of the strings `keep` chooses.
    pub fn encoded_where(&self, keep: impl Fn(Gram) -> bool + Sync) -> Vec<(Gram, String, String)> {
        // On all cores: at 5,000 measures each language has hundreds of thousands of strings,
        // and the language that finishes last would otherwise encode them on one core.
        self.map
            .par_iter()
            .filter(|(g, _)| keep(**g))
            .map(|(&g, (x, t))| (g, encode(x), encode(t)))
            .collect()
    }

    /// About how many bytes of JSON the postings come to (what the number of parts follows),
    /// counted without encoding them.
    pub fn bytes(&self) -> usize {
        self.map
            .iter()
            .map(|(&g, (x, t))| encoded_len(x) + encoded_len(t) + 4 * key_len(g) + 8)
            .sum()
    }

    /// One string's pages, encoded.
    #[cfg(test)]
    pub fn encode_one(&self, g: Gram) -> Option<(String, String)> {
        self.map.get(&g).map(|(x, t)| (encode(x), encode(t)))
    }
}

/// The strings of a sorted list that the other (sorted) list lacks.
fn difference(a: &[Gram], b: &[Gram]) -> Vec<Gram> {
    a.iter().copied().filter(|g| b.binary_search(g).is_err()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<u32> {
        let digit = |c: u8| DIGITS.iter().position(|&d| d == c).unwrap() as u64;
        if let Some(bits) = s.strip_prefix('!') {
            let mut out = Vec::new();
            for (k, c) in bits.bytes().enumerate() {
                for j in 0..6 {
                    if digit(c) & (1 << j) != 0 {
                        out.push((k * 6 + j) as u32);
                    }
                }
            }
            return out;
        }
        let (mut out, mut last, mut v, mut shift) = (Vec::new(), -1i64, 0u64, 0);
        for c in s.bytes() {
            let d = digit(c);
            v |= (d & 31) << shift;
            shift += 5;
            if d & 32 == 0 {
                last += v as i64 + 1;
                out.push(last as u32);
                (v, shift) = (0, 0);
            }
        }
        out
    }

    #[test]
    fn pages_come_back_from_either_form() {
        for pages in [
            vec![],
            vec![0],
            vec![5, 40, 41, 2000, 70_000],
            (0..300).collect(),
            (0..300).step_by(2).collect(),
        ] {
            let e = encode(&pages);
            assert_eq!(decode(&e), pages, "{e}");
        }
        assert!(
            encode(&(0..300).collect::<Vec<_>>()).starts_with('!'),
            "dense lists are bitmaps"
        );
        assert_eq!(
            encode(&[0, 40, 41]),
            "AnBA",
            "gaps 0, 39 (7 and 1 with the sixth bit), 0"
        );
        assert_eq!(encode(&[0, 1, 2]), "!H", "three pages in one digit");
    }

    #[test]
    fn keys_are_the_strings_of_one_to_three_characters_without_spaces() {
        let g: Vec<String> = grams(&normalise("ｶﾞｲﾄﾞ ab")).into_iter().map(unpack).collect();
        let mut want = ["ガ", "ガイ", "ガイド", "イ", "イド", "ド", "a", "ab", "b"]
            .map(String::from)
            .to_vec();
        want.sort_by_key(|s| pack(&s.chars().collect::<Vec<_>>()));
        assert_eq!(g, want);
        assert_eq!(normalise("“Ｔｅｓｔ”㈱"), "\"test\"(株)");
    }

    #[test]
    fn the_hash_is_fnv1a_over_characters() {
        let g = pack(&['a']);
        assert_eq!(
            shard_of(g, 1 << 30),
            (0x811C_9DC5u32 ^ 97).wrapping_mul(16_777_619) as usize % (1 << 30)
        );
    }

    #[test]
    fn replacing_a_page_moves_it_between_strings() {
        let mut p = Postings::default();
        p.add(0, &grams("ab"), &[]);
        p.add(1, &grams("bc"), &[]);
        let changed = p.replace(0, [&grams("ab"), &[]], [&grams("bd"), &[]]);
        let b = pack(&['b']);
        assert!(!changed.contains(&b), "b was there before and after");
        assert_eq!(p.encode_one(pack(&['a'])), None);
        assert_eq!(p.encode_one(pack(&['d'])).unwrap().0, encode(&[0]));
        assert_eq!(p.encode_one(b).unwrap().0, encode(&[0, 1]));
    }
}
