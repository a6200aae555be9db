//! Shared helpers of the integration tests: run the real binary on a site folder ([`Site`]),
//! read back its pages, PDF fiches and datasets.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root: the bundled example site (the seeds, transcribed).
pub fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary said, and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// What a data editor reads: stderr from the first `erreur:`, else from the first
    /// `avertissement:`, else from the closing `ok :` line (all stderr when none is there), so
    /// without the stage timings, which change from run to run.
    pub diagnostics: String,
}

/// Runs `territoires <args>` and returns its exit code and its output.
pub fn territoires(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_territoires"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let start = stderr
        .find("erreur:")
        .or_else(|| stderr.find("avertissement:"))
        .or_else(|| stderr.find("ok :"))
        .unwrap_or(0);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        diagnostics: stderr[start..].to_string(),
        stderr,
    }
}

/// Builds the example site into `out`; panics with the output if the build fails.
pub fn build_example(out: &Path) -> Run {
    build_example_with(out, &[])
}

pub fn build_example_with(out: &Path, extra: &[&str]) -> Run {
    let root = example_root();
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = territoires(&args);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    run
}

/// A site folder of its own in a temporary directory, set up in a few calls, then checked or
/// built by the real binary:
///
/// ```ignore
/// let run = Site::scratch().file("content/cot/plan.yaml", yaml).check();
/// assert_eq!(run.code, 0, "{}", run.diagnostics);
/// ```
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A minimal valid site, without any record: the example's `site.yaml`, its legal pages and
    /// its themes.
    pub fn scratch() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        let root = example_root();
        fs::create_dir_all(site.path().join("content/crte")).unwrap();
        fs::create_dir_all(site.path().join("content/pages")).unwrap();
        fs::copy(
            root.join("content/site.yaml"),
            site.path().join("content/site.yaml"),
        )
        .unwrap();
        for page in fs::read_dir(root.join("content/pages")).unwrap() {
            let page = page.unwrap();
            fs::copy(
                page.path(),
                site.path().join("content/pages").join(page.file_name()),
            )
            .unwrap();
        }
        copy_dir(&root.join("themes"), &site.path().join("themes"));
        site
    }

    /// A copy of the example site, its content and its themes, to break things in.
    pub fn example_copy() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        let root = example_root();
        copy_dir(&root.join("content"), &site.path().join("content"));
        copy_dir(&root.join("themes"), &site.path().join("themes"));
        site
    }

    /// The site folder: `--root` of its runs.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where `build` publishes: `<site>/output`.
    pub fn output(&self) -> PathBuf {
        self.path().join("output")
    }

    /// The site with the file `rel` (`content/cot/plan.yaml`) holding `contents`.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Site {
        self.write(rel, contents);
        self
    }

    /// The site with the example's file `rel` (`content/crte/audomarois.yaml`) copied in.
    pub fn example_file(self, rel: &str) -> Site {
        self.file(rel, fs::read(example_root().join(rel)).unwrap())
    }

    /// Writes the file `rel` of the site, with its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// Replaces `from` by `to` in the file `rel`; `from` must be there, so that a test never
    /// passes on a file that changed under it.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.path().join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "`{from}` is not in {rel}");
        fs::write(path, text.replace(from, to)).unwrap();
    }

    /// Deletes the file `rel` of the site.
    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path().join(rel)).unwrap();
    }

    /// Runs `territoires check` on the site; panics if it created an output folder.
    pub fn check(&self) -> Run {
        let had_output = self.output().exists();
        let run = territoires(&["check", "--root", self.path().to_str().unwrap()]);
        assert!(
            had_output || !self.output().exists(),
            "check wrote an output folder"
        );
        run
    }

    /// Runs `territoires build` on the site, into `<site>/output`.
    pub fn build(&self) -> Run {
        territoires(&["build", "--root", self.path().to_str().unwrap()])
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The text with its no-break spaces (U+00A0) made plain spaces; the narrow ones (U+202F) stay.
pub fn plain_spaces(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

/// Every file of a folder with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `pdftotext -layout` of a PDF, with French no-break spaces turned into plain spaces.
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils): run scripts/test.sh");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
}

