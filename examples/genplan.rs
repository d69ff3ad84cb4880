//! Writes a synthetic but valid plan of any size, in Japanese and English, with targets,
//! SDG tags and cross-references — and, with `--hugo DIR`, the same pages as plain Markdown
//! for Hugo (same text, one page per measure and language, a minimal theme), so both tools
//! can be timed on the same content.
//!
//! `cargo run --release --example genplan -- --measures 1000 --out /tmp/plan1000 [--hugo /tmp/hugo1000]`
//! `cargo run --release --example genplan -- --from content --hugo /tmp/hugo-bundled` (the
//! Hugo twin of an existing plan)

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const PILLARS: [(&str, &str, &str); 6] = [
    ("kosodate", "子育て・教育", "Childcare and education"),
    ("kenko", "健康・福祉", "Health and welfare"),
    ("kankyo", "環境", "Environment"),
    ("sangyo", "産業・交流", "Industry and exchange"),
    ("kiban", "生活基盤", "Infrastructure"),
    ("kyodo", "協働・行政経営", "Partnership and management"),
];

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Topics, two to a measure (chosen by its number), so that a search of the generated plan
/// finds some pages and not others, as on a real plan (illustrative sentences).
const TOPICS: [(&str, &str); 16] = [
    (
        "保育所の定員を増やし、待機児童ゼロを続けます。",
        "We will add nursery places and keep the number of children waiting for a place at zero.",
    ),
    (
        "ゼロカーボンシティの実現に向けて、公共施設に太陽光発電を広げます。",
        "Towards a zero-carbon city, we will put solar panels on more public buildings.",
    ),
    (
        "自主防災組織と一緒に、避難所の運営訓練を毎年行います。",
        "With the voluntary disaster prevention groups, we will hold evacuation centre drills every year.",
    ),
    (
        "観光客が歩いて楽しめるよう、城下町の案内表示を整えます。",
        "We will improve the signs in the old castle town so that tourists can enjoy it on foot.",
    ),
    (
        "図書館の開館時間を延ばし、子どもの読書活動を支えます。",
        "We will open the library for longer and support children's reading.",
    ),
    (
        "デマンド交通の予約をスマートフォンでもできるようにします。",
        "On-demand transport will also be bookable from a smartphone.",
    ),
    (
        "一人暮らしの高齢者の見守りを、民生委員と地域で進めます。",
        "Welfare commissioners and neighbours will look in on older people living alone.",
    ),
    (
        "移住を考える人に、空き家バンクと仕事の情報を一緒に届けます。",
        "People thinking of moving here will get the vacant-house bank and job listings together.",
    ),
    (
        "農業の担い手を育てるため、新規就農者の研修を充実します。",
        "To train the next generation of farmers, we will expand training for new farmers.",
    ),
    (
        "健康づくりのため、特定健診の受診率を高めます。",
        "For better health, we will raise the take-up of health check-ups.",
    ),
    (
        "地域医療を守るため、病院と診療所の連携を強めます。",
        "To protect community medicine, hospitals and clinics will work more closely together.",
    ),
    (
        "再生可能エネルギーの地産地消を、市民と事業者で進めます。",
        "Residents and businesses will produce and use renewable energy locally.",
    ),
    (
        "学校のICT環境を整え、一人一台の端末を授業に生かします。",
        "We will improve schools' ICT so that every pupil's own device is used in lessons.",
    ),
    (
        "ごみの減量とリサイクルを進め、焼却量を減らします。",
        "We will cut waste and recycle more, so that less is burnt.",
    ),
    (
        "商店街の空き店舗で、創業を目指す人を応援します。",
        "Empty shops on the shopping street will help people starting a business.",
    ),
    (
        "水道管の耐震化を計画的に進めます。",
        "We will make water mains earthquake-resistant on a plan.",
    ),
];

/// The two topics of a measure.
fn topics(pillar: usize, n: usize) -> [(&'static str, &'static str); 2] {
    [
        TOPICS[(n * 7 + pillar * 5) % TOPICS.len()],
        TOPICS[(n * 11 + pillar * 3 + 5) % TOPICS.len()],
    ]
}

fn ja_body(id: &str, n: usize, prev: &str, sdg: &str) -> String {
    format!(
        "## 現状と課題\n\n施策{n}では、地域の暮らしを支える取り組みを続けてきました。利用者は年々増えていますが、担い手の不足や施設の老朽化が課題となっています。関連する[](measure:{prev})とも連携して取り組む必要があります。\n\n市民アンケートでは、この分野の満足度は中程度にとどまっており、情報の届け方や手続きの分かりやすさに改善の余地があります。\n\n## 方針（目的）\n\n市民が安心して暮らせるよう、サービスの質を高め、デジタル技術を活用して手続きを簡単にします。\n\n- 担い手を育て、地域の力を生かします。\n- 施設を計画的に更新します。\n- 情報の発信を充実します。\n\n## 具体的目標・目標値\n\n[](target:{id}-1)と[](target:{id}-2)を指標として、取り組みの成果を確かめます。\n\n## SDGsの推進に向けた取り組み\n\nこの施策は[](sdg:{sdg})に貢献します。\n"
    )
}

