//! Every page type of the built example, in headless Chromium: zero axe-core violation
//! (WCAG 2.1 A/AA), valid HTML (Nu Html Checker), no request to another host, no broken link or
//! asset, no console error (CSP). The checks live in `tests/browser/check-site.mjs`; the
//! tools are installed by `scripts/test.sh`.

use crate::support::*;

#[test]
fn every_page_passes_axe_and_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    // The example is published under https://agence-cohesion-territoires.gouv.fr/territoires/: its 404 page
    // links from that path.
    check_site(&out, "/territoires/");
}
