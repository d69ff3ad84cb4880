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
#[derive(Clone, Debug)]
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

    /// Its number and the number of volumes, when the document is one of several.
    pub fn split(&self) -> Option<(usize, usize)> {
        self.is_split().then_some((self.number, self.count))
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
    let mut measures_in: Vec<HashSet<String>> = vec![HashSet::new(); count];
    let mut pillars_in: Vec<HashMap<String, bool>> = vec![HashMap::new(); count];
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
        pillars_in[home].insert(p.id.clone(), false);
        for m in measures {
            let v = (seen / size).min(count - 1);
            measures_in[v].insert(m.id.clone());
            pillars_in[v].entry(p.id.clone()).or_insert(true);
            seen += 1;
        }
    }
    measures_in
        .into_iter()
        .zip(pillars_in)
        .enumerate()
        .map(|(i, (measures, pillars))| Volume {
            number: i + 1,
            count,
            measures: Some(measures),
            pillars: Some(pillars),
        })
        .collect()
}

/// A volume's name from the theme's string (`volume_of`: 第{n}分冊（全{count}分冊）, or
/// `volume_n`: 第{n}分冊), for the cover, the document title, the strategy's page references
/// and the downloads page.
pub fn label(template: &str, number: usize, count: usize) -> String {
    template
        .replace("{n}", &number.to_string())
        .replace("{count}", &count.to_string())
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
        assert_eq!(w.split(), None);
    }

    #[test]
    fn label_fills_in_number_and_count() {
        assert_eq!(label("第{n}分冊（全{count}分冊）", 2, 5), "第2分冊（全5分冊）");
        assert_eq!(label("vol. {n}", 3, 4), "vol. 3");
    }
}
