//! Model stage: Japanese fiscal years (年度), written the way city hall writes them.
//!
//! A fiscal year runs from April to March and is named by the era year in which it starts:
//! 令和6年度 = FY2024 (April 2024 – March 2025). Heisei 31 and Reiwa 1 are the same fiscal
//! year, FY2019 (the era changed on 1 May 2019, inside it); it is shown as 令和元年度.

use std::fmt;

use serde::Serialize;

/// A fiscal year (年度), stored as the Western year in which it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FiscalYear(pub u16);

/// Why a fiscal-year text could not be read.
#[derive(Debug, PartialEq, Eq)]
pub struct FiscalYearError;

impl fmt::Display for FiscalYearError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a fiscal year")
    }
}

const HEISEI_START: u16 = 1988; // Heisei 1 = 1989
const REIWA_START: u16 = 2018; // Reiwa 1 = 2019
const SHOWA_START: u16 = 1925; // Showa 1 = 1926

impl FiscalYear {
    /// Reads `R6`, `R 6`, `令和6年度`, `令和元年度`, `H27`, `平成27年度`, `FY2024` or `2024`.
    /// Full-width digits are accepted. Heisei years beyond 31 and Reiwa 0 are rejected.
    pub fn parse(text: &str) -> Result<Self, FiscalYearError> {
        let t: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                'Ｒ' => 'R',
                'Ｈ' => 'H',
                'Ｓ' => 'S',
                _ => c,
            })
            .collect();
        let t = t.strip_suffix("年度").unwrap_or(&t);
        let (era, rest) = if let Some(r) = t.strip_prefix("令和") {
            ('R', r)
        } else if let Some(r) = t.strip_prefix("平成") {
            ('H', r)
        } else if let Some(r) = t.strip_prefix("昭和") {
            ('S', r)
        } else if let Some(r) = t.strip_prefix("FY").or_else(|| t.strip_prefix("fy")) {
            ('W', r)
        } else if let Some(r) = t.strip_prefix(['R', 'r']) {
            ('R', r)
        } else if let Some(r) = t.strip_prefix(['H', 'h']) {
            ('H', r)
        } else if let Some(r) = t.strip_prefix(['S', 's']) {
            ('S', r)
        } else {
            ('W', t)
        };
        let n: u16 = if rest == "元" {
            1
        } else if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) && rest.len() <= 4 {
            rest.parse().map_err(|_| FiscalYearError)?
        } else {
            return Err(FiscalYearError);
        };
        let year = match era {
            'R' if (1..=99).contains(&n) => REIWA_START + n,
            'H' if (1..=31).contains(&n) => HEISEI_START + n,
            'S' if (1..=64).contains(&n) => SHOWA_START + n,
            'W' if (1900..=2200).contains(&n) => n,
            _ => return Err(FiscalYearError),
        };
        Ok(FiscalYear(year))
    }

    /// The Western year in which the fiscal year starts.
    pub fn western(self) -> u16 {
        self.0
    }

    fn era(self) -> (&'static str, &'static str, u16) {
        if self.0 > REIWA_START {
            ("令和", "R", self.0 - REIWA_START)
        } else if self.0 > HEISEI_START {
            ("平成", "H", self.0 - HEISEI_START)
        } else {
            ("昭和", "S", self.0.saturating_sub(SHOWA_START))
        }
    }

    /// A calendar month in the era of its day: `令和6年6月`, `令和元年5月`, `平成31年4月` (the
    /// Reiwa era began on 1 May 2019, a month after fiscal year R1 began).
    pub fn calendar_month_ja(year: u16, month: u8) -> String {
        let (name, start) = if (year, month) >= (REIWA_START + 1, 5) {
            ("令和", REIWA_START)
        } else if year > HEISEI_START {
            ("平成", HEISEI_START)
        } else {
            ("昭和", SHOWA_START)
        };
        match year.saturating_sub(start) {
            1 => format!("{name}元年{month}月"),
            n => format!("{name}{n}年{month}月"),
        }
    }

    /// `令和6年度`, `令和元年度`, `平成27年度`.
    pub fn ja(self) -> String {
        let (name, _, n) = self.era();
        if n == 1 {
            crate::text::cat(&[name, "元年度"])
        } else {
            crate::text::cat(&[name, crate::text::digits(n.into(), &mut [0; 20]), "年度"])
        }
    }

    /// The compact form used in dense tables and in source files: `R6`, `R1`, `H27`.
    pub fn compact(self) -> String {
        let (_, letter, n) = self.era();
        crate::text::cat(&[letter, crate::text::digits(n.into(), &mut [0; 20])])
    }

    /// `FY2024`.
    pub fn en(self) -> String {
        crate::text::cat(&["FY", crate::text::digits(self.0.into(), &mut [0; 20])])
    }

    /// The next fiscal year.
    pub fn next(self) -> Self {
        FiscalYear(self.0 + 1)
    }

    /// Every fiscal year from `self` to `last`, both included.
    pub fn through(self, last: FiscalYear) -> impl Iterator<Item = FiscalYear> {
        (self.0..=last.0).map(FiscalYear)
    }
}

