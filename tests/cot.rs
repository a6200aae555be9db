//! COT plans (seed 004): the CCPAL plan end to end, the values the build computes (target
//! scores, star levels, parent rows) and the warnings when a record states others, the
//! charts and their text alternatives.

mod common;

use std::fs;

use common::*;

/// The PDF test fixture is the view the build gives `cot.typ`; `UPDATE_FIXTURES=1` rewrites it.
#[test]
fn pdf_fixture_is_the_current_view() {
    let root = example_root();
    let mut diags = Vec::new();
    let content = territoires::load::load(&root, &mut diags).unwrap();
    let catalog = territoires::catalog::validate(content, &mut diags).expect("valid example");
    let e = catalog.cot.iter().find(|e| e.id == "ccpal").unwrap();
    let view = serde_json::json!({
        "site": { "titre": catalog.site.titre, "editeur": catalog.site.editeur },
        "plan": e.record.view(&e.id, false),
    });
    let text = serde_json::to_string_pretty(&view).unwrap() + "\n";
    let path = root.join("tests/fixtures/pdf/cot-ccpal.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        fs::write(&path, &text).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&path).unwrap_or_default(),
        text,
        "tests/fixtures/pdf/cot-ccpal.json is stale: rerun with UPDATE_FIXTURES=1"
    );
}

/// Runs `check` on a site holding one COT plan; returns (exit code, diagnostics text).
fn check_plan(yaml: &str) -> (i32, String) {
    let site = scratch_site();
    fs::create_dir_all(site.path().join("content/cot")).unwrap();
    fs::write(site.path().join("content/cot/plan.yaml"), yaml).unwrap();
    let run = territoires(&["check", "--root", site.path().to_str().unwrap()]);
    let start = run
        .stderr
        .find("erreur:")
        .or_else(|| run.stderr.find("avertissement:"))
        .or_else(|| run.stderr.find("ok :"))
        .unwrap_or(0);
    (run.code, run.stderr[start..].replace('\u{a0}', " "))
}

/// The seed states 15,1 % + 12 % = 27,6 %: a warning on that line with both values.
#[test]
fn stated_target_score_is_checked() {
    let run = territoires(&["check", "--root", example_root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stderr = run.stderr.replace('\u{a0}', " ");
    assert!(
        stderr.contains(
            "avertissement: score visé indiqué 27,6 %, score calculé 27,1 % (15,1 % + 12 points)
    ——▶ content/cot/ccpal.yaml:118:15
    |
118 |   score_vise: 27.6
    |               ^^^^
    = champ : eci.score_vise
    = aide : le score visé du référentiel Économie circulaire est le score de l'audit plus la progression : corrigez l'un des trois chiffres, ou retirez `score_vise`, que l'outil calcule
"
        ),
        "{stderr}"
    );
    // The CAE target (23,3 % + 11 = 34,3 %) is right, and so are all the seed's parent rows
    // (43 against 24,4 + 18,7 = 43,1 included): the ECI target is the plan's only warning.
    assert_eq!(run.stderr.matches("content/cot/").count(), 1, "{}", run.stderr);
}

const PLAN: &str = "collectivite:
  nom: CC Pays d'Apt-Luberon
cae:
  audit:
    score: 23.3
    etoiles: ETOILES_CAE
eci:
  audit:
    score: 15.1
    etoiles: ETOILES_ECI
";

#[test]
fn stars_above_what_the_score_allows_are_a_warning_below_is_fine() {
    // 0 star at 15,1 % and 1 star at 23,3 %: the thresholds are necessary, not sufficient.
    let (code, text) = check_plan(&PLAN.replace("ETOILES_CAE", "1").replace("ETOILES_ECI", "0"));
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("avertissement:"), "{text}");

    let (code, text) = check_plan(&PLAN.replace("ETOILES_CAE", "2").replace("ETOILES_ECI", "0"));
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        text,
        "avertissement: 2 étoiles indiquées, mais un score de 23,3 % n'en permet que 1 (2e étoile à partir de 35 %)
  ——▶ content/cot/plan.yaml:6:14
  |
6 |     etoiles: 2
  |              ^
  = champ : cae.audit.etoiles
  = aide : seuils de l'ADEME : 1re étoile dès 0 %, 2e à 35 %, 3e à 50 %, 4e à 65 %, 5e à 75 % ; vérifiez le score ou le nombre d'étoiles

ok : 1 fiche, 0 erreur et 1 avertissement dans 1 fichier
"
    );

    let (code, text) = check_plan(&PLAN.replace("ETOILES_CAE", "6").replace("ETOILES_ECI", "0"));
    assert_eq!(code, 1, "{text}");
    assert!(
        text.starts_with("erreur: 6 étoiles : un label en compte au plus 5"),
        "{text}"
    );
}

