//! Any municipality's plan: no city in the code, and a plan of another shape (the invented
//! town of `tests/fixtures/town`: a middle level, its own measure sections, no districts,
//! pledges or data tables, a strategy that runs past the plan) built in its own words.

use std::path::Path;

use crate::harness::Fixture;

/// The bundled plan's own words, read from its configuration and introductions: its city,
/// title, terms and strings, and the sentences of its introductions.
fn bundled_phrases() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("content/keikaku.yaml")).unwrap();
    let cfg: keikaku::config::Config = serde_saphyr::from_str(&text).unwrap();
    let defaults = keikaku::model::terms::Terms::default();
    let mut out: Vec<String> = vec![
        cfg.city.ja.clone(),
        cfg.city.en.clone(),
        cfg.title.ja.clone(),
        cfg.title.en.clone(),
    ];
    let terms = cfg.terms();
    for ((_, t), (_, d)) in terms.all().into_iter().zip(defaults.all()) {
        if t != d {
            out.extend([t.ja.clone(), t.en.clone()]);
            out.extend(t.slug.clone());
        }
    }
    for v in cfg.strings.values() {
        out.extend([v.ja.clone(), v.en.clone()]);
    }
    for e in std::fs::read_dir(root.join("content/intros")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for piece in text.split(['{', '}', '。', '\n']) {
            if piece.chars().count() >= 8 {
                out.push(piece.trim().to_string());
            }
        }
    }
    // One common English word says nothing about a plan, nor does what the theme itself
    // says (a plan may repeat a string of the theme in its `strings:`).
    let theme = keikaku::theme::Theme::builtin();
    let generic: Vec<&String> = keikaku::model::Lang::ALL
        .iter()
        .flat_map(|l| theme.strings(*l).iter().map(|(_, v)| v))
        .collect();
    out.retain(|p| {
        let long = if p.is_ascii() {
            p.contains(' ') && p.len() >= 8
        } else {
            p.chars().count() >= 3
        };
        long && !generic.contains(&p)
    });
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_code_and_the_theme_name_no_city_and_state_no_fact_of_the_bundled_plan() {
    let phrases = bundled_phrases();
    assert!(
        phrases.len() > 20 && phrases.iter().any(|p| p == "小諸市"),
        "{phrases:?}"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["src", "themes"] {
        for e in walkdir::WalkDir::new(root.join(dir)) {
            let e = e.unwrap();
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            for p in &phrases {
                if text.contains(p.as_str()) {
                    found.push(format!("{} names {p:?}", e.path().display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_plan_of_another_shape_builds_in_its_own_words() {
    let f = Fixture::new("town");
    let r = f.build_with_pdf();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Its own PDF names, and no part it does not have.
    for name in [
        "downloads/first-term-basic-plan-ja.pdf",
        "downloads/first-term-basic-plan-en-print.pdf",
        "downloads/second-strategy-ja.pdf",
    ] {
        assert!(f.exists(name), "{name}");
    }
    for absent in [
        "districts/index.html",
        "pledges/index.html",
        "structure/index.html",
        "bodies/index.html",
    ] {
        assert!(!f.exists(absent), "{absent} should not be built");
    }
    let home = f.read("index.html");
    for word in ["districts/", "pledges/", "structure/", "地域</li>"] {
        assert!(!home.contains(word), "the home page has {word}");
    }
    assert!(
        home.contains("三つの基本目標、六つの政策、九つの施策"),
        "intro filled in"
    );
    assert!(home.contains(">6</span> 政策"), "the middle level is counted");
    // The middle level: its page, the breadcrumbs and labels through it.
    let group = f.read("groups/kurashi-a/index.html");
    assert!(group.contains("政策1-1") && group.contains("施策1-1-1"), "{group}");
    let m = f.read("measures/kurashi-a-1/index.html");
    assert!(
        m.contains(">政策1-1 健康づくりと支えあいの福祉</a>"),
        "breadcrumb through the group"
    );
    // Its own sections; the target table follows the one marked `targets`.
    let ind = m.find("id=\"indicators\"").expect("the section 成果指標");
    let plans = m.find("id=\"plans\"").expect("the optional section, written here");
    let table = m.find("class=\"targets").expect("the target table");
    assert!(ind < table && table < plans, "the table follows 成果指標");
    let en = f.read("en/measures/kurashi-a-1/index.html");
    assert!(
        en.contains("Policy 1.1") && en.contains("Measure 1.1.1"),
        "English labels"
    );
    // A strategy period independent of the plan's.
    assert!(f.read("strategy/index.html").contains("令和7年度〜令和11年度"));
    assert!(f.read("en/index.html").contains("FY2023–FY2027"));
}

#[test]
fn every_section_problem_of_a_measure_is_reported_at_once_with_the_plans_sections() {
    let f = Fixture::new("town");
    f.edit("measures/kurashi-a-1.ja.md", "## 施策の方向", "## 方向性")
        .edit(
            "measures/kurashi-a-1.ja.md",
            "## 主な取組",
            "## 主な取組\n\n一つめ。\n\n## 主な取組",
        )
        .edit("measures/kurashi-a-1.ja.md", "## 成果指標", "## 指標の一覧");
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let n = r.stderr.matches("error[measure-sections]").count();
    assert_eq!(
        n, 3,
        "one error each for the renamed, repeated and renamed sections:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("this section should be `## 施策の方向`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`## 主な取組` is written twice"), "{}", r.stderr);
    assert!(
        r.stderr.contains("this section should be `## 成果指標`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("## 関連する個別計画 (optional)"),
        "the hint lists the plan's sections"
    );
}

#[test]
fn every_unknown_field_of_a_file_is_reported_at_once() {
    let f = Fixture::new("town");
    f.edit(
        "measures/kurashi-a-1.ja.md",
        "number: 1",
        "number: 1\ndepartmnet: 保健課\ncolour: 緑\npillar: kurashi",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unknown field `departmnet`") && r.stderr.contains("did you mean `department`?"));
    assert!(r.stderr.contains("unknown field `colour`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("a measure of this plan has no field `pillar`"),
        "a measure under a group does not name its pillar:\n{}",
        r.stderr
    );
}

#[test]
fn a_misspelt_placeholder_or_slug_is_a_located_error() {
    let f = Fixture::new("town");
    f.write(
        "intros/pillars.ja.md",
        "{city}の{n_pilars:kanji}つの基本目標と{n_measures:roman}の施策です。\n",
    )
    .edit("keikaku.yaml", "slug: second-strategy", "slug: Second Strategy");
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("`{n_pilars:kanji}` is not a value keikaku fills in"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("intros/pillars.ja.md:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `{n_pillars:kanji}`?"), "{}", r.stderr);
    assert!(r.stderr.contains("`{n_measures:roman}`"), "{}", r.stderr);
    assert!(r.stderr.contains("error[bad-slug]"), "{}", r.stderr);
}

#[test]
fn init_writes_a_plan_that_builds_and_new_makes_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("mihon");
    let bin = env!("CARGO_BIN_EXE_keikaku");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(bin).args(args).output().unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let p = plan.to_str().unwrap();
    assert_eq!(run(&["init", p, "--name", "見本町", "--name-en", "Mihon Town"]).0, 0);
    let (code, err) = run(&["init", p, "--name", "見本町", "--name-en", "Mihon Town"]);
    assert_eq!(code, 1, "a folder with files is refused");
    assert!(err.contains("not empty"), "{err}");
    for args in [
        vec!["new", "pillar", "kurashi"],
        vec!["new", "measure", "kurashi-1", "--pillar", "kurashi"],
        vec!["new", "district", "kita"],
        vec!["new", "chapter", "gaiyo"],
        vec!["new", "pledge", "pledge-1"],
    ] {
        let mut a = args.clone();
        a.extend(["--content", p]);
        let (code, err) = run(&a);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    // A strategy goal needs the strategy's period first.
    let cfg = plan.join("keikaku.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}\nstrategy_period: {{from: R9, to: R13}}\n")).unwrap();
    assert_eq!(run(&["new", "strategy", "goal-1", "--content", p]).0, 0);
    let out = dir.path().join("out");
    let (code, err) = run(&["build", "--no-pdf", "--content", p, "--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("見本町"), "{home}");
    assert!(out.join("districts/kita/index.html").exists() && out.join("pledges/index.html").exists());
}
