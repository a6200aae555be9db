//! Fiches territoriales of départements (seed 001): the Lozère record end to end, the values
//! the build computes and the warnings when a record states others, a record with most
//! sections absent, an unknown code, the national map.

use std::fs;
use std::process::Command;

use crate::support::*;

#[test]
fn lozere_page_pdf_and_datasets_carry_the_seed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);

    let page = fs::read_to_string(out.join("departements/48/index.html")).unwrap();
    let text = html_text(&page);
    for fact in [
        "Lozère",
        "Jaqueline Gourault",
        "Yves Le Breton",
        "12 espaces France Services",
        "Langogne",
        "5,4 M€",
        "villes, au sein de 5 EPCI, bénéficiaires du programme",
        "1 M€",
        "138",
        "communes sur 152 classées en zone de revitalisation rurale (ZRR), soit 91 %",
        "41,56 M€",
        "10 500 (15 %)",
        "59 500 (85 %)",
        "70 000",
        "6 700 (64 %)",
        "21 700 (36 %)",
        "28 400 (41 %)",
        "14,12 M€",
        "Open data de l'Arcep au 1er trimestre 2021, publié le 3 juin 2021",
        "Lozère Développement à Mende",
        "FOCCAL (Foncière Occitanie Commerce et Artisanat Local)",
        "Pays du Gévaudan",
    ] {
        assert!(text.contains(fact), "département page lacks `{fact}`");
    }
    // The CRTE the fiche names and the site publishes is a link to its page.
    assert!(
        page.contains("href=\"../../crte/lozere-terres-de-vie/\""),
        "no link to the CRTE page"
    );
    for link in [
        "../../departements/48.pdf",
        "../../donnees/departements/48.json",
        "../../donnees/departements/48.csv",
    ] {
        assert!(
            page.contains(&format!("href=\"{link}\"")),
            "département page does not link {link}"
        );
    }

    let pdf = pdf_text(&out.join("departements/48.pdf"));
    for fact in [
        "RÉPUBLIQUE",
        "FICHE TERRITORIALE",
        "Jaqueline Gourault",
        "12",
        "Langogne",
        "5,4 M€",
        "41,56 M€",
        "10 500 (15 %)",
        "28 400 (41 %)",
        "14,12 M€",
        "Expertise interne ANCT",
        "En pratique",
    ] {
        assert!(pdf.contains(fact), "PDF lacks `{fact}`:\n{pdf}");
    }
    let info = Command::new("pdfinfo")
        .arg(out.join("departements/48.pdf"))
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Fiche territoriale — Lozère"),
        "{info}"
    );

    // Datasets: headline figures, FttH zones, accompagnements.
    let rows = |file: &str| read_csv(&out.join("donnees").join(file));
    let (headers, lines) = rows("departements.csv");
    assert_eq!(lines.len(), 1);
    let col = |name: &str| lines[0][headers.iter().position(|h| h == name).unwrap()].clone();
    assert_eq!(col("code"), "48");
    assert_eq!(col("france_services"), "12");
    assert_eq!(col("acv_engagements"), "5400000");
    assert_eq!(col("pvd_villes"), "14");
    assert_eq!(col("communes_zrr"), "138");
    assert_eq!(col("ftth_locaux_a_deployer"), "70000");
    assert_eq!(col("ftth_part_raccordables"), "40.6");
    assert_eq!(col("accompagnements_sur_mesure"), "5");
    let (_, ftth) = rows("departements-ftth.csv");
    assert_eq!(
        ftth,
        vec![
            [
                "48",
                "AMII",
                "10500",
                "15",
                "6700",
                "63.8",
                "open data de l'Arcep au 1er trimestre 2021",
                "2021-06-03"
            ],
            [
                "48",
                "RIP",
                "59500",
                "85",
                "21700",
                "36.5",
                "open data de l'Arcep au 1er trimestre 2021",
                "2021-06-03"
            ],
        ]
    );
    let (_, accompagnements) = rows("departements-accompagnements.csv");
    assert_eq!(accompagnements.len(), 5);
    assert_eq!(
        accompagnements[3],
        [
            "48",
            "Mende",
            "Revitalisation commerciale et artisanale",
            "Cœur de ville (ACV)",
            "Expertise interne ANCT"
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("donnees/departements.json")).unwrap())
            .unwrap();
    assert_eq!(json["fiches"][0]["code"], "48");
    assert_eq!(
        json["fiches"][0]["numerique"]["france_tres_haut_debit"]["zones"][1]["locaux_a_deployer"],
        59500.0
    );
    // The tables validate against their schemas: tests/build.rs checks every table.
}

