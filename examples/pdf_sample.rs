//! Renders the sample CRTE fiche (`tests/fixtures/pdf/crte-lozere.json`) with the DSFR theme.
//!
//! `cargo run --release --example pdf_sample [-- OUTPUT.pdf [RUNS]]` (default `/tmp/crte.pdf`, 1 run)
//! prints the time of `PdfEngine::new` and of each render, and writes the first run's PDF.

use std::path::{Path, PathBuf};
use std::time::Instant;

use territoires::pdf::{PdfEngine, PdfMeta};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = std::env::args().skip(1);
    let output = args.next().unwrap_or_else(|| "/tmp/crte.pdf".to_owned());
    let runs: usize = args.next().map_or(Ok(1), |n| n.parse())?;

    let start = Instant::now();
    let engine = PdfEngine::new(
        &root.join("themes/dsfr/typst"),
        &[
            root.join("themes/dsfr/fonts"),
            PathBuf::from("content/static/fonts"),
        ],
    )?;
    println!("PdfEngine::new: {:?}", start.elapsed());

    let data = std::fs::read_to_string(root.join("tests/fixtures/pdf/crte-lozere.json"))?;
    let meta = PdfMeta {
        title: "CRTE Terres de vie en Lozère".to_owned(),
        lang: "fr".to_owned(),
        ident: "crte/lozere-terres-de-vie".to_owned(),
        timestamp: 1_700_000_000,
    };
    let mut pdf = Vec::new();
    for run in 1..=runs {
        let start = Instant::now();
        // Runs after the first change the data a little, as the next record of a build would,
        // so that typst's memoisation cannot return the previous document whole.
        let data = if run == 1 {
            data.clone()
        } else {
            data.replace("Lozère (48)", &format!("Lozère (48) n°{run}"))
        };
        let (bytes, warnings) = engine.render_with_warnings("crte.typ", &data, &meta)?;
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
