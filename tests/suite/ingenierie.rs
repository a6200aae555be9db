//! The local ingénierie catalogue (seed 002): the actors' records, their checks (phone numbers
//! and e-mails on their lines, the seven ingénierie types, the offers' dates, amounts and
//! rates), the catalogue's own facts (CLCT meeting, priorities, measures, State services,
//! Aides-territoires), the pages, the PDFs (markdown kept as lists and bold, record text never
//! typst markup, actors grouped by category) and the datasets.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::*;

#[test]
fn ddtm_50_dataset_rows_carry_the_seed_fiche() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let read = |file: &str| read_csv(&out.join("donnees").join(file));
    let (headers, rows) = read("ingenierie.csv");
    assert_eq!(rows.len(), 7, "the DDTM 50 and six more actors of seed 002");
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
    // The first eight columns, as they have always been (new ones go at the end).
    assert_eq!(
        ddtm_sites[1][..8],
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
    assert_eq!(json["fiche"]["contacts"][0]["fax"], "02 33 06 39 09");
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
    assert!(out.contains("erreur: type d'ingénierie inconnu `foncier`\n  ——▶ content/ingenierie/acteur.yaml:6:3\n"), "{out}");
    assert!(
        out.contains("= aide : vouliez-vous dire `fonciere` ?"),
        "{out}"
    );
}