impl<'de> serde::Deserialize<'de> for FiscalYear {
    /// Reads a fiscal year from a YAML scalar (`R6`, `令和6年度`, `2024`), so data tables
    /// get a located error for a bad year.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = FiscalYear;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a fiscal year such as R6, 令和6年度 or H27")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FiscalYear, E> {
                FiscalYear::parse(v).map_err(|_| {
                    E::custom(format!(
                        "`{v}` is not a fiscal year: write it like R6, 令和6年度 or H27"
                    ))
                })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<FiscalYear, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<FiscalYear, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_str(V)
    }
}

/// A span of fiscal years, both ends included (a plan's period, the columns of a chart).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// First fiscal year.
    pub from: FiscalYear,
    /// Last fiscal year.
    pub to: FiscalYear,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fy(s: &str) -> FiscalYear {
        FiscalYear::parse(s).unwrap()
    }

    #[test]
    fn heisei_31_and_reiwa_1_are_fy2019() {
        assert_eq!(fy("H31"), FiscalYear(2019));
        assert_eq!(fy("R1"), FiscalYear(2019));
        assert_eq!(fy("令和元年度"), FiscalYear(2019));
        assert_eq!(fy("平成31年度"), FiscalYear(2019));
        assert_eq!(fy("H31").ja(), "令和元年度");
        assert_eq!(fy("H31").compact(), "R1");
        assert_eq!(fy("H31").en(), "FY2019");
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(fy("H30"), FiscalYear(2018));
        assert_eq!(fy("H30").ja(), "平成30年度");
        assert_eq!(fy("R2").ja(), "令和2年度");
        assert_eq!(fy("H1"), FiscalYear(1989));
        assert_eq!(fy("H1").ja(), "平成元年度");
        assert_eq!(fy("S63").ja(), "昭和63年度");
        assert!(FiscalYear::parse("H32").is_err(), "Heisei ended in its 31st year");
    }

    #[test]
    fn plan_years_read_every_way() {
        assert_eq!(fy("R6"), FiscalYear(2024));
        assert_eq!(fy("R 6"), FiscalYear(2024));
        assert_eq!(fy("令和6年度"), FiscalYear(2024));
        assert_eq!(fy("Ｒ６"), FiscalYear(2024));
        assert_eq!(fy("FY2024"), FiscalYear(2024));
        assert_eq!(fy("2024"), FiscalYear(2024));
        assert_eq!(fy("H27").ja(), "平成27年度");
        assert_eq!(fy("R9").en(), "FY2027");
    }

    #[test]
    fn names_calendar_months_in_their_era() {
        assert_eq!(FiscalYear::calendar_month_ja(2023, 6), "令和5年6月");
        assert_eq!(FiscalYear::calendar_month_ja(2019, 5), "令和元年5月");
        assert_eq!(FiscalYear::calendar_month_ja(2019, 4), "平成31年4月");
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "R", "R0", "H0", "X5", "令和", "R6.5", "12345", "FY99"] {
            assert!(FiscalYear::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn iterates_a_period() {
        let v: Vec<String> = fy("H27").through(fy("R9")).map(FiscalYear::compact).collect();
        assert_eq!(v.len(), 13);
        assert_eq!(v.first().unwrap(), "H27");
        assert_eq!(v[4], "R1");
        assert_eq!(v.last().unwrap(), "R9");
    }
}
