//! End to end: the bundled example (seeds 000 and 003) built into a temporary folder, then the
//! pages, the PDF fiches and the datasets read back as a user would.

use std::fs;
use std::process::Command;

use crate::support::*;

#[test]
fn builds_pages_pdfs_and_datasets_from_the_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);

    // Pages: home, list, one per CRTE, legal pages, data page, 404, sitemap.
    for page in [
        "index.html",
        "crte/index.html",
        "crte/lozere-terres-de-vie/index.html",
        "crte/audomarois/index.html",
        "donnees/index.html",
        "accessibilite/index.html",
        "mentions-legales/index.html",
        "donnees-personnelles/index.html",
        "gestion-des-cookies/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }

    let lozere = fs::read_to_string(out.join("crte/lozere-terres-de-vie/index.html")).unwrap();
    let text = html_text(&lozere);
    for fact in [
        "CRTE Terres de vie en Lozère",
        "29 décembre 2021",
        "9 juillet 2021",
        "Association territoriale Terres de vie en Lozère",
        "CC du Haut Allier",
        "200006930",
        "Petites villes de demain",
        "40,89 M€",
        "12,94 M€",
        "marie-claire.vioulac@lozere.gouv.fr",
        "Non communiqué",
    ] {
        assert!(text.contains(fact), "CRTE page lacks `{fact}`");
    }
    assert!(
        !text.contains("Petits villes"),
        "the alias is normalised on the page"
    );
    // Links to its PDF and its data.
    for link in [
        "../../crte/lozere-terres-de-vie.pdf",
        "../../donnees/crte/lozere-terres-de-vie.json",
        "../../donnees/crte/lozere-terres-de-vie.csv",
    ] {
        assert!(
            lozere.contains(&format!("href=\"{link}\"")),
            "CRTE page does not link {link}"
        );
    }
    assert!(lozere.contains("http-equiv=\"Content-Security-Policy\""));

    // Seed 003 prints None, -€ and empty values: the site prints « Non renseigné » instead.
    let audomarois =
        html_text(&fs::read_to_string(out.join("crte/audomarois/index.html")).unwrap());
    assert!(audomarois.contains("Non renseigné"));
    for bad in ["None", "null", "-€", "- €"] {
        assert!(!audomarois.contains(bad), "`{bad}` printed on the page");
    }

    // The footer's mandatory links and the licence line, on every page type.
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    for needle in [
        "Accessibilité : partiellement conforme",
        "Mentions légales",
        "Données personnelles",
        "Gestion des cookies",
        "licence etalab-2.0",
        "République<br>Française",
    ] {
        assert!(home.contains(needle), "home lacks `{needle}`");
    }

    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains(
            "Sitemap: https://agence-cohesion-territoires.gouv.fr/territoires/sitemap.xml"
        ),
        "{robots}"
    );
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains(
            "<loc>https://agence-cohesion-territoires.gouv.fr/territoires/crte/lozere-terres-de-vie/</loc>"
        ),
        "{sitemap}"
    );

    // PDF fiche: text, tags, title.
    let pdf = out.join("crte/lozere-terres-de-vie.pdf");
    let text = pdf_text(&pdf);
    for fact in [
        "RÉPUBLIQUE",
        "FRANÇAISE",
        "Informations générales",
        "Signataires",
        "Stratégie",
        "Plan d’action",
        "Gouvernance et évaluation",
        "Ingénierie et financement",
        "CC du Haut Allier",
        "CC Coeur de Lozère",
        "CC Randon - Margeride",
        "CC Mont Lozère",
        "200069128",
        "40,89 M€",
        "12,94 M€",
        "29 décembre 2021",
        "marie-claire.vioulac@lozere.gouv.fr",
    ] {
        assert!(
            text.contains(fact) || text.contains(&fact.replace('’', "'")),
            "PDF lacks `{fact}`:\n{text}"
        );
    }
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           CRTE Terres de vie en Lozère"),
        "{info}"
    );
    let raw = fs::read(&pdf).unwrap();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/Lang(fr-FR)"), "the document language is declared");
    assert!(
        has(b"pdfuaid:part"),
        "PDF/UA identification in the XMP metadata"
    );
    let audomarois_pdf = pdf_text(&out.join("crte/audomarois.pdf"));
    assert!(audomarois_pdf.contains("Non renseigné"));
    assert!(!audomarois_pdf.contains("None") && !audomarois_pdf.contains("-€"));

    // Datasets.
    let csv = fs::read_to_string(out.join("donnees/crte.csv")).unwrap();
    let (headers, rows) = read_csv(&out.join("donnees/crte.csv"));
    assert_eq!(rows.len(), 2);
    let col = |row: &Vec<String>, name: &str| {
        row[headers.iter().position(|h| h == name).unwrap()].clone()
    };
    let lozere_row = rows
        .iter()
        .find(|r| col(r, "identifiant") == "lozere-terres-de-vie")
        .unwrap();
    assert_eq!(col(lozere_row, "departement"), "48");
    assert_eq!(col(lozere_row, "date_signature"), "2021-12-29");
    assert_eq!(col(lozere_row, "depenses_investissement"), "40890000");
    assert_eq!(col(lozere_row, "engagements_etat_plan_relance"), "12940000");
    assert_eq!(col(lozere_row, "nombre_signataires"), "6");
    assert_eq!(col(lozere_row, "etat_des_lieux_ecologique"), "nc");
    assert!(
        col(lozere_row, "programmes_anct").contains("Petites villes de demain | France services")
    );
    let audomarois_row = rows
        .iter()
        .find(|r| col(r, "identifiant") == "audomarois")
        .unwrap();
    assert_eq!(
        col(audomarois_row, "depenses_investissement"),
        "",
        "not provided is an empty cell"
    );
    assert_eq!(
        col(audomarois_row, "nature_juridique_structure_porteuse"),
        "Pôle métropolitain"
    );
    assert!(csv.contains("\r\n"), "RFC 4180 line ends");

    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("donnees/crte.json")).unwrap()).unwrap();
    // An object: what it holds and what a reuser must know of it, then the records.
    assert_eq!(json["licence"]["id"], "etalab-2.0");
    assert_eq!(json["date"], "2023-11-14");
    assert_eq!(
        json["schema_source"],
        "https://agence-cohesion-territoires.gouv.fr/territoires/schemas/crte.schema.json"
    );
    assert_eq!(json["fiches"][1]["identifiant"], "lozere-terres-de-vie");
    assert_eq!(json["fiches"][1]["signataires"][3]["siren"], "48");
    let single: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(out.join("donnees/crte/audomarois.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        single["editeur"],
        "Agence nationale de la cohésion des territoires"
    );
    assert_eq!(
        single["fiche"]["informations_generales"]["nom_structure_porteuse"],
        "Pôle métropolitain Audomarois"
    );
    let row = fs::read_to_string(out.join("donnees/crte/audomarois.csv")).unwrap();
    assert_eq!(row.lines().count(), 2, "header and one row");
}

