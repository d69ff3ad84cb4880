//! A fixture site copied into a temporary folder, with helpers to edit it, run `keikaku`
//! on it and read what it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of a fixture content folder plus an output folder, in a fresh temporary folder.
pub struct Fixture {
    dir: tempfile::TempDir,
}

/// What a run of `keikaku` did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

impl Fixture {
    /// Copies `tests/fixtures/<name>` (or, for `"bundled"`, the real `content/`).
    pub fn new(name: &str) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let src = if name == "bundled" {
            root.join("content")
        } else {
            root.join("tests/fixtures").join(name)
        };
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&src, &dir.path().join("content"));
        Fixture { dir }
    }

    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// Reads a content file.
    pub fn read_content(&self, rel: &str) -> String {
        std::fs::read_to_string(self.content().join(rel)).unwrap()
    }

    /// Writes a content file (creating folders).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.content().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Replaces text in a content file; panics if `from` is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let p = self.content().join(rel);
        let s = std::fs::read_to_string(&p).unwrap();
        assert!(s.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(p, s.replacen(from, to, 1)).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.content().join(rel)).unwrap();
        self
    }

    /// Runs `keikaku <args>` with `--content` and (for build) `--output` of this fixture.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_keikaku"));
        cmd.args(args).arg("--content").arg(self.content());
        if args.first() == Some(&"build") {
            cmd.arg("--output").arg(self.output());
        }
        if std::env::var_os("KEIKAKU_TEST_VERBOSE").is_some() {
            eprintln!("running keikaku {args:?}");
        }
        let out = cmd.env("NO_COLOR", "1").output().expect("keikaku runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Builds the pages only (the PDFs have tests of their own).
    pub fn build(&self) -> Run {
        self.run(&["build", "--no-pdf"])
    }

    /// Builds the pages and the PDFs.
    pub fn build_with_pdf(&self) -> Run {
        let r = self.run(&["build"]);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    /// Builds and asserts success.
    pub fn build_ok(&self) -> Run {
        let r = self.build();
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    /// Reads an output file.
    pub fn read(&self, rel: &str) -> String {
        let p = self.output().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.output().join(rel).exists()
    }
}

impl Run {
    /// Asserts that the run failed with content errors and printed `needle`.
    pub fn fails_with(&self, needle: &str) -> &Self {
        assert_eq!(self.code, 1, "expected exit 1, got {}:\n{}", self.code, self.stderr);
        assert!(self.stderr.contains(needle), "expected {needle:?} in:\n{}", self.stderr);
        self
    }

    /// Asserts that stderr contains `needle`.
    pub fn says(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "expected {needle:?} in:\n{}", self.stderr);
        self
    }
}
