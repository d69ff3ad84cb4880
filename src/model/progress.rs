//! Model stage: how far a target has come (進捗状況), judged from its data alone.
//!
//! The method, as SDG progress reports do it: draw the straight line from the baseline
//! (year, value) to the target (year, value); the latest actual value is compared with the
//! value that line gives for the same year.
//!
//! - **achieved** (達成): the latest value already meets the target (at or above it when
//!   higher is better, at or below it when lower is better). A target that only limits a
//!   decline (its value is worse than the baseline, e.g. a population floor) counts as
//!   achieved only once its target year has come.
//! - **on track** (順調): not achieved, and the latest value is at least as good as the
//!   straight line for its year.
//! - **behind** (遅れ): not achieved, and the latest value is worse than the straight line.
//! - **no data** (実績なし): no actual value for a year after the baseline.

use serde::Serialize;

use super::{Direction, Target};

/// Progress of a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// 達成.
    Achieved,
    /// 順調.
    OnTrack,
    /// 遅れ.
    Behind,
    /// 実績なし.
    NoData,
}

impl Status {
    /// All statuses, best first.
    pub const ALL: [Status; 4] = [Status::Achieved, Status::OnTrack, Status::Behind, Status::NoData];

    /// The id used in addresses and CSS classes: `achieved`, `on-track`, `behind`, `no-data`.
    pub fn slug(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on-track",
            Status::Behind => "behind",
            Status::NoData => "no-data",
        }
    }
}

/// Judges a target's progress from its latest actual value after the baseline year.
pub fn status(t: &Target) -> Status {
    let Some(latest) = t
        .actuals
        .iter()
        .filter(|a| a.year > t.baseline.year)
        .max_by_key(|a| a.year)
    else {
        return Status::NoData;
    };
    let sign = match t.direction {
        Direction::Up => 1.0,
        Direction::Down => -1.0,
    };
    let better_or_equal = |a: f64, b: f64| sign * (a - b) >= -1e-9;
    let limits_a_decline = !better_or_equal(t.target.value, t.baseline.value);
    let meets_target = better_or_equal(latest.value, t.target.value);
    if meets_target && (!limits_a_decline || latest.year >= t.target.year) {
        return Status::Achieved;
    }
    let span = f64::from(t.target.year.0) - f64::from(t.baseline.year.0);
    let elapsed = f64::from(latest.year.0) - f64::from(t.baseline.year.0);
    let expected = if span <= 0.0 {
        t.target.value
    } else {
        t.baseline.value + (t.target.value - t.baseline.value) * (elapsed / span).min(1.0)
    };
    if better_or_equal(latest.value, expected) {
        Status::OnTrack
    } else {
        Status::Behind
    }
}

/// The latest actual value after the baseline, if any.
pub fn latest(t: &Target) -> Option<&super::YearValue> {
    t.actuals
        .iter()
        .filter(|a| a.year > t.baseline.year)
        .max_by_key(|a| a.year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bilingual, FiscalYear, TargetType, YearValue};

    fn target(dir: Direction, base: f64, goal: f64, actuals: &[(u16, f64)]) -> Target {
        Target {
            id: "t".into(),
            owner: "m".into(),
            kind: TargetType::Target,
            indicator: Bilingual::default(),
            unit: Bilingual::default(),
            direction: dir,
            baseline: YearValue {
                year: FiscalYear(2022),
                value: base,
            },
            target: YearValue {
                year: FiscalYear(2027),
                value: goal,
            },
            actuals: actuals
                .iter()
                .map(|&(y, v)| YearValue {
                    year: FiscalYear(y),
                    value: v,
                })
                .collect(),
            file: 0,
            span: 0..0,
        }
    }

    #[test]
    fn judges_against_the_straight_line() {
        // 100 → 150 over five years: the line gives 120 in the second year.
        assert_eq!(
            status(&target(Direction::Up, 100.0, 150.0, &[(2024, 125.0)])),
            Status::OnTrack
        );
        assert_eq!(
            status(&target(Direction::Up, 100.0, 150.0, &[(2024, 115.0)])),
            Status::Behind
        );
        assert_eq!(
            status(&target(Direction::Up, 100.0, 150.0, &[(2024, 150.0)])),
            Status::Achieved
        );
        assert_eq!(status(&target(Direction::Up, 100.0, 150.0, &[])), Status::NoData);
        assert_eq!(
            status(&target(Direction::Up, 100.0, 150.0, &[(2021, 90.0)])),
            Status::NoData,
            "values before the baseline do not count"
        );
    }

    #[test]
    fn lower_is_better() {
        assert_eq!(
            status(&target(Direction::Down, 12.0, 0.0, &[(2023, 9.0)])),
            Status::OnTrack
        );
        assert_eq!(
            status(&target(Direction::Down, 12.0, 0.0, &[(2023, 11.0)])),
            Status::Behind
        );
        assert_eq!(
            status(&target(Direction::Down, 12.0, 0.0, &[(2023, 0.0)])),
            Status::Achieved
        );
    }

    #[test]
    fn a_floor_is_achieved_only_in_its_year() {
        // Population 40,991 → at least 38,279 in FY2027.
        assert_eq!(
            status(&target(Direction::Up, 40991.0, 38279.0, &[(2024, 39950.0)])),
            Status::OnTrack
        );
        assert_eq!(
            status(&target(Direction::Up, 40991.0, 38279.0, &[(2024, 39000.0)])),
            Status::Behind
        );
        assert_eq!(
            status(&target(Direction::Up, 40991.0, 38279.0, &[(2027, 38300.0)])),
            Status::Achieved
        );
    }

    #[test]
    fn keeping_a_value_is_achieved_while_it_holds() {
        assert_eq!(
            status(&target(Direction::Down, 0.0, 0.0, &[(2024, 0.0)])),
            Status::Achieved
        );
        assert_eq!(
            status(&target(Direction::Down, 0.0, 0.0, &[(2024, 2.0)])),
            Status::Behind
        );
    }
}
