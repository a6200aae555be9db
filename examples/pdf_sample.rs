//! Renders a sample fiche with the embedded typst engine; by default the CRTE fiche
//! (`tests/fixtures/pdf/crte-lozere.json`) with the DSFR theme.
//!
//! `cargo run --release --example pdf_sample [-- OUTPUT.pdf [RUNS [TEMPLATE [DATA.json [THEME]]]]]`
//! (defaults: `/tmp/crte.pdf`, 1 run, `crte.typ`, `tests/fixtures/pdf/crte-lozere.json`, `dsfr`)
//! prints the time of `PdfEngine::new` and of each render, and writes the first run's PDF.
//! For example, the fiche territoriale of a département with the neutral theme:
//! `… -- /tmp/48.pdf 1 departement.typ tests/fixtures/pdf/departement-lozere.json neutre`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use territoires::render::pdf::{PdfEngine, PdfMeta};
use territoires::view::NON_RENSEIGNE;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = std::env::args().skip(1);
    let output = args.next().unwrap_or_else(|| "/tmp/crte.pdf".to_owned());
    let runs: usize = args.next().map_or(Ok(1), |n| n.parse())?;
    let template = args.next().unwrap_or_else(|| "crte.typ".to_owned());
    let data_path = args.next().map_or_else(
        || root.join("tests/fixtures/pdf/crte-lozere.json"),
        PathBuf::from,
    );
    let theme = args.next().unwrap_or_else(|| "dsfr".to_owned());

    let start = Instant::now();
    // As in a build: the templates a theme lacks are the default theme's.
    let mut typst = vec![root.join("themes").join(&theme).join("typst")];
    if theme != "dsfr" {
        typst.push(root.join("themes/dsfr/typst"));
    }
    let engine = PdfEngine::new(
        &typst,
        &[
            root.join("themes/dsfr/fonts"),
            PathBuf::from("content/static/fonts"),
        ],
        &[("non_renseigne", NON_RENSEIGNE)],
    )?;
    println!("PdfEngine::new: {:?}", start.elapsed());

    let data = std::fs::read_to_string(&data_path)?;
    let (title, ident) = if template == "crte.typ" {
        ("CRTE Terres de vie en Lozère", "crte/lozere-terres-de-vie")
    } else {
        ("Fiche territoriale", "departement/echantillon")
    };
    let meta = PdfMeta {
        title: title.to_owned(),
        lang: "fr".to_owned(),
        ident: ident.to_owned(),
        timestamp: 1_700_000_000,
    };
    // The record's JSON the fixture's template attaches to the PDF (its `donnees` path).
    let fichiers: Vec<(String, Vec<u8>)> =
        serde_json::from_str::<serde_json::Value>(&data)?["donnees"]
            .as_str()
            .map(|chemin| vec![(chemin.to_string(), b"{}\n".to_vec())])
            .unwrap_or_default();
    let mut pdf = Vec::new();
    for run in 1..=runs {
        let start = Instant::now();
        // Runs after the first change the data a little, as the next record of a build would,
        // so that typst's memoisation cannot return the previous document whole.
        let data = if run == 1 {
            data.clone()
        } else if data.contains("Lozère (48)") {
            data.replace("Lozère (48)", &format!("Lozère (48) n°{run}"))
        } else {
            data.replacen("\"titre\": \"", &format!("\"titre\": \"n°{run} "), 2)
        };
        let rendu = engine.render(&template, &data, &meta, &fichiers)?;
        let (bytes, warnings) = (rendu.pdf, rendu.avertissements);
        println!(
            "render {run}: {:?} ({} bytes)",
            start.elapsed(),
            bytes.len()
        );
        for warning in warnings {
            eprintln!("{warning}");
        }
        if run == 1 {
            pdf = bytes;
        }
    }
    std::fs::write(&output, pdf)?;
    println!("wrote {output}");
    Ok(())
}