fn axe(restants: &str, realise: &str, lignes: &[(&str, &str)]) -> String {
    let mut s = format!(
        "collectivite:\n  nom: CC Pays d'Apt-Luberon\ncae:\n  axes:\n    - libelle: Organisation interne\n      points_restants: {restants}\n      realise: {realise}\n      programme: 0.3\n      lignes:\n"
    );
    for (i, (r, p)) in lignes.iter().enumerate() {
        s.push_str(&format!(
            "        - {{ libelle: Ligne {i}, points_restants: {r}, realise: {p}, programme: 0.3 }}\n"
        ));
    }
    s
}

#[test]
fn parent_rows_allow_for_rounding_and_no_more() {
    // The seed: 43 against 24,4 + 18,7 = 43,1, and 6,5 % against its lines' 6,3 % and 6,6 %.
    let (code, text) = check_plan(&axe("43", "6.5", &[("24.4", "6.3"), ("18.7", "6.6")]));
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("avertissement:"), "{text}");

    let (_, text) = check_plan(&axe("43", "6.5", &[("34.4", "6.3"), ("18.7", "6.6")]));
    assert_eq!(
        text,
        "avertissement: points restants indiqués 43, somme des lignes 53,1
  ——▶ content/cot/plan.yaml:6:24
  |
6 |       points_restants: 43
  |                        ^^
  = champ : cae.axes[0].points_restants
  = aide : un axe totalise les points restants de ses lignes (à l'arrondi près, 0,15 point) : vérifiez l'axe et ses lignes

ok : 1 fiche, 0 erreur et 1 avertissement dans 1 fichier
"
    );

    // A parent percentage is its lines' mean weighted by their potential: 65 % is a typo.
    let (_, text) = check_plan(&axe("43", "65", &[("24.4", "6.3"), ("18.7", "6.6")]));
    assert!(
        text.starts_with("avertissement: % réalisé indiqué 65 %, calculé 6,4 % d'après les lignes"),
        "{text}"
    );
}

#[test]
fn calendar_dates_and_current_phase_are_checked() {
    let (code, text) = check_plan(
        "collectivite:\n  nom: CC Pays d'Apt-Luberon\nperiode: { debut: 2022, fin: 2026 }\ncalendrier:\n  - debut: octobre 2022\n    fin: 2024-03\n  - debut: 2024-02\n    fin: 2028\nphase_en_cours: 3\n",
    );
    assert_eq!(code, 1, "{text}");
    for expected in [
        "erreur: date invalide `octobre 2022`",
        "= aide : écrivez l'année (`2026`), le mois (`2022-10` pour octobre 2022) ou le jour (`2022-10-03`)",
        "avertissement: la phase 2 commence en février 2024, avant la fin de la phase 1 (mars 2024)",
        "avertissement: 2028 est hors de la période du contrat (2022-2026)",
        "erreur: phase 3 absente du calendrier",
        "= aide : le calendrier compte 2 phases ; écrivez le numéro de l'une d'elles",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
}
