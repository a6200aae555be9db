//! Generates a national-scale site for benchmarks: `cargo run --release --example national -- DIR [N]`
//! writes DIR/content (N CRTE, 850 by default, spread over every département, made from the two
//! seed records) and copies the themes, so that `territoires build --root DIR` can be timed.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: national DIR [N]"));
    let n: usize = args
        .next()
        .map_or(850, |s| s.parse().expect("N is a number"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    copy_dir(&repo.join("themes"), &dir.join("themes"));
    copy_dir(&repo.join("content/pages"), &dir.join("content/pages"));
    fs::copy(
        repo.join("content/site.yaml"),
        dir.join("content/site.yaml"),
    )
    .unwrap();
    fs::create_dir_all(dir.join("content/crte")).unwrap();
    let seeds = [
        fs::read_to_string(repo.join("content/crte/lozere-terres-de-vie.yaml")).unwrap(),
        fs::read_to_string(repo.join("content/crte/audomarois.yaml")).unwrap(),
    ];
    let departements: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(include_str!(
        "../referentiels/departements.json"
    ))
    .unwrap()
    .into_iter()
    .filter(|d| d["zone"] != "com")
    .map(|d| d["code"].as_str().unwrap().to_string())
    .collect();
    for i in 0..n {
        let code = &departements[i % departements.len()];
        let seed = &seeds[i % 2];
        let text = seed
            .replace("departement: \"48\"", &format!("departement: \"{code}\""))
            .replace("departement: \"62\"", &format!("departement: \"{code}\""))
            .replace(
                "Terres de vie en Lozère\n",
                &format!("Territoire {i} ({code})\n"),
            );
        fs::write(
            dir.join(format!("content/crte/crte-{code}-{i:04}.yaml").to_lowercase()),
            text,
        )
        .unwrap();
    }
    println!("{n} CRTE written under {}", dir.display());
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
