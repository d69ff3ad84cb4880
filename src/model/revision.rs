//! Model stage: the 新旧対照表 of a revision — the items that differ between the plan and an
//! earlier edition of it, each section new beside old with the changed runs marked, and the
//! targets' changed fields. Computed by the resolve stage ([`crate::resolve::revision`]).

use serde::Serialize;

use super::Kind;

/// A run of text in one column, changed (underlined) or not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// Whether it differs from the other edition.
    pub changed: bool,
}

/// One section of an item, new beside old.
#[derive(Clone, Debug, Serialize)]
pub struct SectionDiff {
    /// Its heading (none for the text before the first heading).
    pub title: Option<String>,
    /// The new text (none when the section was removed).
    pub new: Option<Vec<Segment>>,
    /// The old text (none when the section is new).
    pub old: Option<Vec<Segment>>,
    /// Whether it is the same in both: shown as （略）.
    pub same: bool,
}

/// One changed field of a target: (field, new value, old value).
#[derive(Clone, Debug, Serialize)]
pub struct FieldDiff {
    /// `indicator`, `unit`, `baseline`, `target`, or a fiscal year (`R6`).
    pub field: String,
    /// The new value (empty when none).
    pub new: String,
    /// The old value (empty when none).
    pub old: String,
}

/// A target of the item, compared.
#[derive(Clone, Debug, Serialize)]
pub struct TargetDiff {
    /// Its id.
    pub id: String,
    /// Its indicator (the new one, or the old when it was removed).
    pub indicator: String,
    /// What happened to it.
    pub change: Change,
    /// The fields that differ.
    pub fields: Vec<FieldDiff>,
}

/// What happened to an item or a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// 新設.
    Added,
    /// 変更.
    Changed,
    /// 削除.
    Removed,
}

/// An item that differs between the editions.
#[derive(Clone, Debug, Serialize)]
pub struct ItemDiff {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// What happened to it.
    pub change: Change,
    /// Its label and title now (or, removed, then).
    pub label: String,
    /// Its title in the new edition and the old, segmented.
    pub title: (Vec<Segment>, Vec<Segment>),
    /// Where it was, when it moved (its label in the old edition).
    pub moved_from: Option<String>,
    /// Its sections, in order.
    pub sections: Vec<SectionDiff>,
    /// Its targets that differ.
    pub targets: Vec<TargetDiff>,
}

/// The comparison of two editions, in one language.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Revision {
    /// What the earlier edition is (a folder or a git revision, as configured).
    pub old_name: String,
    /// The items that differ, in the new edition's order, removed ones after.
    pub items: Vec<ItemDiff>,
}

impl Revision {
    /// How many items were added, changed and removed.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |c: Change| self.items.iter().filter(|i| i.change == c).count();
        (n(Change::Added), n(Change::Changed), n(Change::Removed))
    }
}
