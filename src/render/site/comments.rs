//! Render stage (HTML): the public comment (パブリックコメント) — while the plan is a draft,
//! its period and how to comment; once the city has answered, the results (結果公表): the
//! number of comments and people, the counts per way of reflection, and each comment with
//! the item it is about and the city's answer. Item pages link the comments about them
//! ([`of_item`]).

use serde::Serialize;

use super::context::{ItemRef, Maker, Page, PageCtx, Site, base_context};
use crate::model::comments::{self, Comment, Reflection};
use crate::model::{Item, Lang};
use crate::render::format;
use crate::render::markdown::render_sections;

/// A comment as a row of the results.
#[derive(Serialize)]
struct Row {
    number: u32,
    item: Option<ItemRef>,
    section: Option<String>,
    summary: String,
    answer: String,
    /// `ja` when the texts are Japanese on an English page.
    lang: Option<&'static str>,
    reflection: &'static str,
}

fn row(p: &PageCtx<'_>, c: &Comment) -> Row {
    let lang = p.site.lang;
    let plan = p.site.plan;
    let fallback = lang == Lang::En && (c.summary.en.is_empty() || c.answer.en.is_empty());
    let pick = |b: &crate::model::Bilingual| {
        if fallback {
            b.ja.clone()
        } else {
            b.get(lang).to_string()
        }
    };
    let section = c.section.as_ref().and_then(|id| {
        plan.sections
            .iter()
            .find(|s| &s.id == id)
            .map(|s| if lang == Lang::Ja { s.ja.clone() } else { s.en.clone() })
    });
    Row {
        number: c.number,
        item: plan.item(&c.item).map(|i| {
            let mut r = p.item_ref(i);
            if let Some(s) = &c.section {
                r.href = format!("{}#{s}", r.href);
            }
            r
        }),
        section,
        summary: pick(&c.summary),
        answer: pick(&c.answer),
        lang: fallback.then_some("ja"),
        reflection: c.reflection.slug(),
    }
}

/// The address of a comment in the results.
fn comment_href(p: &PageCtx<'_>, n: u32) -> String {
    format!("{}#comment-{n}", p.href("public-comment/"))
}

/// The comments about an item, for its page: what the list is called and a link to each
/// (`None` when there are none).
pub fn of_item(p: &PageCtx<'_>, item: &Item) -> Option<(String, Vec<(String, String)>)> {
    let links: Vec<(String, String)> = p
        .site
        .plan
        .comments
        .iter()
        .filter(|c| c.item == item.id)
        .map(|c| (format!("No.{}", c.number), comment_href(p, c.number)))
        .collect();
    (!links.is_empty()).then(|| {
        (
            p.site.t.get("comment_of_item").replace("{n}", &links.len().to_string()),
            links,
        )
    })
}

/// The period of the public comment (令和6年6月3日〜令和6年7月2日), for its page and the PDF.
pub fn period(plan: &crate::model::Plan, lang: Lang) -> Option<String> {
    let pc = plan.config.public_comment.as_ref()?;
    let sep = if lang == Lang::Ja { "〜" } else { " – " };
    Some(format!(
        "{}{sep}{}",
        format::date(pc.from, lang),
        format::date(pc.until, lang)
    ))
}

/// How many comments and people (14件（9人）), for the page and the PDF.
pub fn total(plan: &crate::model::Plan, t: &crate::theme::Strings) -> String {
    let n = plan.comments.len().to_string();
    match plan.config.public_comment.as_ref().and_then(|pc| pc.people) {
        Some(people) => t
            .get("comment_total")
            .replace("{n}", &n)
            .replace("{people}", &people.to_string()),
        None => t.get("comment_total_n").replace("{n}", &n),
    }
}

/// The page of the public comment.
fn page(site: &Site<'_>) -> Page {
    let path = "public-comment/".to_string();
    let p = PageCtx::new(site, &path);
    let (plan, lang) = (site.plan, site.lang);
    let mut c = base_context(&p, site.t.get("comment_title"), None, false);
    let pc = plan.config.public_comment.as_ref();
    c.insert("period", &period(plan, lang));
    let how = pc
        .and_then(|pc| pc.how.as_ref())
        .filter(|_| plan.config.draft)
        .map(|how| {
            let body = crate::load::markdown::parse(how.get(lang), 0);
            render_sections(&body, &p, &[])
                .into_iter()
                .map(|s| s.html)
                .collect::<String>()
        });
    c.insert("how", &how);
    c.insert("total", &total(plan, site.t));
    let counts = comments::counts(&plan.comments);
    let by: Vec<(&str, String, usize)> = Reflection::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r.slug(),
                site.t.get(&format!("reflection_{}", r.slug())).to_string(),
                counts[i],
            )
        })
        .collect();
    c.insert("by_reflection", &by);
    c.insert("rows", &plan.comments.iter().map(|x| row(&p, x)).collect::<Vec<_>>());
    Page {
        path,
        template: "public-comment.html",
        context: c,
        in_sitemap: true,
    }
}

/// The maker of the page (none when the plan is neither a draft nor has comments).
pub fn makers<'a>(site: &'a Site<'a>) -> Vec<Maker<'a>> {
    if !site.plan.config.draft && site.plan.comments.is_empty() {
        return Vec::new();
    }
    vec![Box::new(move || vec![page(site)])]
}