/// Published by the Manche prefecture, the seed's author, an actor's fiche is the seed's
/// template: « PRÉFET / DE LA MANCHE », the catalogue's title, the ANCT.
#[test]
fn ddtm_50_page_and_pdf_in_the_prefecture_template() {
    let site = Site::example_copy();
    site.edit(
        "content/site.yaml",
        "  nom: Agence nationale de la cohésion des territoires\n",
        "  nom: Préfecture de la Manche\n  departement: \"50\"\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.output();
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

/// The PDF as poppler's XML: each run of text with `<b>` when its font is bold.
fn pdf_xml(pdf: &Path) -> String {
    let out = Command::new("pdftohtml")
        .args(["-xml", "-stdout", "-i", "-q"])
        .arg(pdf)
        .output()
        .expect("pdftohtml is installed (poppler-utils): run scripts/test.sh");
    assert!(
        out.status.success(),
        "pdftohtml failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
}

/// The text with typographic apostrophes made straight, to compare with the seed's text.
fn droit(text: &str) -> String {
    text.replace('’', "'")
}

/// A page's text (see `html_text`), its `&nbsp;` as spaces, straight apostrophes.
fn page_text(page: &Path) -> String {
    droit(&html_text(&fs::read_to_string(page).unwrap()).replace("&nbsp;", " "))
}

/// A PDF's text as one line: straight apostrophes, single spaces (lines joined).
fn pdf_flat(pdf: &Path) -> String {
    droit(&pdf_text(pdf))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` has every `facts`, in this order.
fn in_order(text: &str, facts: &[&str], what: &str) {
    let mut from = 0;
    for fact in facts {
        match text[from..].find(fact) {
            Some(i) => from += i + fact.len(),
            None => panic!("{what}: `{fact}` missing or out of order:\n{text}"),
        }
    }
}

/// The size the pages print for a file: `194,2 Ko`.
fn ko(path: &Path) -> String {
    territoires::view::format::taille(fs::metadata(path).unwrap().len())
}

#[test]
fn catalogue_page_offers_its_pdf_and_tables_with_their_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let page = fs::read_to_string(out.join("ingenierie/index.html")).unwrap();
    assert!(
        page.contains(r#"<a class="fr-link fr-link--download" href="../ingenierie/catalogue.pdf" download>Télécharger le catalogue imprimable, toutes les fiches acteurs <span class="fr-link__detail">PDF – "#),
        "{page}"
    );
    let text = html_text(&page);
    assert!(
        text.contains(&format!(
            "toutes les fiches acteurs PDF – {}",
            ko(&out.join("ingenierie/catalogue.pdf"))
        )),
        "the catalogue PDF's size:\n{text}"
    );
    for (table, titre) in [
        ("ingenierie.csv", "Acteurs de l'ingénierie locale"),
        (
            "ingenierie-contacts.csv",
            "Sites de contact des acteurs de l'ingénierie locale",
        ),
        (
            "ingenierie-offres.csv",
            "Offres des acteurs de l'ingénierie locale",
        ),
    ] {
        assert!(
            page.contains(&format!(r#"href="../donnees/{table}" download>"#)),
            "no link to {table}"
        );
        let size = ko(&out.join("donnees").join(table));
        assert!(
            text.contains(&format!("« {titre} » CSV – {size}")),
            "{table}: {size}\n{text}"
        );
    }
    assert!(page.contains(r#"href="../donnees/ingenierie.json" download>"#));

    // The neutral theme: a plain link, with its size too.
    let site = Site::example_copy();
    site.edit("content/site.yaml", "theme: dsfr", "theme: neutre");
    site.edit("content/site.yaml", "type: etat", "type: collectivite");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let neutre = fs::read_to_string(site.output().join("ingenierie/index.html")).unwrap();
    let size = ko(&site.output().join("ingenierie/catalogue.pdf"));
    assert!(
        neutre.contains(&format!(r#"<a class="telechargement" href="../ingenierie/catalogue.pdf" download>Télécharger le catalogue imprimable, toutes les fiches acteurs <span class="telechargement__detail">PDF – {size}</span></a>"#)),
        "{neutre}"
    );
}

#[test]
fn catalogue_page_and_pdf_carry_the_clct_facts_of_seed_002() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let page = page_text(&out.join("ingenierie/index.html"));
    let pdf = pdf_flat(&out.join("ingenierie/catalogue.pdf"));
    let enjeux = [
        "l'amélioration de l'habitat et la diminution de la consommation d'énergie",
        "les mobilités",
        "la recomposition du littoral et son adaptation au changement climatique",
        "la revitalisation des centres des villes moyennes et des petites villes exerçant des fonctions de centralité",
        "la structuration des territoires (atténuation de la consommation d'espaces, attractivité des centres bourgs)",
        "la santé",
        "la revitalisation commerciale, artisanale et immobilière",
        "Source : atelier CLCT, septembre 2020",
    ];
    let mut page_enjeux = vec!["Les enjeux prioritaires locaux de l'ANCT"];
    page_enjeux.extend(enjeux);
    in_order(&page, &page_enjeux, "catalogue page");
    let services = [
        "L'accompagnement par les services de l'État",
        "Les programmes d'appui",
        "ACV, PVD, QPV, territoires d'industrie",
        "L'ingénierie amont",
        "ANCT, Cerema, Ademe, Préfecture et sous-préfectures, DDTM",
        "Les chefs de projets",
        "Volontaires territoriaux en administration, Villages d'Avenir",
        "La stratégie territoriale",
        "Ateliers des territoires, ANCT, CRTE",
        "Le portage économique et foncier",
        "Banque des territoires, EPFN",
        "Les subventions",
        "DETR, DSIL, fonds vert, FNADT, dispositifs dédiés",
    ];
    in_order(&page, &services, "catalogue page");
    assert!(
        page.contains("Les offres des services de l'État, par rubrique Rubrique Dispositifs"),
        "the State services' table has its caption and headers"
    );
    let possibilites = [
        "Possibilités d'accompagnement en ingénierie",
        "Mesure ingénierie du fonds vert",
        "Financement de chefs de projet ou de prestations pour l'animation et la planification écologique.",
        "Enveloppe Déconcentrée",
        "Lots régionaux du marché ANCT",
        "Enveloppe Déconcentrée de 150 000 € par département",
        "Activation du sur-mesure via le CMT",
        "Accès aux lots nationaux du marché d'ingénierie. Interventions du Cerema.",
        "Enveloppe Nationale",
    ];
    in_order(&page, &possibilites, "catalogue page");
    in_order(
        &page,
        &[
            "La plateforme Aides-territoires",
            "Plateforme de recensement de l'ensemble des aides proposées par l'État, ses opérateurs, les collectivités locales, les associations, certaines entreprises.",
            "aides-territoires.beta.gouv.fr",
            "Recherche par mot-clés et par thématique",
            "Possibilité de sauvegarder, partager, accéder rapidement aux aides qui correspondent à ses besoins",
            "Gestion d'alertes personnalisées pour rester informé des nouveaux dispositifs d'appui disponibles",
            "Comité local de cohésion territoriale de la Manche",
            "Réunion du 12 mars 2024",
            "Objet Présentation de l'offre d'ingénierie",
            "Intervenant Alain Deschamps, chargé de mission territorial Normandie (ANCT)",
        ],
        "catalogue page",
    );
    assert!(
        page.contains("Présentation de l'offre d'ingénierie : Comité local de cohésion territoriale de la Manche (CLCT), réunion du 12 mars 2024."),
        "the meeting under the title:\n{page}"
    );

    // The same facts in the catalogue PDF, before the actors.
    in_order(
        &pdf,
        &["Sommaire", "Présentation de l'offre d'ingénierie"],
        "catalogue PDF",
    );
    // The presentation's heading, directly followed by its first rubrique.
    let debut = pdf
        .find("Présentation de l'offre d'ingénierie Les enjeux prioritaires")
        .unwrap_or_else(|| panic!("no presentation of the offer:\n{pdf}"));
    let pdf = &pdf[debut..];
    let mut facts = vec!["Les enjeux prioritaires locaux de l'ANCT"];
    facts.extend(enjeux);
    facts.extend([
        "Mesure ingénierie du fonds vert",
        "Enveloppe : Déconcentrée",
        "Enveloppe : Déconcentrée de 150 000 € par département",
        "Activation du sur-mesure via le CMT",
        "Enveloppe : Nationale",
        "L'accompagnement par les services de l'État",
        "Les subventions",
        "La plateforme Aides-territoires",
        "aides-territoires.beta.gouv.fr",
        "Gestion d'alertes personnalisées",
        "Réunion du : 12 mars 2024",
        "Intervenant : Alain Deschamps, chargé de mission territorial Normandie (ANCT)",
        // …and only then the first category of actors.
        "Établissement public administratif (EPA)",
    ]);
    in_order(pdf, &facts, "catalogue PDF");
    assert!(
        pdf.contains("DETR, DSIL, fonds vert, FNADT, dispositifs"),
        "{pdf}"
    );
}

#[test]
fn the_pvd_partnership_is_an_offer_of_the_departement_on_its_page_pdf_and_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let facts = [
        "Petites villes de demain : partenariat Banque des Territoires / Département pour le financement d'études",
        "le Département de la Manche devient le relais de proximité de la BDT",
        "Petites Villes de Demain 2020-2026",
        "études stratégiques",
        "études pré-opérationnelles",
        "études ciblées sur le montage juridico-financier des projets",
        "19 février 2021",
        "Banque des Territoires",
        "Communes et/ou EPCI lauréats PVD",
        "85 000 € par EPCI lauréat",
        "10 à 50 % du coût TTC de la prestation (sous réserve du respect de l'enveloppe EPCI)",
    ];
    let page = page_text(&out.join("ingenierie/idm-departement-manche/index.html"));
    in_order(&page, &facts, "IDM page");
    assert!(
        page.contains("Convention signée le 19 février 2021"),
        "{page}"
    );
    // The catalogue page lists the offer with its actor.
    let catalogue = page_text(&out.join("ingenierie/index.html"));
    assert!(
        catalogue
            .contains("Offres d'accompagnement des acteurs du catalogue Offre Acteur Précisions"),
        "{catalogue}"
    );
    in_order(
        &catalogue,
        &[
            "Petites villes de demain : partenariat Banque des Territoires / Département pour le financement d'études",
            "Ingénierie Départementale Manche (IDM)",
            "Convention signée le : 19 février 2021 ; Partenaires : Banque des Territoires ; Bénéficiaires : Communes et/ou EPCI lauréats PVD (maîtres d'ouvrage) ; Financement : 85 000 € par EPCI lauréat ; Taux : 10 à 50 % du coût TTC de la prestation (sous réserve du respect de l'enveloppe EPCI)",
        ],
        "catalogue page",
    );
    let pdf = pdf_flat(&out.join("ingenierie/idm-departement-manche.pdf"));
    in_order(&pdf, &facts, "IDM PDF");
    assert!(pdf.contains("Taux : 10 à 50 %"), "{pdf}");
    assert!(
        pdf.contains("Financement : 85 000 € par EPCI lauréat"),
        "{pdf}"
    );

    let (headers, rows) = read_csv(&out.join("donnees/ingenierie-offres.csv"));
    let pvd = rows
        .iter()
        .find(|r| r[0] == "idm-departement-manche")
        .expect("the PVD offer has its row");
    let col = |name: &str| pvd[headers.iter().position(|h| h == name).unwrap()].as_str();
    assert_eq!(col("rang"), "1");
    assert_eq!(col("date_convention"), "2021-02-19");
    assert_eq!(col("partenaires"), "Banque des Territoires");
    assert_eq!(col("financement_montant"), "85000");
    assert_eq!(col("financement_par"), "EPCI lauréat");
    assert_eq!((col("taux_min"), col("taux_max")), ("10", "50"));
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(out.join("donnees/ingenierie/idm-departement-manche.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["fiche"]["offres"][0]["financement"]["montant"],
        85000.0
    );
    assert_eq!(json["fiche"]["offres"][0]["date_convention"], "2021-02-19");
}

#[test]
fn the_anct_national_offer_and_the_villages_d_avenir_examples_are_published() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let offres = [
        "Accompagnement au cadrage et au montage de projet/opération",
        "Lots thématiques",
        "développement économique et commercial ;",
        "développement d'une offre culturelle et de loisirs et le tourisme ;",
        "accès aux équipements et aux services publics de santé ;",
        "accès au numérique ;",
        "transition écologique et biodiversité ;",
        "transition énergétique des bâtiments ;",
        "accessibilité, mobilité et connexions ;",
        "implantation de grands projets stratégiques étrangers à fort potentiel de création d'emplois.",
        "Appui au potentiel touristique des territoires",
        "Depuis juillet 2022",
        "Prestations d'études juridiques et foncières d'espaces commerciaux et artisanaux",
        "Depuis septembre 2022",
        "Appui à la préfiguration de tiers-lieu",
        "Depuis septembre 2023",
    ];
    let page = page_text(&out.join("ingenierie/anct-sur-mesure/index.html"));
    in_order(&page, &offres, "ANCT page");
    let pdf = pdf_flat(&out.join("ingenierie/anct-sur-mesure.pdf"));
    let pdf_offres: Vec<String> = offres
        .iter()
        .map(|o| o.replace("Depuis ", "Depuis : "))
        .collect();
    in_order(
        &pdf,
        &pdf_offres.iter().map(String::as_str).collect::<Vec<_>>(),
        "ANCT PDF",
    );

    let exemples = [
        "Premières rencontres en mars",
        "Exemples de projets",
        "Réaménagement de centre-bourg",
        "Réhabilitation de bâtiments communaux",
        "Services et commerces de proximité",
        "Mobilité",
        "Habitat / logement (construction / rénovation)",
        "Construction d'équipements publics",
        "Engagement citoyen / participation des habitants",
        "Valorisation et rénovation de patrimoine",
        "Tourisme durable",
        "Développement des circuits courts",
    ];
    let page = page_text(&out.join("ingenierie/villages-d-avenir/index.html"));
    in_order(&page, &exemples, "Villages d'avenir page");
    assert!(page.contains("Les 37 communes lauréates du département de la Manche"));
    let pdf = pdf_flat(&out.join("ingenierie/villages-d-avenir.pdf"));
    in_order(&pdf, &exemples, "Villages d'avenir PDF");
}

#[test]
fn the_catalogue_pdf_groups_actors_under_their_category_in_the_seed_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let pdf = droit(&pdf_text(&out.join("ingenierie/catalogue.pdf")));
    // A category heading is a line of its own (the sommaire adds dots and a page number, a
    // fiche says « Catégorie : … »).
    let labels = [
        "Associations loi 1901",
        "Établissement public administratif (EPA)",
        "Établissement public industriel et commercial (EPIC)",
        "Collectivités territoriales & EPCI",
        "Autres",
        "Syndicat mixte",
        "État",
    ];
    let headings: Vec<&str> = pdf
        .lines()
        .map(str::trim)
        .filter(|l| labels.contains(l))
        .collect();
    assert_eq!(
        headings,
        [
            "Établissement public administratif (EPA)",
            "Établissement public industriel et commercial (EPIC)",
            "Collectivités territoriales & EPCI",
            "État",
        ],
        "the seed's order, categories without actors left out"
    );
    // Each actor after its category's heading, before the next one.
    let at = |s: &str| pdf.find(s).unwrap_or_else(|| panic!("`{s}` missing"));
    let heading = |s: &str| {
        let mut debut = 0;
        for line in pdf.split_inclusive('\n') {
            if line.trim() == s {
                return debut;
            }
            debut += line.len();
        }
        panic!("no heading `{s}`")
    };
    let (epa, epic, coll, etat) = (
        heading(labels[1]),
        heading(labels[2]),
        heading(labels[3]),
        heading(labels[6]),
    );
    let body = |s: &str| pdf[epa..].find(s).map(|i| i + epa).unwrap();
    assert!(epa < body("Centre d'études et d'expertise") && body("Centre d'études") < epic);
    assert!(
        epic < body("Établissement Public Foncier de Normandie")
            && body("Établissement Public Foncier") < coll
    );
    assert!(
        coll < body("Ingénierie Départementale Manche (IDM)")
            && body("Ingénierie Départementale Manche (IDM)") < etat
    );
    assert!(etat < body("Direction Départementale des Territoires"));
    assert!(at("Sommaire") < epa);
    // The sommaire lists the categories, each with its actors.
    in_order(
        &pdf,
        &[
            "Sommaire",
            "Établissement public administratif (EPA) .",
            "Établissement public industriel et commercial (EPIC) .",
            "Collectivités territoriales & EPCI .",
            "État .",
        ],
        "sommaire",
    );
}

#[test]
fn markdown_keeps_its_lists_and_bold_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let pdf = pdf_flat(&out.join("ingenierie/anct-lots-regionaux.pdf"));
    // A bulleted item starting with its bold words, then the numbered steps of the modalités.
    in_order(
        &pdf,
        &[
            "Présentation",
            "Trois lots « régionaux » du marché d'ingénierie de l'ANCT sont déconcentrés",
            "• Lot 1 — Diagnostics territoriaux et définition des enjeux et orientations stratégiques : analyse",
            "• Lot 2 — Association des habitants au projet, concertation",
            "• Lot 3 — Accompagner le pilotage",
            "Modalités d'intervention",
            "Étapes :",
            "1. sollicitation du Préfet de Département par la collectivité ;",
            "5. réunion de cadrage.",
        ],
        "lots régionaux PDF",
    );
    let xml = pdf_xml(&out.join("ingenierie/anct-lots-regionaux.pdf"));
    assert!(
        xml.contains("<b>Lot 1 — Diagnostics territoriaux et définition des enjeux et orientations stratégiques</b>"),
        "the bold span is bold:\n{xml}"
    );
    assert!(
        !xml.contains("<b> : analyse"),
        "the text after the bold span is not bold"
    );
    // The same text on the page.
    let page = fs::read_to_string(out.join("ingenierie/anct-lots-regionaux/index.html")).unwrap();
    assert!(
        page.contains("<li><strong>Lot 1 — Diagnostics territoriaux"),
        "{page}"
    );
}

#[test]
fn record_text_is_printed_as_written_never_read_as_typst_markup() {
    let site = Site::scratch().file(
        ACTEUR,
        concat!(
            "departement: \"50\"\n",
            "nom: \"Acteur #set [x] $y$ *z* ]\"\n",
            "categorie: État\n",
            "presentation: |\n",
            "  Budget : #set text(fill: red) et $x^2$ [lien] \\*pas en italique\\* #pagebreak()\n",
            "  \n",
            "  - **gras #emph[z]** puis `#raw`\n",
            "interventions:\n",
            "  amont: \"Diagnostic #strong[x] ]\"\n",
            "offres:\n",
            "  - nom: \"Offre #(1 + 1) $a$\"\n",
            "    exemples: [\"#lorem(3)\"]\n",
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for fiche in ["ingenierie/acteur.pdf", "ingenierie/catalogue.pdf"] {
        let pdf = pdf_flat(&site.output().join(fiche));
        for written in [
            "Acteur #set [x] $y$ *z* ]",
            "Budget : #set text(fill: red) et $x^2$ [lien] *pas en italique* #pagebreak()",
            "gras #emph[z] puis #raw",
            "Diagnostic #strong[x] ]",
            "Offre #(1 + 1) $a$",
            "#lorem(3)",
        ] {
            assert!(
                pdf.contains(written),
                "{fiche}: `{written}` not printed as written:\n{pdf}"
            );
        }
    }
}

#[test]
fn an_actor_without_contact_points_to_the_single_entry_point() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let phrase = "Cet acteur n'a pas de contact propre dans le catalogue. Pour faciliter l'accès à l'ingénierie, une adresse unique : ingenierie@manche.gouv.fr";
    let page = fs::read_to_string(out.join("ingenierie/cerema/index.html")).unwrap();
    let text = page_text(&out.join("ingenierie/cerema/index.html"));
    assert!(text.contains(&format!("Contact {phrase}")), "{text}");
    assert!(page.contains(
        r#"<a href="mailto:ingenierie@manche.gouv.fr">ingenierie@manche.gouv.fr</a></p>"#
    ));
    let pdf = pdf_flat(&out.join("ingenierie/cerema.pdf"));
    assert!(pdf.contains(&format!("Contact {phrase}")), "{pdf}");
    // An actor with its own sites lists them, not the single entry point.
    let ddtm = html_text(&fs::read_to_string(out.join("ingenierie/ddtm-50/index.html")).unwrap());
    assert!(!droit(&ddtm).contains("pas de contact propre"));
}

#[test]
fn bad_offer_values_are_reported_on_their_lines_with_their_field() {
    let run = Site::scratch()
        .file(
            ACTEUR,
            "departement: \"50\"\nnom: X\ncategorie: État\noffres:\n  - nom: PVD\n    depuis: 2022-13\n    date_convention: 19/02/2021\n    financement:\n      montant: -5\n      taux_max: 150\n  - description: sans nom\n    financement:\n      taux_min: 60\n      taux_max: 50\n",
        )
        .check();
    let out = &run.diagnostics;
    assert_eq!(run.code, 1, "{out}");
    assert!(
        out.contains(
            "erreur: taux de 150 % : hors de 0 à 100
   ——▶ content/ingenierie/acteur.yaml:10:17
   |
10 |       taux_max: 150
   |                 ^^^
   = champ : offres[0].financement.taux_max
   = aide : écrivez le pourcentage, par exemple `50` pour 50 %
"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "erreur: date invalide `2022-13`
  ——▶ content/ingenierie/acteur.yaml:6:13
  |
6 |     depuis: 2022-13
  |             ^^^^^^^
  = champ : offres[0].depuis
  = aide : écrivez le mois au format AAAA-MM, par exemple `2022-07` pour juillet 2022, ou la date au format AAAA-MM-JJ
"
        ),
        "{out}"
    );
    for expected in [
        "erreur: date invalide `19/02/2021`\n  ——▶ content/ingenierie/acteur.yaml:7:22\n",
        "erreur: montant de -5 € : un montant ne peut pas être négatif\n  ——▶ content/ingenierie/acteur.yaml:9:16\n",
        "erreur: champ obligatoire `offres[1].nom` absent\n   ——▶ content/ingenierie/acteur.yaml:11:5\n",
        "erreur: taux minimal de 60 % supérieur au taux maximal de 50 %\n   ——▶ content/ingenierie/acteur.yaml:13:17\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(out.contains("échec : 6 erreurs"), "{out}");

    // The catalogue's own facts, in content/site.yaml, are checked the same way.
    let site = Site::scratch();
    site.edit("content/site.yaml", "type: nationale", "type: national");
    let run = site.check();
    assert_eq!(run.code, 1);
    assert!(
        run.diagnostics
            .contains("erreur: valeur `national` non reconnue\n"),
        "{}",
        run.diagnostics
    );
    assert!(
        run.diagnostics.contains(
            "= aide : vouliez-vous dire `nationale` ? valeurs possibles : deconcentree, nationale\n"
        ),
        "{}",
        run.diagnostics
    );
    let site = Site::scratch();
    site.edit("content/site.yaml", "date: 2020-09", "date: septembre 2020");
    site.edit(
        "content/site.yaml",
        "url: https://aides-territoires.beta.gouv.fr",
        "url: aides-territoires.beta.gouv.fr",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    let out = &run.diagnostics;
    assert!(
        out.contains("erreur: date invalide `septembre 2020`\n"),
        "{out}"
    );
    assert!(
        out.contains("= champ : ingenierie.enjeux_prioritaires.date\n"),
        "{out}"
    );
    assert!(
        out.contains("erreur: adresse web invalide `aides-territoires.beta.gouv.fr`\n"),
        "{out}"
    );
    assert!(
        out.contains("= champ : ingenierie.ressources[0].url\n"),
        "{out}"
    );
}

/// The contact table splits each address as the postal service reads it and gives phones in
/// E.164 too; the actors' table has a yes/no column per ingénierie type beside its text.
#[test]
fn contacts_split_and_types_as_yes_no_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let (header, rows) = read_csv(&out.join("donnees/ingenierie-contacts.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let siege = rows.iter().find(|r| r[col("nom")] == "DDTM 50").unwrap();
    assert_eq!(
        siege[col("adresse_voie")],
        "477 Boulevard de la Dollée, BP 60355"
    );
    assert_eq!(siege[col("code_postal")], "50015");
    assert_eq!(siege[col("commune")], "Saint-Lô Cedex");
    assert_eq!(siege[col("telephone_e164")], "+33233063900");
    assert_eq!(siege[col("fax_e164")], "+33233063909");
    let (header, rows) = read_csv(&out.join("donnees/ingenierie.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let epf = rows
        .iter()
        .find(|r| r[col("identifiant")] == "epf-normandie-petites-centralites")
        .unwrap();
    assert_eq!(epf[col("propose_fonciere")], "oui");
    assert_eq!(epf[col("propose_concertation")], "non");
    assert!(!epf[col("ingenierie_fonciere")].is_empty());
}
