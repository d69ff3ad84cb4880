//! Model stage: the 17 Sustainable Development Goals and their 169 targets, shipped with
//! the tool (names as used by the UN Information Centre in Tokyo, UN colours).

use std::sync::OnceLock;

use serde::Serialize;

const GOALS_CSV: &str = include_str!("sdg-goals.csv");

/// One SDG goal (目標).
#[derive(Clone, Debug, Serialize)]
pub struct SdgGoal {
    /// 1 to 17.
    pub number: u8,
    /// Official Japanese name.
    pub name_ja: String,
    /// Official English name.
    pub name_en: String,
    /// UN colour, `#RRGGBB`.
    pub colour: String,
    /// Text colour on the goal colour with the better contrast (`#000000` or `#ffffff`).
    pub text_colour: &'static str,
    /// How many numbered targets (x.1 …).
    pub numbered: u8,
    /// How many lettered targets (x.a …).
    pub lettered: u8,
}

impl SdgGoal {
    /// The official name in a language.
    pub fn name(&self, lang: crate::model::Lang) -> &str {
        match lang {
            crate::model::Lang::Ja => &self.name_ja,
            crate::model::Lang::En => &self.name_en,
        }
    }

    /// All target ids of this goal: `3.1` … `3.9`, `3.a` … `3.d`.
    pub fn target_ids(&self) -> Vec<String> {
        let mut v: Vec<String> = (1..=self.numbered).map(|n| format!("{}.{n}", self.number)).collect();
        v.extend((0..self.lettered).map(|i| format!("{}.{}", self.number, (b'a' + i) as char)));
        v
    }

    /// Whether `suffix` (what follows `3.`) names one of this goal's targets: a number from 1
    /// to the last numbered target, written without leading zeros, or one of its letters.
    /// The same as looking `3.{suffix}` up in [`SdgGoal::target_ids`], without making them.
    pub fn has_target(&self, suffix: &str) -> bool {
        match suffix.as_bytes() {
            [c @ b'a'..=b'z'] => c - b'a' < self.lettered,
            [b'1'..=b'9', rest @ ..] if rest.iter().all(u8::is_ascii_digit) => {
                suffix.parse::<u8>().is_ok_and(|n| n <= self.numbered)
            }
            _ => false,
        }
    }
}

/// The 17 goals, parsed once from the bundled table.
pub fn goals() -> &'static [SdgGoal] {
    static GOALS: OnceLock<Vec<SdgGoal>> = OnceLock::new();
    GOALS.get_or_init(|| {
        let mut rdr = csv::Reader::from_reader(GOALS_CSV.as_bytes());
        rdr.records()
            // The table is compiled into the binary and checked by the tests below.
            .map(|r| r.expect("bundled SDG table is valid"))
            .map(|r| {
                let colour = r[3].to_string();
                SdgGoal {
                    number: r[0].parse().expect("bundled SDG table is valid"),
                    name_ja: r[1].to_string(),
                    name_en: r[2].to_string(),
                    text_colour: text_colour_for(&colour),
                    colour,
                    numbered: r[4].parse().expect("bundled SDG table is valid"),
                    lettered: r[5].parse().expect("bundled SDG table is valid"),
                }
            })
            .collect()
    })
}

/// What an SDG reference (`13`, `7.2`, `1.a`) names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SdgRef {
    /// A whole goal, 1–17.
    Goal(u8),
    /// A target of a goal, like `7.2` or `1.a`.
    Target(u8, String),
}

impl SdgRef {
    /// Parses and checks an SDG reference. `Err` says why it does not exist.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let (g, rest) = match t.split_once('.') {
            Some((g, r)) => (g, Some(r)),
            None => (t, None),
        };
        let n: u8 = g.parse().map_err(|_| format!("`{t}` is not an SDG goal or target"))?;
        let goal = goals()
            .iter()
            .find(|x| x.number == n)
            .ok_or_else(|| format!("there is no SDG goal {n}; the goals are 1 to 17"))?;
        match rest {
            None => Ok(SdgRef::Goal(n)),
            Some(r) => {
                // `g` as the table writes it (no `+`, no leading zero), as the ids compare.
                let canonical = g.len() == if n < 10 { 1 } else { 2 };
                if canonical && goal.has_target(r) {
                    Ok(SdgRef::Target(n, r.to_string()))
                } else {
                    let letters = if goal.lettered == 0 {
                        "no lettered targets".to_string()
                    } else {
                        format!("{n}.a to {n}.{}", (b'a' + goal.lettered - 1) as char)
                    };
                    Err(format!(
                        "goal {n} has no target {t}: its targets are {n}.1 to {n}.{} and {letters}",
                        goal.numbered
                    ))
                }
            }
        }
    }

    /// The goal number.
    pub fn goal(&self) -> u8 {
        match self {
            SdgRef::Goal(g) | SdgRef::Target(g, _) => *g,
        }
    }

    /// The id as written: `13` or `7.2`.
    pub fn id(&self) -> String {
        match self {
            SdgRef::Goal(g) => g.to_string(),
            SdgRef::Target(g, t) => crate::text::cat(&[crate::text::digits((*g).into(), &mut [0; 20]), ".", t]),
        }
    }
}

fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    let ch = |i: usize| {
        let v = u8::from_str_radix(h.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(0) + 0.7152 * ch(2) + 0.0722 * ch(4)
}

/// WCAG contrast ratio of two `#RRGGBB` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Black or white, whichever contrasts more with the background.
pub fn text_colour_for(bg: &str) -> &'static str {
    if contrast(bg, "#000000") >= contrast(bg, "#ffffff") {
        "#000000"
    } else {
        "#ffffff"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_parses_exactly_when_its_id_is_in_the_table() {
        let suffixes = [
            "1", "9", "10", "19", "01", "+1", "0", "a", "c", "h", "A", "1a", "", " 1",
        ];
        for g in goals() {
            for goal in [g.number.to_string(), format!("0{}", g.number), format!("+{}", g.number)] {
                for s in suffixes {
                    let text = format!("{goal}.{s}");
                    let listed = g.target_ids().contains(&text);
                    assert_eq!(SdgRef::parse(&text).is_ok(), listed, "{text}");
                }
            }
        }
    }

    #[test]
    fn ships_17_goals_and_169_targets() {
        assert_eq!(goals().len(), 17);
        let n: usize = goals().iter().map(|g| g.target_ids().len()).sum();
        assert_eq!(n, 169);
        assert_eq!(goals()[16].target_ids().last().unwrap(), "17.19");
    }

    #[test]
    fn rejects_targets_that_do_not_exist() {
        assert!(SdgRef::parse("18").is_err());
        assert!(SdgRef::parse("3.14").is_err());
        assert!(SdgRef::parse("17.a").is_err());
        assert!(SdgRef::parse("0").is_err());
        assert_eq!(SdgRef::parse("1.a"), Ok(SdgRef::Target(1, "a".into())));
        assert_eq!(SdgRef::parse("13"), Ok(SdgRef::Goal(13)));
        assert_eq!(SdgRef::parse("3.d").unwrap().id(), "3.d");
    }

    #[test]
    fn badge_text_meets_contrast_on_every_goal() {
        for g in goals() {
            assert!(contrast(&g.colour, g.text_colour) >= 4.5, "goal {} fails", g.number);
        }
        // Goal 7 (yellow) needs dark text.
        assert_eq!(goals()[6].text_colour, "#000000");
    }
}
