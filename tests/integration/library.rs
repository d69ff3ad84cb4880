//! The library has no global state: the theme, the timings and the options travel as
//! values, so two plans build in one process at once, each with its own theme.

use keikaku::theme::Theme;
use keikaku::timings::Timings;
use keikaku::{BuildOptions, Pdfs};

use crate::harness::Fixture;

#[test]
fn two_plans_build_at_once_in_one_process_each_with_its_own_theme() {
    let plain = Fixture::new("small");
    let themed = Fixture::new("small");
    let theme_dir = themed.output().with_file_name("theme");
    std::fs::create_dir_all(&theme_dir).unwrap();
    std::fs::write(
        theme_dir.join("i18n.yaml"),
        "home: {ja: トップページ, en: Front page}\n",
    )
    .unwrap();
    let builtin = Theme::builtin();
    let custom = Theme::read(Some(&theme_dir)).unwrap();
    let build = |fx: &Fixture, theme: &Theme| {
        let timings = Timings::default();
        let options = BuildOptions {
            theme,
            pdfs: Pdfs::Skip,
            timings: &timings,
            progress: None,
            observer: None,
            draft: false,
            compare_with: None,
        };
        let built = keikaku::build(&fx.content(), &fx.output(), &options, None).unwrap();
        assert!(built.pages.is_some(), "the build succeeds");
        assert!(!timings.take().is_empty(), "each build records its own timings");
    };
    std::thread::scope(|s| {
        s.spawn(|| build(&plain, &builtin));
        s.spawn(|| build(&themed, &custom));
    });
    let plain_page = plain.read("measures/kodomo-1/index.html");
    let themed_page = themed.read("measures/kodomo-1/index.html");
    assert!(
        themed_page.contains("トップページ"),
        "the themed plan has its theme's words"
    );
    assert!(!plain_page.contains("トップページ"), "the other plan does not");
    assert!(plain_page.contains(Theme::builtin().strings(keikaku::model::Lang::Ja).get("home")));
}
