//! One broken input per failure mode: the exact diagnostic a data editor reads, the exit code,
//! and nothing written.

use crate::support::*;

/// `check` on a site holding the CRTE file `name`: exit code 1 and exactly `expected`, from
/// the first diagnostic to the closing line.
fn assert_diagnostic(name: &str, bytes: &[u8], expected: &str) {
    let run = Site::scratch()
        .file(&format!("content/crte/{name}"), bytes)
        .check();
    let text = run.diagnostics;
    assert_eq!(run.code, 1, "{text}");
    assert_eq!(text, expected, "\n--- got ---\n{text}");
}

#[test]
fn yaml_syntax_error() {
    assert_diagnostic(
        "syntaxe.yaml",
        b"departement: \"48\"\nnom: [x\n",
        "erreur: `[` non refermé
  ——▶ content/crte/syntaxe.yaml:2:6
  |
2 | nom: [x
  |      ^
  = aide : refermez la liste (`[a, b]`), ou mettez la valeur entre guillemets si elle commence par ce signe

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

#[test]
fn tab_in_indentation() {
    assert_diagnostic(
        "tab.yaml",
        b"departement: \"48\"\nsignataires:\n\t- nom: x\n",
        "erreur: tabulation dans l'indentation
  ——▶ content/crte/tab.yaml:3:1
  |
3 | →- nom: x
  | ^
  = aide : YAML n'accepte que des espaces pour indenter : remplacez la tabulation par des espaces

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

/// The parser stops on the line before the tab (a plain value that might go on): the
/// diagnostic still points at the tab.
#[test]
fn tab_at_the_start_of_the_next_line() {
    assert_diagnostic(
        "tab.yaml",
        b"departement: \"48\"\ninformations_generales:\n  nom_structure_porteuse: Lozere\n\t  date_signature: 2021-01-01\n",
        "erreur: tabulation dans l'indentation
  ——▶ content/crte/tab.yaml:4:1
  |
4 | →  date_signature: 2021-01-01
  | ^
  = aide : YAML n'accepte que des espaces pour indenter : remplacez la tabulation par des espaces

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

/// Decoding problems (a word for a number, `yes`) do not hide what the checks find in the
/// same file: a missing field, a bad date, a bad e-mail, a term outside its list. An amount
/// written with its unit gets its exact figure in euros, and nothing else.
#[test]
fn every_problem_of_a_file_in_one_run() {
    assert_diagnostic(
        "tout.yaml",
        "informations_generales:
  email_contact: prenom.nom(at)lozere.gouv.fr
  date_signature: 2021-13-05
strategie:
  diagnostic_initial: yes
plan_action:
  domaines_action_publique:
    - Mobilités très douces
ingenierie_financement:
  montants:
    depenses_investissement: 40,89 M€
"
        .as_bytes(),
        "erreur: champ obligatoire `departement` absent
  ——▶ content/crte/tout.yaml:1:1
  |
1 | informations_generales:
  | ^
  = champ : departement
  = aide : indiquez le code INSEE du département, par exemple `departement: \"48\"`

erreur: adresse e-mail invalide `prenom.nom(at)lozere.gouv.fr`
  ——▶ content/crte/tout.yaml:2:18
  |
2 |   email_contact: prenom.nom(at)lozere.gouv.fr
  |                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = champ : informations_generales.email_contact
  = aide : écrivez une seule adresse, de la forme `prenom.nom@service.gouv.fr`

erreur: date invalide `2021-13-05`
  ——▶ content/crte/tout.yaml:3:19
  |
3 |   date_signature: 2021-13-05
  |                   ^^^^^^^^^^
  = champ : informations_generales.date_signature
  = aide : écrivez la date au format AAAA-MM-JJ, par exemple `2021-12-29` pour le 29 décembre 2021

erreur: valeur `yes` non reconnue
  ——▶ content/crte/tout.yaml:5:23
  |
5 |   diagnostic_initial: yes
  |                       ^^^
  = champ : strategie.diagnostic_initial
  = aide : vouliez-vous dire `oui` ? valeurs possibles : oui, non, nc

erreur: terme inconnu `Mobilités très douces`
  ——▶ content/crte/tout.yaml:8:7
  |
8 |     - Mobilités très douces
  |       ^^^^^^^^^^^^^^^^^^^^^
  = champ : plan_action.domaines_action_publique[0]
  = aide : vouliez-vous dire `Mobilités douces` ? (liste : referentiels/vocabulaires.yaml, `domaines_action_publique`)

erreur: `40,89 M€` n'est pas un nombre
   ——▶ content/crte/tout.yaml:11:30
   |
11 |     depenses_investissement: 40,89 M€
   |                              ^^^^^^^^
   = champ : ingenierie_financement.montants.depenses_investissement
   = aide : écrivez `40890000` : le montant en euros, en chiffres, sans unité ni espace

échec : 6 erreurs et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

/// A fiche territoriale saved under another département's code is published under its
/// `code:`, with a warning on that line.
#[test]
fn departement_file_named_after_another_code() {
    let site = Site::example_copy();
    let text = std::fs::read_to_string(site.path().join("content/departements/48.yaml")).unwrap();
    site.remove("content/departements/48.yaml");
    site.write("content/departements/12.yaml", &text);
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.diagnostics);
    let line = text.lines().position(|l| l.starts_with("code:")).unwrap() + 1;
    assert!(
        run.diagnostics.contains(&format!(
            "avertissement: le fichier `12.yaml` porte la fiche du département 48 (Lozère)
  ——▶ content/departements/12.yaml:{line}:7"
        )),
        "{}",
        run.diagnostics
    );
    assert!(run.diagnostics.contains(
        "= aide : renommez le fichier `48.yaml`, ou corrigez `code:` s'il s'agit d'un autre département"
    ));
}

#[test]
fn duplicate_key() {
    assert_diagnostic(
        "doublon.yaml",
        b"departement: \"48\"\nnom: a\nnom: b\n",
        "erreur: clé `nom` en double
  ——▶ content/crte/doublon.yaml:3:1
  |
3 | nom: b
  | ^^^
  = aide : elle est déjà définie ligne 2 ; gardez une seule des deux

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

#[test]
fn unknown_key_and_wrong_types_all_reported_in_one_run() {
    assert_diagnostic(
        "types.yaml",
        b"departement: \"48\"\nsigantaires:\n  - nom: x\nplan_action:\n  nombre_fiches_action: douze\n  nombre_fiches_projet: [1]\nstrategie:\n  diagnostic_initial: yes\n",
        "erreur: clé inconnue `sigantaires`
  ——▶ content/crte/types.yaml:2:1
  |
2 | sigantaires:
  | ^^^^^^^^^^^
  = champ : sigantaires
  = aide : vouliez-vous dire `signataires` ?

erreur: `douze` n'est pas un nombre entier positif
  ——▶ content/crte/types.yaml:5:25
  |
5 |   nombre_fiches_action: douze
  |                         ^^^^^
  = champ : plan_action.nombre_fiches_action
  = aide : écrivez un nombre, par exemple `12` ou `40.5`

erreur: il faut ici un nombre entier positif, pas une liste
  ——▶ content/crte/types.yaml:6:25
  |
6 |   nombre_fiches_projet: [1]
  |                         ^
  = champ : plan_action.nombre_fiches_projet
  = aide : écrivez un nombre, ou retirez la ligne si la valeur n'est pas connue

erreur: valeur `yes` non reconnue
  ——▶ content/crte/types.yaml:8:23
  |
8 |   diagnostic_initial: yes
  |                       ^^^
  = champ : strategie.diagnostic_initial
  = aide : vouliez-vous dire `oui` ? valeurs possibles : oui, non, nc

échec : 4 erreurs et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

#[test]
fn alias_bomb() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    assert_diagnostic(
        "bombe.yaml",
        bomb.as_bytes(),
        "erreur: les ancres et alias YAML (`&nom`, `*nom`) ne sont pas acceptés
  ——▶ content/crte/bombe.yaml:1:7
  |
1 | a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]
  |       ^
  = aide : écrivez la valeur en entier à chaque endroit où elle sert

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

#[test]
fn file_of_50_mb() {
    assert_diagnostic(
        "gros.yaml",
        &vec![b'a'; 50 * 1024 * 1024],
        "erreur: fichier trop volumineux (50 Mo ; maximum 1 Mo)
  ——▶ content/crte/gros.yaml
  = aide : un enregistrement tient en quelques kilo-octets : vérifiez qu'il s'agit du bon fichier

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

#[test]
fn file_not_in_utf8() {
    assert_diagnostic(
        "latin1.yaml",
        b"departement: \"48\"\nnom: Caf\xe9\n",
        "erreur: le fichier n'est pas encodé en UTF-8 (octet 0xE9)
  ——▶ content/crte/latin1.yaml:2:9
  = aide : enregistrez-le en UTF-8 depuis votre éditeur (LibreOffice, Notepad++ : « Encodage UTF-8 »)

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

#[test]
fn id_that_escapes_its_folder() {
    assert_diagnostic(
        "evasion.yaml",
        b"identifiant: ../../etc\ndepartement: \"48\"\n",
        "erreur: identifiant invalide : `../../etc` sortirait de son dossier
  ——▶ content/crte/evasion.yaml:1:14
  |
1 | identifiant: ../../etc
  |              ^^^^^^^^^
  = champ : identifiant
  = aide : un identifiant n'a que des minuscules sans accent, des chiffres et des tirets, par exemple `etc`

échec : 1 erreur et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

#[test]
fn bad_values_each_on_their_line() {
    assert_diagnostic(
        "valeurs.yaml",
        "departement: \"99\"\ninformations_generales:\n  email_contact: marie@lozere\n  date_signature: 29/12/2021\nstrategie:\n  programmes_anct:\n    - Plan Marshall\n    - Petites vilels de demain\n".as_bytes(),
        "erreur: code de département inconnu `99`
  ——▶ content/crte/valeurs.yaml:1:14
  |
1 | departement: \"99\"
  |              ^^^^
  = champ : departement
  = aide : code INSEE du département : `48`, `2A`, `971`… (entre guillemets s'il commence par 0)

erreur: adresse e-mail invalide `marie@lozere`
  ——▶ content/crte/valeurs.yaml:3:18
  |
3 |   email_contact: marie@lozere
  |                  ^^^^^^^^^^^^
  = champ : informations_generales.email_contact
  = aide : écrivez une seule adresse, de la forme `prenom.nom@service.gouv.fr`

erreur: date invalide `29/12/2021`
  ——▶ content/crte/valeurs.yaml:4:19
  |
4 |   date_signature: 29/12/2021
  |                   ^^^^^^^^^^
  = champ : informations_generales.date_signature
  = aide : écrivez la date au format AAAA-MM-JJ, par exemple `2021-12-29` pour le 29 décembre 2021

erreur: terme inconnu `Plan Marshall`
  ——▶ content/crte/valeurs.yaml:7:7
  |
7 |     - Plan Marshall
  |       ^^^^^^^^^^^^^
  = champ : strategie.programmes_anct[0]
  = aide : termes possibles : Action cœur de ville, Petites villes de demain, France services, Avenir Montagnes, Conseillers numériques France services, Fabriques de territoire, Territoires d'industrie, Villages d'avenir, Politique de la ville, Contrats de ruralité, France Très Haut Débit, France Mobile, Manufactures de proximité, Nouveaux lieux, nouveaux liens, Cités éducatives, Petites villes de demain — Villages d'avenir

erreur: terme inconnu `Petites vilels de demain`
  ——▶ content/crte/valeurs.yaml:8:7
  |
8 |     - Petites vilels de demain
  |       ^^^^^^^^^^^^^^^^^^^^^^^^
  = champ : strategie.programmes_anct[1]
  = aide : vouliez-vous dire `Petites villes de demain` ? (liste : referentiels/vocabulaires.yaml, `programmes_anct`)

échec : 5 erreurs et 0 avertissement dans 1 fichier ; rien n'a été écrit
",
    );
}

/// The seeds write INSEE codes where SIRENs belong: warnings on their lines, the build goes on.
#[test]
fn seed_sirens_48_and_76_are_warnings_on_their_lines() {
    let run = territoires(&["check", "--root", example_root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected_48 = "avertissement: SIREN invalide : `48` n'a pas 9 chiffres
   ——▶ content/crte/lozere-terres-de-vie.yaml:24:12
   |
24 |     siren: \"48\"            # as in the fiche: the INSEE code, not a SIREN (reported as a warning)
   |            ^^^^
   = champ : signataires[3].siren
   = aide : `48` est le code INSEE de la Lozère ; le SIREN du Département de la Lozère a 9 chiffres (annuaire : recherche-entreprises.api.gouv.fr)
";
    let expected_76 = "avertissement: SIREN invalide : `76` n'a pas 9 chiffres
    ——▶ content/crte/lozere-terres-de-vie.yaml:128:14
    |
128 |       siren: \"76\"          # INSEE code in the fiche (warning)
    |              ^^^^
    = champ : gouvernance_evaluation.composition_copil[5].siren
    = aide : `76` est le code INSEE de la région Occitanie ; le SIREN de la Région a 9 chiffres (annuaire : recherche-entreprises.api.gouv.fr)
";
    assert!(run.stderr.contains(expected_48), "{}", run.stderr);
    assert!(run.stderr.contains(expected_76), "{}", run.stderr);
    assert!(
        run.stderr.contains("composition_copil[4].siren"),
        "the COPIL's `48` is reported too"
    );
    // Every other SIREN of the seeds is valid: exactly three SIREN warnings.
    assert_eq!(
        run.stderr.matches("avertissement: SIREN invalide").count(),
        3,
        "{}",
        run.stderr
    );
    // The known misspelling is normalised with a warning.
    assert!(run.stderr.contains(
        "avertissement: `Petits villes de demain` normalisé en `Petites villes de demain`"
    ));
}

#[test]
fn symlinked_record_is_refused() {
    let site = Site::scratch();
    std::os::unix::fs::symlink("/etc/hostname", site.path().join("content/crte/lien.yaml"))
        .unwrap();
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("erreur: lien symbolique refusé\n  ——▶ content/crte/lien.yaml\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_broken_file_is_reported_in_one_run_and_build_writes_nothing() {
    let site = Site::scratch()
        .file("content/crte/a.yaml", "departement: \"48\"\nnom: [x\n")
        .file("content/crte/b.yaml", "departement: \"48\"\nnomm: x\n")
        .file(
            "content/crte/c.yaml",
            "departement: \"48\"\ninformations_generales:\n  date_signature: 2021-02-30\n",
        );
    let run = site.build();
    assert_eq!(run.code, 1);
    for file in ["a.yaml:2:6", "b.yaml:2:1", "c.yaml:3:19"] {
        assert!(
            run.stderr.contains(&format!("content/crte/{file}")),
            "{file} not reported:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("échec : 3 erreurs et 0 avertissement dans 3 fichiers ; rien n'a été écrit")
    );
    assert!(!site.output().exists());
}

#[test]
fn missing_content_folder_is_an_operational_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = territoires(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("erreur: dossier `"), "{}", run.stderr);
}

#[test]
fn unknown_theme_is_reported_on_its_line() {
    let site = Site::scratch();
    site.edit("content/site.yaml", "theme: dsfr", "theme: marianne");
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let line = yaml.lines().position(|l| l.starts_with("theme:")).unwrap() + 1;
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("erreur: thème `marianne` introuvable dans themes/\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("content/site.yaml:{line}:8")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= aide : thèmes disponibles : dsfr"),
        "{}",
        run.stderr
    );
}

/// A key that a free-form section does not allow (an ingénierie type) is underlined on the
/// key itself, not on its value.
#[test]
fn unknown_ingenierie_type_points_at_its_key() {
    let site = Site::example_copy();
    site.edit(
        "content/ingenierie/cerema.yaml",
        "interventions:\n",
        "interventions:\n  financier: Montage financier\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = std::fs::read_to_string(site.path().join("content/ingenierie/cerema.yaml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("  financier:"))
        .unwrap()
        + 1;
    let gutter = " ".repeat(line.to_string().len());
    assert!(
        run.diagnostics.starts_with(&format!(
            "erreur: type d'ingénierie inconnu `financier`
{gutter} ——▶ content/ingenierie/cerema.yaml:{line}:3
{gutter} |
{line} |   financier: Montage financier
{gutter} |   ^^^^^^^^^
{gutter} = champ : interventions.financier
{gutter} = aide : vouliez-vous dire `financiere` ?"
        )),
        "{}",
        run.diagnostics
    );
}
