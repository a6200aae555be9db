//! COT plans (seed 004): the CCPAL plan end to end, the values the build computes (target
//! scores, star levels, parent rows) and the warnings when a record states others, the
//! charts and their text alternatives.

mod common;

use std::fs;

use common::*;

/// The PDF test fixture is the view the build gives `cot.typ`; `UPDATE_FIXTURES=1` rewrites it.
#[test]
fn pdf_fixture_is_the_current_view() {
    let root = example_root();
    let mut diags = Vec::new();
    let content = territoires::load::load(&root, &mut diags).unwrap();
    let catalog = territoires::catalog::validate(content, &mut diags).expect("valid example");
    let e = catalog.cot.iter().find(|e| e.id == "ccpal").unwrap();
    let view = serde_json::json!({
        "site": { "titre": catalog.site.titre, "editeur": catalog.site.editeur },
        "plan": e.record.view(&e.id, false),
    });
    let text = serde_json::to_string_pretty(&view).unwrap() + "\n";
    let path = root.join("tests/fixtures/pdf/cot-ccpal.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        fs::write(&path, &text).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&path).unwrap_or_default(),
        text,
        "tests/fixtures/pdf/cot-ccpal.json is stale: rerun with UPDATE_FIXTURES=1"
    );
}
