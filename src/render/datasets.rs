//! Render stage: the open datasets under `output/donnees/`. For each record kind, the tables it
//! declares (CSV with its Table Schema, so data.gouv.fr and `frictionless validate` can check
//! it), every record in JSON (`<dossier>.json`), and per record its row of the main table
//! (`<dossier>/<id>.csv`) and its JSON (`<dossier>/<id>.json`). This module encodes tables; it
//! never knows which kind a table belongs to.
//!
//! `datapackage.json` (Frictionless Data Package v2) lists every table with its schema, its
//! size and its SHA-256, so `frictionless validate` — and data.gouv.fr — check the whole
//! publication, the foreign keys between tables included.
//!
//! CSV conventions (also in the README): UTF-8 without BOM, comma-separated, RFC 4180 quoting,
//! CRLF line ends; lists joined with ` | `; numbers with a `.` decimal point and no exponent;
//! yes/no answers as `oui`/`non`/`nc`; an empty cell means "not provided". A text cell starting
//! with `=`, `+`, `-`, `@` is prefixed with `'` so no spreadsheet runs it.

use serde::Serialize;
use serde_json::{Value, json};

use std::collections::BTreeMap;

use crate::catalog::{Catalog, TERRITOIRES};
use crate::error::OpError;
use crate::output::Sink;
use crate::view::json_publie;
use crate::view::table::{Cellule, Donnees, LIST_SEPARATOR};

/// A dataset as the data page lists it.
#[derive(Debug, Serialize)]
pub struct Jeu {
    pub titre: String,
    pub description: String,
    /// Rows of its main table (one per record, for a kind).
    pub lignes: Option<usize>,
    pub fichiers: Vec<Fichier>,
}

#[derive(Debug, Serialize)]
pub struct Fichier {
    pub titre: String,
    /// Relative to the data page (`donnees/`).
    pub url: String,
    pub format: String,
}

/// What every Table Schema says of its publication (schema.data.gouv.fr's metadata).
struct Meta {
    homepage: String,
    editeur: String,
    /// The publication's date (ISO), when something is published.
    date: Option<String>,
}

/// A table and what the workbook's « Lisez-moi » says of it.
struct Classeur<'a> {
    table: &'a Donnees,
    description: String,
}

/// Writes every dataset; returns what the data page lists.
pub fn write(catalog: &Catalog, out: &dyn Sink) -> Result<Vec<Jeu>, OpError> {
    let base = catalog.config.url_base();
    let vue = catalog.vue_site();
    let meta = Meta {
        homepage: format!("{base}donnees/"),
        editeur: vue.editeur.nom.clone(),
        date: vue.mis_a_jour.map(|d| d.iso),
    };
    let mut jeux = Vec::new();
    let mut ressources = Vec::new();
    let mut toutes = Vec::new();
    for c in catalog.collections.iter().filter(|c| !c.is_empty()) {
        let info = c.info();
        let dossier = info.dossier;
        let mut all_json = Vec::with_capacity(c.len());
        for i in 0..c.len() {
            let id = c.id(i);
            out.write(
                &format!("donnees/{dossier}/{id}.csv"),
                &csv_bytes(&c.tables_de(i, base).swap_remove(0))?,
            )?;
            out.write(
                &format!("donnees/{dossier}/{id}.json"),
                &c.json_publie(i, catalog),
            )?;
            all_json.push(c.json(i));
        }
        let json = json_publie(&catalog.json_publie(
            dossier,
            info.titre_json,
            "fiches",
            Value::Array(all_json),
        ));
        out.write(&format!("donnees/{dossier}.json"), &json)?;

        let mut fichiers = Vec::new();
        let description = c.description_donnees();
        let tables = c.tables(base);
        for (rang, table) in tables.iter().enumerate() {
            let (files, ressource) = write_table(out, table, &meta, &description)?;
            fichiers.extend(files);
            ressources.push(ressource);
            if rang == 0 {
                fichiers.push(fichier(info.titre_json, &format!("{dossier}.json"), "json"));
            }
        }
        jeux.push(Jeu {
            titre: info.titre_donnees.to_string(),
            description: description.clone(),
            lignes: tables.first().map(|t| t.lignes.len()),
            fichiers,
        });
        toutes.extend(tables.into_iter().map(|t| (t, description.clone())));
    }
    write_territoires(catalog, out)?;
    if !toutes.is_empty() {
        let classeur: Vec<Classeur> = toutes
            .iter()
            .map(|(table, description)| Classeur {
                table,
                description: description.clone(),
            })
            .collect();
        let xlsx = xlsx_bytes(&classeur, &meta)?;
        out.write("donnees/donnees.xlsx", &xlsx)?;
        jeux.push(Jeu {
            titre: "Tous les tableaux dans un classeur".into(),
            lignes: None,
            description: "Un classeur (XLSX) avec une feuille par tableau : nombres et dates typés, ligne d'en-tête figée, et une feuille « Lisez-moi » qui donne la licence, les sources et la description de chaque colonne.".into(),
            fichiers: vec![fichier(
                "Classeur de tous les tableaux",
                "donnees.xlsx",
                "xlsx",)],
        });
    }
    if !ressources.is_empty() {
        out.write(
            "donnees/datapackage.json",
            &json_publie(&datapackage(catalog, &meta, ressources)),
        )?;
    }
    Ok(jeux)
}

