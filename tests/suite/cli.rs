//! The command line speaks French: its help screens, its version, and its mistakes, said with
//! the way to the help and exit code 2.

use crate::support::*;

/// What clap prints in English when its defaults show through.
const ENGLISH: [&str; 6] = [
    "Usage",
    "Print help",
    "Print version",
    "[default",
    "possible values",
    "Options:",
];

#[test]
fn help_screens_are_in_french() {
    for (args, usage) in [
        (
            &["--help"][..],
            "Utilisation : territoires <COMMANDE> [OPTIONS]\n",
        ),
        (
            &["-h"][..],
            "Utilisation : territoires <COMMANDE> [OPTIONS]\n",
        ),
        (
            &["build", "--help"][..],
            "Utilisation : territoires build [--root DOSSIER] [--output DOSSIER] [--jobs N] [--strict] [--quiet | --verbose]\n",
        ),
        (
            &["serve", "--help"][..],
            "Utilisation : territoires serve [--root DOSSIER] [--output DOSSIER] [--port N]\n",
        ),
        (
            &["init", "--help"][..],
            "Utilisation : territoires init [DOSSIER] --editeur prefecture --departement CODE\n",
        ),
        (
            &["check", "--help"][..],
            "Utilisation : territoires check [--root DOSSIER] [--strict] [--quiet | --verbose]\n",
        ),
    ] {
        let run = territoires(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let help = &run.stdout;
        assert!(help.contains(usage), "{args:?}:\n{help}");
        assert!(help.contains("Options\u{a0}:\n"), "{args:?}:\n{help}");
        assert!(
            help.contains("  -h, --help  ") && help.contains("Affiche cette aide\n"),
            "{args:?}:\n{help}"
        );
        for english in ENGLISH {
            assert!(
                !help.contains(english),
                "{args:?} prints `{english}`:\n{help}"
            );
        }
    }
    let top = territoires(&["--help"]).stdout;
    for line in [
        "Commandes\u{a0}:\n",
        "  build   Construit le site, les fiches PDF et les jeux de données dans le dossier de sortie\n",
        "  check   Vérifie le contenu et les gabarits du thème sans rien écrire\n",
        "  schema  Écrit le schéma JSON de chaque sorte de fiche, pour la complétion dans l'éditeur de texte\n",
        "  -V, --version  Affiche la version\n",
    ] {
        assert!(top.contains(line), "`{line}` missing:\n{top}");
    }
    let build = territoires(&["build", "--help"]).stdout;
    for line in [
        "      --root <DOSSIER>    Dossier du site, qui contient content/ et themes/ (par défaut : le dossier courant)\n",
        "      --output <DOSSIER>  Dossier de sortie (par défaut : <root>/output)\n",
        "      --jobs <N>          Nombre de tâches parallèles (1 : séquentiel ; par défaut : une par cœur)\n",
        "  -q, --quiet             N'affiche que les erreurs (et les avertissements qui font échouer avec --strict)\n",
        "  -v, --verbose           Affiche la durée de chaque étape\n",
        "      --strict            Les avertissements font échouer la commande, comme les erreurs (pour l'intégration continue)\n",
    ] {
        assert!(build.contains(line), "`{line}` missing:\n{build}");
    }
}

#[test]
fn version() {
    for flag in ["-V", "--version"] {
        let run = territoires(&[flag]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, "territoires 0.1.0\n");
    }
}

#[test]
fn mistakes_on_the_command_line_are_said_in_french_with_exit_code_2() {
    // A folder that is not a site: should a mistake go unnoticed, nothing is built.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    for (args, expected) in [
        (
            &["frob"][..],
            "erreur: commande inconnue `frob` : les commandes sont build, check, serve, schema, import et init\n",
        ),
        (
            &["build", "--root", root, "--jobs", "0"][..],
            "erreur: valeur invalide `0` pour --jobs <N>\n",
        ),
        (
            &["check", "--root", root, "--frob"][..],
            "erreur: argument inconnu `--frob`\n",
        ),
    ] {
        let run = territoires(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("{expected}\npour l'aide : territoires --help\n"),
            "{args:?}"
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a refused command wrote files"
    );

    // No command: the message, then the help.
    let run = territoires(&[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "erreur: indiquez une commande : build, check, serve, schema, import ou init\n\n"
    );
    assert!(
        run.stdout
            .contains("Utilisation : territoires <COMMANDE> [OPTIONS]\n"),
        "{}",
        run.stdout
    );
}

/// The report reads in order: the diagnostics, then one closing line whose counts agree
/// (records, pages, PDF files, datasets, files); stage timings only with `--verbose`.
#[test]
fn the_report_is_the_diagnostics_then_one_summary() {
    let site = Site::example_copy();
    let root = site.path().to_str().unwrap();
    let run = territoires(&["build", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("avertissement: "), "{}", run.stderr);
    let last = run.stderr.lines().last().unwrap();
    let output = site.output();
    let files = snapshot(&output).len();
    let pdf = snapshot(&output)
        .keys()
        .filter(|k| k.ends_with(".pdf"))
        .count();
    assert_eq!(
        last,
        format!(
            "ok : 11 fiches publiées dans {} : 123 pages, {pdf} PDF, 10 tableaux de données ({files} fichiers) ; 0 erreur et 8 avertissements dans 3 fichiers",
            output.display()
        )
    );
    assert!(!run.stderr.contains(" ms\n"), "{}", run.stderr);

    let verbose = territoires(&["build", "--root", root, "--verbose"]);
    for stage in [
        "chargement",
        "validation",
        "données",
        "pdf",
        "site",
        "écriture",
    ] {
        assert!(
            verbose.stderr.contains(&format!("\n  {stage} ")),
            "{stage}: {}",
            verbose.stderr
        );
    }
    let check = territoires(&["check", "--root", root]);
    assert!(
        check
            .stderr
            .ends_with("ok : 11 fiches vérifiées ; 0 erreur et 8 avertissements dans 3 fichiers\n"),
        "{}",
        check.stderr
    );
}

/// For CI: `--quiet` prints nothing when all is well; `--strict` fails on warnings, shows
/// them even with `--quiet`, and publishes nothing.
#[test]
fn quiet_and_strict() {
    let site = Site::example_copy();
    let root = site.path().to_str().unwrap();
    let quiet = territoires(&["build", "--root", root, "--quiet"]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""));
    let before = snapshot(&site.output());

    for command in ["check", "build"] {
        let strict = territoires(&[command, "--root", root, "--strict", "-q"]);
        assert_eq!(strict.code, 1, "{command}: {}", strict.stderr);
        assert!(
            strict.stderr.starts_with("avertissement: "),
            "{}",
            strict.stderr
        );
        assert!(
            strict.stderr.ends_with(
                "échec (--strict) : 0 erreur et 8 avertissements dans 3 fichiers ; rien n'a été écrit\n"
            ),
            "{}",
            strict.stderr
        );
    }
    assert!(
        snapshot(&site.output()) == before,
        "--strict changed output/"
    );

    site.edit(
        "content/crte/audomarois.yaml",
        "departement: \"62\"",
        "departement: \"620\"",
    );
    let errors = territoires(&["check", "--root", root, "--quiet"]);
    assert_eq!(errors.code, 1);
    assert!(
        errors
            .stderr
            .starts_with("erreur: code de département inconnu `620`"),
        "{}",
        errors.stderr
    );
    assert!(
        !errors.stderr.contains("avertissement:"),
        "{}",
        errors.stderr
    );
}

/// `territoires init` writes a site a publisher can build at once, with its identity: a
/// prefecture's bloc-marque and domain, a collectivité's neutral theme; it never overwrites.
#[test]
fn init_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let prefecture = dir.path().join("prefecture");
    let run = territoires(&[
        "init",
        prefecture.to_str().unwrap(),
        "--editeur",
        "prefecture",
        "--departement",
        "48",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = std::fs::read_to_string(prefecture.join("content/site.yaml")).unwrap();
    assert!(site.contains("  nom: Préfecture de la Lozère\n  type: etat\n  departement: \"48\"\n"));
    assert!(site.contains("url_base: https://www.lozere.gouv.fr/territoires/\n"));
    let build = territoires(&["build", "--root", prefecture.to_str().unwrap()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("avertissement:"), "{}", build.stderr);
    let home = std::fs::read_to_string(prefecture.join("output/index.html")).unwrap();
    assert!(home.contains(r#"<p class="fr-logo">Préfet<br>de la Lozère</p>"#));

    let again = territoires(&[
        "init",
        prefecture.to_str().unwrap(),
        "--editeur",
        "etat",
        "--nom",
        "DDT",
    ]);
    assert_eq!(again.code, 2);
    assert!(
        again
            .stderr
            .contains("territoires init ne remplace jamais un contenu"),
        "{}",
        again.stderr
    );

    let collectivite = dir.path().join("collectivite");
    let run = territoires(&[
        "init",
        collectivite.to_str().unwrap(),
        "--editeur",
        "collectivite",
        "--nom",
        "Communauté de communes Pays d'Apt-Luberon",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let build = territoires(&["build", "--root", collectivite.to_str().unwrap()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let home = std::fs::read_to_string(collectivite.join("output/index.html")).unwrap();
    assert!(!home.contains("fr-logo") && !home.contains("Marianne"));
    assert!(
        home.contains("Communauté de communes Pays d’Apt-Luberon")
            || home.contains("Communauté de communes Pays d&#x27;Apt-Luberon")
            || home.contains("Communauté de communes Pays d&#39;Apt-Luberon"),
        "{home}"
    );

    let missing = territoires(&[
        "init",
        dir.path().join("x").to_str().unwrap(),
        "--editeur",
        "prefecture",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("argument obligatoire absent : --departement"),
        "{}",
        missing.stderr
    );
}

/// `territoires serve` builds, then serves the site under its base path as the host will:
/// pages, PDFs with their type, the 404 page with status 404 at any depth, `/` leading to the
/// site.
#[test]
fn serve_previews_the_site_with_its_404_page() {
    use std::io::{BufRead, BufReader, Read, Write};
    let site = Site::example_copy();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_territoires"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.strip_prefix("site servi sur http://") {
            break rest.split(' ').next().unwrap().to_string();
        }
    };
    let (addr, base) = url.split_at(url.find('/').unwrap());
    assert_eq!(base, "/territoires/");
    let get = |path: &str| -> (String, String) {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        (head.to_string(), body.to_string())
    };
    let (head, body) = get("/territoires/crte/audomarois/");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(body.contains("<h1"), "{body}");
    let (head, _) = get("/territoires/crte/audomarois.pdf");
    assert!(head.contains("Content-Type: application/pdf"), "{head}");
    for missing in [
        "/territoires/nulle/part/",
        "/ailleurs",
        "/territoires/../Cargo.toml",
    ] {
        let (head, body) = get(missing);
        assert!(head.starts_with("HTTP/1.1 404"), "{missing}: {head}");
        assert!(body.contains("Page non trouvée"), "{missing}: {body}");
        // Its links start from the base path: they work at any depth.
        assert!(body.contains(r#"href="/territoires/static/"#), "{body}");
    }
    let (head, _) = get("/");
    assert!(
        head.starts_with("HTTP/1.1 302") && head.contains("Location: /territoires/"),
        "{head}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// For CI: `--format github` prints each diagnostic as a GitHub Actions annotation on the
/// standard output (the message escaped as the workflow commands want it), `--format json` a
/// list of them; the exit code and the closing line on stderr are the same.
#[test]
fn diagnostics_as_github_annotations_or_json() {
    let site = Site::scratch().file(
        "content/crte/casse.yaml",
        "departement: \"48\"\nnom: \"a\\tb\"\n",
    );
    let root = site.path().to_str().unwrap();
    let run = territoires(&["check", "--root", root, "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=content/crte/casse.yaml,line=2,col=6,title=territoires::caractère de contrôle U+0009 dans le texte (champ : nom)%0Aaide : remplacez la tabulation par une espace\n"
    );
    assert!(
        run.stderr
            .contains("échec : 1 erreur et 0 avertissement dans 1 fichier")
    );

    let run = territoires(&["check", "--root", root, "--format", "json"]);
    assert_eq!(run.code, 1);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        list,
        serde_json::json!([{
            "gravite": "erreur",
            "fichier": "content/crte/casse.yaml",
            "ligne": 2,
            "colonne": 6,
            "champ": "nom",
            "message": "caractère de contrôle U+0009 dans le texte",
            "aide": "remplacez la tabulation par une espace",
        }])
    );
}
