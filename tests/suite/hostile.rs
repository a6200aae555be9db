//! Hostile and careless input: links out of the site, names the tool keeps for itself,
//! characters a terminal, a spreadsheet or a PDF would act on, figures no fiche can print.
//! Each is refused by `check` at its line, or made harmless, and `build` agrees.

use std::fs;
use std::os::unix::fs::symlink;

use crate::support::*;

/// A file outside the site, that a link would publish.
fn secret() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    fs::create_dir_all(dir.path().join("crte")).unwrap();
    fs::copy(
        example_root().join("content/crte/audomarois.yaml"),
        dir.path().join("crte/ailleurs.yaml"),
    )
    .unwrap();
    dir
}

#[test]
fn symbolic_links_are_refused_wherever_they_are() {
    let outside = secret();
    for (link, target, shown) in [
        ("content/static", "", "content/static"),
        ("content/crte", "crte", "content/crte"),
        (
            "content/static/fonts/x.txt",
            "secret.txt",
            "content/static/fonts/x.txt",
        ),
        (
            "content/pages/plan.md",
            "secret.txt",
            "content/pages/plan.md",
        ),
    ] {
        let site = Site::example_copy();
        let path = site.path().join(link);
        if path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        }
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(outside.path().join(target), &path).unwrap();
        let run = site.build();
        assert_eq!(run.code, 1, "{link}: {}", run.stderr);
        assert!(
            run.diagnostics
                .starts_with(&format!("erreur: lien symbolique refusé\n  ——▶ {shown}\n")),
            "{link}: {}",
            run.diagnostics
        );
        assert!(!site.output().exists(), "{link}");
    }

    // The content folder itself.
    let site = Site::example_copy();
    let content = tempfile::tempdir().unwrap();
    copy_dir(&site.path().join("content"), content.path());
    fs::remove_dir_all(site.path().join("content")).unwrap();
    symlink(content.path(), site.path().join("content")).unwrap();
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.diagnostics
            .starts_with("erreur: lien symbolique refusé\n  ——▶ content\n")
    );

    // A theme's folder: nothing of the machine is published.
    let site = Site::example_copy();
    let statics = site.path().join("themes/dsfr/static");
    fs::rename(&statics, outside.path().join("static")).unwrap();
    symlink(outside.path().join("static"), &statics).unwrap();
    let run = site.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.diagnostics,
        "erreur: `themes/dsfr/static` est un lien symbolique, refusé dans un thème : placez-y le fichier ou le dossier lui-même\n"
    );
    assert!(!site.output().exists());
}

#[test]
fn a_hidden_record_file_is_a_warning() {
    let run = Site::scratch()
        .example_file("content/crte/audomarois.yaml")
        .file(
            "content/crte/.lozere.yaml",
            fs::read(example_root().join("content/crte/audomarois.yaml")).unwrap(),
        )
        .check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.diagnostics.contains(
            "avertissement: fichier caché ignoré\n  ——▶ content/crte/.lozere.yaml\n  = aide : un nom qui commence par un point n'est pas lu : retirez le point s'il s'agit d'un enregistrement\n"
        ),
        "{}",
        run.diagnostics
    );
}

#[test]
fn names_the_tool_keeps_for_its_own_files_are_refused() {
    let site = Site::example_copy();
    fs::rename(
        site.path().join("content/ingenierie/cerema.yaml"),
        site.path().join("content/ingenierie/catalogue.yaml"),
    )
    .unwrap();
    site.write("content/pages/donnees.md", "# Nos données\n");
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.diagnostics.contains(
            "erreur: nom de fichier inutilisable comme identifiant : `catalogue` est réservé aux fichiers que territoires publie lui-même\n  ——▶ content/ingenierie/catalogue.yaml\n  = aide : choisissez un autre nom, par exemple `catalogue-ingenierie` : `index`, `catalogue` sont réservés\n"
        ),
        "{}",
        run.diagnostics
    );
    assert!(
        run.diagnostics.contains(
            "erreur: nom de page inutilisable : `donnees` est l'adresse d'une partie du site\n  ——▶ content/pages/donnees.md\n"
        ),
        "{}",
        run.diagnostics
    );
}

