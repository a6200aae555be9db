//! The local ingénierie catalogue (seed 002): the actors' records, their checks (phone numbers
//! and e-mails on their lines, the seven ingénierie types) and the datasets.

use std::fs;

use crate::support::*;

#[test]
fn ddtm_50_dataset_rows_carry_the_seed_fiche() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let read = |file: &str| read_csv(&out.join("donnees").join(file));
    let (headers, rows) = read("ingenierie.csv");
    assert_eq!(
        rows.len(),
        6,
        "the DDTM 50 and five more actors of seed 002"
    );
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap().clone();
    let col =
        |r: &Vec<String>, name: &str| r[headers.iter().position(|h| h == name).unwrap()].clone();
    let ddtm = row("ddtm-50");
    assert_eq!(col(&ddtm, "sigle"), "DDTM 50");
    assert_eq!(col(&ddtm, "categorie"), "État");
    assert!(
        col(&ddtm, "domaines").starts_with("Aménagement du territoire | Logement | Agriculture")
    );
    assert!(col(&ddtm, "ingenierie_amont").starts_with("Aide à la définition des besoins"));
    assert_eq!(col(&ddtm, "ingenierie_fonciere"), "", "not offered: empty");
    assert_eq!(col(&ddtm, "nombre_sites"), "4");
    // Offered without a description is not the same as not offered.
    let cerema = row("cerema");
    assert_eq!(col(&cerema, "ingenierie_amont"), "oui");
    assert_eq!(col(&cerema, "ingenierie_projet"), "");
    let epf = row("epf-normandie-petites-centralites");
    assert_eq!(col(&epf, "prise_en_charge"), "95");
    assert_eq!(col(&epf, "plafond_reste_a_charge"), "1400");

    let (_, contacts) = read("ingenierie-contacts.csv");
    let ddtm_sites: Vec<&Vec<String>> = contacts.iter().filter(|r| r[0] == "ddtm-50").collect();
    assert_eq!(ddtm_sites.len(), 4, "all four sites of the contact block");
    assert_eq!(
        *ddtm_sites[1],
        [
            "ddtm-50",
            "2",
            "Délégation Territoriale Nord",
            "Place Bruat | CS 60838 | 50108 CHERBOURG en Cotentin cedex",
            "02 50 79 15 00",
            "",
            "ddtm-dt-nord@manche.gouv.fr",
            ""
        ],
        "the seed's `02.50.7915.00` is normalised"
    );
    assert_eq!(ddtm_sites[3][4], "02 33 89 21 70");
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(out.join("donnees/ingenierie/ddtm-50.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["contacts"][0]["fax"], "02 33 06 39 09");
}

/// Where the tests write the actor they check.
const ACTEUR: &str = "content/ingenierie/acteur.yaml";

#[test]
fn bad_phone_and_bad_email_are_reported_on_their_lines() {
    let run = Site::scratch()
        .file(
            ACTEUR,
            "departement: \"50\"\nnom: DDTM 50\ncategorie: État\ncontacts:\n  - nom: Saint-Lô\n    telephone: 0X.XX.XX.XX.XX\n    email: ddtm@manche\n  - nom: Nord\n    fax: 02 33 06 39\n",
        )
        .check();
    let out = &run.stderr;
    assert_eq!(run.code, 1, "{out}");
    assert!(
        out.contains(
            "erreur: numéro de téléphone invalide `0X.XX.XX.XX.XX` (1 chiffre)
  ——▶ content/ingenierie/acteur.yaml:6:16
  |
6 |     telephone: 0X.XX.XX.XX.XX
  |                ^^^^^^^^^^^^^^
  = champ : contacts[0].telephone
  = aide : un numéro français a 10 chiffres, par exemple `02 33 06 39 00` ou `+33 2 33 06 39 00`
"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "erreur: adresse e-mail invalide `ddtm@manche`
  ——▶ content/ingenierie/acteur.yaml:7:12
  |
7 |     email: ddtm@manche
  |            ^^^^^^^^^^^
  = champ : contacts[0].email
"
        ),
        "{out}"
    );
    assert!(out.contains("erreur: numéro de téléphone invalide `02 33 06 39` (8 chiffres)\n  ——▶ content/ingenierie/acteur.yaml:9:10\n"), "{out}");
}

#[test]
fn unknown_ingenierie_type_and_category_are_errors_with_hints() {
    let run = Site::scratch()
        .file(
            ACTEUR,
            "departement: \"50\"\nnom: X\ncategorie: Fondation\ninterventions:\n  fonciere:\n  foncier: x\n",
        )
        .check();
    let out = &run.stderr;
    assert_eq!(run.code, 1, "{out}");
    assert!(
        out.contains(
            "erreur: terme inconnu `Fondation`\n  ——▶ content/ingenierie/acteur.yaml:3:12\n"
        ),
        "{out}"
    );
    assert!(out.contains("erreur: type d'ingénierie inconnu `foncier`\n  ——▶ content/ingenierie/acteur.yaml:6:12\n"), "{out}");
    assert!(
        out.contains("= aide : vouliez-vous dire `fonciere` ?"),
        "{out}"
    );
}

#[test]
fn ddtm_50_page_and_pdf_in_the_prefecture_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let page = fs::read_to_string(out.join("ingenierie/ddtm-50/index.html")).unwrap();
    let text = html_text(&page).replace('’', "'");
    for fact in [
        "Direction Départementale des Territoires et de la Mer de la Manche",
        "Mer et littoral",
        "structure déconcentrée de l'État",
        "Ingénierie réglementaire et juridique",
        "Délégation Territoriale Sud",
        "02 33 89 21 70",
        "ddtm-dt-centre@manche.gouv.fr",
    ] {
        assert!(text.contains(fact), "actor page lacks `{fact}`");
    }
    assert!(
        page.contains("href=\"tel:+33250791500\""),
        "phone links use the normalised number"
    );
    assert!(
        !text.contains("Ingénierie foncière"),
        "a type the DDTM does not offer is not shown"
    );

    let catalogue = html_text(&fs::read_to_string(out.join("ingenierie/index.html")).unwrap());
    assert!(
        catalogue.contains("ingenierie@manche.gouv.fr"),
        "the single entry point is on the catalogue page"
    );
    for actor in [
        "DDTM 50",
        "Cerema",
        "Ingénierie Départementale Manche",
        "Villages d'avenir",
        "Petites centralités",
    ] {
        assert!(catalogue.contains(actor), "catalogue lacks `{actor}`");
    }

    let pdf = pdf_text(&out.join("ingenierie/ddtm-50.pdf"));
    for fact in [
        "PRÉFET",
        "DE LA MANCHE",
        "Ingénierie locale de la Manche",
        "Domaines de compétences",
        "AMÉNAGEMENT DU TERRITOIRE",
        "Présentation",
        "Interventions",
        "Modalités d'intervention",
        "Contact",
        "02 33 06 39 00",
        "02 33 06 39 09",
        "02 50 79 15 00",
        "02 33 89 21 70",
        "ddtm-dt-nord@manche.gouv.fr",
        "ddtm-dt-sud@manche.gouv.fr",
    ] {
        assert!(
            pdf.contains(fact) || pdf.contains(&fact.replace('\'', "’")),
            "actor PDF lacks `{fact}`:\n{pdf}"
        );
    }
    let all = pdf_text(&out.join("ingenierie/catalogue.pdf"));
    for actor in [
        "Direction Départementale des Territoires",
        "Cerema",
        "Villages d’avenir",
        "ingenierie@manche.gouv.fr",
    ] {
        assert!(
            all.contains(actor) || all.contains(&actor.replace('’', "'")),
            "catalogue PDF lacks `{actor}`"
        );
    }
}

