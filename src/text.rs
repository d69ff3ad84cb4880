//! Small string builders shared by every stage, for strings made thousands of times per build
//! (addresses, labels, anchors, numbers): Rust's formatter costs several hundred instructions
//! a call, more than the copying, and a 5,000-measure build makes a few hundred thousand of
//! them (BENCHMARKS.md, session 19).

/// The pieces joined into a new string of exactly their length: `format!("{a}{b}{c}")` for
/// strings, without the formatter.
pub fn cat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        out.push_str(p);
    }
    out
}

/// The decimal digits of `n`, written at the end of `buf` (the formatter costs more than the
/// rest of a number, and target tables and charts write thousands).
pub fn digits(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_pieces_as_the_formatter_does() {
        assert_eq!(cat(&["measures/", "kosodate-1", "/"]), "measures/kosodate-1/");
        assert_eq!(cat(&[]), "");
        let s = cat(&["第", "3", "章"]);
        assert_eq!((s.as_str(), s.capacity()), ("第3章", "第3章".len()));
    }

    #[test]
    fn writes_the_digits_the_formatter_writes() {
        let mut n = 1u64;
        for _ in 0..64 {
            for m in [n - 1, n, n.wrapping_add(1), n.wrapping_mul(7) / 3] {
                assert_eq!(digits(m, &mut [0; 20]), m.to_string());
            }
            n = n.saturating_mul(2);
        }
        assert_eq!(digits(u64::MAX, &mut [0; 20]), u64::MAX.to_string());
    }
}