#[test]
fn every_departement_is_on_the_map_and_has_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    let svg_start = home.find("<svg").expect("the home page has the map");
    let svg = &home[svg_start..home[svg_start..].find("</svg>").unwrap() + svg_start];
    assert_eq!(
        svg.matches("<a href=").count(),
        101,
        "one link per département"
    );
    for (code, name) in [
        ("48", "Lozère (48)"),
        ("2a", "Corse-du-Sud (2A)"),
        ("971", "Guadeloupe (971)"),
        ("976", "Mayotte (976)"),
    ] {
        assert!(
            svg.contains(&format!("href=\"departements/{code}/\"")),
            "{code} not linked"
        );
        assert!(
            svg.contains(&format!("<title>{name}</title>")),
            "{name} not named"
        );
        assert!(
            out.join(format!("departements/{code}/index.html"))
                .is_file(),
            "{code} has no page"
        );
    }
    let credit = html_text(&home);
    assert!(
        credit.contains("CC BY 4.0") && credit.contains("Natural Earth"),
        "the map credits its sources"
    );
    // The text alternative lists the same départements.
    let list = html_text(&fs::read_to_string(out.join("departements/index.html")).unwrap());
    assert!(list.contains("Mayotte") && list.contains("Lozère") && list.contains("Corse-du-Sud"));
    // A département without a fiche says so and lists its CRTE.
    let pas_de_calais =
        html_text(&fs::read_to_string(out.join("departements/62/index.html")).unwrap());
    assert!(
        pas_de_calais.contains("Aucune fiche territoriale publiée"),
        "{pas_de_calais}"
    );
    assert!(
        pas_de_calais.contains("Pôle métropolitain Audomarois"),
        "the CRTE of the département is listed"
    );
    assert!(!out.join("departements/62.pdf").exists());
}

#[test]
fn stated_values_that_disagree_with_the_computed_ones_are_warnings_with_both() {
    let run = Site::scratch()
        .file(
            "content/departements/48.yaml",
            "france_services:\n  nombre: 13\n  espaces: [Langogne, Marvejols]\nnumerique:\n  france_tres_haut_debit:\n    zones:\n      - zone: AMII\n        locaux_a_deployer: 10500\n        part_locaux_a_deployer: 16\n        locaux_raccordables: 6700\n      - zone: RIP\n        locaux_a_deployer: 59500\n        locaux_raccordables: 21700\n    total_locaux_a_deployer: 71000\n",
        )
        .check();
    let out = &run.stderr;
    assert_eq!(run.code, 0, "warnings do not stop the build:\n{out}");
    assert!(out.contains(
        "avertissement: nombre d'espaces France Services : valeur indiquée 13, valeur calculée 2
  ——▶ content/departements/48.yaml:2:11
  |
2 |   nombre: 13
  |           ^^
  = champ : france_services.nombre
  = aide : la fiche affiche la valeur calculée (2) ; corrigez la valeur indiquée ou la liste
"
    ), "{out}");
    assert!(out.contains("avertissement: pourcentage indiqué 16\u{a0}%, pourcentage calculé 15\u{a0}% (10\u{202f}500 / 70\u{202f}000)\n  ——▶ content/departements/48.yaml:9:33\n"), "{out}");
    assert!(out.contains("avertissement: locaux à déployer : total indiqué 71\u{202f}000, somme des zones 70\u{202f}000\n   ——▶ content/departements/48.yaml:14:30\n"), "{out}");
}

#[test]
fn the_seed_states_consistent_figures() {
    let run = territoires(&["check", "--root", example_root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("content/departements/48.yaml"),
        "the Lozère fiche has no warning:\n{}",
        run.stderr
    );
}

#[test]
fn unknown_code_and_wrong_region_are_errors() {
    let run = Site::scratch()
        .file("content/departements/99.yaml", "nom: Lozère\n")
        .check();
    let out = &run.stderr;
    assert_eq!(run.code, 1);
    assert!(
        out.contains(
            "erreur: code de département inconnu `99`\n  ——▶ content/departements/99.yaml:1:1\n"
        ),
        "{out}"
    );
    let run = Site::scratch()
        .file("content/departements/48.yaml", "region: \"11\"\n")
        .check();
    let out = &run.stderr;
    assert_eq!(run.code, 1);
    assert!(
        out.contains("erreur: le département 48 n'est pas dans la région `11`"),
        "{out}"
    );
    assert!(
        out.contains("= aide : sa région est `76` (Occitanie) ; retirez la ligne, elle est connue"),
        "{out}"
    );
}

#[test]
fn a_fiche_with_most_sections_absent_still_makes_sense() {
    let site = Site::scratch()
        .file(
            "content/departements/62.yaml",
            "france_services:\n  espaces: [Arras, Lens, Saint-Omer]\n",
        )
        .example_file("content/crte/audomarois.yaml");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.output();
    let page = html_text(&fs::read_to_string(out.join("departements/62/index.html")).unwrap());
    assert!(page.contains("3 espaces France Services"), "{page}");
    assert!(page.contains("Saint-Omer"));
    // The CRTE of the département appears on its fiche though the fiche does not name it.
    assert!(page.contains("Pôle métropolitain Audomarois"), "{page}");
    for absent in [
        "Montagne",
        "France Très Haut Débit",
        "None",
        "null",
        "Non renseigné",
    ] {
        assert!(
            !page.contains(absent),
            "`{absent}` on a fiche that has no such data"
        );
    }
    let pdf = pdf_text(&out.join("departements/62.pdf"));
    assert!(
        pdf.contains("Pas-de-Calais") && pdf.contains("Arras") && pdf.contains("En pratique"),
        "{pdf}"
    );
    assert!(!pdf.contains("Montagne") && !pdf.contains("None"), "{pdf}");
}