#[test]
fn same_content_gives_the_same_bytes_and_jobs_1_matches() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    build_example(&a);
    build_example(&b);
    build_example_with(&c, &["--jobs", "1"]);
    let (sa, sb, sc) = (snapshot(&a), snapshot(&b), snapshot(&c));
    assert!(sa.len() > 20);
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (path, bytes) in &sa {
        assert!(sb[path] == *bytes, "{path} differs between two builds");
        assert!(sc[path] == *bytes, "{path} differs with --jobs 1");
    }
}

#[test]
fn datasets_validate_against_their_published_table_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let donnees = out.join("donnees");
    // Every table of every record kind: crte(-signataires), departements(-ftth,
    // -accompagnements), ingenierie(-contacts, -offres), cot(-referentiel).
    let package: serde_json::Value =
        serde_json::from_slice(&fs::read(donnees.join("datapackage.json")).unwrap()).unwrap();
    let names: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "departements",
            "departements-ftth",
            "departements-accompagnements",
            "crte",
            "crte-signataires",
            "ingenierie",
            "ingenierie-contacts",
            "ingenierie-offres",
            "cot",
            "cot-referentiel"
        ]
    );
    assert_eq!(package["licenses"][0]["name"], "etalab-2.0");
    let validate = |dir: &std::path::Path| {
        Command::new("frictionless")
            .args(["validate", "datapackage.json"])
            .current_dir(dir)
            .output()
            .expect("frictionless is installed (PyPI): run scripts/test.sh")
    };
    // The whole package: every row against its schema, the sizes, the SHA-256, and the
    // foreign keys between tables.
    let run = validate(&donnees);
    assert!(
        run.status.success(),
        "frictionless validate failed:\n{}",
        String::from_utf8_lossy(&run.stdout)
    );
    // A row whose CRTE is not in crte.csv fails the foreign key.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&donnees, copy.path());
    let signataires = copy.path().join("crte-signataires.csv");
    let text = fs::read_to_string(&signataires).unwrap();
    fs::write(
        &signataires,
        text.replacen("\r\naudomarois,", "\r\ninconnu,", 1),
    )
    .unwrap();
    let broken = validate(copy.path());
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stdout).contains("foreign-key"));
}

