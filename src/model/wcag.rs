//! Model stage: the success criteria of JIS X 8341-3:2016 (WCAG 2.0) at levels A and AA, the
//! form of the test results the standard's annex JB asks a public body to publish, and how
//! a criterion's result and the conformance wording follow from what the tools found.

use serde::{Deserialize, Serialize};

/// A success criterion: number, level, name in Japanese (as JIS X 8341-3 names it) and English.
pub struct Criterion {
    /// `1.1.1`.
    pub number: &'static str,
    /// `A` or `AA`.
    pub level: &'static str,
    /// 非テキストコンテンツ.
    pub ja: &'static str,
    /// Non-text Content.
    pub en: &'static str,
}

macro_rules! criteria {
    ($(($n:literal, $l:literal, $ja:literal, $en:literal)),* $(,)?) => {
        /// The success criteria of levels A and AA, in order.
        pub const CRITERIA: &[Criterion] = &[$(Criterion { number: $n, level: $l, ja: $ja, en: $en }),*];
    };
}

criteria![
    ("1.1.1", "A", "非テキストコンテンツ", "Non-text Content"),
    (
        "1.2.1",
        "A",
        "音声のみ及び映像のみ（収録済み）",
        "Audio-only and Video-only (Prerecorded)"
    ),
    ("1.2.2", "A", "キャプション（収録済み）", "Captions (Prerecorded)"),
    (
        "1.2.3",
        "A",
        "音声解説又はメディアに対する代替（収録済み）",
        "Audio Description or Media Alternative (Prerecorded)"
    ),
    ("1.2.4", "AA", "キャプション（ライブ）", "Captions (Live)"),
    ("1.2.5", "AA", "音声解説（収録済み）", "Audio Description (Prerecorded)"),
    ("1.3.1", "A", "情報及び関係性", "Info and Relationships"),
    ("1.3.2", "A", "意味のある順序", "Meaningful Sequence"),
    ("1.3.3", "A", "感覚的な特徴", "Sensory Characteristics"),
    ("1.4.1", "A", "色の使用", "Use of Color"),
    ("1.4.2", "A", "音声の制御", "Audio Control"),
    ("1.4.3", "AA", "コントラスト（最低限レベル）", "Contrast (Minimum)"),
    ("1.4.4", "AA", "テキストのサイズ変更", "Resize text"),
    ("1.4.5", "AA", "文字画像", "Images of Text"),
    ("2.1.1", "A", "キーボード", "Keyboard"),
    ("2.1.2", "A", "キーボードトラップなし", "No Keyboard Trap"),
    ("2.2.1", "A", "タイミング調整可能", "Timing Adjustable"),
    ("2.2.2", "A", "一時停止、停止及び非表示", "Pause, Stop, Hide"),
    (
        "2.3.1",
        "A",
        "3回のせん（閃）光、又はしきい（閾）値以下",
        "Three Flashes or Below Threshold"
    ),
    ("2.4.1", "A", "ブロックスキップ", "Bypass Blocks"),
    ("2.4.2", "A", "ページタイトル", "Page Titled"),
    ("2.4.3", "A", "フォーカス順序", "Focus Order"),
    (
        "2.4.4",
        "A",
        "リンクの目的（コンテキスト内）",
        "Link Purpose (In Context)"
    ),
    ("2.4.5", "AA", "複数の手段", "Multiple Ways"),
    ("2.4.6", "AA", "見出し及びラベル", "Headings and Labels"),
    ("2.4.7", "AA", "フォーカスの可視化", "Focus Visible"),
    ("3.1.1", "A", "ページの言語", "Language of Page"),
    ("3.1.2", "AA", "一部分の言語", "Language of Parts"),
    ("3.2.1", "A", "フォーカス時", "On Focus"),
    ("3.2.2", "A", "入力時", "On Input"),
    ("3.2.3", "AA", "一貫したナビゲーション", "Consistent Navigation"),
    ("3.2.4", "AA", "一貫した識別性", "Consistent Identification"),
    ("3.3.1", "A", "エラーの特定", "Error Identification"),
    ("3.3.2", "A", "ラベル又は説明", "Labels or Instructions"),
    ("3.3.3", "AA", "エラー修正の提案", "Error Suggestion"),
    (
        "3.3.4",
        "AA",
        "エラー回避（法的、金融及びデータ）",
        "Error Prevention (Legal, Financial, Data)"
    ),
    ("4.1.1", "A", "構文解析", "Parsing"),
    (
        "4.1.2",
        "A",
        "名前（name）、役割（role）及び値（value）",
        "Name, Role, Value"
    ),
];

