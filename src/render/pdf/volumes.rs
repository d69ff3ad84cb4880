//! Render stage (PDF): how the basic plan is split into volumes (分冊). A plan of up to
//! `measures_per_pdf_volume` measures (50 unless `keikaku.yaml` says otherwise) is one PDF;
//! a larger one is cut, in document order, into volumes of about equal size. The first
//! volume carries the policy chapters and the vision; a pillar whose measures run on into the
//! next volume starts there again under its heading marked "continued"; each volume's
//! appendix lists the SDGs and targets of its own measures. typst holds a whole document
//! while laying it out, so this is what bounds the memory of typesetting a very large plan.

use std::collections::{HashMap, HashSet};

use crate::model::{Item, Kind, Plan};

/// One volume of the basic plan (or the whole of a document that is not split).
#[derive(Clone, Debug, Default)]
pub struct Volume {
    /// Its number, from 1.
    pub number: usize,
    /// How many volumes the document has (1 when it is not split).
    pub count: usize,
    /// The measures it holds; `None` for the whole plan.
    measures: Option<HashSet<String>>,
    /// The pillars that appear in it, each with whether it continues from the volume before.
    pillars: Option<HashMap<String, bool>>,
}

impl Volume {
    /// The whole document, not split.
    pub fn whole() -> Volume {
        Volume {
            number: 1,
            count: 1,
            measures: None,
            pillars: None,
        }
    }

    /// Whether the document is one of several volumes.
    pub fn is_split(&self) -> bool {
        self.count > 1
    }

    /// Whether a measure is typeset in this volume.
    pub fn holds_measure(&self, id: &str) -> bool {
        self.measures.as_ref().is_none_or(|m| m.contains(id))
    }

    /// Whether a pillar appears in this volume, and if so whether it continues from the
    /// volume before (its heading is then repeated without its introduction or targets).
    pub fn pillar(&self, id: &str) -> Option<bool> {
        match &self.pillars {
            None => Some(false),
            Some(p) => p.get(id).copied(),
        }
    }

    /// Whether an item of the basic plan is typeset (and so can be linked to) in this volume:
    /// the chapters and the vision are in the first, a pillar where it starts, a measure in
    /// its volume.
    pub fn holds(&self, item: &Item) -> bool {
        match item.kind {
            Kind::Measure => self.holds_measure(&item.id),
            Kind::Pillar => self.pillar(&item.id) == Some(false),
            Kind::Chapter | Kind::Vision => self.number == 1,
            _ => false,
        }
    }
}

/// The volumes of the basic plan.
pub fn volumes(plan: &Plan) -> Vec<Volume> {
    let per = plan.config.volume_measures().max(1);
    let order: Vec<(&Item, Vec<&Item>)> = plan
        .of_kind(Kind::Pillar)
        .map(|p| (p, plan.measures_of(&p.id).collect()))
        .collect();
    let total: usize = order.iter().map(|(_, m)| m.len()).sum();
    let count = total.div_ceil(per).max(1);
    if count == 1 {
        return vec![Volume::whole()];
    }
    // Volumes of about equal size rather than full ones and a short last one.
    let size = total.div_ceil(count);
    let mut out: Vec<Volume> = (1..=count)
        .map(|number| Volume {
            number,
            count,
            measures: Some(HashSet::new()),
            pillars: Some(HashMap::new()),
        })
        .collect();
    let mut seen: usize = 0;
    for (p, measures) in &order {
        // A pillar starts in the volume of its first measure; one without measures stays
        // with the measures before it.
        let home = if measures.is_empty() {
            seen.saturating_sub(1)
        } else {
            seen
        } / size;
        let home = home.min(count - 1);
        out[home].pillars.get_or_insert_default().insert(p.id.clone(), false);
        for m in measures {
            let v = (seen / size).min(count - 1);
            out[v].measures.get_or_insert_default().insert(m.id.clone());
            out[v]
                .pillars
                .get_or_insert_default()
                .entry(p.id.clone())
                .or_insert(true);
            seen += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_holds_everything() {
        let w = Volume::whole();
        assert!(!w.is_split());
        assert!(w.holds_measure("any"));
        assert_eq!(w.pillar("any"), Some(false));
    }
}
