//! The templates of the themes, HTML (minijinja) and PDF (typst): every theme resolves every
//! template a record kind needs; a template that breaks stops `check` and `build` with its file
//! and line (exit code 2, nothing written); typst's warnings are diagnostics of the build, said
//! once however many fiches raise them.

use std::fs;

use territoires::render::theme::Theme;

use crate::support::*;

const CRTE_HTML: &str = "themes/dsfr/templates/crte.html";
const CRTE_TYP: &str = "themes/dsfr/typst/crte.typ";

/// A site with a single CRTE: pages render in parallel and the first that fails is the one
/// named, so with one CRTE page the message is always the same.
fn one_crte_site() -> Site {
    Site::scratch().example_file("content/crte/audomarois.yaml")
}

/// `check` and `build` refuse `site`'s broken template with exactly `expected`, exit code 2;
/// the output of the last good build stays as it was, and no staging folder is left.
fn assert_template_refused(site: &Site, expected: &str) {
    let before = snapshot(&site.output());
    assert!(!before.is_empty(), "no previous build to protect");

    let check = site.check();
    assert_eq!(check.code, 2, "{}", check.stderr);
    assert_eq!(
        check.diagnostics, expected,
        "\n--- got ---\n{}",
        check.stderr
    );

    let build = site.build();
    assert_eq!(build.code, 2, "{}", build.stderr);
    assert_eq!(
        build.diagnostics, expected,
        "\n--- got ---\n{}",
        build.stderr
    );

    assert_eq!(
        snapshot(&site.output()),
        before,
        "output/ changed after a refused template"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        // The lock file stays next to the output, on purpose (see `output.rs`).
        .filter(|n| {
            n.to_string_lossy().starts_with('.') && !n.to_string_lossy().ends_with(".verrou")
        })
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn an_undefined_value_in_an_html_template_is_refused_with_its_file_and_line() {
    let site = one_crte_site();
    let ok = site.build();
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    site.edit(CRTE_HTML, "{{ vue.titre }}", "{{ vue.titr }}");
    assert_template_refused(
        &site,
        "erreur: gabarit themes/dsfr/templates/crte.html, ligne 4 : valeur indéfinie `vue.titr` ; page crte/audomarois/index.html\n",
    );
}

#[test]
fn a_syntax_error_in_an_html_template_is_refused_with_its_file_and_line() {
    let site = one_crte_site();
    let ok = site.build();
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    // An `if` never closed: minijinja stops at the `endblock` it did not expect, the last line.
    site.edit(
        CRTE_HTML,
        "<h1>{{ vue.titre }}</h1>\n",
        "<h1>{{ vue.titre }}</h1>\n{% if vue.titre %}\n",
    );
    assert_template_refused(
        &site,
        "erreur: gabarit themes/dsfr/templates/crte.html, ligne 39 : erreur de syntaxe `endblock` (minijinja : unknown statement endblock)\n",
    );
}

#[test]
fn a_broken_typst_template_fails_check_with_its_file_line_and_column() {
    let site = Site::example_copy();
    site.edit(CRTE_TYP, "data.vue.sections", "data.vue.sectoins");
    let run = site.check();
    assert_eq!(run.code, 2, "{}", run.stderr);
    // `check` lays out the first fiche of each kind: the first CRTE is the Audomarois.
    assert_eq!(
        run.diagnostics,
        "erreur: fiche PDF de `content/crte/audomarois.yaml` : typst : themes/dsfr/typst/crte.typ:11:20 : dictionary does not contain key \"sectoins\"\n",
        "\n--- got ---\n{}",
        run.stderr
    );
}

#[test]
fn a_typst_warning_is_a_diagnostic_said_once_for_every_fiche_that_raises_it() {
    let site = Site::example_copy();
    site.edit(
        CRTE_TYP,
        "#import \"commun.typ\": *\n",
        "#import \"commun.typ\": *\n#set text(font: \"Police inexistante\")\n",
    );
    let warning = |fiches: &str| {
        format!(
            "avertissement: typst : unknown font family: police inexistante
  ——▶ themes/dsfr/typst/crte.typ:6:17
  |
6 | #set text(font: \"Police inexistante\")
  |                 ^^^^^^^^^^^^^^^^^^^^
  = aide : {fiches}
"
        )
    };

    // `check` lays out one CRTE fiche…
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains(&warning("fiche crte/audomarois.pdf")),
        "{}",
        check.stderr
    );
    assert_eq!(
        check.stderr.matches("avertissement: typst").count(),
        1,
        "{}",
        check.stderr
    );

    // …`build` lays out both, and says the warning once, naming how many fiches raise it.
    let build = site.build();
    assert_eq!(
        build.code, 0,
        "a warning does not stop the build:\n{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .contains(&warning("2 fiches, dont crte/audomarois.pdf")),
        "{}",
        build.stderr
    );
    assert_eq!(
        build.stderr.matches("avertissement: typst").count(),
        1,
        "{}",
        build.stderr
    );
    for fiche in ["crte/audomarois.pdf", "crte/lozere-terres-de-vie.pdf"] {
        assert!(site.output().join(fiche).is_file(), "{fiche} not written");
    }
}

#[test]
fn every_theme_resolves_every_template_of_every_kind() {
    let root = example_root();
    let mut names: Vec<String> = fs::read_dir(root.join("themes"))
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    names.sort();
    for expected in ["dsfr", "neutre"] {
        assert!(names.iter().any(|n| n == expected), "no theme {expected}");
    }
    for name in &names {
        let theme = Theme::open(&root, name).unwrap();
        assert_eq!(
            territoires::gabarits_manquants(&theme),
            Vec::<String>::new(),
            "theme {name} lacks templates"
        );
    }
}

#[test]
fn a_theme_missing_a_template_is_refused_by_check() {
    let site = Site::example_copy();
    site.remove("themes/dsfr/typst/cot.typ");
    let theme = Theme::open(site.path(), "dsfr").unwrap();
    assert_eq!(territoires::gabarits_manquants(&theme), ["typst/cot.typ"]);

    let run = site.check();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.diagnostics, "erreur: thème `dsfr` : gabarit absent : typst/cot.typ\n",
        "\n--- got ---\n{}",
        run.stderr
    );
}