fn en_body(id: &str, n: usize, prev: &str, sdg: &str) -> String {
    format!(
        "## Current situation and issues\n\nUnder measure {n} the city has kept up work that supports daily life in its communities. Use grows every year, but there are too few people to run the services and some facilities are ageing. The work has to go together with [](measure:{prev}).\n\nIn the residents' survey, satisfaction in this field is middling: information could reach people better and procedures could be simpler.\n\n## Policy (purpose)\n\nSo that residents can live with peace of mind, we will raise the quality of services and use digital tools to make procedures simple.\n\n- Train the people who run the services and draw on local strengths.\n- Renew facilities in a planned way.\n- Improve the information we publish.\n\n## Specific goals and targets\n\nProgress is checked with [the first indicator](target:{id}-1) and [the second](target:{id}-2).\n\n## Action on the SDGs\n\nThis measure contributes to [](sdg:{sdg}).\n"
    )
}

fn strip_refs(md: &str) -> String {
    // Hugo has no `kind:id` references: keep the link text, or the id when it is empty.
    let mut out = String::new();
    let mut rest = md;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match (after.find("]("), after.find(')')) {
            (Some(j), Some(k)) if j < k => {
                let text = &after[..j];
                let dest = &after[j + 2..k];
                if text.is_empty() {
                    out.push_str(dest.split(':').nth(1).unwrap_or(dest))
                } else {
                    out.push_str(text)
                }
                rest = &after[k + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn main() {
    let measures: usize = arg("--measures").and_then(|s| s.parse().ok()).unwrap_or(100);
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| format!("target/genplan-{measures}")));
    let hugo = arg("--hugo").map(PathBuf::from);
    if let (Some(from), Some(h)) = (arg("--from"), &hugo) {
        hugo_from(Path::new(&from), h);
        return;
    }
    let _ = fs::remove_dir_all(&out);
    write(
        &out.join("keikaku.yaml"),
        "city: {ja: 見本市, en: Sample City}\ntitle: {ja: 見本市総合計画（生成）, en: Sample City Plan (generated)}\nbase_url: https://example.jp/plan/\nplan_period: {from: R6, to: R9}\nstrategy_period: {from: R7, to: R9}\npublished: \"2025-03-31\"\n",
    );
    write(
        &out.join("vision/vision.ja.md"),
        "---\ntitle: めざすまちの姿\ncatchphrase: 暮らしやすいまち\n---\n生成された計画です。\n",
    );
    write(
        &out.join("vision/vision.en.md"),
        "---\ntitle: The city we aim to be\n---\nA generated plan.\n",
    );
    let mut csv = String::from(
        "id,owner,type,indicator_ja,indicator_en,unit_ja,unit_en,direction,baseline_year,baseline,target_year,target,R5,R6,R7\n",
    );
    let per = measures.div_ceil(PILLARS.len());
    let mut all_ids = Vec::new();
    for (pi, (pid, ja, en)) in PILLARS.iter().enumerate() {
        write(
            &out.join(format!("pillars/{pid}.ja.md")),
            &format!(
                "---\ntitle: {ja}のまちづくり\nshort: {ja}\nnumber: {}\n---\n{ja}の分野の基本方針です。\n",
                pi + 1
            ),
        );
        write(
            &out.join(format!("pillars/{pid}.en.md")),
            &format!("---\ntitle: {en}\nshort: {en}\n---\nThe basic policy for {en}.\n"),
        );
        for m in 1..=per {
            if all_ids.len() >= measures {
                break;
            }
            let id = format!("{pid}-{m}");
            let prev = if m > 1 {
                format!("{pid}-{}", m - 1)
            } else {
                format!("{pid}-{}", per.clamp(1, 2))
            };
            let prev = if prev == id {
                format!("{}-1", PILLARS[(pi + 1) % 6].0)
            } else {
                prev
            };
            let goal = 1 + (pi * 3 + m) % 17;
            let sdg = format!("{goal}.1");
            let [a, b] = topics(pi, m);
            let ja_text = ja_body(&id, m, &prev, &sdg)
                .replace("\n\n## 方針（目的）", &format!("\n\n{}{}\n\n## 方針（目的）", a.0, b.0));
            let en_text = en_body(&id, m, &prev, &sdg).replace(
                "\n\n## Policy (purpose)",
                &format!("\n\n{} {}\n\n## Policy (purpose)", a.1, b.1),
            );
            write(
                &out.join(format!("measures/{pid}/{id}.ja.md")),
                &format!(
                    "---\ntitle: {ja}の施策{m}\npillar: {pid}\nnumber: {m}\ndepartment: {ja}担当課\nsdgs: [\"{sdg}\"]\nsummary: {ja}の分野で{m}番目の施策です。\n---\n{ja_text}"
                ),
            );
            write(
                &out.join(format!("measures/{pid}/{id}.en.md")),
                &format!(
                    "---\ntitle: {en} measure {m}\ndepartment: {en} division\nsummary: Measure {m} of {en}.\n---\n{en_text}"
                ),
            );
            for k in 1..=2 {
                let base = 100 + (m * 7 + k * 13) % 400;
                let _ = writeln!(
                    csv,
                    "{id}-{k},{id},,{ja}指標{m}-{k},{en} indicator {m}-{k},件,cases,up,R4,{base},R9,{},{},{},{}",
                    base + 50,
                    base + 8,
                    base + 17,
                    base + 26
                );
            }
            if let Some(h) = &hugo {
                write(
                    &h.join(format!("content/ja/measures/{id}.md")),
                    &format!("---\ntitle: \"{ja}の施策{m}\"\n---\n{}", strip_refs(&ja_text)),
                );
                write(
                    &h.join(format!("content/en/measures/{id}.md")),
                    &format!("---\ntitle: \"{en} measure {m}\"\n---\n{}", strip_refs(&en_text)),
                );
            }
            all_ids.push(id);
        }
    }
    write(&out.join("data/targets/generated.csv"), &csv);
    if let Some(h) = &hugo {
        hugo_theme(h);
    }
    eprintln!(
        "wrote a plan of {} measures to {}{}",
        all_ids.len(),
        out.display(),
        hugo.map(|h| format!(" and the Hugo site to {}", h.display()))
            .unwrap_or_default()
    );
}

/// The minimal Hugo site around the pages: configuration and three layouts.
fn hugo_theme(h: &Path) {
    write(
        &h.join("hugo.toml"),
        "baseURL = 'https://example.jp/plan/'\ntitle = 'Sample City Plan'\ndefaultContentLanguage = 'ja'\ndefaultContentLanguageInSubdir = false\ndisableKinds = ['taxonomy', 'term', 'RSS']\n[languages.ja]\ncontentDir = 'content/ja'\nweight = 1\n[languages.en]\ncontentDir = 'content/en'\nweight = 2\n[markup.goldmark.renderer]\nunsafe = false\n",
    );
    write(
        &h.join("layouts/_default/baseof.html"),
        "<!DOCTYPE html>\n<html lang=\"{{ .Site.Language.Lang }}\"><head><meta charset=\"utf-8\"><title>{{ .Title }} | {{ .Site.Title }}</title>{{ range .Translations }}<link rel=\"alternate\" hreflang=\"{{ .Language.Lang }}\" href=\"{{ .Permalink }}\">{{ end }}</head>\n<body><header><a href=\"{{ .Site.Home.RelPermalink }}\">{{ .Site.Title }}</a>{{ range .Translations }} <a href=\"{{ .RelPermalink }}\">{{ .Language.Lang }}</a>{{ end }}</header><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    );
    write(
        &h.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    );
    write(
        &h.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    );
}

/// Writes the Hugo twin of an existing plan: every page file of `from` as plain Markdown with
/// its title, references turned into their text.
fn hugo_from(from: &Path, h: &Path) {
    let _ = fs::remove_dir_all(h);
    let mut pages = 0;
    for folder in [
        "vision",
        "pillars",
        "measures",
        "districts",
        "chapters",
        "strategy",
        "pledges",
    ] {
        let mut stack = vec![from.join(folder)];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let Some((id, lang)) = name.strip_suffix(".md").and_then(|s| s.rsplit_once('.')) else {
                    continue;
                };
                let text = fs::read_to_string(&p).unwrap();
                let Some((front, body)) = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")) else {
                    continue;
                };
                let title = front
                    .lines()
                    .find_map(|l| l.strip_prefix("title:"))
                    .unwrap_or(id)
                    .trim()
                    .trim_matches('"');
                write(
                    &h.join(format!("content/{lang}/{folder}/{id}.md")),
                    &format!("---\ntitle: \"{title}\"\n---\n{}", strip_refs(body)),
                );
                pages += 1;
            }
        }
    }
    hugo_theme(h);
    eprintln!(
        "wrote {pages} pages of {} as the Hugo site {}",
        from.display(),
        h.display()
    );
}