/// A published CSV file: its header and its rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

/// Plain text of an HTML page: tags removed, entities of the French text decoded, spaces folded.
pub fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    out.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the browser checks (`tests/browser/check-site.mjs`: axe-core, Nu Html Checker, requests,
/// links) on a built site published under `base_path`; panics with their report on failure.
pub fn check_site(out: &Path, base_path: &str) {
    let harness = example_root().join("tests/browser");
    assert!(
        harness.join("node_modules/axe-core").is_dir(),
        "tests/browser/node_modules is missing: run scripts/test.sh (it installs Chromium, axe-core and vnu-jar)"
    );
    let run = Command::new("node")
        .arg(harness.join("check-site.mjs"))
        .arg(out)
        .args(["--base-path", base_path])
        // Every page type, three pages each: the 101 département pages share one template.
        .args(["--max-per-type", "3"])
        // …and the pages with the most content of each kind, whatever their rank.
        .args(["--include", "departements/48/index.html"])
        .args(["--include", "crte/lozere-terres-de-vie/index.html"])
        .args(["--include", "ingenierie/ddtm-50/index.html"])
        .args(["--include", "cot/ccpal/index.html"])
        // A département without a fiche but with a COT plan.
        .args(["--include", "departements/84/index.html"])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// Every internal link of every page of the built site `out` that leads nowhere: an `href` or
/// `src` naming a file that is not there, or a `#fragment` no element of its page has. Links
/// from the root (`/territoires/…`, in the 404 page) start at `base_path`.
pub fn broken_links(out: &Path, base_path: &str) -> Vec<String> {
    let mut ids: BTreeMap<PathBuf, std::collections::BTreeSet<String>> = BTreeMap::new();
    let mut ids_of = |page: &Path| -> std::collections::BTreeSet<String> {
        ids.entry(page.to_path_buf())
            .or_insert_with(|| {
                let html = fs::read_to_string(page).unwrap_or_default();
                attributes(&html, "id").into_iter().collect()
            })
            .clone()
    };
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(entry.path()).unwrap();
        let page = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .display()
            .to_string();
        let dir = entry.path().parent().unwrap();
        let mut links = attributes(&html, "href");
        links.extend(attributes(&html, "src"));
        for link in links {
            let link = link.replace("&amp;", "&");
            if link.contains(':') && !link.starts_with('#') || link.starts_with("//") {
                continue; // another host, mailto:, tel:, data:
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let path = path.split('?').next().unwrap();
            let mut target = if path.is_empty() {
                entry.path().to_path_buf()
            } else if let Some(from_root) = path.strip_prefix(base_path) {
                out.join(from_root)
            } else if path.starts_with('/') {
                broken.push(format!("{page}: {link} (outside {base_path})"));
                continue;
            } else {
                dir.join(path)
            };
            if target.is_dir() {
                target = target.join("index.html");
            }
            if !target.is_file() {
                broken.push(format!("{page}: {link}"));
            } else if !fragment.is_empty() && !ids_of(&target).contains(fragment) {
                broken.push(format!("{page}: {link} (no element #{fragment})"));
            }
        }
    }
    broken
}

/// The values of every `name="…"` attribute of an HTML text.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

/// Runs the browser check `tests/browser/<script>` on the built site `out` (published under
/// `/territoires/`) with `args`; panics with its report unless every check passed.
pub fn browser_script(script: &str, out: &Path, args: &[&str]) {
    let harness = example_root().join("tests/browser");
    assert!(
        harness.join("node_modules/playwright-core").is_dir(),
        "tests/browser/node_modules is missing: run scripts/test.sh"
    );
    let run = Command::new("node")
        .arg(harness.join(script))
        .arg(out)
        .args(["--base-path", "/territoires/"])
        .args(args)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && stdout.contains(" passed, 0 failed"),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