#[test]
fn catalogue_filters_work_in_chromium_and_the_list_stands_without_javascript() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let harness = example_root().join("tests/browser");
    assert!(
        harness.join("node_modules/playwright-core").is_dir(),
        "tests/browser/node_modules is missing: run scripts/test.sh"
    );
    // Expected cards are facts of content/ingenierie/: only the EPF offers foncière
    // ingénierie; the DDTM and the IDM network work on the littoral.
    let run = std::process::Command::new("node")
        .arg(harness.join("filtres.mjs"))
        .arg(&out)
        .args(["--base-path", "/territoires/"])
        .args([
            "--expect-type",
            "fonciere=epf-normandie-petites-centralites",
        ])
        .args(["--expect-search", "littoral=ddtm-50,idm-departement-manche"])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "filter checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[test]
fn an_actor_logo_is_on_its_page_and_in_its_pdf() {
    let ddtm = fs::read_to_string(example_root().join("content/ingenierie/ddtm-50.yaml")).unwrap();
    let site = Site::scratch()
        .file(
            "content/ingenierie/logos/ddtm.svg",
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#000091"/></svg>"##,
        )
        .file(
            "content/ingenierie/ddtm-50.yaml",
            format!("{ddtm}logo: logos/ddtm.svg\nlogo_alt: Logo de la DDTM de la Manche\n"),
        );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("fichier ignoré"),
        "the logos folder is not a stray file:\n{}",
        run.stderr
    );
    let out = site.output();
    assert!(out.join("ingenierie/ddtm-50/logo.svg").is_file());
    let page = fs::read_to_string(out.join("ingenierie/ddtm-50/index.html")).unwrap();
    assert!(
        page.contains(
            r#"src="../../ingenierie/ddtm-50/logo.svg" alt="Logo de la DDTM de la Manche""#
        ),
        "{page}"
    );
    // The PDF carries the logo as a tagged figure with its text alternative.
    let pdf = fs::read(out.join("ingenierie/ddtm-50.pdf")).unwrap();
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"/Figure") && has(b"/Alt(Logo de la DDTM de la Manche)"),
        "the logo is a tagged figure in the PDF"
    );
    assert!(pdf_text(&out.join("ingenierie/catalogue.pdf")).contains("DDTM 50"));
}

#[test]
fn a_logo_outside_the_folder_or_missing_is_an_error() {
    let run = Site::scratch()
        .file(
            ACTEUR,
            "departement: \"50\"\nnom: X\ncategorie: État\nlogo: ../../../etc/passwd.png\n",
        )
        .check();
    let out = &run.stderr;
    assert_eq!(run.code, 1);
    assert!(out.contains("erreur: logo `../../../etc/passwd.png` : le chemin doit rester dans le dossier de la fiche\n  ——▶ content/ingenierie/acteur.yaml:4:7\n"), "{out}");
    let run = Site::scratch()
        .file(
            ACTEUR,
            "departement: \"50\"\nnom: X\ncategorie: État\nlogo: absent.png\n",
        )
        .check();
    let out = &run.stderr;
    assert_eq!(run.code, 1);
    assert!(
        out.contains("erreur: logo `absent.png` introuvable\n"),
        "{out}"
    );
}
