//! Render stage: the introductions of the index pages — the city's own Markdown from
//! `intros/`, or the theme's generic sentence — with the plan's values filled in
//! (`{plan_period}`, `{n_pillars:kanji}` …), so that a number or period is never typed twice.

use super::context::{PageCtx, t};
use crate::model::terms::{Value, fill_variables};
use crate::model::{Kind, Lang, Plan};
use crate::render::format;
use crate::render::markdown::render_sections;

/// The values the placeholders of introductions name, for a language.
pub fn variables(plan: &Plan, lang: Lang) -> Vec<(&'static str, Value)> {
    let cfg = &plan.config;
    let n = |k: Kind| Value::Number(plan.of_kind(k).count());
    let years = (cfg.plan_period.to.0 as usize + 1).saturating_sub(cfg.plan_period.from.0 as usize);
    vec![
        ("city", Value::Text(cfg.city.get(lang).to_string())),
        ("plan_period", Value::Text(format::period(&cfg.plan_period, lang))),
        (
            "strategy_period",
            Value::Text(
                cfg.strategy_period
                    .as_ref()
                    .map(|p| format::period(p, lang))
                    .unwrap_or_default(),
            ),
        ),
        ("plan_years", Value::Number(years)),
        ("n_pillars", n(Kind::Pillar)),
        ("n_groups", n(Kind::Group)),
        ("n_measures", n(Kind::Measure)),
        ("n_districts", n(Kind::District)),
        ("n_strategy_goals", n(Kind::Strategy)),
        ("n_pledges", n(Kind::Pledge)),
        ("n_targets", Value::Number(plan.targets.len())),
    ]
}

/// The introduction of an index page as HTML: the content's `intros/<page>.<lang>.md`, the
/// Japanese one (marked as Japanese) on an English page that has none, else the theme's
/// `<page>_intro` string as a paragraph.
pub fn intro_html(p: &PageCtx<'_>, page: &str) -> String {
    let (site, plan, lang) = (p.site, p.site.plan, p.site.lang);
    let find = |l: Lang| plan.intros.iter().find(|i| i.page == page && i.lang == l);
    let (text, shown_lang) = match find(lang).or_else(|| find(Lang::Ja)) {
        Some(i) => (i.text.clone(), i.lang),
        None => {
            let s = t(site, &format!("{page}_intro"));
            let filled = fill_variables(&s, &variables(plan, lang), lang);
            return format!("<p>{}</p>", crate::render::markdown::escape(&filled));
        }
    };
    let text = plan.terms.fill(
        &fill_variables(&text, &variables(plan, shown_lang), shown_lang),
        shown_lang,
    );
    let body = crate::load::markdown::parse(&text, 0);
    let html: String = render_sections(&body, p, &[]).into_iter().map(|s| s.html).collect();
    if shown_lang == lang {
        html
    } else {
        format!("<div lang=\"{}\">{html}</div>", shown_lang.code())
    }
}
