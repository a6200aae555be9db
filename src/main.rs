//! Command line: parses the arguments, runs the library, prints the diagnostics and picks the
//! exit code (0 ok, 1 invalid content, 2 operational failure). Every word a user reads is
//! French, clap's included: its help is laid out by our templates and its errors are said
//! again in our words.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use territoires::diagnostics::{plural, visible};
use territoires::init::Editeur;
use territoires::{Error, OpError, Options, Summary};

#[derive(Parser)]
#[command(
    name = "territoires",
    version,
    about = "Publie les fiches territoriales : site web, fiches PDF et données ouvertes",
    override_usage = "territoires <COMMANDE> [OPTIONS]",
    subcommand_value_name = "COMMANDE",
    // A no-break space before the colon clap adds, as French typography asks.
    subcommand_help_heading = "Commandes\u{a0}",
    next_help_heading = "Options\u{a0}"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Construit le site, les fiches PDF et les jeux de données dans le dossier de sortie
    #[command(
        override_usage = "territoires build [--root DOSSIER] [--output DOSSIER] [--jobs N] [--strict] [--quiet | --verbose]",
        next_help_heading = "Options\u{a0}"
    )]
    Build {
        #[command(flatten)]
        site: Racine,
        /// Dossier de sortie (par défaut : <root>/output)
        #[arg(long, value_name = "DOSSIER")]
        output: Option<PathBuf>,
        /// Nombre de tâches parallèles (1 : séquentiel ; par défaut : une par cœur)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        #[command(flatten)]
        affichage: Affichage,
    },
    /// Vérifie le contenu et les gabarits du thème sans rien écrire
    #[command(
        override_usage = "territoires check [--root DOSSIER] [--strict] [--quiet | --verbose]",
        next_help_heading = "Options\u{a0}"
    )]
    Check {
        #[command(flatten)]
        site: Racine,
        #[command(flatten)]
        affichage: Affichage,
    },
    /// Construit le site puis le sert sur cet ordinateur pour le prévisualiser
    #[command(
        override_usage = "territoires serve [--root DOSSIER] [--output DOSSIER] [--port N]",
        next_help_heading = "Options\u{a0}"
    )]
    Serve {
        #[command(flatten)]
        site: Racine,
        /// Dossier de sortie (par défaut : <root>/output)
        #[arg(long, value_name = "DOSSIER")]
        output: Option<PathBuf>,
        /// Port de 127.0.0.1 où servir le site (par défaut : 8000 ; 0 : un port libre)
        #[arg(
            long,
            value_name = "N",
            default_value_t = 8000,
            hide_default_value = true
        )]
        port: u16,
    },
    /// Écrit le schéma JSON de chaque sorte de fiche, pour la complétion dans l'éditeur de texte
    #[command(
        override_usage = "territoires schema [--output DOSSIER]",
        next_help_heading = "Options\u{a0}"
    )]
    Schema {
        /// Dossier où écrire les schémas (par défaut : schemas)
        #[arg(
            long,
            value_name = "DOSSIER",
            default_value = "schemas",
            hide_default_value = true
        )]
        output: PathBuf,
    },
    /// Importe le fichier national des CRTE (CSV ou XLSX) : une fiche par CRTE dans content/crte/
    #[command(
        override_usage = "territoires import crte FICHIER [--root DOSSIER]",
        next_help_heading = "Options\u{a0}"
    )]
    Import {
        /// Ce qui est importé : crte (le fichier national des CRTE de l'ANCT)
        #[arg(value_name = "GENRE", value_parser = ["crte"], hide_possible_values = true)]
        genre: String,
        /// Le fichier national, en CSV ou en XLSX
        #[arg(value_name = "FICHIER")]
        fichier: PathBuf,
        #[command(flatten)]
        site: Racine,
    },
    /// Crée un nouveau site : le contenu minimal d'un éditeur et ses thèmes
    #[command(
        override_usage = "territoires init [DOSSIER] --editeur prefecture --departement CODE\n       territoires init [DOSSIER] --editeur etat|collectivite --nom NOM",
        next_help_heading = "Options\u{a0}"
    )]
    Init {
        /// Dossier du nouveau site (par défaut : le dossier courant)
        #[arg(default_value = ".", value_name = "DOSSIER", hide_default_value = true)]
        dossier: PathBuf,
        /// Qui publie : prefecture, etat (service ou agence de l'État) ou collectivite
        #[arg(long, value_name = "TYPE", value_parser = ["prefecture", "etat", "collectivite"], hide_possible_values = true)]
        editeur: String,
        /// Code INSEE du département de la préfecture (48, 2A, 971)
        #[arg(long, value_name = "CODE", required_if_eq("editeur", "prefecture"))]
        departement: Option<String>,
        /// Nom de l'éditeur (service de l'État ou collectivité)
        #[arg(long, value_name = "NOM", required_if_eq_any([("editeur", "etat"), ("editeur", "collectivite")]))]
        nom: Option<String>,
    },
}