/// The data package: the publication, its licence, its publisher and sources, and every table
/// as a resource.
fn datapackage(catalog: &Catalog, meta: &Meta, ressources: Vec<Value>) -> Value {
    let config = &catalog.config;
    let mut package = json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "territoires",
        "title": config.titre.clone().unwrap_or_default(),
        "description": config.description.clone().unwrap_or_default(),
        "homepage": meta.homepage,
        "version": env!("CARGO_PKG_VERSION"),
        "licenses": [licence()],
        "contributors": [{ "title": meta.editeur, "roles": ["publisher"] }],
        "sources": sources(),
        "keywords": ["cohésion des territoires", "CRTE", "ingénierie territoriale", "contrat d'objectif territorial", "ANCT"],
        "resources": ressources,
    });
    if let Some(date) = &meta.date {
        package["created"] = json!(format!("{date}T00:00:00Z"));
        package["lastModified"] = json!(format!("{date}T00:00:00Z"));
    }
    package
}

/// The data page's description for search engines (schema.org `Dataset`, JSON-LD), ready to
/// sit in a `<script type="application/ld+json">`.
pub fn schema_org(catalog: &Catalog, jeux: &[Jeu]) -> String {
    let base = catalog.config.url_base();
    let vue = catalog.vue_site();
    let datasets: Vec<Value> = jeux
        .iter()
        .map(|j| {
            let mut d = json!({
                "@context": "https://schema.org",
                "@type": "Dataset",
                "name": j.titre,
                "description": j.description,
                "url": format!("{base}donnees/"),
                "license": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                "isAccessibleForFree": true,
                "creator": { "@type": "Organization", "name": vue.editeur.nom },
                "distribution": j.fichiers.iter().map(|f| json!({
                    "@type": "DataDownload",
                    "name": f.titre,
                    "encodingFormat": f.format,
                    "contentUrl": format!("{base}donnees/{}", f.url),
                })).collect::<Vec<_>>(),
            });
            if let Some(date) = &vue.mis_a_jour {
                d["dateModified"] = json!(date.iso);
            }
            d
        })
        .collect();
    // A `</` inside the script would close it: JSON allows `<\/`.
    serde_json::to_string(&datasets)
        .expect("JSON values serialise")
        .replace("</", "<\\/")
}

/// Licence Ouverte 2.0, as Table Schema and Data Package name it.
fn licence() -> Value {
    json!({ "name": "etalab-2.0", "title": "Licence Ouverte 2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" })
}

