//! Model stage: the data tables of the plan — the structure and periods chart, the
//! formulation bodies and schedule of the formulation policy, and the accessibility test's
//! results — as read from `data/*.yaml`.

use serde::{Deserialize, Serialize};

use super::{Bilingual, FiscalYear, YearRange};
use crate::diag::FileId;

/// A span of years in the plan-structure chart.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpan {
    /// First fiscal year.
    pub from: FiscalYear,
    /// Last fiscal year.
    pub to: FiscalYear,
    /// Label in Japanese.
    pub ja: String,
    /// Label in English.
    #[serde(default)]
    pub en: String,
}

/// A row of the plan-structure chart (基本構想, 基本計画, 実施計画, 総合戦略).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodRow {
    /// Row id.
    pub id: String,
    /// Row label.
    pub label: Bilingual,
    /// Spans of years.
    pub spans: Vec<PeriodSpan>,
}

/// The plan structure and periods chart (計画の構成と期間), `data/periods.yaml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Periods {
    /// Years shown as columns.
    pub years: YearRange,
    /// Rows.
    pub rows: Vec<PeriodRow>,
}

/// A list of texts in both languages.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BilingualList {
    /// Japanese entries.
    #[serde(default)]
    pub ja: Vec<String>,
    /// English entries.
    #[serde(default)]
    pub en: Vec<String>,
}

/// A formulation body (審議会, 政策会議, working group …), `data/bodies.yaml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormulationBody {
    /// Id.
    pub id: String,
    /// `citizen` (市民参画) or `internal` (庁内体制).
    pub group: BodyGroup,
    /// Name.
    pub name: Bilingual,
    /// Legal basis (設置根拠).
    #[serde(default)]
    pub basis: Option<Bilingual>,
    /// Number of members (人数).
    #[serde(default)]
    pub size: Option<Bilingual>,
    /// Composition (構成).
    #[serde(default)]
    pub members: BilingualList,
    /// What it does.
    #[serde(default)]
    pub role: Option<Bilingual>,
    /// Its secretariat, when not the general one.
    #[serde(default)]
    pub secretariat: Option<Bilingual>,
}

/// Which side of the formulation a body is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyGroup {
    /// 市民参画 (citizen participation).
    Citizen,
    /// 庁内体制.
    Internal,
}

/// The formulation bodies table.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bodies {
    /// The bodies.
    pub bodies: Vec<FormulationBody>,
    /// Public-opinion channels (世論調査).
    #[serde(default)]
    pub public_opinion: BilingualList,
    /// The secretariat (事務局).
    #[serde(default)]
    pub secretariat: Option<Bilingual>,
}

/// A column of the schedule (議会, 市民, 総合計画審議会, 市役所).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Track {
    /// Id used by entries.
    pub id: String,
    /// Japanese heading.
    pub ja: String,
    /// English heading.
    #[serde(default)]
    pub en: String,
}

/// One item of the schedule.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleEntry {
    /// Fiscal year.
    pub fy: FiscalYear,
    /// Calendar month (4 … 12, 1 … 3).
    pub month: u8,
    /// Track id.
    pub track: String,
    /// Japanese text.
    pub ja: String,
    /// English text.
    #[serde(default)]
    pub en: String,
}

/// The formulation schedule (策定スケジュール), `data/schedule.yaml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Columns.
    pub tracks: Vec<Track>,
    /// Items.
    pub entries: Vec<ScheduleEntry>,
}

/// The results of an accessibility test of the site (`data/accessibility.yaml`), published
/// on the accessibility page as they are: the page states no result the city has not recorded.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct A11yResults {
    /// The day of the test.
    pub date: super::Date,
    /// The tools and how they were run (`axe-core 4.10, WCAG 2.2 A/AA`).
    pub tools: Vec<String>,
    /// The pages tested, as paths of the site (`measures/kosodate-1/`).
    pub pages: Vec<String>,
    /// What the test found, in a sentence.
    pub result: Bilingual,
    /// The build the tested pages came from (the mark `keikaku-build` of its accessibility
    /// page): a later build whose pages differ says the results are from an earlier one.
    #[serde(default)]
    pub build: Option<String>,
    /// How the pages were chosen (every page, or representative and random ones).
    #[serde(default)]
    pub method: Option<Bilingual>,
    /// The technologies the pages rely on (HTML, CSS, JavaScript …).
    #[serde(default)]
    pub technologies: Vec<String>,
    /// What the tools found per success criterion (`1.1.1`); a criterion not listed was not
    /// decided by them.
    #[serde(default)]
    pub criteria: std::collections::BTreeMap<String, CriterionFound>,
}

/// What the tools found for one success criterion.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionFound {
    /// Failed, passed or not applicable.
    pub found: super::wcag::Found,
    /// The rules of the tools that decided it (`color-contrast`, `vnu`).
    #[serde(default)]
    pub rules: Vec<String>,
    /// On how many of the tested pages a rule failed.
    #[serde(default)]
    pub failed_pages: usize,
    /// Whether a person checked it (then a pass is a pass, whatever the tools can decide).
    #[serde(default)]
    pub by_person: bool,
}

/// The data tables of the formulation policy.
#[derive(Clone, Debug, Default)]
pub struct Tables {
    /// Plan structure and periods.
    pub periods: Option<Periods>,
    /// Formulation bodies.
    pub bodies: Option<Bodies>,
    /// Formulation schedule.
    pub schedule: Option<Schedule>,
    /// The latest accessibility test's results.
    pub accessibility: Option<A11yResults>,
    /// The files the tables came from (periods, bodies, schedule), for diagnostics.
    pub files: [Option<FileId>; 3],
}

/// A targets file as it was read: its file and the names of its header's columns, in order,
/// so that `keikaku export` writes it back in the same form.
#[derive(Clone, Debug)]
pub struct SourceTable {
    /// The file.
    pub file: crate::diag::FileId,
    /// The header's cells, trimmed.
    pub columns: Vec<String>,
}