/// ESC and BEL from a file never reach the terminal: a key that retitles the terminal shows
/// as its pictures.
#[test]
fn control_characters_never_reach_the_terminal() {
    let run = Site::scratch()
        .file(
            "content/crte/a.yaml",
            "departement: \"48\"\n\"cle\\e]0;PWNED\\a\": 1\nnom: \"x\\e[2J\"\n",
        )
        .check();
    assert_eq!(run.code, 1);
    assert!(
        !run.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stderr
    );
    assert!(
        run.stderr.contains("clé inconnue `cle␛]0;PWNED␇`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("erreur: caractère de contrôle U+001B dans le texte"),
        "{}",
        run.stderr
    );
}

/// No published cell, in a list or alone, starts like a spreadsheet formula.
#[test]
fn formulas_are_neutralised_in_every_cell() {
    let site = Site::scratch().example_file("content/crte/audomarois.yaml");
    site.edit(
        "content/crte/audomarois.yaml",
        "nom: CC du Pays de Lumbres\n    siren: \"246201016\"",
        "nom: \"=HYPERLINK(\\\"http://x\\\")\"\n    siren: \"=HYPERLINK(\\\"http://x\\\")\"",
    );
    site.edit(
        "content/crte/audomarois.yaml",
        "nom: CA du Pays de Saint-Omer",
        "nom: \"@SUM(1)\"",
    );
    site.edit(
        "content/crte/audomarois.yaml",
        "nom: Pôle Métropolitain Audomarois\n    siren",
        "nom: \"+33 ou -1\"\n    siren",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut cells = 0;
    for (table, separator) in [
        ("crte", b','),
        ("crte-signataires", b','),
        ("crte-tableur", b';'),
        ("crte-signataires-tableur", b';'),
    ] {
        let text = fs::read(site.output().join(format!("donnees/{table}.csv"))).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .from_reader(text.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{table}: {cell}"
            );
            cells += usize::from(cell.contains("HYPERLINK") || cell.contains("SUM(1)"));
        }
    }
    assert!(cells >= 4, "{cells}");
}

#[test]
fn figures_and_dates_no_fiche_can_print_are_refused_at_their_line() {
    let site = Site::example_copy();
    site.edit(
        "content/departements/48.yaml",
        "engagements: 5400000",
        "engagements: -5400000",
    );
    site.edit(
        "content/departements/48.yaml",
        "montant: 1000000",
        "montant: 1e308",
    );
    site.edit(
        "content/departements/48.yaml",
        "fnadt: 41560000",
        "fnadt: 1e-320",
    );
    site.edit(
        "content/departements/48.yaml",
        "date: 2021-06-03",
        "date: 0000-06-03",
    );
    site.edit(
        "content/site.yaml",
        "url_base: https://agence-cohesion-territoires.gouv.fr/territoires/",
        "url_base: https://x.gouv.fr/\"><script>alert(1)</script>",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics.replace('\u{202f}', " ");
    for expected in [
        "erreur: `-5 400 000` est négatif : les chiffres d'une fiche territoriale sont des nombres, des montants ou des parts\n   ——▶ content/departements/48.yaml:54:16",
        "erreur: `1e308` est hors des limites d'une fiche\n   ——▶ content/departements/48.yaml:77:12",
        "erreur: `1e-320` est hors des limites d'une fiche\n   ——▶ content/departements/48.yaml:93:10",
        "= aide : écrivez une valeur de moins de 16 chiffres avant la virgule et d'au plus 6 décimales",
        "erreur: date invalide `0000-06-03`\n    ——▶ content/departements/48.yaml:131:13",
        "= aide : l'année 0000 est hors de la période des fiches : écrivez une année entre 1900 et 2100",
        "erreur: adresse invalide `https://x.gouv.fr/\"><script>alert(1)</script>` : son chemin a des caractères interdits dans une adresse\n  ——▶ content/site.yaml:",
    ] {
        assert!(
            d.contains(expected),
            "missing:\n{expected}\n--- got ---\n{d}"
        );
    }
}

/// What French public records may hold prints, in the fiche, with the fallback fonts; what no
/// font has is refused by `check` at its line, not by `build` without one.
#[test]
fn every_character_prints_or_is_refused_at_its_line() {
    let site = Site::scratch().example_file("content/crte/audomarois.yaml");
    let written = "CC du Pays de Lumbres 😀 ✔ ⩾ ♻ Ⅳ ０１ 東京 한국 محمد Ελλάδα";
    site.edit(
        "content/crte/audomarois.yaml",
        "nom: CC du Pays de Lumbres",
        &format!("nom: \"{written}\""),
    );
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&site.output().join("crte/audomarois.pdf"));
    for word in ["😀 ✔ ⩾ ♻ Ⅳ ０１ 東京 한국", "Ελλάδα"] {
        assert!(text.contains(word), "{word}\n{text}");
    }

    site.edit("content/crte/audomarois.yaml", "😀 ✔", "🥰 ✔");
    site.edit(
        "content/crte/audomarois.yaml",
        "nom: CA du Pays de Saint-Omer",
        "nom: \"CA\\tSaint-Omer\"",
    );
    // The signatories are also the steering committee's: each is reported where it is written.
    for run in [site.check(), site.build()] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.diagnostics.ends_with(
            "échec : 4 erreurs et 1 avertissement dans 1 fichier ; rien n'a été écrit\n"
        ));
        assert!(run.diagnostics.contains(
            "erreur: caractère `🥰` (U+1F970) impossible à imprimer dans les fiches PDF
   ——▶ content/crte/audomarois.yaml:16:10
   |
16 |   - nom: \"CC du Pays de Lumbres 🥰 ✔ ⩾ ♻ Ⅳ ０１ 東京 한국 محمد Ελλάδα\"
   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = champ : signataires[1].nom
   = aide : aucune police des fiches ne le contient : remplacez-le, ou déposez dans content/static/fonts/ une police qui le contient

erreur: caractère de contrôle U+0009 dans le texte
   ——▶ content/crte/audomarois.yaml:19:10
   |
19 |   - nom: \"CA\\tSaint-Omer\"
   |          ^^^^^^^^^^^^^^^^
   = champ : signataires[2].nom
   = aide : remplacez la tabulation par une espace
"
        ), "{}", run.diagnostics);
    }
}

