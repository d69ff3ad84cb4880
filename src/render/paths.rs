//! Render stage: where things are in the site — one place for the address of each kind of
//! page, shared by the HTML pages, the PDFs' links to the site, the search index and the open
//! data.

use crate::model::{Item, Kind};
use crate::text::cat;

/// The path of an item's page, relative to a language root (`measures/kosodate-1/`).
pub fn item_path(item: &Item) -> String {
    match item.kind {
        Kind::Vision => "vision/".into(),
        Kind::Pillar => cat(&["pillars/", &item.id, "/"]),
        Kind::Group => cat(&["groups/", &item.id, "/"]),
        Kind::Measure => cat(&["measures/", &item.id, "/"]),
        Kind::District => cat(&["districts/", &item.id, "/"]),
        Kind::Chapter => cat(&["policy/", &item.id, "/"]),
        Kind::Strategy => cat(&["strategy/", &item.id, "/"]),
        Kind::Pledge => cat(&["pledges/#", &item.id]),
    }
}

/// The path of an SDG goal's page (`sdgs/4/`).
pub fn sdg_path(goal: u8) -> String {
    cat(&["sdgs/", crate::text::digits(goal.into(), &mut [0; 20]), "/"])
}

/// The anchor of an SDG target on its goal's page (`target-4-2`).
pub fn sdg_target_anchor(target: &str) -> String {
    cat(&["target-", &target.replace('.', "-")])
}

/// The anchor of a target's row on its owner's page (`target-kosodate-1-1`).
pub fn target_anchor(id: &str) -> String {
    cat(&["target-", id])
}
