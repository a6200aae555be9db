//! Editor support: the JSON Schema of each record kind and of `site.yaml`, generated from the
//! very Rust types that decode the YAML (one source of truth), so an editor's YAML language
//! server completes keys and flags mistakes while the data editor types. Written by
//! `territoires schema` and published under `output/schemas/` by every build.

use serde_json::Value;

use crate::config::Config;
use crate::kinds::KINDS;
use crate::source::schema::schema_de;

/// Every schema: (file name, schema). `site.schema.json`, then one per kind
/// (`crte.schema.json`…).
pub fn tous() -> Vec<(String, Value)> {
    let mut out = vec![(
        "site.schema.json".to_string(),
        schema_de::<Config>("Réglages du site (content/site.yaml)"),
    )];
    for k in KINDS {
        let info = k.info();
        out.push((format!("{}.schema.json", info.dossier), k.schema_json()));
    }
    out
}
