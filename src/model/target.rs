//! Model stage: the targets (目標値・成果指標・数値目標・KPI) — what each measures, its
//! baseline, its target and its yearly values.

use std::ops::Range;

use serde::Serialize;

use super::{Bilingual, FiscalYear};
use crate::diag::FileId;

/// Which way a target should move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better.
    Up,
    /// Lower is better.
    Down,
}

/// What a target is in the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    /// 目標値 of a measure.
    Target,
    /// A target of the vision or a pillar (成果指標).
    Mezasou,
    /// 数値目標 of a strategy goal.
    Numeric,
    /// KPI (重要業績評価指標) of a strategy goal.
    Kpi,
}

/// A value in a fiscal year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearValue {
    /// The fiscal year.
    pub year: FiscalYear,
    /// The value.
    pub value: f64,
}

/// A numeric target (目標値・成果指標・数値目標・KPI) with its yearly actual values.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// Unique id.
    pub id: String,
    /// The item it belongs to (measure, pillar, vision or strategy goal).
    pub owner: String,
    /// What kind of target it is.
    pub kind: TargetType,
    /// Indicator name.
    pub indicator: Bilingual,
    /// Unit.
    pub unit: Bilingual,
    /// Which way is better.
    pub direction: Direction,
    /// Starting point.
    pub baseline: YearValue,
    /// Goal.
    pub target: YearValue,
    /// Actual values by year, in year order.
    pub actuals: Vec<YearValue>,
    /// Where the row is, for diagnostics.
    #[serde(skip)]
    pub file: FileId,
    /// Byte range of the row.
    #[serde(skip)]
    pub span: Range<usize>,
}
