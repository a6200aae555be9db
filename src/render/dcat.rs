//! Render stage, after the datasets and the PDFs: `donnees/catalogue.jsonld`, the catalogue of
//! the publication in DCAT-AP (JSON-LD, its `@context` inline, never fetched), which
//! data.gouv.fr's DCAT harvester reads. One `dcat:Dataset` per table, each with its
//! distributions — the CSV, the CSV for spreadsheets, the workbook, and for a kind's main table
//! its JSON and its PDF fiches — with absolute download addresses, media types, sizes and the
//! Table Schema they conform to.

use std::collections::HashMap;

use serde_json::json;

use crate::catalog::Catalog;
use crate::error::OpError;
use crate::output::Sink;

/// The licence as data.gouv.fr recognises it: its address and its title there.
const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
const LICENCE_TITRE: &str = "Licence Ouverte / Open Licence version 2.0";

/// Writes the DCAT catalogue of what `out` holds.
pub fn write(catalog: &Catalog, out: &dyn Sink) -> Result<(), OpError> {
    let tailles = out.tailles();
    let base = catalog.config.url_base();
    let vue = catalog.vue_site();
    let editeur = json!({
        "@id": format!("{base}#editeur"),
        "@type": "foaf:Organization",
        "foaf:name": vue.editeur.nom,
    });
    let date = vue.mis_a_jour.map(|d| d.iso);
    let licence = json!({
        "@id": LICENCE_URL,
        "@type": "dct:LicenseDocument",
        "rdfs:label": LICENCE_TITRE,
        "dct:identifier": "etalab-2.0",
    });
    let distribution =
        |chemin: &str, titre: &str, media: &str, format: &str, schema: Option<&str>| {
            let url = format!("{base}{chemin}");
            let mut d = json!({
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": titre,
                "dcat:downloadURL": url,
                "dcat:accessURL": url,
                "dcat:mediaType": format!("https://www.iana.org/assignments/media-types/{media}"),
                "dct:format": format,
                "dct:license": { "@id": LICENCE_URL },
            });
            if let Some(n) = tailles.get(chemin) {
                d["dcat:byteSize"] = json!(n);
            }
            if let Some(schema) = schema {
                d["dct:conformsTo"] = json!({ "@id": format!("{base}{schema}") });
            }
            d
        };

    let mut datasets = Vec::new();
    for c in catalog.collections.iter().filter(|c| !c.is_empty()) {
        let info = c.info();
        let description = c.description_donnees();
        for (rang, schema) in c.schemas().iter().enumerate() {
            let nom = schema.nom;
            let csv = format!("donnees/{nom}.csv");
            let table_schema = format!("donnees/{nom}.schema.json");
            let mut distributions = vec![
                distribution(&csv, schema.titre, "text/csv", "CSV", Some(&table_schema)),
                distribution(
                    &format!("donnees/{nom}-tableur.csv"),
                    &format!("{}, pour tableur", schema.titre),
                    "text/csv",
                    "CSV",
                    Some(&table_schema),
                ),
                distribution(
                    "donnees/donnees.xlsx",
                    "Classeur de tous les tableaux",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "XLSX",
                    None,
                ),
            ];
            if rang == 0 {
                distributions.push(distribution(
                    &format!("donnees/{}.json", info.dossier),
                    info.titre_json,
                    "application/json",
                    "JSON",
                    None,
                ));
                distributions.extend(pdfs(&tailles, info.dossier).into_iter().map(|chemin| {
                    distribution(
                        &chemin,
                        &format!("Fiche {chemin}"),
                        "application/pdf",
                        "PDF",
                        None,
                    )
                }));
            }
            let id = format!("{base}donnees/{nom}");
            let mut dataset = json!({
                "@id": id,
                "@type": "dcat:Dataset",
                "dct:identifier": id,
                "dct:title": schema.titre,
                "dct:description": description,
                "dct:publisher": { "@id": editeur["@id"] },
                "dct:license": { "@id": LICENCE_URL },
                "dcat:keyword": ["cohésion des territoires", info.menu, "ANCT"],
                "dcat:theme": [
                    { "@id": "http://publications.europa.eu/resource/authority/data-theme/REGI" },
                    { "@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE" },
                ],
                "dct:spatial": { "@id": "http://publications.europa.eu/resource/authority/country/FRA" },
                "dcat:landingPage": { "@id": format!("{base}{}/", info.dossier) },
                "dcat:distribution": distributions,
            });
            if let Some(date) = &date {
                dataset["dct:modified"] = json!({ "@value": date, "@type": "xsd:date" });
            }
            datasets.push(dataset);
        }
    }
    if datasets.is_empty() {
        return Ok(());
    }
    let mut catalogue = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "dcat:downloadURL": { "@type": "@id" },
            "dcat:accessURL": { "@type": "@id" },
            "dcat:mediaType": { "@type": "@id" },
            "dcat:byteSize": { "@type": "xsd:decimal" },
        },
        "@id": format!("{base}donnees/catalogue.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": catalog.config.titre.clone().unwrap_or_default(),
        "dct:description": catalog.config.description.clone().unwrap_or_default(),
        "dct:publisher": editeur,
        "dct:license": licence,
        "foaf:homepage": { "@id": base },
        "dcat:dataset": datasets,
    });
    if let Some(date) = &date {
        catalogue["dct:modified"] = json!({ "@value": date, "@type": "xsd:date" });
    }
    let mut bytes = serde_json::to_vec_pretty(&catalogue).expect("JSON values serialise");
    bytes.push(b'\n');
    out.write("donnees/catalogue.jsonld", &bytes)
}

/// The PDFs written under `dossier/`: the records' fiches and the collection's, in path order.
fn pdfs(tailles: &HashMap<String, u64>, dossier: &str) -> Vec<String> {
    let prefix = format!("{dossier}/");
    let mut out: Vec<String> = tailles
        .keys()
        .filter(|k| k.starts_with(&prefix) && k.ends_with(".pdf"))
        .cloned()
        .collect();
    out.sort();
    out
}
