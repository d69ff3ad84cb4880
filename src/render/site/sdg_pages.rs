//! Render stage (HTML): the SDG pages — the index of the 17 goals with the matrix of measures
//! and goals, and a page per goal with its targets, the measures that serve each, and the
//! other items that refer to the goal.

use serde::Serialize;

use tera::Value;

use super::context::{Page, PageCtx, Site, base_context, t};
use super::pages::{Badge, goal_badge};
use crate::model::sdg::goals;
use crate::model::{Kind, Lang};
use crate::render::paths;

#[derive(Serialize)]
struct GoalView {
    #[serde(flatten)]
    badge: Badge,
    /// Links to the measures ([`PageCtx::link`]).
    measures: Vec<Value>,
}

fn goal_view(p: &PageCtx<'_>, g: &crate::model::sdg::SdgGoal) -> GoalView {
    GoalView {
        badge: goal_badge(p, g),
        measures: p
            .site
            .plan
            .measures_with_sdg(&g.number.to_string())
            .map(|m| p.link(m))
            .collect(),
    }
}

pub(super) fn sdgs(site: &Site<'_>) -> Page {
    let p = PageCtx::new(site, "sdgs/");
    let mut c = base_context(&p, &t(site, "nav_sdgs"), None, false);
    let gv: Vec<GoalView> = goals().iter().map(|g| goal_view(&p, g)).collect();
    let rows: Vec<(Value, Vec<bool>)> = site
        .plan
        .of_kind(Kind::Measure)
        .map(|m| {
            (
                p.link(m),
                goals()
                    .iter()
                    .map(|g| m.sdgs.iter().any(|s| s.goal() == g.number))
                    .collect(),
            )
        })
        .collect();
    c.insert("goals", &gv);
    c.insert("matrix", &rows);
    c.insert("intro", &super::intro::intro_html(&p, "sdgs"));
    Page {
        path: "sdgs/".into(),
        template: "sdgs.html",
        context: c,
        in_sitemap: true,
    }
}

pub(super) fn sdg_goal(site: &Site<'_>, n: u8) -> Page {
    let path = paths::sdg_path(n);
    let p = PageCtx::new(site, &path);
    let goal = goals()
        .iter()
        .find(|x| x.number == n)
        .expect("goal numbers come from the same table");
    let g = goal_view(&p, goal);
    let title = if site.lang == Lang::Ja {
        format!("目標{n} {}", g.badge.name)
    } else {
        format!("Goal {n}: {}", g.badge.name)
    };
    let mut c = base_context(&p, &title, None, false);

    let targets: Vec<(String, String, Vec<Value>)> = goal
        .target_ids()
        .into_iter()
        .map(|id| {
            let ms = site.plan.measures_with_sdg(&id).map(|m| p.link(m)).collect();
            (id.replace('.', "-"), id, ms)
        })
        .collect();
    c.insert("goal", &g);
    c.insert("targets", &targets);
    let back: Vec<Value> = site
        .plan
        .backlinks
        .get(&format!("sdg:{n}"))
        .map(|v| {
            v.iter()
                .filter_map(|b| site.plan.item(&b.from))
                .filter(|i| i.kind != Kind::Measure)
                .map(|i| p.link(i))
                .collect()
        })
        .unwrap_or_default();
    c.insert("backlinks", &back);
    Page {
        path,
        template: "sdg.html",
        context: c,
        in_sitemap: true,
    }
}
