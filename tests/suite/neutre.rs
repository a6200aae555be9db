//! The neutral theme, for a publisher that is not a State service: a Conseil départemental
//! publishes the example CRTE with `theme: neutre`. No trace of the State's identity (DSFR,
//! bloc-marque) in the pages or the PDF, the publisher's name instead, the same facts, and the
//! same browser checks as the DSFR site (axe-core, Nu Html Checker, CSP, links). The same
//! collectivité asking for the DSFR theme is refused.

use std::fs;

use crate::support::*;

const EDITEUR: &str = "Conseil départemental de la Lozère";

/// A copy of the example site (content and themes) published by a collectivité with `theme`.
fn collectivite_site(theme: &str) -> Site {
    let site = format!(
        "titre: Territoires de la Lozère\n\
         description: Les contrats territoriaux de la Lozère, avec leurs données ouvertes\n\
         url_base: https://www.lozere.fr/territoires/\n\
         editeur:\n  nom: {EDITEUR}\n  type: collectivite\n  departement: \"48\"\n\
         theme: {theme}\n\
         conformite_accessibilite: partielle\n"
    );
    Site::example_copy()
        .file("content/site.yaml", site)
        // The example's legal notice is the prefecture's (it names the DSFR): a collectivité
        // writes its own.
        .file(
            "content/pages/mentions-legales.md",
            format!("## Éditeur\n\n{EDITEUR}, 4 rue de la Rovère, 48000 Mende.\n"),
        )
}

#[test]
fn a_collectivite_publishes_with_the_neutral_theme() {
    let site = collectivite_site("neutre");
    let run = site.build();
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    let out = site.output();

    // No page carries the State's design system or its bloc-marque.
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if !(name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".css")) {
            continue;
        }
        pages += 1;
        let text = fs::read_to_string(entry.path()).unwrap();
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .display()
            .to_string();
        assert!(
            !text.to_lowercase().contains("dsfr"),
            "{rel} mentions the DSFR"
        );
        assert!(
            !text.contains("République<br>Française"),
            "{rel} carries the bloc-marque"
        );
        assert!(!text.contains("fr-header"), "{rel} uses DSFR markup");
    }
    assert!(pages >= 10, "only {pages} pages and stylesheets written");
    assert!(out.join("static/neutre.css").is_file());
    assert!(!out.join("static/dsfr").exists(), "DSFR files were copied");

    let page = fs::read_to_string(out.join("crte/lozere-terres-de-vie/index.html")).unwrap();
    let text = html_text(&page);
    for fact in [
        "CRTE Terres de vie en Lozère",
        "29 décembre 2021",
        "40,89 M€",
        "CC du Haut Allier",
        EDITEUR,
        "Licence Ouverte 2.0",
    ] {
        assert!(text.contains(fact), "`{fact}` missing from the CRTE page");
    }
    assert!(page.contains(r#"<main id="contenu""#));
    assert!(page.contains("Content-Security-Policy"));

    let pdf = pdf_text(&out.join("crte/lozere-terres-de-vie.pdf"));
    assert!(
        pdf.contains(EDITEUR),
        "publisher missing from the PDF:\n{pdf}"
    );
    assert!(pdf.contains("CRTE Terres de vie en Lozère"), "{pdf}");
    // Every fiche: the record templates are dsfr's, laid out with this theme's `commun.typ`.
    for fiche in [
        "crte/lozere-terres-de-vie.pdf",
        "departements/48.pdf",
        "ingenierie/ddtm-50.pdf",
        "ingenierie/catalogue.pdf",
        "cot/ccpal.pdf",
    ] {
        let pdf = pdf_text(&out.join(fiche));
        assert!(pdf.contains(EDITEUR), "publisher missing from {fiche}");
        assert!(
            !pdf.contains("RÉPUBLIQUE") && !pdf.contains("Liberté"),
            "bloc-marque in {fiche}:\n{pdf}"
        );
    }

    // The same browser checks as the DSFR site, and the search from its plain header form.
    check_site(&out, "/territoires/");
    browser_script(
        "recherche.mjs",
        &out,
        &[
            "--expect",
            "lozere=CRTE Terres de vie en Lozère|Lozère (48)",
            "--filter",
            "genre=CRTE=2",
        ],
    );
}

#[test]
fn a_collectivite_may_not_use_the_dsfr_theme() {
    let site = collectivite_site("dsfr");
    let run = site.build();
    assert_eq!(run.code, 1, "expected a content error:\n{}", run.stderr);
    assert!(
        run.stderr.contains(
            "le thème `dsfr` (Système de design de l'État) est réservé aux services de l'État"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.output().exists(), "a refused build wrote output");
}
