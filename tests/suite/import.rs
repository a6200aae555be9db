//! `territoires import crte`: the national CRTE file (fixture in its exact format, with the
//! real file's awkward cases) becomes records that `check` and `build` accept, whose published
//! signatories are the file's groups; a second import changes nothing.

use std::fs;

use crate::support::*;

const FICHIER: &str = "tests/fixtures/import/crte-national.csv";

/// Runs `territoires import crte <fichier> --root <site>`.
fn importer(site: &Site, fichier: &std::path::Path) -> Run {
    territoires(&[
        "import",
        "crte",
        fichier.to_str().unwrap(),
        "--root",
        site.path().to_str().unwrap(),
    ])
}

#[test]
fn national_file_round_trip() {
    let site = Site::scratch();
    let fichier = example_root().join(FICHIER);
    let run = importer(&site, &fichier);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("10 lignes lues, 3 CRTE créés dans content/crte/, 0 CRTE complété (lignes ajoutées, rien de modifié), 0 CRTE laissé tel quel"),
        "{}",
        run.stderr
    );
    // An EPCI renamed since the file's vintage: the file's name is kept, the official one shown.
    assert!(run.stderr.contains("l'EPCI 200006930 s'appelle aujourd'hui `CC du Haut Allier Margeride` (le fichier écrit `CC du Haut Allier`)"), "{}", run.stderr);

    let lozere = fs::read_to_string(site.path().join("content/crte/crte-48-01.yaml")).unwrap();
    // A commune signs alone; typographic apostrophes are kept.
    assert!(lozere.contains("  - nom: \"Commune de Saint-Chély-d’Apcher\"\n    siren: \"214800955\"\n    nature: \"commune\"\n"), "{lozere}");
    assert!(lozere.contains("structures_supra:\n  - nom: \"PETR du Pays du Gévaudan\"\n    siren: \"200069615\"\n    nature: \"PETR\"\n  - nom: \"Parc naturel régional de l’Aubrac\""), "{lozere}");
    let inter = fs::read_to_string(site.path().join("content/crte/crte-48-02.yaml")).unwrap();
    assert!(
        inter.contains("departement: \"48\"\n")
            && inter.contains("departements_associes:\n  - \"62\"\n"),
        "{inter}"
    );

    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    let (header, rows) = read_csv(&site.output().join("donnees/crte-signataires.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let signataires: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[col("crte")].clone(), r[col("siren")].clone()))
        .collect();
    assert_eq!(
        signataires,
        [
            ("crte-48-01", "200006930"),
            ("crte-48-01", "244800405"),
            ("crte-48-01", "214800955"),
            // The supra bodies, joined with ` ; ` in one cell of the file.
            ("crte-48-01", "200069615"),
            ("crte-48-01", "200077659"),
            // Inter-département: its rows come once per département, each group once here.
            ("crte-48-02", "200069128"),
            ("crte-48-02", "200069102"),
            ("crte-62-07", "246201016"),
            ("crte-62-07", "200069037"),
            // A SIREN in two CRTE.
            ("crte-62-07", "200069128"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );

    // A person completes a record; a second import touches nothing.
    site.edit(
        "content/crte/crte-62-07.yaml",
        "departement: \"62\"\n",
        "departement: \"62\"\n# complété à la main\ninformations_generales:\n  date_signature: 2021-07-05\n",
    );
    let before = snapshot(&site.path().join("content"));
    let again = importer(&site, &fichier);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("0 CRTE créé dans content/crte/, 0 CRTE complété (lignes ajoutées, rien de modifié), 3 CRTE laissés tels quels"),
        "{}",
        again.stderr
    );
    assert!(
        snapshot(&site.path().join("content")) == before,
        "the second import changed content/"
    );
}

#[test]
fn a_file_that_is_not_the_national_file_is_refused() {
    let site = Site::scratch();
    let fichier = site.path().join("autre.csv");
    fs::write(&fichier, "nom;siren\nx;1\n").unwrap();
    let run = importer(&site, &fichier);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("n'est pas le fichier national des CRTE : colonnes absentes : id_crte, lib_crte, dep_chef_file, siren_groupement, lib_groupement, nature_juridique"), "{}", run.stderr);
}

/// A national-size file (about 850 CRTE, 1 300 rows: every EPCI of the official list, some
/// contracts across two départements) imports, checks and builds without an error.
#[test]
fn a_national_size_file_imports_checks_and_builds() {
    let epci: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(example_root().join("referentiels/epci.json")).unwrap())
            .unwrap();
    let departements = [
        ("48", "Lozère"),
        ("62", "Pas-de-Calais"),
        ("50", "Manche"),
        ("84", "Vaucluse"),
        ("2A", "Corse-du-Sud"),
        ("971", "Guadeloupe"),
    ];
    let mut csv = String::from(
        "insee_reg;lib_reg;dep_chef_file;lib_dep;id_crte;lib_crte;type_grp_crte;crte_interreg;crte_interdep;siren_groupement;lib_groupement;nature_juridique;siren_grp_supra;lib_grp_supra;nat_jur_grp_supra\n",
    );
    let n = 850;
    let mut rows = 0;
    for (i, e) in epci.iter().enumerate() {
        let crte = i % n;
        let (code, nom) = departements[crte % departements.len()];
        let nature = e["type"].as_str().unwrap();
        let mut line = |lib_dep: &str| {
            csv.push_str(&format!(
                "00;Région;{code};{lib_dep};crte_{crte:04};CRTE n° {crte};EPCI;Non;Non;{};{};{nature};;;\n",
                e["code"].as_str().unwrap(),
                e["nom"].as_str().unwrap()
            ));
            rows += 1;
        };
        line(nom);
        // One contract in ten spans two départements: its rows come again for the second.
        if crte % 10 == 0 {
            line(departements[(crte + 1) % departements.len()].1);
        }
    }
    assert!(rows > 1_300, "{rows} rows");
    let site = Site::scratch();
    let fichier = site.path().join("national.csv");
    fs::write(&fichier, csv).unwrap();
    let root = site.path().to_str().unwrap();
    let run = importer(&site, &fichier);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{rows} lignes lues, 850 CRTE créés")),
        "{}",
        run.stderr
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.diagnostics);
    assert!(
        check
            .stderr
            .ends_with("ok : 850 fiches vérifiées ; 0 erreur et 0 avertissement dans 0 fichier\n"),
        "{}",
        check.stderr
    );
    let build = territoires(&["build", "--quiet", "--root", root]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let (_, signataires) = read_csv(&site.output().join("donnees/crte-signataires.csv"));
    assert_eq!(signataires.len(), epci.len(), "each EPCI once");
}

