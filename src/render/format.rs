//! Render stage: numbers, units, fiscal years and labels as each language writes them.

use crate::model::sdg::{SdgGoal, SdgRef};
use crate::model::{FiscalYear, Lang, YearRange};
use crate::text::digits;

/// A number with thousands separators and no needless decimals: `38,279`, `12.5`.
pub fn number(v: f64) -> String {
    let mut out = String::with_capacity(16);
    push_number(&mut out, v);
    out
}

/// Writes [`number`]'s form of `v` at the end of `out` (a whole number, as most are, without
/// a string of its own: target tables write thousands of numbers).
pub fn push_number(out: &mut String, v: f64) {
    let a = v.abs();
    // The digits without separators: an integer when the value is one, else Rust's shortest
    // exact decimal form.
    let mut whole = [0u8; 20];
    let decimal;
    let s = if (a - a.round()).abs() < 1e-9 {
        // `a` is not negative, and `as` saturates as the formatter's input did.
        digits(a.round() as i64 as u64, &mut whole)
    } else {
        decimal = a.to_string();
        decimal.as_str()
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if v < 0.0 {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
}

/// A value with its unit: `38,279人`, `75%`, `38,279 people`.
pub fn with_unit(v: f64, unit: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(16 + unit.len());
    push_number(&mut out, v);
    if !unit.is_empty() {
        if !(lang == Lang::Ja || unit.starts_with('%')) {
            out.push(' ');
        }
        out.push_str(unit);
    }
    out
}

/// A fiscal year in full: 令和6年度 / FY2024.
pub fn year(y: FiscalYear, lang: Lang) -> String {
    match lang {
        Lang::Ja => y.ja(),
        Lang::En => y.en(),
    }
}

/// A fiscal year for dense tables: R6 / FY2024.
pub fn year_short(y: FiscalYear, lang: Lang) -> String {
    match lang {
        Lang::Ja => y.compact(),
        Lang::En => y.en(),
    }
}

/// A calendar month: 4月 / Apr.
pub fn month(m: u8, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match lang {
        Lang::Ja => format!("{m}月"),
        Lang::En => EN
            .get(usize::from(m.clamp(1, 12)) - 1)
            .copied()
            .unwrap_or("")
            .to_string(),
    }
}

/// A calendar month with its year, as a document's date: 令和5年6月 / June 2023.
pub fn month_of_year(year: u16, m: u8, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Ja => FiscalYear::calendar_month_ja(year, m),
        Lang::En => format!("{} {year}", EN[usize::from(m.clamp(1, 12)) - 1]),
    }
}

/// A day: 令和6年6月30日 / 30 June 2024.
pub fn date(d: crate::model::Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}{}日", FiscalYear::calendar_month_ja(d.year, d.month), d.day),
        Lang::En => format!("{} {}", d.day, month_of_year(d.year, d.month, lang)),
    }
}

/// A period of fiscal years: 令和6年度〜令和9年度 / FY2024–FY2027 — the one way pages, PDFs and
/// introductions write it.
pub fn period(p: &YearRange, lang: Lang) -> String {
    let sep = if lang == Lang::Ja { "〜" } else { "–" };
    format!("{}{sep}{}", year(p.from, lang), year(p.to, lang))
}

/// The text of a reference written without one (`[](measure:kosodate-1)`), on pages, in
/// search and wherever the text is read: an item's title, a target's indicator, an SDG's
/// label.
pub fn referent_label(r: &crate::model::Referent<'_>, lang: Lang) -> String {
    use crate::model::Referent;
    match r {
        Referent::Sdg(s, g) => sdg_label(s, g, lang),
        Referent::Target(t, _) => t.indicator.get(lang).to_string(),
        Referent::Item(item) => item.title(lang).to_string(),
    }
}

/// How prose names an SDG goal or target: SDGs目標4「質の高い教育をみんなに」 / SDG 4: Quality
/// education; SDGsターゲット4.2 / SDG target 4.2.
pub fn sdg_label(r: &SdgRef, goal: &SdgGoal, lang: Lang) -> String {
    match (r, lang) {
        (SdgRef::Goal(n), Lang::Ja) => format!("SDGs目標{n}「{}」", goal.name(lang)),
        (SdgRef::Goal(n), Lang::En) => format!("SDG {n}: {}", goal.name(lang)),
        (_, Lang::Ja) => format!("SDGsターゲット{}", r.id()),
        (_, Lang::En) => format!("SDG target {}", r.id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_units() {
        assert_eq!(number(38279.0), "38,279");
        assert_eq!(number(5440000.0), "5,440,000");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-1200.0), "-1,200");
        assert_eq!(with_unit(75.0, "%", Lang::En), "75%");
        assert_eq!(with_unit(38279.0, "人", Lang::Ja), "38,279人");
        assert_eq!(with_unit(38279.0, "people", Lang::En), "38,279 people");
        assert_eq!(with_unit(12.5, "% of households", Lang::En), "12.5% of households");
        assert_eq!(number(1234567.891), "1,234,567.891");
        assert_eq!(number(-0.25), "-0.25");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1e-7), "0.0000001");
        assert_eq!(number(7.0), "7");
        assert_eq!(number(999.9999999999), "1,000");
        assert_eq!(number(123456789012.0), "123,456,789,012");
        assert_eq!(number(-0.0), "0");
        for n in [
            0i64,
            1,
            9,
            10,
            99,
            100,
            999,
            1000,
            65536,
            1_000_000,
            9_007_199_254_740_993,
        ] {
            assert_eq!(number(n as f64).replace(',', ""), format!("{}", n as f64 as i64), "{n}");
        }
    }

    #[test]
    fn years_and_months() {
        assert_eq!(year(FiscalYear(2024), Lang::Ja), "令和6年度");
        assert_eq!(year(FiscalYear(2024), Lang::En), "FY2024");
        assert_eq!(year_short(FiscalYear(2015), Lang::Ja), "H27");
        assert_eq!(month(4, Lang::Ja), "4月");
        assert_eq!(month(3, Lang::En), "Mar");
    }
}