/// Where the published figures come from: the official documents the records transcribe and
/// the reference data the build checks them against.
fn sources() -> Value {
    json!([
        { "title": "Fiches des contrats de relance et de transition écologique (CRTE), Agence nationale de la cohésion des territoires" },
        { "title": "Fiches territoriales des départements, Agence nationale de la cohésion des territoires" },
        { "title": "Catalogues de l'ingénierie locale des comités locaux de cohésion territoriale (CLCT)" },
        { "title": "Plans d'action des contrats d'objectif territorial (COT), ADEME" },
        { "title": "Découpage administratif (départements, régions, EPCI), Etalab, d'après le Code officiel géographique de l'INSEE et la base BANATIC", "path": "https://github.com/datagouv/decoupage-administratif" },
        { "title": "Référentiels Climat-Air-Énergie et Économie circulaire de l'ADEME (Territoire engagé transition écologique)", "path": "https://github.com/incubateur-ademe/territoires-en-transitions" }
    ])
}

/// Writes `donnees/<nom>.csv` and its schema; returns the two files for the data page.
/// Writes `donnees/<nom>.csv` and its schema; returns the two files for the data page, and the
/// table as a resource of the data package.
fn write_table(
    out: &dyn Sink,
    t: &Donnees,
    meta: &Meta,
    description: &str,
) -> Result<(Vec<Fichier>, Value), OpError> {
    use sha2::{Digest, Sha256};
    let csv = csv_bytes(t)?;
    let schema = json_publie(&table_schema(t, meta, description));
    let nom = t.schema.nom;
    let tableur = csv_tableur(t)?;
    out.write(&format!("donnees/{nom}.csv"), &csv)?;
    out.write(&format!("donnees/{nom}-tableur.csv"), &tableur)?;
    out.write(&format!("donnees/{nom}.schema.json"), &schema)?;
    let hash: String = Sha256::digest(&csv)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let ressource = json!({
        "name": nom,
        "type": "table",
        "path": format!("{nom}.csv"),
        "title": t.schema.titre,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": csv.len(),
        "hash": format!("sha256:{hash}"),
        "schema": format!("{nom}.schema.json"),
        "licenses": [licence()],
    });
    let files = vec![
        fichier(t.schema.titre, &format!("{nom}.csv"), "csv"),
        fichier(
            &format!(
                "{}, pour tableur (Excel, LibreOffice : point-virgule, virgule décimale)",
                t.schema.titre
            ),
            &format!("{nom}-tableur.csv"),
            "csv",
        ),
        fichier(
            &format!(
                "Schéma des colonnes de « {} », au format Table Schema",
                t.schema.titre
            ),
            &format!("{nom}.schema.json"),
            "json",
        ),
    ];
    Ok((files, ressource))
}

fn fichier(titre: &str, url: &str, format: &str) -> Fichier {
    Fichier {
        titre: titre.into(),
        url: url.into(),
        format: format.into(),
    }
}

/// A table as CSV: its header, then its rows.
/// Each département's rows of every table, for its page: `donnees/territoires/<code>/<table>.csv`
/// (the same columns as the whole table, only the rows of the records of the département).
fn write_territoires(catalog: &Catalog, out: &dyn Sink) -> Result<(), OpError> {
    let base = catalog.config.url_base();
    let mut par_departement: BTreeMap<String, BTreeMap<&'static str, Donnees>> = BTreeMap::new();
    for c in &catalog.collections {
        for i in 0..c.len() {
            let Some(code) = c.departement(i) else {
                continue;
            };
            let tables = par_departement.entry(code.to_lowercase()).or_default();
            for t in c.tables_de(i, base) {
                match tables.get_mut(t.schema.nom) {
                    Some(d) => d.lignes.extend(t.lignes),
                    None => {
                        tables.insert(t.schema.nom, t);
                    }
                }
            }
        }
    }
    for (code, tables) in &par_departement {
        for (nom, t) in tables {
            out.write(&format!("{TERRITOIRES}{code}/{nom}.csv"), &csv_bytes(t)?)?;
        }
    }
    Ok(())
}

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

