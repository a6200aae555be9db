//! Every page type of the built example, in headless Chromium: zero axe-core violation
//! (WCAG 2.1 A/AA), valid HTML (Nu Html Checker), no request to another host, no broken link or
//! asset, no console error (CSP). The checks live in `tests/browser/check-site.mjs`; the
//! tools are installed by `scripts/test.sh`.

mod common;

use std::process::Command;

use common::*;

#[test]
fn every_page_passes_axe_and_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let harness = example_root().join("tests/browser");
    assert!(
        harness.join("node_modules/axe-core").is_dir(),
        "tests/browser/node_modules is missing: run scripts/test.sh (it installs Chromium, axe-core and vnu-jar)"
    );
    let run = Command::new("node")
        .arg(harness.join("check-site.mjs"))
        .arg(&out)
        // The example is published under https://www.lozere.gouv.fr/territoires/: its 404 page
        // links from that path.
        .args(["--base-path", "/territoires/"])
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
