//! The output folder is always one whole build: builds killed (SIGKILL) at twenty moments,
//! a build killed while it typesets the PDFs and a build that fails in a template all leave
//! exactly the previous build or exactly the new one, and the next build leaves no work
//! files behind. Moments are chosen by the events the build prints (`--events`), never by
//! time.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::Fixture;

/// Every file of a folder with its contents; the manifest as its paths and hashes only (its
/// sizes and times differ from one build of the same content to the next).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
        let mut bytes = std::fs::read(e.path()).unwrap();
        if rel == Path::new(".keikaku-manifest") {
            let text = String::from_utf8(bytes).unwrap();
            bytes = text
                .lines()
                .map(|l| {
                    let (head, path) = l.split_once('\t').unwrap();
                    format!("{} {path}\n", head.split(' ').next().unwrap())
                })
                .collect::<String>()
                .into_bytes();
        }
        out.insert(rel, bytes);
    }
    out
}

/// The bundled plan with `extra` more measures, so that a build writes some hundreds of files.
fn generated(extra: usize) -> Fixture {
    let fx = Fixture::new("bundled");
    let ja = fx.read_content("measures/kosodate/kosodate-1.ja.md");
    let en = fx.read_content("measures/kosodate/kosodate-1.en.md");
    for n in 0..extra {
        let number = format!("number: {}", 101 + n);
        let title = format!("（生成{n}）");
        fx.write(
            &format!("measures/kosodate/extra-{n}.ja.md"),
            ja.replacen("number: 1", &number, 1)
                .replacen("title: \"", &format!("title: \"{title}"), 1),
        );
        fx.write(
            &format!("measures/kosodate/extra-{n}.en.md"),
            en.replacen("number: 1", &number, 1),
        );
    }
    fx
}

/// `cp -a`: a copy that keeps the files' times, as a folder left by a build has them.
fn copy_keeping_times(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let ok = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap()
        .success();
    assert!(ok, "cp -a {} {}", from.display(), to.display());
}

/// Starts `keikaku build` and kills it right after the `stop`-th line of its stderr that
/// `counts` accepts (`None`: lets it finish). Returns whether it was killed.
fn build_killed_at(
    content: &Path,
    output: &Path,
    args: &[&str],
    counts: &dyn Fn(&str) -> bool,
    stop: Option<usize>,
) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .arg("build")
        .args(args)
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(output)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = 0;
    let mut killed = false;
    for line in stderr.lines() {
        let line = line.unwrap();
        if counts(&line) {
            seen += 1;
            if Some(seen) == stop {
                child.kill().unwrap(); // SIGKILL
                killed = true;
                break;
            }
        }
    }
    child.wait().unwrap();
    killed
}

fn work_folder(output: &Path) -> PathBuf {
    output.with_file_name(format!(".{}.staging", output.file_name().unwrap().to_string_lossy()))
}

/// What the work folder holds besides the lock and the spare (the previous build).
fn leftovers(output: &Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(work_folder(output)) else {
        return Vec::new();
    };
    rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "lock" && n != "spare")
        .collect()
}