/// The criteria a tool can decide alone when it finds nothing wrong: 3.1.1 (the page's
/// language is declared and valid) and 4.1.1 (the markup parses: the Nu HTML Checker).
/// For every other criterion a clean automated result is not proof, and it says so.
pub const DECIDED_BY_TOOLS: [&str; 2] = ["3.1.1", "4.1.1"];

/// What the tools recorded for one criterion (`data/accessibility.yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Found {
    /// A rule of the criterion failed on some page.
    Fail,
    /// The rules of the criterion passed wherever they applied.
    Pass,
    /// Nothing on the tested pages falls under the criterion (no audio or video …).
    Inapplicable,
}

/// The result of one criterion as the results page states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// 適合.
    Pass,
    /// 不適合.
    Fail,
    /// 非適用.
    Inapplicable,
    /// 要人手確認: the tools cannot decide it.
    Manual,
}

/// A criterion's result from what was found: a failure fails it; a pass decides it when a
/// person checked it or a tool can decide the criterion; otherwise a person has to check it.
pub fn outcome(number: &str, found: Option<Found>, by_person: bool) -> Outcome {
    match found {
        Some(Found::Fail) => Outcome::Fail,
        Some(Found::Inapplicable) => Outcome::Inapplicable,
        Some(Found::Pass) if by_person || DECIDED_BY_TOOLS.contains(&number) => Outcome::Pass,
        _ => Outcome::Manual,
    }
}

/// The conformance wording of JIS X 8341-3 (as the 総務省 guideline uses it): 準拠 when every
/// criterion of the target level is met or not applicable, 一部準拠 when the results are
/// published but some are not met or not yet checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Conformance {
    /// 準拠.
    Conforms,
    /// 一部準拠.
    PartiallyConforms,
}

/// The conformance wording for the outcomes of the target level's criteria.
pub fn conformance(outcomes: &[Outcome]) -> Conformance {
    if outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Pass | Outcome::Inapplicable))
    {
        Conformance::Conforms
    } else {
        Conformance::PartiallyConforms
    }
}

/// The criteria up to a level (`A` or `AA`; `AAA` shows those of AA, the only ones listed).
pub fn up_to(level: &str) -> impl Iterator<Item = &'static Criterion> + '_ {
    CRITERIA.iter().filter(move |c| level != "A" || c.level == "A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_eight_criteria_and_the_wording_follows_the_results() {
        assert_eq!(CRITERIA.len(), 38);
        assert_eq!(up_to("A").count(), 25);
        assert_eq!(
            outcome("1.4.3", Some(Found::Pass), false),
            Outcome::Manual,
            "a clean contrast check is not proof"
        );
        assert_eq!(
            outcome("1.4.3", Some(Found::Pass), true),
            Outcome::Pass,
            "a person's check is"
        );
        assert_eq!(outcome("4.1.1", Some(Found::Pass), false), Outcome::Pass);
        assert_eq!(outcome("1.1.1", Some(Found::Fail), false), Outcome::Fail);
        assert_eq!(
            conformance(&[Outcome::Pass, Outcome::Inapplicable]),
            Conformance::Conforms
        );
        assert_eq!(
            conformance(&[Outcome::Pass, Outcome::Manual]),
            Conformance::PartiallyConforms
        );
    }
}