/// An SVG logo is published with its drawing only, and the editor is told what went; an image
/// that is not what its name says is refused by `check` at its line.
#[test]
fn logos_are_cleaned_or_refused_at_their_line() {
    let ddtm = fs::read_to_string(example_root().join("content/ingenierie/ddtm-50.yaml")).unwrap();
    let site = Site::scratch()
        .file(
            "content/ingenierie/logos/ddtm.svg",
            r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60" onload="alert(1)"><script>fetch('https://pisteur.example/')</script><rect width="120" height="60" fill="#000091"/><image xlink:href="file:///etc/passwd" width="9" height="9"/></svg>"##,
        )
        .file(
            "content/ingenierie/ddtm-50.yaml",
            format!("{ddtm}logo: logos/ddtm.svg\n"),
        );
    let line = ddtm.lines().count() + 1;
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.diagnostics.contains(&format!(
            "avertissement: logo `logos/ddtm.svg` nettoyé : script, attribut d'événement (onload, onclick…), référence à un autre fichier ou à une autre adresse retiré\n   ——▶ content/ingenierie/ddtm-50.yaml:{line}:7\n"
        )),
        "{}",
        run.diagnostics
    );
    let published = fs::read_to_string(site.output().join("ingenierie/ddtm-50/logo.svg")).unwrap();
    assert!(published.contains("#000091"), "{published}");
    for gone in ["script", "alert", "pisteur", "passwd", "onload"] {
        assert!(!published.contains(gone), "{gone}: {published}");
    }

    site.write(
        "content/ingenierie/logos/ddtm.png",
        "<html>pas une image</html>",
    );
    site.edit(
        "content/ingenierie/ddtm-50.yaml",
        "logo: logos/ddtm.svg",
        "logo: logos/ddtm.png",
    );
    for run in [site.check(), site.build()] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.diagnostics.starts_with(&format!(
                "erreur: logo `logos/ddtm.png` : ce fichier n'est pas une image PNG (vérifiez son format, pas seulement son extension)\n   ——▶ content/ingenierie/ddtm-50.yaml:{line}:7\n"
            )),
            "{}",
            run.diagnostics
        );
    }
}

/// A record at its limits stays affordable and builds; one entry or character beyond, `check`
/// refuses it at its line (the limits, and what a build costs at them: BENCHMARKS.md).
#[test]
fn a_record_at_its_limits_builds_and_one_beyond_is_refused_at_its_line() {
    let nom = |i: usize| {
        let long = format!("{i:03} {}", "Communauté de communes du Pays ".repeat(7));
        long.chars().take(200).collect::<String>()
    };
    let signataires: String = (0..150)
        .map(|i| format!("  - nom: \"{}\"\n    nature: CC\n", nom(i)))
        .collect();
    let crte = format!(
        "departement: \"48\"\nnom: \"{}\"\ninformations_generales:\n  nom_structure_porteuse: \"{}\"\nsignataires:\n{signataires}",
        nom(999),
        nom(998)
    );
    let site = Site::scratch().file("content/crte/limites.yaml", &crte);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(pdf_text(&site.output().join("crte/limites.pdf")).contains("149 Communauté"));

    let ddtm = fs::read_to_string(example_root().join("content/ingenierie/ddtm-50.yaml")).unwrap();
    let contacts: String = (0..31).map(|i| format!("  - nom: Antenne {i}\n")).collect();
    let ddtm = ddtm.replace("contacts:\n", &format!("contacts:\n{contacts}"));
    let line = ddtm.lines().position(|l| l == "contacts:").unwrap() + 2;
    site.write("content/ingenierie/ddtm-50.yaml", &ddtm);
    site.edit("content/crte/limites.yaml", "nom: \"999", "nom: \"9999");
    for run in [site.check(), site.build()] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        let d = &run.diagnostics;
        assert!(d.contains("erreur: texte trop long : 201 caractères (au plus 200)\n  ——▶ content/crte/limites.yaml:2:6\n"), "{d}");
        assert!(
            d.contains(
                "  = aide : un nom ou un titre tient en une ou deux lignes : raccourcissez-le\n"
            ),
            "{d}"
        );
        assert!(d.contains(&format!("erreur: liste trop longue : 35 entrées (au plus 30)\n   ——▶ content/ingenierie/ddtm-50.yaml:{line}:3\n")), "{d}");
    }
}