#[test]
fn a_build_killed_at_any_of_twenty_moments_leaves_the_old_or_the_new_build() {
    let fx = generated(60);
    let root = fx.output().parent().unwrap().to_path_buf();
    fx.build_ok();
    let before = root.join("before");
    copy_keeping_times(&fx.output(), &before);
    let old = tree(&before);
    // The new content: a title every page lists, a measure gone, a measure added.
    fx.edit("measures/kosodate/kosodate-2.ja.md", "title: \"", "title: \"（改）");
    fx.remove("measures/kosodate/extra-5.ja.md")
        .remove("measures/kosodate/extra-5.en.md");
    let extra = fx
        .read_content("measures/kosodate/extra-6.ja.md")
        .replacen("number: 107", "number: 999", 1);
    fx.write("measures/kosodate/added.ja.md", extra);
    let reference = root.join("reference");
    let r = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["build", "--no-pdf", "--content"])
        .arg(fx.content())
        .arg("--output")
        .arg(&reference)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let new = tree(&reference);
    assert_ne!(old, new);
    let is_event = |l: &str| l.starts_with("event: ");
    // How many events a whole build prints.
    copy_keeping_times(&before, &fx.output());
    build_killed_at(&fx.content(), &fx.output(), &["--no-pdf", "--events"], &is_event, None);
    assert_eq!(tree(&fx.output()), new, "a whole build gives the reference");
    copy_keeping_times(&before, &fx.output());
    let lines = {
        let out = Command::new(env!("CARGO_BIN_EXE_keikaku"))
            .args(["build", "--no-pdf", "--events", "--content"])
            .arg(fx.content())
            .arg("--output")
            .arg(fx.output())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| is_event(l))
            .count()
    };
    assert!(lines > 250, "{lines} events");
    // Twenty moments from the first file staged to just after the swap (the previous build
    // is then being removed).
    let moments: Vec<usize> = (0..20).map(|i| 1 + i * (lines - 1) / 19).collect();
    let (mut saw_old, mut saw_new) = (0, 0);
    for &m in &moments {
        copy_keeping_times(&before, &fx.output());
        build_killed_at(
            &fx.content(),
            &fx.output(),
            &["--no-pdf", "--events"],
            &is_event,
            Some(m),
        );
        let now = tree(&fx.output());
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let mixed = now
                .iter()
                .filter(|(p, b)| old.get(*p) != Some(b) && new.get(*p) != Some(b))
                .count();
            panic!("killed after event {m} of {lines}: the output is neither build ({mixed} files differ from both)");
        }
    }
    assert!(saw_old > 0 && saw_new > 0, "old {saw_old}, new {saw_new}");
    // The next build cleans what the killed ones left and leaves nothing behind.
    fx.build_ok();
    assert_eq!(tree(&fx.output()), new);
    assert_eq!(
        leftovers(&fx.output()),
        Vec::<String>::new(),
        "nothing but the lock and the spare"
    );
}

#[test]
fn a_build_killed_while_typesetting_leaves_the_output_and_no_pdf_behind() {
    let fx = Fixture::new("small");
    fx.build_ok();
    let old = tree(&fx.output());
    fx.edit("measures/kodomo-1.ja.md", "title: ", "title: 改");
    let typesetting = |l: &str| l.contains("typesetting the PDFs");
    assert!(build_killed_at(&fx.content(), &fx.output(), &[], &typesetting, Some(1)));
    assert_eq!(tree(&fx.output()), old);
    fx.build_ok();
    assert_eq!(leftovers(&fx.output()), Vec::<String>::new(), "no scratch PDF is left");
}

#[test]
fn a_build_that_fails_in_a_template_leaves_the_output_as_it_was() {
    let fx = Fixture::new("small");
    fx.build_ok();
    let old = tree(&fx.output());
    fx.edit("measures/kodomo-1.ja.md", "title: ", "title: 改");
    let theme = fx.output().with_file_name("theme");
    std::fs::create_dir_all(theme.join("templates")).unwrap();
    std::fs::write(
        theme.join("templates/item.html"),
        "{% extends \"base.html\" %}{{ nothing.here }}",
    )
    .unwrap();
    let r = fx.run(&["build", "--no-pdf", "--theme", theme.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(tree(&fx.output()), old, "not one file changed");
    assert_eq!(leftovers(&fx.output()), Vec::<String>::new());
}

#[test]
fn refuses_an_output_folder_inside_the_content() {
    let fx = Fixture::new("small");
    let inside = fx.content().join("static/site");
    let r = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["build", "--no-pdf", "--content"])
        .arg(fx.content())
        .arg("--output")
        .arg(&inside)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("inside the content folder"), "{stderr}");
    assert!(!inside.exists());
}