/// The Table Schemas follow schema.data.gouv.fr's standard: metadata, an example per field
/// from the data, constraints that mean something, valid field names; an invalid SIREN (the
/// seed's `48`) is not published in a SIREN column.
#[test]
fn table_schemas_meet_the_schema_data_gouv_fr_standard() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&fs::read(out.join("donnees").join(name)).unwrap()).unwrap()
    };
    let field = |schema: &serde_json::Value, name: &str| -> serde_json::Value {
        schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name}"))
            .clone()
    };
    for name in fs::read_dir(out.join("donnees")).unwrap() {
        let name = name.unwrap().file_name().into_string().unwrap();
        if !name.ends_with(".schema.json") {
            continue;
        }
        let schema = read(&name);
        for key in [
            "title",
            "description",
            "version",
            "homepage",
            "contributors",
            "created",
            "lastModified",
        ] {
            assert!(schema.get(key).is_some(), "{name}: no {key}");
        }
        for f in schema["fields"].as_array().unwrap() {
            let n = f["name"].as_str().unwrap();
            assert!(
                n.chars().next().unwrap().is_ascii_lowercase()
                    && n.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}: field name `{n}`"
            );
            assert!(
                f["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{name}: {n}"
            );
        }
    }
    let signataires = read("crte-signataires.schema.json");
    assert_eq!(
        field(&signataires, "siren")["constraints"]["pattern"],
        "^\\d{9}$"
    );
    assert_eq!(field(&signataires, "siren")["example"], "200086874");
    assert_eq!(
        signataires["foreignKeys"][0]["reference"]["resource"],
        "crte"
    );
    let crte = read("crte.schema.json");
    assert_eq!(field(&crte, "email_contact")["format"], "email");
    assert_eq!(
        field(&crte, "diagnostic_initial")["constraints"]["enum"],
        serde_json::json!(["oui", "non", "nc"])
    );
    assert!(
        field(&crte, "departement")["constraints"]["pattern"]
            .as_str()
            .unwrap()
            .contains("2[AB]")
    );
    // The seed's `48` and `76`: warnings at build time, empty SIREN cells.
    let (header, rows) = read_csv(&out.join("donnees/crte-signataires.csv"));
    let siren = header.iter().position(|h| h == "siren").unwrap();
    let nom = header.iter().position(|h| h == "nom").unwrap();
    let lozere: Vec<&Vec<String>> = rows.iter().filter(|r| r[nom] == "Lozère").collect();
    assert!(!lozere.is_empty() && lozere.iter().all(|r| r[siren].is_empty()));
    assert!(
        rows.iter()
            .all(|r| r[siren].is_empty() || r[siren].len() == 9)
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::scratch().example_file("content/crte/audomarois.yaml");
    let out = site.output();
    let ok = site.build();
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let before = snapshot(&out);

    site.write(
        "content/crte/casse.yaml",
        "departement: \"48\"\nsignataires: [\n",
    );
    let failed = site.build();
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert_eq!(
        snapshot(&out),
        before,
        "output/ changed after a failed build"
    );

    // A template that breaks mid-render is an operational failure: the output stays too.
    site.remove("content/crte/casse.yaml");
    site.write(
        "themes/dsfr/templates/crte.html",
        "{% extends \"base.html\" %}{% block contenu %}{{ fiche.inconnu.x }}{% endblock %}",
    );
    let broken = site.build();
    assert_eq!(broken.code, 2, "{}", broken.stderr);
    assert!(broken.stderr.contains("crte.html"), "{}", broken.stderr);
    assert_eq!(
        snapshot(&out),
        before,
        "output/ changed after a failed render"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        // The lock file stays next to the output, on purpose (see `output.rs`).
        !leftovers.iter().any(|n| {
            let n = n.to_string_lossy();
            n.starts_with('.') && !n.ends_with(".verrou")
        }),
        "staging left behind: {leftovers:?}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = Site::scratch().example_file("content/crte/audomarois.yaml");
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.output().exists());
}