/// The site folder, for every command that reads one.
#[derive(Args)]
struct Racine {
    /// Dossier du site, qui contient content/ et themes/ (par défaut : le dossier courant)
    #[arg(
        long,
        default_value = ".",
        value_name = "DOSSIER",
        hide_default_value = true
    )]
    root: PathBuf,
}

/// What the terminal shows besides the errors (`build` and `check`).
#[derive(Args)]
struct Affichage {
    /// N'affiche que les erreurs (et les avertissements qui font échouer avec --strict)
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Affiche la durée de chaque étape
    #[arg(short, long)]
    verbose: bool,
    /// Les avertissements font échouer la commande, comme les erreurs (pour l'intégration continue)
    #[arg(long)]
    strict: bool,
    /// Format des diagnostics : humain (par défaut), github (annotations de GitHub Actions, sur la
    /// sortie standard) ou json (une liste, sur la sortie standard)
    #[arg(long, value_name = "FORMAT", default_value = "humain", value_parser = ["humain", "github", "json"], hide_possible_values = true, hide_default_value = true)]
    format: String,
}

/// The layout of every help screen, with French headings.
const AIDE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

fn aide() -> Arg {
    Arg::new("aide")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help("Affiche cette aide")
}

/// The command line as clap knows it, every heading and flag in French.
fn command() -> clap::Command {
    Cli::command()
        .help_template(AIDE)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .arg(aide())
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version"),
        )
        .mut_subcommands(|s| s.help_template(AIDE).disable_help_flag(true).arg(aide()))
}

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match cli.command {
        Command::Build {
            site: Racine { root },
            output,
            jobs,
            affichage,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            let result = construire(&root, &output, jobs, affichage.strict);
            conclure(result, &affichage, Some(&output))
                .map_or_else(|code| code, |_| ExitCode::SUCCESS)
        }
        Command::Check {
            site: Racine { root },
            affichage,
        } => {
            let result = territoires::check(&root).and_then(|s| {
                // `check` writes nothing: under `--strict` its warnings simply fail it.
                if affichage.strict && s.report.warnings() > 0 {
                    Err(Error::Content(s.report))
                } else {
                    Ok(s)
                }
            });
            conclure(result, &affichage, None).map_or_else(|code| code, |_| ExitCode::SUCCESS)
        }
        Command::Serve {
            site: Racine { root },
            output,
            port,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            let affichage = Affichage {
                quiet: false,
                verbose: false,
                strict: false,
                format: "humain".into(),
            };
            let summary = match conclure(
                construire(&root, &output, None, false),
                &affichage,
                Some(&output),
            ) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let base = summary
                .publication
                .map(|p| p.chemin_de_base)
                .unwrap_or_else(|| "/".to_string());
            let served = territoires::serve::serve(&output, &base, port, |addr| {
                eprintln!("site servi sur http://{addr}{base} (Ctrl+C pour arrêter)");
            });
            match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("erreur: {}", visible(&e.to_string()));
                    ExitCode::from(2)
                }
            }
        }
        Command::Schema { output } => {
            let write = || -> Result<usize, OpError> {
                std::fs::create_dir_all(&output).map_err(|e| OpError::io("créer", &output, e))?;
                let schemas = territoires::schemas::tous();
                for (nom, schema) in &schemas {
                    let path = output.join(nom);
                    std::fs::write(&path, territoires::view::json_publie(schema))
                        .map_err(|e| OpError::io("écrire", &path, e))?;
                }
                Ok(schemas.len())
            };
            match write() {
                Ok(n) => {
                    eprintln!(
                        "{} dans {} (voir le README : « Compléter dans son éditeur »)",
                        plural(n, "schéma écrit", "schémas écrits"),
                        output.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("erreur: {}", visible(&e.to_string()));
                    ExitCode::from(2)
                }
            }
        }
        Command::Import {
            genre: _,
            fichier,
            site: Racine { root },
        } => match territoires::import::crte(&root, &fichier) {
            Ok(bilan) => {
                let text: String = bilan
                    .avertissements
                    .iter()
                    .map(|d| format!("{d}\n"))
                    .collect();
                eprint!("{text}");
                eprintln!(
                    "import de {} : {} lues, {} dans content/crte/, {} (lignes ajoutées, rien de modifié), {} ; lancez territoires check",
                    fichier.display(),
                    plural(bilan.lignes, "ligne", "lignes"),
                    plural(bilan.crees.len(), "CRTE créé", "CRTE créés"),
                    plural(bilan.completes.len(), "CRTE complété", "CRTE complétés"),
                    plural(
                        bilan.inchanges.len(),
                        "CRTE laissé tel quel",
                        "CRTE laissés tels quels"
                    ),
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("erreur: {}", visible(&e.to_string()));
                ExitCode::from(2)
            }
        },
        Command::Init {
            dossier,
            editeur,
            departement,
            nom,
        } => {
            let editeur = match (editeur.as_str(), departement, nom) {
                ("prefecture", Some(departement), _) => Editeur::Prefecture { departement },
                ("etat", _, Some(nom)) => Editeur::Etat { nom },
                (_, _, Some(nom)) => Editeur::Collectivite { nom },
                _ => unreachable!("clap requires --departement or --nom"),
            };
            match territoires::init::init(&dossier, &editeur) {
                Ok(files) => {
                    eprintln!(
                        "nouveau site dans {} : {} ; vérifiez content/site.yaml et les pages de content/pages/, puis lancez territoires build",
                        dossier.display(),
                        plural(files.len(), "fichier écrit", "fichiers écrits")
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("erreur: {}", visible(&e.to_string()));
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// Builds the site at `root` into `output`, dated as [`date_de_publication`] says.
fn construire(
    root: &Path,
    output: &Path,
    jobs: Option<u16>,
    strict: bool,
) -> Result<Summary, Error> {
    let timestamp = date_de_publication(root).map_err(|m| Error::Operational(OpError::new(m)))?;
    territoires::build(&Options {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        jobs: jobs.map(usize::from),
        timestamp,
        strict,
    })
}

/// Prints the outcome of a run: the diagnostics then one closing line; the exit code when it
/// failed (1: content, 2: operational).
fn conclure(
    result: Result<Summary, Error>,
    affichage: &Affichage,
    output: Option<&Path>,
) -> Result<Summary, ExitCode> {
    match result {
        Ok(summary) => {
            affichage.report(&summary.report);
            if affichage.verbose {
                print_stages(&summary.etapes);
            }
            if !affichage.quiet {
                eprintln!("ok : {}", resume(&summary, output));
            }
            Ok(summary)
        }
        Err(Error::Content(report)) => {
            affichage.report(&report);
            let cause = if report.has_errors() {
                ""
            } else {
                " (--strict)"
            };
            eprintln!("échec{cause} : {} ; rien n'a été écrit", report.summary());
            Err(ExitCode::from(1))
        }
        Err(Error::Operational(e)) => {
            eprintln!("erreur: {}", visible(&e.to_string()));
            Err(ExitCode::from(2))
        }
    }
}

impl Affichage {
    /// Every diagnostic, in one write (stderr is unbuffered and a national build may print
    /// thousands); `--quiet` keeps the errors, and the warnings when `--strict` makes them fatal.
    fn report(&self, report: &territoires::diagnostics::Report) {
        use std::io::Write;
        let shown = report
            .diagnostics
            .iter()
            .filter(|d| !self.quiet || self.strict || d.is_error());
        match self.format.as_str() {
            "github" => {
                let text: String = shown.map(|d| d.github() + "\n").collect();
                let _ = std::io::stdout().lock().write_all(text.as_bytes());
            }
            "json" => {
                let list: Vec<serde_json::Value> = shown.map(|d| d.json()).collect();
                let text = serde_json::to_string_pretty(&list).expect("JSON values serialise");
                let _ = std::io::stdout().lock().write_all((text + "\n").as_bytes());
            }
            _ => {
                let text: String = shown.map(|d| format!("{d}\n")).collect();
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
            }
        }
    }
}

/// The closing line: what was read and published, then the diagnostics' counts.
/// `11 fiches publiées dans output : 121 pages, 12 PDF, 10 tableaux de données (212 fichiers) ; …`
fn resume(summary: &Summary, output: Option<&Path>) -> String {
    let fiches = plural(summary.records, "fiche", "fiches");
    let counts = summary.report.summary();
    match (&summary.publication, output) {
        (Some(p), Some(output)) => format!(
            "{fiches} {} dans {} : {}, {} PDF, {} ({}) ; {counts}",
            if summary.records > 1 {
                "publiées"
            } else {
                "publiée"
            },
            output.display(),
            plural(p.pages, "page", "pages"),
            p.pdf,
            plural(p.tableaux, "tableau de données", "tableaux de données"),
            plural(p.files, "fichier", "fichiers"),
        ),
        _ => format!(
            "{fiches} {} ; {counts}",
            if summary.records > 1 {
                "vérifiées"
            } else {
                "vérifiée"
            }
        ),
    }
}

/// `--verbose`: one line per stage with its duration.
fn print_stages(etapes: &[territoires::Etape]) {
    for e in etapes {
        eprintln!(
            "  {:<12} {:<40} {:>6} ms",
            e.nom,
            e.quoi,
            e.duree.as_millis()
        );
    }
}

/// The help and the version are printed as asked; a mistake on the command line is said in
/// French, with the way to the help. Exit code 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayVersion => {
            println!("territoires {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            eprintln!(
                "erreur: indiquez une commande : build, check, serve, schema, import ou init\n"
            );
            let _ = command().print_help();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("argument inconnu `{arg}`"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "commande inconnue `{}` : les commandes sont build, check, serve, schema, import et init",
                context(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("valeur invalide `{value}` pour {arg}")
        }
        ErrorKind::MissingRequiredArgument => format!("argument obligatoire absent : {arg}"),
        ErrorKind::ArgumentConflict => format!("arguments incompatibles : {arg}"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour {arg}")
        }
        ErrorKind::InvalidUtf8 => "argument qui n'est pas de l'UTF-8".to_string(),
        _ => "ligne de commande invalide".to_string(),
    };
    eprintln!(
        "erreur: {}\n\npour l'aide : territoires --help",
        visible(&message)
    );
    ExitCode::from(2)
}

/// The date stamped in the PDFs and printed as « mis à jour le »: `SOURCE_DATE_EPOCH`
/// (reproducible builds) if set, else the date of the content's last commit when the site is a
/// git repository (same commit, same bytes), else now.
fn date_de_publication(root: &Path) -> Result<i64, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH doit être un nombre de secondes, pas `{v}`")),
        Err(_) => Ok(
            territoires::source::date_du_contenu(root).unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            }),
        ),
    }
}
