//! Render stage: the open datasets under `output/donnees/`. For each record kind, the tables it
//! declares (CSV with its Table Schema, so data.gouv.fr and `frictionless validate` can check
//! it), every record in JSON (`<dossier>.json`), and per record its row of the main table
//! (`<dossier>/<id>.csv`) and its JSON (`<dossier>/<id>.json`). This module encodes tables; it
//! never knows which kind a table belongs to.
//!
//! CSV conventions (also in the README): UTF-8 without BOM, comma-separated, RFC 4180 quoting,
//! CRLF line ends; lists joined with ` | `; numbers with a `.` decimal point and no exponent;
//! yes/no answers as `oui`/`non`/`nc`; an empty cell means "not provided". A text cell starting
//! with `=`, `+`, `-`, `@` is prefixed with `'` so no spreadsheet runs it.

use serde::Serialize;
use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::error::OpError;
use crate::output::Sink;
use crate::view::format;
use crate::view::table::{Cellule, Donnees, LIST_SEPARATOR, Schema};

/// A dataset as the data page lists it.
#[derive(Debug, Serialize)]
pub struct Jeu {
    pub titre: String,
    pub description: String,
    pub fichiers: Vec<Fichier>,
}

#[derive(Debug, Serialize)]
pub struct Fichier {
    pub titre: String,
    /// Relative to the data page (`donnees/`).
    pub url: String,
    pub format: String,
    pub taille: String,
}

/// Writes every dataset; returns what the data page lists.
pub fn write(catalog: &Catalog, out: &dyn Sink) -> Result<Vec<Jeu>, OpError> {
    let base = catalog.config.url_base();
    let mut jeux = Vec::new();
    for c in catalog.collections.iter().filter(|c| !c.is_empty()) {
        let info = c.info();
        let dossier = info.dossier;
        let mut all_json = Vec::with_capacity(c.len());
        for i in 0..c.len() {
            let id = c.id(i);
            out.write(
                &format!("donnees/{dossier}/{id}.csv"),
                &csv_bytes(&c.table_de(i, base))?,
            )?;
            let json = c.json(i);
            out.write(&format!("donnees/{dossier}/{id}.json"), &pretty(&json))?;
            all_json.push(json);
        }
        let json = pretty(&Value::Array(all_json));
        out.write(&format!("donnees/{dossier}.json"), &json)?;

        let mut fichiers = Vec::new();
        for (rang, table) in c.tables(base).iter().enumerate() {
            fichiers.extend(write_table(out, table)?);
            if rang == 0 {
                fichiers.push(fichier(
                    info.titre_json,
                    &format!("{dossier}.json"),
                    "json",
                    &json,
                ));
            }
        }
        jeux.push(Jeu {
            titre: info.titre_donnees.to_string(),
            description: c.description_donnees(),
            fichiers,
        });
    }
    Ok(jeux)
}

/// Writes `donnees/<nom>.csv` and its schema; returns the two files for the data page.
fn write_table(out: &dyn Sink, t: &Donnees) -> Result<Vec<Fichier>, OpError> {
    let csv = csv_bytes(t)?;
    let schema = pretty(&table_schema(&t.schema));
    let nom = t.schema.nom;
    out.write(&format!("donnees/{nom}.csv"), &csv)?;
    out.write(&format!("donnees/{nom}.schema.json"), &schema)?;
    Ok(vec![
        fichier(t.schema.titre, &format!("{nom}.csv"), "csv", &csv),
        fichier(
            &format!(
                "Schéma des colonnes de « {} », au format Table Schema",
                t.schema.titre
            ),
            &format!("{nom}.schema.json"),
            "json",
            &schema,
        ),
    ])
}

fn fichier(titre: &str, url: &str, format: &str, bytes: &[u8]) -> Fichier {
    Fichier {
        titre: titre.into(),
        url: url.into(),
        format: format.into(),
        taille: format::taille(bytes.len() as u64),
    }
}

/// A table as CSV: its header, then its rows.
fn csv_bytes(t: &Donnees) -> Result<Vec<u8>, OpError> {
    let error = |e: csv::Error| OpError::new(format!("CSV de `{}` : {e}", t.schema.nom));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(t.schema.colonnes.iter().map(|c| c.nom))
        .map_err(error)?;
    for row in &t.lignes {
        w.write_record(row.iter().map(cell)).map_err(error)?;
    }
    w.into_inner()
        .map_err(|e| OpError::new(format!("CSV de `{}` : {e}", t.schema.nom)))
}

/// One cell as CSV text.
fn cell(c: &Cellule) -> String {
    match c {
        Cellule::Vide => String::new(),
        Cellule::Texte(s) | Cellule::Date(s) => neutralise(s),
        Cellule::Liste(l) => l
            .iter()
            .map(|s| neutralise(s))
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        Cellule::Entier(n) => n.to_string(),
        Cellule::Nombre(x) => number(*x),
        Cellule::Reponse(r) => r.code().to_string(),
    }
}

/// Keeps spreadsheet software from reading a text cell as a formula.
fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A number as data: `40890000`, `40.5` — never an exponent, never a French comma.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The Table Schema (frictionless) of a table.
fn table_schema(s: &Schema) -> Value {
    let fields: Vec<Value> = s
        .colonnes
        .iter()
        .map(|c| {
            let mut f =
                json!({ "name": c.nom, "type": c.type_.schema(), "description": c.description });
            if let Some(min) = c.contraintes.minimum {
                let min = if min.fract() == 0.0 {
                    json!(min as i64)
                } else {
                    json!(min)
                };
                f["constraints"] = json!({ "minimum": min });
            }
            f
        })
        .collect();
    let mut schema = json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": s.nom,
        "title": s.titre,
        "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte 2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
        "fields": fields,
        "missingValues": [""],
    });
    if !s.cle_primaire.is_empty() {
        schema["primaryKey"] = json!(s.cle_primaire);
    }
    schema
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}