/// The PDF test fixtures (rendered by the unit tests and the benchmarks) are the data the
/// build gives each template, `{site, vue}`; `UPDATE_FIXTURES=1` rewrites them.
#[test]
fn pdf_fixtures_are_the_current_views() {
    let root = example_root();
    let (catalog, _) = territoires::load_and_validate(&root, &mut Vec::new()).unwrap();
    let mut stale = Vec::new();
    for (fixture, fiche) in [
        ("crte-lozere.json", "crte/lozere-terres-de-vie.pdf"),
        ("departement-lozere.json", "departements/48.pdf"),
        ("acteur-ddtm-50.json", "ingenierie/ddtm-50.pdf"),
        ("catalogue-manche.json", "ingenierie/catalogue.pdf"),
        ("cot-ccpal.json", "cot/ccpal.pdf"),
    ] {
        // Without the record's date: it is its file's last commit, not a fact of the view.
        let text = territoires::render::fiches::donnees(&catalog, fiche).unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value.as_object_mut().unwrap().remove("mis_a_jour");
        let text = serde_json::to_string_pretty(&value).unwrap() + "\n";
        let path = root.join("tests/fixtures/pdf").join(fixture);
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            fs::write(&path, &text).unwrap();
        }
        if fs::read_to_string(&path).unwrap_or_default() != text {
            stale.push(fixture);
        }
    }
    let listed: Vec<String> = fs::read_dir(root.join("tests/fixtures/pdf"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed.len(), 5, "a fixture nobody regenerates: {listed:?}");
    assert!(
        stale.is_empty(),
        "stale fixtures {stale:?}: rerun with UPDATE_FIXTURES=1"
    );
}