/// The same table for French spreadsheet software opened by a double click: UTF-8 with a
/// byte-order mark, `;` between cells, a decimal comma. The RFC 4180 CSV stays the reference.
fn csv_tableur(t: &Donnees) -> Result<Vec<u8>, OpError> {
    let error = |e: csv::Error| OpError::new(format!("CSV de `{}` : {e}", t.schema.nom));
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(t.schema.colonnes.iter().map(|c| c.nom))
        .map_err(error)?;
    for row in &t.lignes {
        w.write_record(row.iter().map(|c| match c {
            Cellule::Nombre(x) => number(*x).replace('.', ","),
            other => cell(other),
        }))
        .map_err(error)?;
    }
    w.into_inner()
        .map_err(|e| OpError::new(format!("CSV de `{}` : {e}", t.schema.nom)))
}

/// Every table in one workbook: a sheet per table (figures as numbers, dates as dates, the
/// header row frozen, columns sized to their content), and a « Lisez-moi » sheet with the
/// licence, the sources and every column's description. Dated by the publication, so the same
/// content gives the same bytes.
fn xlsx_bytes(tables: &[Classeur], meta: &Meta) -> Result<Vec<u8>, OpError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let error = |e: rust_xlsxwriter::XlsxError| OpError::new(format!("classeur XLSX : {e}"));
    let mut book = Workbook::new();
    let date = meta.date.clone().unwrap_or_else(|| "1970-01-01".into());
    let created = ExcelDateTime::parse_from_str(&format!("{date}T00:00:00")).map_err(error)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("Données ouvertes")
            .set_author(&meta.editeur)
            .set_creation_datetime(&created),
    );
    let gras = Format::new().set_bold();
    let jour = Format::new().set_num_format("dd/mm/yyyy");
    let retour = Format::new().set_text_wrap();

    let lisez = book.add_worksheet();
    lisez.set_name("Lisez-moi").map_err(error)?;
    let mut row = 0u32;
    let mut ligne = |cells: &[&str], format: Option<&Format>| -> Result<(), OpError> {
        for (col, text) in cells.iter().enumerate() {
            match format {
                Some(f) => lisez.write_string_with_format(row, col as u16, *text, f),
                None => lisez.write_string_with_format(row, col as u16, *text, &retour),
            }
            .map_err(error)?;
        }
        row += 1;
        Ok(())
    };
    ligne(&["Données publiées par", &meta.editeur], None)?;
    ligne(&["Mises à jour le", &date], None)?;
    ligne(
        &[
            "Licence",
            "Licence Ouverte 2.0 (etalab-2.0) : https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        ],
        None,
    )?;
    for source in sources().as_array().into_iter().flatten() {
        ligne(
            &["Source", source["title"].as_str().unwrap_or_default()],
            None,
        )?;
    }
    ligne(&["Site", &meta.homepage], None)?;
    ligne(&[], None)?;
    ligne(&["Feuille", "Colonne", "Type", "Description"], Some(&gras))?;
    for c in tables {
        let titre = format!("{} — {}", c.table.schema.titre, c.description);
        ligne(&[c.table.schema.nom, "", "", &titre], Some(&gras))?;
        for col in &c.table.schema.colonnes {
            ligne(
                &[
                    c.table.schema.nom,
                    col.nom,
                    col.type_.schema(),
                    col.description,
                ],
                None,
            )?;
        }
    }
    lisez.set_column_width(0, 28).map_err(error)?;
    lisez.set_column_width(1, 36).map_err(error)?;
    lisez.set_column_width(2, 10).map_err(error)?;
    lisez.set_column_width(3, 90).map_err(error)?;

    for c in tables {
        let t = c.table;
        let sheet = book.add_worksheet();
        sheet.set_name(t.schema.nom).map_err(error)?;
        let mut widths: Vec<usize> = t.schema.colonnes.iter().map(|c| c.nom.len()).collect();
        for (col, colonne) in t.schema.colonnes.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, colonne.nom, &gras)
                .map_err(error)?;
        }
        for (r, cells) in t.lignes.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, value) in cells.iter().enumerate() {
                let col16 = col as u16;
                match value {
                    Cellule::Vide => continue,
                    Cellule::Entier(n) => sheet.write_number(r, col16, *n as f64).map(|_| ()),
                    Cellule::Nombre(x) => sheet.write_number(r, col16, *x).map(|_| ()),
                    Cellule::Date(d) => match ExcelDateTime::parse_from_str(d) {
                        Ok(date) => sheet
                            .write_datetime_with_format(r, col16, &date, &jour)
                            .map(|_| ()),
                        Err(_) => sheet.write_string(r, col16, d.as_str()).map(|_| ()),
                    },
                    other => sheet.write_string(r, col16, cell(other)).map(|_| ()),
                }
                .map_err(error)?;
                widths[col] = widths[col].max(cell(value).chars().count());
            }
        }
        for (col, w) in widths.iter().enumerate() {
            sheet
                .set_column_width(col as u16, (*w as f64 + 2.0).min(60.0))
                .map_err(error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(error)?;
    }
    book.save_to_buffer().map_err(error)
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

/// A cell as a Table Schema example: figures as numbers, the rest as its CSV text.
fn exemple(c: &Cellule) -> Option<Value> {
    match c {
        Cellule::Vide => None,
        Cellule::Entier(n) => Some(json!(n)),
        Cellule::Nombre(x) => Some(json!(x)),
        other => Some(json!(cell(other))),
    }
}

/// Keeps spreadsheet software from reading a text cell as a formula.
fn neutralise(s: &str) -> String {
    // A phone number in E.164 (`+33233063900`) is a figure, not a formula: kept as it is.
    let e164 = s.len() > 1 && s.starts_with('+') && s[1..].bytes().all(|b| b.is_ascii_digit());
    if !e164 && s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
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

/// The Table Schema of a table, to schema.data.gouv.fr's standard: what the table is, who
/// publishes it, when, and for each field its description, an example taken from the data
/// and the constraints its values meet.
fn table_schema(t: &Donnees, meta: &Meta, description: &str) -> Value {
    let s = &t.schema;
    let fields: Vec<Value> = s
        .colonnes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut f =
                json!({ "name": c.nom, "type": c.type_.schema(), "description": c.description });
            if let Some(example) = t.lignes.iter().find_map(|row| exemple(&row[i])) {
                f["example"] = example;
            }
            if let Some(format) = c.contraintes.format {
                f["format"] = json!(format);
            }
            let k = &c.contraintes;
            let mut constraints = serde_json::Map::new();
            let figure = |x: f64| {
                if x.fract() == 0.0 {
                    json!(x as i64)
                } else {
                    json!(x)
                }
            };
            if let Some(min) = k.minimum {
                constraints.insert("minimum".into(), figure(min));
            }
            if let Some(max) = k.maximum {
                constraints.insert("maximum".into(), figure(max));
            }
            if let Some(motif) = k.motif {
                constraints.insert("pattern".into(), json!(motif));
            }
            if let Some(valeurs) = &k.valeurs {
                constraints.insert("enum".into(), json!(valeurs));
            }
            if !constraints.is_empty() {
                f["constraints"] = Value::Object(constraints);
            }
            f
        })
        .collect();
    let mut schema = json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": s.nom,
        "title": s.titre,
        "description": description,
        "version": env!("CARGO_PKG_VERSION"),
        "homepage": meta.homepage,
        "contributors": [{ "title": meta.editeur, "role": "author" }],
        "licenses": [licence()],
        "fields": fields,
        "missingValues": [""],
    });
    if let Some(date) = &meta.date {
        schema["created"] = json!(date);
        schema["lastModified"] = json!(date);
    }
    if !s.cle_primaire.is_empty() {
        schema["primaryKey"] = json!(s.cle_primaire);
    }
    if !s.cles_etrangeres.is_empty() {
        schema["foreignKeys"] = s
            .cles_etrangeres
            .iter()
            .map(|k| {
                json!({
                    "fields": k.colonnes,
                    "reference": { "resource": k.table, "fields": k.vers },
                })
            })
            .collect();
    }
    schema
}