/// The national file as a workbook (its first sheet) gives the same records as its CSV.
#[test]
fn the_national_file_as_a_workbook() {
    let text = fs::read_to_string(example_root().join(FICHIER)).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in reader.records().enumerate() {
        for (c, value) in row.unwrap().iter().enumerate() {
            // Spreadsheets hold SIRENs and codes as numbers.
            match value.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r as u32, c as u16, n).map(|_| ()),
                _ => sheet.write_string(r as u32, c as u16, value).map(|_| ()),
            }
            .unwrap();
        }
    }
    let par_csv = Site::scratch();
    let par_xlsx = Site::scratch();
    let xlsx = par_xlsx.path().join("national.xlsx");
    book.save(&xlsx).unwrap();
    for (site, fichier) in [
        (&par_csv, example_root().join(FICHIER)),
        (&par_xlsx, xlsx.clone()),
    ] {
        let run = importer(site, &fichier);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let records = |site: &Site| snapshot(&site.path().join("content/crte"));
    assert!(records(&par_csv) == records(&par_xlsx));
    assert_eq!(records(&par_xlsx).len(), 3);
}

/// A record a person has written keeps all of it — comments, key order, values, even a name
/// that differs from the file's — and only gains what the file knows and it lacks: here two
/// signatories, added after the last one of its list.
#[test]
fn an_existing_record_is_completed_never_changed() {
    let ecrit = "# Fiche tenue par la préfecture du Pas-de-Calais
departement: \"62\"
nom: Contrat du Pays de Saint-Omer   # notre nom
signataires:
  - nom: CA du Pays de Saint-Omer
    siren: \"200069037\"
    nature: CA
  # la CC du Pays de Lumbres signera en mars

informations_generales:
  date_signature: 2021-07-05
";
    let site = Site::scratch().file("content/crte/crte-62-07.yaml", ecrit);
    let fichier = example_root().join(FICHIER);
    let run = importer(&site, &fichier);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("2 CRTE créés dans content/crte/, 1 CRTE complété"),
        "{}",
        run.stderr
    );
    let text = fs::read_to_string(site.path().join("content/crte/crte-62-07.yaml")).unwrap();
    assert_eq!(
        text,
        "# Fiche tenue par la préfecture du Pas-de-Calais
departement: \"62\"
nom: Contrat du Pays de Saint-Omer   # notre nom
signataires:
  - nom: CA du Pays de Saint-Omer
    siren: \"200069037\"
    nature: CA
  - nom: \"CC du Pays de Lumbres\"
    siren: \"246201016\"
    nature: \"CC\"
  - nom: \"CC Mont Lozère\"
    siren: \"200069128\"
    nature: \"CC\"
  # la CC du Pays de Lumbres signera en mars

informations_generales:
  date_signature: 2021-07-05
"
    );
    assert_eq!(site.check().code, 0);
    let again = importer(&site, &fichier);
    assert!(again.stderr.contains("0 CRTE créé dans content/crte/, 0 CRTE complété (lignes ajoutées, rien de modifié), 3 CRTE laissés tels quels"), "{}", again.stderr);
}