/// The publisher's identity: a prefecture's pages carry its bloc-marque (« Préfet / de la
/// Lozère »), and so do the fiches about its département; a fiche about another département
/// is signed by the République, never under the wrong prefecture. The bundled example is a
/// national publication: « République / Française » everywhere.
#[test]
fn a_prefecture_signs_its_own_records_only() {
    let site = Site::example_copy();
    site.edit(
        "content/site.yaml",
        "  nom: Agence nationale de la cohésion des territoires\n",
        "  nom: Préfecture de la Lozère\n  departement: \"48\"\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.output();
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(
        home.matches(r#"<p class="fr-logo">Préfet<br>de la Lozère</p>"#)
            .count(),
        2,
        "header and footer"
    );
    // The first two lines of the fiche, left column (the ANCT's block is on the right).
    let marque = |pdf: &str| -> Vec<String> {
        pdf_text(&out.join(pdf))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(2)
            .map(|l| l.split("   ").next().unwrap().trim().to_string())
            .collect()
    };
    assert_eq!(
        marque("crte/lozere-terres-de-vie.pdf"),
        ["PRÉFET", "DE LA LOZÈRE"]
    );
    assert_eq!(marque("departements/48.pdf"), ["PRÉFET", "DE LA LOZÈRE"]);
    assert_eq!(marque("crte/audomarois.pdf"), ["RÉPUBLIQUE", "FRANÇAISE"]);
    let cot = pdf_text(&out.join("cot/ccpal.pdf"));
    assert!(!cot.contains("LOZÈRE"), "{cot}");

    let example = tempfile::tempdir().unwrap();
    build_example(&example.path().join("output"));
    let home = fs::read_to_string(example.path().join("output/index.html")).unwrap();
    assert!(home.contains(r#"<p class="fr-logo">République<br>Française</p>"#));
}

/// Every record page offers its downloads with their format and size (DSFR
/// `fr-link__detail`), and every page says when it was updated.
#[test]
fn downloads_say_their_format_and_size_and_pages_their_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let page = fs::read_to_string(out.join("crte/audomarois/index.html")).unwrap();
    for (file, format) in [
        ("crte/audomarois.pdf", "PDF"),
        ("donnees/crte/audomarois.json", "JSON"),
        ("donnees/crte/audomarois.csv", "CSV"),
    ] {
        let size = fs::metadata(out.join(file)).unwrap().len() as f64 / 1024.0;
        let figure = format!("{size:.1}");
        let shown = format!("{format} – {} Ko", figure.trim_end_matches(".0")).replace('.', ",");
        assert!(
            page.contains(&format!("href=\"../../{file}\" download>Télécharger"))
                && page.contains(&format!("<span class=\"fr-link__detail\">{shown}</span>")),
            "{file}: `{shown}` missing"
        );
    }
    // A page that is no record's says the publication's date: SOURCE_DATE_EPOCH=1700000000
    // (the tests' date), 14 November 2023. (A record's page says its own: see `navigation`.)
    let legal = fs::read_to_string(out.join("mentions-legales/index.html")).unwrap();
    assert!(legal.contains(r#"Mis à jour le <time datetime="2023-11-14">14 novembre 2023</time>"#));
}

/// Without `SOURCE_DATE_EPOCH`, a site kept in git is dated by the last commit of its
/// content: the PDFs carry that date (not 1970), the pages say it, and two builds of the
/// same commit give the same bytes.
#[test]
fn the_date_of_a_git_site_is_its_last_commit() {
    let site = Site::example_copy();
    let git = |args: &[&str]| {
        let run = Command::new("git")
            .args([
                "-c",
                "user.name=Rédaction",
                "-c",
                "user.email=redaction@example.org",
            ])
            .args(args)
            .current_dir(site.path())
            .env("GIT_COMMITTER_DATE", "2024-03-12T10:00:00Z")
            .env("GIT_AUTHOR_DATE", "2024-03-12T10:00:00Z")
            .output()
            .expect("git is installed");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "content"]);
    git(&["commit", "-q", "-m", "Contenu"]);
    let build = |out: &str| {
        let run = Command::new(env!("CARGO_BIN_EXE_territoires"))
            .args(["build", "--quiet", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(site.path().join(out))
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        snapshot(&site.path().join(out))
    };
    let first = build("sortie-1");
    assert!(
        first == build("sortie-2"),
        "two builds of one commit differ"
    );
    let page = String::from_utf8(first["crte/audomarois/index.html"].clone()).unwrap();
    assert!(page.contains(r#"Mis à jour le <time datetime="2024-03-12">12 mars 2024</time>"#));
    let info = Command::new("pdfinfo")
        .arg(site.path().join("sortie-1/crte/audomarois.pdf"))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.starts_with("CreationDate:") && l.contains("2024")),
        "{info}"
    );
}

/// What a reader sees is a label or a link, never a code or a bare address: a signatory's
/// nature (« Département », the EPCI sigles as the ANCT fiche writes them), an address in a
/// text, the FttH table's figures aligned right and its total row marked as a total.
#[test]
fn labels_links_and_figures_read_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let crte = fs::read_to_string(out.join("crte/lozere-terres-de-vie/index.html")).unwrap();
    assert!(crte.contains("<td>Département</td>") && crte.contains("<td>Région</td>"));
    assert!(crte.contains("<td>CC</td>"));
    assert!(!crte.contains("<td>departement</td>") && !crte.contains("<td>region</td>"));
    let lozere = fs::read_to_string(out.join("departements/48/index.html")).unwrap();
    assert!(lozere.contains(
        r#"candidater sur <a href="https://www.societenumerique.gouv.fr">www.societenumerique.gouv.fr</a>."#
    ));
    assert!(lozere.contains(r#"<tfoot class="territoires-total">"#));
    assert!(lozere.contains(
        r#"<th scope="col" class="territoires-nombre">Total des locaux à déployer en FttH</th>"#
    ));
    let pdf = pdf_text(&out.join("crte/lozere-terres-de-vie.pdf"));
    assert!(
        pdf.contains("Département") && !pdf.contains(" departement "),
        "{pdf}"
    );
}

/// One workbook for every table, read back as a reuser would: a sheet per table with typed
/// cells (figures as numbers, dates as dates), and a « Lisez-moi » with the licence and every
/// column's description; and each table as a CSV that French spreadsheet software opens by a
/// double click.
#[test]
fn tables_as_a_workbook_and_as_csv_for_spreadsheets() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let mut book: Xlsx<_> = open_workbook(out.join("donnees/donnees.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets[0], "Lisez-moi");
    assert!(
        sheets.contains(&"crte-signataires".to_string()),
        "{sheets:?}"
    );
    let crte = book.worksheet_range("crte").unwrap();
    let header: Vec<String> = crte
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let lozere = crte
        .rows()
        .find(|r| r[0] == "lozere-terres-de-vie")
        .unwrap();
    assert_eq!(
        lozere[col("depenses_investissement")],
        Data::Float(40_890_000.0)
    );
    assert!(
        matches!(lozere[col("date_signature")], Data::DateTime(d) if d.as_f64() == 44559.0),
        "29 December 2021 as a date: {:?}",
        lozere[col("date_signature")]
    );
    let lisez = book.worksheet_range("Lisez-moi").unwrap();
    let text: Vec<String> = lisez
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .collect();
    assert!(text.iter().any(|t| t.contains("Licence Ouverte 2.0")));
    assert!(text.iter().any(|t| t == "SIREN (9 chiffres) ; vide s'il n'est pas renseigné ou s'il n'est pas un SIREN valide (un code INSEE écrit à sa place est signalé à la construction, pas publié)"));

    let tableur = fs::read(out.join("donnees/cot-tableur.csv")).unwrap();
    assert!(tableur.starts_with(b"\xEF\xBB\xBFidentifiant;titre;"));
    let tableur = String::from_utf8(tableur).unwrap();
    assert!(tableur.contains(";23,3;"), "decimal comma: {tableur}");
}

/// The DCAT catalogue, read by a real RDF parser (rdflib) as data.gouv.fr's harvester reads
/// it: every dataset has an identifier, a title, the Licence Ouverte 2.0 and a date; every
/// distribution an absolute download address of a file that exists, a media type and a size;
/// the CSV conform to their published Table Schema; the CRTE dataset offers its PDF fiches.
#[test]
fn dcat_catalogue_is_what_a_harvester_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let jsonld = fs::read_to_string(out.join("donnees/catalogue.jsonld")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&jsonld).unwrap();
    assert!(
        parsed["@context"].is_object(),
        "the @context is inline, never fetched"
    );
    let script = r#"
import sys, rdflib
from rdflib.namespace import RDF, DCAT, DCTERMS as DCT
g = rdflib.Graph()
g.parse(sys.argv[1], format="json-ld")
base = "https://agence-cohesion-territoires.gouv.fr/territoires/"
lo = rdflib.URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
datasets = list(g.subjects(RDF.type, DCAT.Dataset))
print("datasets", len(datasets))
for d in datasets:
    assert g.value(d, DCT.identifier), d
    assert g.value(d, DCT.title), d
    assert g.value(d, DCT.license) == lo, d
    assert str(g.value(d, DCT.modified)) == "2023-11-14", d
    assert list(g.objects(d, DCAT.distribution)), d
for x in g.subjects(RDF.type, DCAT.Distribution):
    url = str(g.value(x, DCAT.downloadURL))
    assert url.startswith(base), url
    assert g.value(x, DCAT.mediaType), url
    assert int(g.value(x, DCAT.byteSize)) > 0, url
    print("file", url[len(base):])
    schema = g.value(x, DCT.conformsTo)
    if schema is not None:
        print("file", str(schema)[len(base):])
crte = rdflib.URIRef(base + "donnees/crte")
pdfs = [str(g.value(x, DCAT.downloadURL)) for x in g.objects(crte, DCAT.distribution)
        if str(g.value(x, DCT.format)) == "PDF"]
print("crte-pdf", len(pdfs))
catalog = g.value(None, RDF.type, DCAT.Catalog)
assert catalog is not None and len(list(g.objects(catalog, DCAT.dataset))) == len(datasets)
label = g.value(lo, rdflib.RDFS.label)
print("licence", label)
"#;
    let run = Command::new("python3")
        .args(["-c", script])
        .arg(out.join("donnees/catalogue.jsonld"))
        .output()
        .expect("python3 with rdflib: run scripts/test.sh");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("datasets 10\n"), "{stdout}");
    assert!(stdout.contains("crte-pdf 2\n"), "{stdout}");
    assert!(
        stdout.contains("licence Licence Ouverte / Open Licence version 2.0\n"),
        "{stdout}"
    );
    for line in stdout.lines() {
        if let Some(file) = line.strip_prefix("file ") {
            assert!(
                out.join(file).is_file(),
                "{file} is in the catalogue but not in the output"
            );
        }
    }
}

/// Every record's PDF carries its data: the attached file is the record's published JSON,
/// byte for byte.
#[test]
fn each_pdf_carries_its_records_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    for (pdf, json) in [
        ("crte/audomarois.pdf", "donnees/crte/audomarois.json"),
        ("departements/48.pdf", "donnees/departements/48.json"),
        ("ingenierie/ddtm-50.pdf", "donnees/ingenierie/ddtm-50.json"),
        ("cot/ccpal.pdf", "donnees/cot/ccpal.json"),
    ] {
        let extracted = dir.path().join("extrait.json");
        let run = Command::new("pdfdetach")
            .args(["-save", "1", "-o"])
            .arg(&extracted)
            .arg(out.join(pdf))
            .output()
            .expect("pdfdetach is installed (poppler-utils): run scripts/test.sh");
        assert!(
            run.status.success(),
            "{pdf}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(
            fs::read(&extracted).unwrap(),
            fs::read(out.join(json)).unwrap(),
            "{pdf} carries another JSON than {json}"
        );
    }
}

/// The JSON Schema of each record kind, written by `territoires schema` and published under
/// `output/schemas/`: every record of the example is valid against it for an independent
/// validator (PyPI jsonschema, the YAML read as an editor's language server reads it), and a
/// mistyped key is not.
#[test]
fn every_record_is_valid_against_its_json_schema() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    let run = territoires(&["schema", "--output", schemas.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = dir.path().join("output");
    build_example(&out);
    for name in ["site", "crte", "departements", "ingenierie", "cot"] {
        let file = format!("{name}.schema.json");
        assert_eq!(
            fs::read(schemas.join(&file)).unwrap(),
            fs::read(out.join("schemas").join(&file)).unwrap(),
            "{file}: the command and the build publish the same schema"
        );
    }
    let typo = dir.path().join("faute.yaml");
    fs::write(&typo, "departement: \"48\"\nsigantaires: []\n").unwrap();
    let script = r#"
import json, pathlib, sys, yaml
from jsonschema import Draft202012Validator

class Loader(yaml.SafeLoader):
    pass
# As YAML 1.2 language servers read it: `2021-12-29` is a string, not a date.
Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
content, schemas, typo = map(pathlib.Path, sys.argv[1:4])
def check(path, schema):
    validator = Draft202012Validator(json.loads((schemas / schema).read_text()))
    data = yaml.load(path.read_text(), Loader=Loader)
    return [e.message for e in validator.iter_errors(data)]
n = 0
errors = check(content / "site.yaml", "site.schema.json")
for folder in ["crte", "departements", "ingenierie", "cot"]:
    for path in sorted((content / folder).glob("*.yaml")):
        errors += [f"{path.name}: {e}" for e in check(path, f"{folder}.schema.json")]
        n += 1
print("records", n)
print("\n".join(errors))
print("typo", check(typo, "crte.schema.json"))
"#;
    let run = Command::new("python3")
        .args(["-c", script])
        .arg(example_root().join("content"))
        .arg(&schemas)
        .arg(&typo)
        .output()
        .expect(
            "python3 with jsonschema and PyYAML (frictionless brings them): run scripts/test.sh",
        );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("records 11"));
    assert_eq!(lines.next(), Some(""), "invalid records:\n{stdout}");
    assert!(
        stdout.contains(
            "typo [\"Additional properties are not allowed ('sigantaires' was unexpected)\"]"
        ),
        "{stdout}"
    );
}

/// The data page says of each dataset how many rows it has, when it was updated and under
/// which licence, links the data package and the DCAT catalogue, and describes its datasets
/// for search engines (schema.org `Dataset`).
#[test]
fn the_data_page_describes_every_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let page = fs::read_to_string(out.join("donnees/index.html")).unwrap();
    let text = html_text(&page);
    assert!(text.contains("2 lignes dans le tableau principal · mis à jour le 14 novembre 2023 · Licence Ouverte 2.0"), "{text}");
    assert!(page.contains(r#"href="datapackage.json" download>"#));
    assert!(page.contains(r#"href="catalogue.jsonld" download>"#));
    let start = page.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let datasets: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    let crte = datasets
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Contrats de relance et de transition écologique (CRTE)")
        .expect("the CRTE dataset");
    assert_eq!(crte["@type"], "Dataset");
    assert_eq!(crte["dateModified"], "2023-11-14");
    assert!(
        crte["distribution"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["contentUrl"]
                == "https://agence-cohesion-territoires.gouv.fr/territoires/donnees/crte.csv")
    );
}

/// A build killed at any moment leaves `output/` whole: the previous site or the new one,
/// never none, never a mix (the staging folder is exchanged with the output in one step).
/// 50 kills at pseudo-random moments through builds of 211 records, alternating two contents.
#[test]
fn a_killed_build_leaves_the_previous_or_the_new_site() {
    const KILLS: u64 = 50;
    let grow = |site: &Site| {
        let crte = fs::read_to_string(example_root().join("content/crte/audomarois.yaml")).unwrap();
        for i in 0..200 {
            site.write(&format!("content/crte/crte-{i:03}.yaml"), &crte);
        }
    };
    let (a, b) = (Site::example_copy(), Site::example_copy());
    grow(&a);
    grow(&b);
    let version_b = |site: &Site| {
        site.edit(
            "content/crte/audomarois.yaml",
            "nom_structure_porteuse: Pôle métropolitain Audomarois",
            "nom_structure_porteuse: Pôle métropolitain de l'Audomarois",
        )
    };
    version_b(&b);
    let timed = |site: &Site| {
        let started = std::time::Instant::now();
        assert_eq!(site.build().code, 0);
        started.elapsed().as_millis() as u64
    };
    timed(&b);
    let mut duration = timed(&a);
    let (snap_a, snap_b) = (snapshot(&a.output()), snapshot(&b.output()));
    assert_ne!(snap_a, snap_b);

    // `a` is built over and over, its content switched between the two versions.
    let mut seed: u64 = 0x5eed;
    let mut outcomes = [0; 3];
    for kill in 0..KILLS {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // Up to twice a whole build, as long as it takes now (the machine may be busy): kills
        // before, during and after the swap.
        if kill % 10 == 9 {
            duration = timed(&a);
        }
        let delay = (seed >> 33) % (duration * 2).max(1);
        let text = fs::read_to_string(a.path().join("content/crte/audomarois.yaml")).unwrap();
        if text.contains("de l'Audomarois") {
            a.edit(
                "content/crte/audomarois.yaml",
                "de l'Audomarois",
                "Audomarois",
            );
        } else {
            version_b(&a);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_territoires"))
            .args(["build", "--quiet", "--root"])
            .arg(a.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        child.wait().unwrap();
        let now = snapshot(&a.output());
        assert!(!now.is_empty(), "kill {kill} after {delay} ms: no output");
        let which = if now == snap_a {
            0
        } else if now == snap_b {
            1
        } else {
            panic!("kill {kill} after {delay} ms: the output is neither site, whole");
        };
        outcomes[which] += 1;
        outcomes[2] += usize::from(finished);
    }
    // Some kills came before the swap, some after: both paths were taken.
    assert!(outcomes[2] < KILLS as usize, "{outcomes:?}");
    assert!(outcomes[2] > 0, "{outcomes:?}");
    // The next build is not blocked by what a killed one left.
    assert_eq!(a.build().code, 0);
    assert!(!a.path().join(".output.en-cours").exists());
}

/// A previous site that cannot be emptied (a folder of it not writable) is refused before
/// anything is built or swapped; once writable again, the next build goes through.
#[test]
fn an_output_that_cannot_be_replaced_is_refused_before_anything() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::scratch().example_file("content/crte/audomarois.yaml");
    // Permissions do not bind root: the builds run as `nobody` when the tests run as root.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(site.path())
            .status()
            .unwrap();
        assert!(status.success());
        fs::set_permissions(site.path(), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let build = || {
        let mut command = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
            c.arg(env!("CARGO_BIN_EXE_territoires"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_territoires"))
        };
        command
            .args(["build", "--quiet", "--root"])
            .arg(site.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap()
    };
    assert!(build().status.success());
    let before = snapshot(&site.output());
    let crte = site.output().join("crte");
    fs::set_permissions(&crte, fs::Permissions::from_mode(0o555)).unwrap();
    site.edit(
        "content/crte/audomarois.yaml",
        "Pôle métropolitain Audomarois",
        "Pôle",
    );
    let refused = build();
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        format!(
            "erreur: le dossier `{}` n'est pas modifiable (permission refusée) : rien n'a été construit ni remplacé\n",
            crte.display()
        )
    );
    assert!(
        snapshot(&site.output()) == before,
        "the previous site is untouched"
    );
    fs::set_permissions(&crte, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(build().status.success());
    assert!(snapshot(&site.output()) != before);
}

/// Two builds into the same output at once: the second refuses with a clear message, the
/// first publishes a whole site.
#[test]
fn two_builds_at_once_never_mix() {
    let site = Site::example_copy();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_territoires"))
            .args(["build", "--quiet", "--root"])
            .arg(site.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let codes = [a.status.code().unwrap(), b.status.code().unwrap()];
    assert!(codes.contains(&0), "{codes:?}");
    for run in [&a, &b] {
        if run.status.code() != Some(0) {
            assert_eq!(run.status.code(), Some(2));
            assert!(
                String::from_utf8_lossy(&run.stderr)
                    .contains("une autre construction écrit déjà dans")
            );
        }
    }
    let reference = Site::example_copy();
    assert_eq!(reference.build().code, 0);
    assert!(
        snapshot(&site.output()) == snapshot(&reference.output()),
        "the published site is whole"
    );
}
