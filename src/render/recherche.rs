//! Render stage, search: the index the site's search page reads, without any server.
//!
//! Every page is a document; a record's page also brings its département (name, code, région),
//! its names, codes (SIREN, INSEE) and filter values (`Recherche`). Words are folded (case,
//! accents, `’`) and lightly stemmed for French (`contrats` → `contrat`, `territoriaux` →
//! `territorial`) here and in `recherche.js` alike. The index is split so that a query fetches
//! little:
//!
//! ```text
//! recherche/index.json          documents, kinds, filters (value → documents), the term shards
//! recherche/termes/<lo>.json    terms starting with `lo` → documents (`-n - 1`: in n's title)
//! recherche/fiches/<n>.json     title, path, kind and département of documents 50n to 50n+49
//! ```

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::catalog::Recherche;
use crate::error::OpError;
use crate::officiel;
use crate::output::Sink;

/// Documents per file of `recherche/fiches/`.
const MORCEAU: usize = 50;

/// Words too common to search for.
const VIDES: [&str; 16] = [
    "de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "un", "une", "pour", "par",
    "sur", "dans",
];

/// One page, as the search sees it.
pub struct Document<'a> {
    pub titre: &'a str,
    pub chemin: &'a str,
    /// The menu entry of the page's part of the site (`CRTE`), empty for the other pages.
    pub genre: &'a str,
    pub recherche: Option<&'a Recherche>,
}

/// The searchable words of `text`: folded, stemmed, without the commonest words.
pub fn termes(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .map(officiel::fold)
        .filter(|t| t.chars().count() >= 2 && !VIDES.contains(&t.as_str()))
        .map(racine)
}

/// A light French stem, the same as `recherche.js`'s: plurals (`contrats`, `territoriaux`).
fn racine(mut t: String) -> String {
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return t;
    }
    let n = t.chars().count();
    if n > 4 && t.ends_with("aux") {
        t.truncate(t.len() - 3);
        t.push_str("al");
    } else if n > 3 && (t.ends_with('s') || t.ends_with('x')) {
        t.pop();
    }
    t
}

/// The shard of a term: its first two characters when they are ASCII letters or digits.
fn eclat(terme: &str) -> String {
    let debut: String = terme.chars().take(2).collect();
    if debut.len() == 2 && debut.bytes().all(|b| b.is_ascii_alphanumeric()) {
        debut
    } else {
        "_".to_string()
    }
}

/// Writes the index of `documents` under `recherche/`.
pub fn write(documents: &[Document], out: &dyn Sink) -> Result<(), OpError> {
    let officiel = officiel::get();
    let mut index: BTreeMap<String, BTreeMap<String, Vec<i64>>> = BTreeMap::new();
    let mut filtres: BTreeMap<&str, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    let mut fiches = Vec::with_capacity(documents.len());
    for (id, d) in documents.iter().enumerate() {
        let mut texte = vec![d.titre.to_string(), d.genre.to_string()];
        let mut departement = String::new();
        if let Some(r) = d.recherche {
            let mut filtre = |nom, valeur: &str| {
                let ids = filtres
                    .entry(nom)
                    .or_default()
                    .entry(valeur.to_string())
                    .or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            };
            filtre("genre", d.genre);
            if let Some(dep) = r
                .departement
                .as_deref()
                .and_then(|c| officiel.departement(c))
            {
                departement = format!("{} ({})", dep.nom, dep.code);
                filtre("departement", &departement);
                texte.extend([dep.nom.clone(), dep.code.clone()]);
                if let Some(region) = officiel.region(&dep.region) {
                    filtre("region", &region.nom);
                    texte.push(region.nom.clone());
                }
            }
            for p in &r.programmes {
                filtre("programme", p);
            }
            for t in &r.types {
                filtre("type", t);
            }
            texte.extend(
                r.mots
                    .iter()
                    .chain(&r.codes)
                    .chain(&r.programmes)
                    .chain(&r.types)
                    .cloned(),
            );
        }
        // A word of the title is marked (`-id - 1`): those documents come first.
        let titre: std::collections::BTreeSet<String> = termes(d.titre).collect();
        let mut vus = std::collections::BTreeSet::new();
        for t in texte.iter().flat_map(|t| termes(t)) {
            if vus.insert(t.clone()) {
                let posting = if titre.contains(&t) {
                    -(id as i64) - 1
                } else {
                    id as i64
                };
                index
                    .entry(eclat(&t))
                    .or_default()
                    .entry(t)
                    .or_default()
                    .push(posting);
            }
        }
        fiches.push(json!([d.titre, d.chemin, d.genre, departement]));
    }

    for (nom, termes) in &index {
        out.write(
            &format!("recherche/termes/{nom}.json"),
            &compact(&json!(termes)),
        )?;
    }
    for (n, morceau) in fiches.chunks(MORCEAU).enumerate() {
        out.write(
            &format!("recherche/fiches/{n}.json"),
            &compact(&json!(morceau)),
        )?;
    }
    let meta = json!({
        "documents": documents.len(),
        "morceau": MORCEAU,
        "eclats": index.keys().collect::<Vec<_>>(),
        "filtres": filtres,
    });
    out.write("recherche/index.json", &compact(&meta))
}

fn compact(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("JSON values serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_stemmed_as_the_browser_does() {
        let t: Vec<String> =
            termes("Contrats territoriaux de l’Audomarois : LOZÈRE, 2A, SIREN 200086874").collect();
        assert_eq!(
            t,
            [
                "contrat",
                "territorial",
                "audomaroi",
                "lozere",
                "2a",
                "siren",
                "200086874"
            ]
        );
        assert_eq!(eclat("lozere"), "lo");
        assert_eq!(eclat("東京"), "_");
    }
}
