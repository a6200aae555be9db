//! COT plans (seed 004): the CCPAL plan end to end, the values the build computes (target
//! scores, star levels, parent rows) and the warnings when a record states others, the
//! charts and their text alternatives.

use std::fs;

use crate::support::*;

/// Where the tests write the plan they check.
const PLAN_FILE: &str = "content/cot/plan.yaml";

/// The seed states 15,1 % + 12 % = 27,6 %: a warning on that line with both values.
#[test]
fn stated_target_score_is_checked() {
    let run = territoires(&["check", "--root", example_root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stderr = plain_spaces(&run.stderr);
    assert!(
        stderr.contains(
            "avertissement: score visé indiqué 27,6 %, score calculé 27,1 % (15,1 % + 12 points)
    ——▶ content/cot/ccpal.yaml:119:15
    |
119 |   score_vise: 27.6
    |               ^^^^
    = champ : eci.score_vise
    = aide : le score visé du référentiel Économie circulaire est le score de l'audit plus la progression : corrigez l'un des trois chiffres, ou retirez `score_vise`, que l'outil calcule
"
        ),
        "{stderr}"
    );
    // The CAE target (23,3 % + 11 = 34,3 %) is right, and so are all the seed's parent rows
    // (43 against 24,4 + 18,7 = 43,1 included): the ECI target is the plan's only warning.
    assert_eq!(
        run.stderr.matches("content/cot/").count(),
        1,
        "{}",
        run.stderr
    );
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
    let run = Site::scratch()
        .file(
            PLAN_FILE,
            PLAN.replace("ETOILES_CAE", "1").replace("ETOILES_ECI", "0"),
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert_eq!(run.code, 0, "{text}");
    assert!(!text.contains("avertissement:"), "{text}");

    let run = Site::scratch()
        .file(
            PLAN_FILE,
            PLAN.replace("ETOILES_CAE", "2").replace("ETOILES_ECI", "0"),
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert_eq!(run.code, 0, "{text}");
    assert_eq!(
        text,
        "avertissement: 2 étoiles indiquées, mais un score de 23,3 % n'en permet que 1 (2e étoile à partir de 35 %)
  ——▶ content/cot/plan.yaml:6:14
  |
6 |     etoiles: 2
  |              ^
  = champ : cae.audit.etoiles
  = aide : seuils de l'ADEME : 1re étoile dès 0 %, 2e à 35 %, 3e à 50 %, 4e à 65 %, 5e à 75 % ; vérifiez le score ou le nombre d'étoiles

ok : 1 fiche vérifiée ; 0 erreur et 1 avertissement dans 1 fichier
"
    );

    let run = Site::scratch()
        .file(
            PLAN_FILE,
            PLAN.replace("ETOILES_CAE", "6").replace("ETOILES_ECI", "0"),
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert_eq!(run.code, 1, "{text}");
    assert!(
        text.starts_with("erreur: 6 étoiles : un label en compte au plus 5"),
        "{text}"
    );
}

fn axe(restants: &str, realise: &str, lignes: &[(&str, &str)]) -> String {
    let mut s = format!(
        "collectivite:\n  nom: CC Pays d'Apt-Luberon\ncae:\n  axes:\n    - libelle: Organisation interne\n      points_restants: {restants}\n      realise: {realise}\n      programme: 0.3\n      lignes:\n"
    );
    // The two lines of this axis in the référentiel.
    let libelles = ["Gouvernance", "Finances et commande publique"];
    for ((r, p), libelle) in lignes.iter().zip(libelles) {
        s.push_str(&format!(
            "        - {{ libelle: {libelle}, points_restants: {r}, realise: {p}, programme: 0.3 }}\n"
        ));
    }
    s
}

#[test]
fn parent_rows_allow_for_rounding_and_no_more() {
    // The seed: 43 against 24,4 + 18,7 = 43,1, and 6,5 % against its lines' 6,3 % and 6,6 %.
    let run = Site::scratch()
        .file(
            PLAN_FILE,
            axe("43", "6.5", &[("24.4", "6.3"), ("18.7", "6.6")]),
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert_eq!(run.code, 0, "{text}");
    assert!(!text.contains("avertissement:"), "{text}");

    let run = Site::scratch()
        .file(
            PLAN_FILE,
            axe("43", "6.5", &[("14.4", "6.3"), ("18.7", "6.6")]),
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert_eq!(
        text,
        "avertissement: points restants indiqués 43, somme des lignes 33,1
  ——▶ content/cot/plan.yaml:6:24
  |
6 |       points_restants: 43
  |                        ^^
  = champ : cae.axes[0].points_restants
  = aide : un axe totalise les points restants de ses lignes (à l'arrondi près, 0,15 point) : vérifiez l'axe et ses lignes

ok : 1 fiche vérifiée ; 0 erreur et 1 avertissement dans 1 fichier
"
    );

    // A parent percentage is its lines' mean weighted by their potential: 65 % is a typo.
    let run = Site::scratch()
        .file(
            PLAN_FILE,
            axe("43", "65", &[("24.4", "6.3"), ("18.7", "6.6")]),
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert!(
        text.contains("avertissement: % réalisé indiqué 65 %, calculé 6,4 % d'après les lignes"),
        "{text}"
    );
}

/// Axes and lines are the ADEME référentiel's: a label that is not gets a warning with the
/// closest one; a code says which action a row is, and its label must then be the action's;
/// a potential above the référentiel's points is a typo in one of the two figures.
#[test]
fn rows_are_checked_against_the_ademe_referentiels() {
    let run = Site::scratch()
        .file(
            PLAN_FILE,
            "collectivite:\n  nom: CC Pays d'Apt-Luberon\ncae:\n  axes:\n    - libelle: Organisation interne\n      lignes:\n        - libelle: Gouvernanse\n        - { libelle: Finances et commande publique, points_restants: 34.4, realise: 6.3 }\neci:\n  axes:\n    - code: \"3\"\n      libelle: Coopération et engagement\n      lignes:\n        - { code: \"3.9\", libelle: Réaliser des achats responsables }\n",
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert_eq!(run.code, 0, "{text}");
    assert_eq!(
        text,
        "avertissement: ligne `Gouvernanse` absente du référentiel Climat-Air-Énergie
  ——▶ content/cot/plan.yaml:7:20
  |
7 |         - libelle: Gouvernanse
  |                    ^^^^^^^^^^^
  = champ : cae.axes[0].lignes[0].libelle
  = aide : vouliez-vous dire `Gouvernance` ?

avertissement: potentiel de 36,71 points pour `cae_5.2`, au-delà des 20 points que lui donne le référentiel Climat-Air-Énergie
  ——▶ content/cot/plan.yaml:8:70
  |
8 |         - { libelle: Finances et commande publique, points_restants: 34.4, realise: 6.3 }
  |                                                                      ^^^^
  = champ : cae.axes[0].lignes[1].points_restants
  = aide : le potentiel (points restants ÷ (1 − % réalisé)) ne dépasse pas les points du référentiel : vérifiez les points restants et le % réalisé

avertissement: intitulé différent de celui du référentiel Économie circulaire pour `eci_3`
   ——▶ content/cot/plan.yaml:12:16
   |
12 |       libelle: Coopération et engagement
   |                ^^^^^^^^^^^^^^^^^^^^^^^^^
   = champ : eci.axes[0].libelle
   = aide : vouliez-vous dire `Déploiement des autres piliers de l'économie circulaire dans les territoires` ? sinon corrigez le code de l'axe

avertissement: code `3.9` absent du référentiel Économie circulaire
   ——▶ content/cot/plan.yaml:14:19
   |
14 |         - { code: \"3.9\", libelle: Réaliser des achats responsables }
   |                   ^^^^^
   = champ : eci.axes[0].lignes[0].code
   = aide : codes possibles ici : 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7 (référentiel de l'ADEME, referentiels/ademe-referentiels-cae-eci.csv)

ok : 1 fiche vérifiée ; 0 erreur et 4 avertissements dans 1 fichier
"
    );
}

#[test]
fn calendar_dates_and_current_phase_are_checked() {
    let run = Site::scratch()
        .file(
            PLAN_FILE,
            "collectivite:\n  nom: CC Pays d'Apt-Luberon\nperiode: { debut: 2022, fin: 2026 }\ncalendrier:\n  - debut: octobre 2022\n    fin: 2024-03\n  - debut: 2024-02\n    fin: 2028\nphase_en_cours: 3\n",
        )
        .check();
    let text = plain_spaces(&run.diagnostics);
    assert_eq!(run.code, 1, "{text}");
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

#[test]
fn ccpal_page_pdf_and_datasets_carry_the_seed_plan() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);

    let page = fs::read_to_string(out.join("cot/ccpal/index.html")).unwrap();
    let text = html_text(&page).replace('’', "'");
    for fact in [
        "Communauté de communes Pays d'Apt-Luberon",
        "CCPAL",
        "Plan d'action pour la mise en œuvre de la transition écologique",
        "2022-2026",
        "Un outil au service de la transition écologique",
        // The audits, side by side, and the computed targets.
        "Audit Climat-Air-Énergie",
        "23,3 %",
        "1 étoile",
        "Planification des mobilités à structurer",
        "34,3 %",
        "Audit Économie circulaire",
        "15,1 %",
        "0 étoile",
        "Renforcement de la collaboration entre la CCPAL et le SIRTOM",
        "27,1 %",
        "Le score visé permet au plus 1 étoile ; la 2e demande 35 %, soit 0,7 point de plus.",
        "3 objectifs obligatoires",
        "2 objectifs retenus (au choix)",
        "Economie de la fonctionnalité",
        // The référentiel tables, titled from the data.
        "Référentiel Climat-Air-Énergie",
        "Référentiel Économie circulaire",
        "Planification territoriale",
        "58,7",
        "Agriculture, forêt",
        // The labels the seed cuts with « … », in full from the ADEME référentiel.
        "Actions dirigées vers les acteurs économiques (TPE/PME, grandes entreprises, commerçants, artisans, … y compris associations à activité économique et acteurs économiques publics : type CHU, EHPAD, SEM, ...)",
        "Suivre, évaluer et améliorer le déploiement de la politique Économie Circulaire",
        "160,6",
        // Orientations and their numbered actions.
        "Interne & gouvernance",
        "Auprès des partenaires et acteurs du territoire",
        "Formalisation d'une politique Eci sur le territoire",
        "2.8",
        "Soutenir et accompagner l'économie de la fonctionnalité et de la coopération",
        "4.4",
        "schéma directeur d'eau potable",
        // The calendar.
        "octobre 2022",
        "mars 2024",
        "avril 2024",
        "Renseigner les référentiels CAE et ECI",
        "75 000 €",
        "Avenant pour validation des objectifs",
        "Audits finaux",
        "Nouveau mandat",
    ] {
        assert!(text.contains(fact), "COT page lacks `{fact}`");
    }
    // The plan and the page of its département link to each other.
    assert!(page.contains(r#"<a href="../../departements/84/">Vaucluse (84)</a>"#));
    let vaucluse = fs::read_to_string(out.join("departements/84/index.html")).unwrap();
    assert!(
        vaucluse.contains(
            r#"<a href="../../cot/ccpal/">Contrat d&#39;objectif territorial — CCPAL</a>"#
        ),
        "the Vaucluse page does not list the plan"
    );
    // The seed's stated 27,6 % is never printed, nor its copy-pasted title of the ECI table.
    assert!(!text.contains("27,6"), "the stated target is printed");
    assert!(!text.contains("Le volet Climat Air Energie"));

    // One chart per référentiel, an image named by its title and described by its values.
    for (key, first) in [
        (
            "cae",
            "Planification territoriale : 27 % réalisé, 16,4 % programmé.",
        ),
        (
            "eci",
            "Définition d'une stratégie globale de la politique économie circulaire et inscription dans le territoire : 14,3 % réalisé, 61,2 % programmé.",
        ),
    ] {
        let labelled = page
            .find(&format!(
                "role=\"img\" aria-labelledby=\"graphique-{key}-titre graphique-{key}-description\""
            ))
            .unwrap_or_else(|| panic!("no {key} chart"));
        let start = page[..labelled].rfind("<svg ").unwrap();
        let svg = &page[start..start + page[start..].find("</svg>").unwrap()];
        assert!(svg.contains(&format!("<title id=\"graphique-{key}-titre\">")));
        let desc = html_text(
            svg.split(&format!("<desc id=\"graphique-{key}-description\">"))
                .nth(1)
                .unwrap(),
        )
        .replace("&#39;", "'");
        assert!(desc.starts_with(first), "{key} chart description: {desc}");
    }
    // Each chart in its two layouts (desktop, phone), each with its own ids.
    assert_eq!(
        page.matches("role=\"img\" aria-labelledby=\"graphique-")
            .count(),
        4
    );
    for key in ["cae", "eci"] {
        assert!(page.contains(&format!(
            "aria-labelledby=\"graphique-{key}-etroit-titre graphique-{key}-etroit-description\""
        )));
    }

    let pdf = pdf_text(&out.join("cot/ccpal.pdf"));
    let flat = pdf
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('’', "'");
    for fact in [
        "Contrat d'objectif territorial",
        "Communauté de communes Pays d'Apt-Luberon",
        "23,3 %",
        "34,3 %",
        "15,1 %",
        "27,1 %",
        "Référentiel Climat-Air-Énergie",
        "Référentiel Économie circulaire",
        "Planification territoriale",
        "Coopération et engagement",
        "Mettre en œuvre une gouvernance et un pilotage transverse",
        "Clarifier la gouvernance",
        "octobre 2022",
        "75 000 €",
        "Nouveau mandat",
    ] {
        assert!(flat.contains(fact), "COT PDF lacks `{fact}`:\n{pdf}");
    }
    assert!(!flat.contains("27,6"), "the PDF prints the stated target");
    let info = std::process::Command::new("pdfinfo")
        .arg(out.join("cot/ccpal.pdf"))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Contrat d'objectif territorial — CCPAL"),
        "{info}"
    );

    let csv = fs::read_to_string(out.join("donnees/cot.csv")).unwrap();
    assert!(
        csv.contains("\r\nccpal,Contrat d'objectif territorial,Communauté de communes Pays d'Apt-Luberon,CCPAL,200040624,84,2022,2026,2,23.3,1,1,11,34.3,15.1,0,1,12,27.1,3,2,4,21,75000,https://agence-cohesion-territoires.gouv.fr/territoires/cot/ccpal/,https://agence-cohesion-territoires.gouv.fr/territoires/cot/ccpal.pdf\r\n"),
        "{csv}"
    );
    let lines = fs::read_to_string(out.join("donnees/cot-referentiel.csv")).unwrap();
    for row in [
        "ccpal,cae,1,axe,cae_1,,Planification territoriale,58.7,27,16.4",
        "ccpal,cae,18,ligne,cae_5.1,Organisation interne,Gouvernance,24.4,6.3,0",
        "ccpal,eci,4,ligne,eci_1.3,Définition d'une stratégie globale de la politique économie circulaire et inscription dans le territoire,\"Suivre, évaluer et améliorer le déploiement de la politique Économie Circulaire\",30,0,100",
    ] {
        assert!(
            lines.contains(&format!("{row}\r\n")),
            "no row `{row}` in\n{lines}"
        );
    }
    // 6 axes and 19 lines for the CAE, 5 axes and 15 lines for the ECI, and the header.
    assert_eq!(lines.lines().count(), 1 + 25 + 20);
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("donnees/cot.json")).unwrap()).unwrap();
    assert_eq!(json["fiches"][0]["calcule"]["eci"]["score_vise"], 27.1);
    assert_eq!(
        json["fiches"][0]["eci"]["score_vise"], 27.6,
        "the record is published as written"
    );
    // The tables validate against their schemas: tests/build.rs checks every table.
}
