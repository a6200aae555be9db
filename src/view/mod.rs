//! Views (below the record kinds and the renderers): what the pages and the PDFs print, built
//! in Rust so both read the same. A view has every label, every French-formatted figure and
//! « Non renseigné » already decided; templates only lay it out. Links in a view are relative
//! to the site root (`crte/x.pdf`): a page template prefixes them with its `racine`.
//!
//! Below the views: French formatting ([`format`]), sanitised markdown ([`markdown`]), the
//! blocks fiches are made of ([`blocs`]), the SVG the build draws ([`carte`], [`graphique`]),
//! and the tables as data ([`table`]).

pub mod blocs;
pub mod carte;
pub mod format;
pub mod graphique;
pub mod markdown;
pub mod table;

use serde::Serialize;

/// What pages and PDFs print for a value that was not provided.
pub const NON_RENSEIGNE: &str = "Non renseigné";

/// `value`, or « Non renseigné ».
pub fn ou_non_renseigne(value: Option<String>) -> String {
    value.unwrap_or_else(|| NON_RENSEIGNE.to_string())
}

/// Where the publications of a record are, relative to the site root; empty when it has none.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Liens {
    pub page: String,
    pub pdf: String,
    pub json: String,
    pub csv: String,
}

impl Liens {
    /// The page, the PDF and the data files of record `id` of the kind in `dossier`.
    pub fn de(dossier: &str, id: &str) -> Liens {
        Liens {
            page: format!("{dossier}/{id}/"),
            pdf: format!("{dossier}/{id}.pdf"),
            json: format!("donnees/{dossier}/{id}.json"),
            csv: format!("donnees/{dossier}/{id}.csv"),
        }
    }
}

/// Escapes `& < > " '`: enough for HTML and SVG text and double-quoted attribute values. Used
/// by the templates' formatter and by the SVG the build draws (map, charts).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as the site publishes it: indented, with a final newline. The record's JSON
/// in `donnees/` and the one attached to its PDF are these same bytes.
pub fn json_publie(v: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}
