//! The bundled plan (`content/`) builds cleanly, complete in both languages, and its pages
//! carry the facts of the seed's tables.

use crate::harness::Fixture;

#[test]
fn bundled_plan_builds_without_errors_or_warnings() {
    let f = Fixture::new("bundled");
    let r = f.build_ok();
    assert!(
        !r.stderr.contains("warning["),
        "the bundled plan should build without warnings:\n{}",
        r.stderr
    );
    let check = f.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let tr = f.run(&["translations"]);
    assert!(
        tr.stdout.contains("0 translations to look at"),
        "every translation is current:\n{}",
        tr.stdout
    );
}

#[test]
fn bundled_plan_has_every_page_in_both_languages() {
    let f = Fixture::new("bundled");
    f.build_ok();
    let pillars = ["kosodate", "kenko", "kankyo", "sangyo", "kiban", "kyodo"];
    for p in pillars {
        for lang in ["", "en/"] {
            assert!(f.exists(&format!("{lang}pillars/{p}/index.html")));
            for n in 1..=4 {
                let page = f.read(&format!("{lang}measures/{p}-{n}/index.html"));
                assert!(!page.contains("has not been translated"), "{lang}{p}-{n} is translated");
                for id in ["situation", "policy", "targets", "sdgs"] {
                    assert!(
                        page.contains(&format!("id=\"{id}\"")),
                        "{lang}{p}-{n} lacks section {id}"
                    );
                }
                assert!(
                    page.matches("<tr id=\"target-").count() >= 2,
                    "{lang}{p}-{n} has two targets"
                );
            }
        }
    }
    for d in [
        "chuo-tonanbu",
        "chuo-tobu",
        "chuo-chubu",
        "chuo-seibu",
        "osato",
        "nishikomoro",
        "kitaoi",
        "minamioi",
        "kawabe",
        "mioka",
    ] {
        assert!(f.exists(&format!("districts/{d}/index.html")) && f.exists(&format!("en/districts/{d}/index.html")));
    }
    for s in 1..=4 {
        let page = f.read(&format!("strategy/senryaku-{s}/index.html"));
        assert!(
            page.contains("数値目標") && page.contains("重要業績評価指標（KPI）"),
            "senryaku-{s}"
        );
    }
}

#[test]
fn bundled_tables_carry_the_facts_of_the_seed() {
    let f = Fixture::new("bundled");
    f.build_ok();
    let periods = f.read("structure/index.html");
    for fact in [
        "計画期間12年",
        "前期基本計画4年",
        "中期基本計画4年",
        "後期基本計画4年",
        "第1期総合戦略6年",
        "第2期総合戦略4年",
        "第3期総合戦略3年",
        "H27",
        "R9",
    ] {
        assert!(periods.contains(fact), "periods chart lacks {fact}");
    }
    let bodies = f.read("bodies/index.html");
    for fact in [
        "総合計画審議会",
        "小諸市総合計画審議会条例",
        "13名以内",
        "政策会議",
        "小諸市庁議要綱",
        "14名",
        "危機管理課長",
        "ワーキンググループ",
        "財政課長",
        "DX推進会議",
        "48名",
        "ゼロカーボン戦略推進本部",
        "8名",
        "総務部企画課",
        "生活環境課",
        "市民意識調査",
        "パブリックコメント",
    ] {
        assert!(bodies.contains(fact), "bodies table lacks {fact}");
    }
    let schedule = f.read("schedule/index.html");
    for fact in [
        "令和5年度",
        "令和6年度",
        "まちづくり懇談会",
        "市民意識調査",
        "パブリックコメント",
        "議決",
        "諮問",
        "答申",
        "総合計画審議会",
        "市役所",
    ] {
        assert!(schedule.contains(fact), "schedule lacks {fact}");
    }
    let en = f.read("en/schedule/index.html");
    assert!(en.contains("FY2023") && en.contains("FY2024"));
}

#[test]
fn home_page_states_the_vision_and_its_targets() {
    let f = Fixture::new("bundled");
    f.build_ok();
    let home = f.read("index.html");
    assert!(home.contains("住みたい 行きたい 帰ってきたいまち 小諸"));
    for v in ["38,279人", "4,478人", "75％", "5,440,000人"] {
        assert!(home.contains(v), "home lacks {v}");
    }
    let en = f.read("en/index.html");
    assert!(en.contains("38,279"));
    assert!(en.contains("FY2027"));
}
