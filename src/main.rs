//! Command line: parses the arguments, runs the library, prints the diagnostics and picks the
//! exit code (0 ok, 1 invalid content, 2 operational failure).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use territoires::{Error, Options, Summary};

#[derive(Parser)]
#[command(
    name = "territoires",
    version,
    about = "Publie les fiches territoriales : site web, fiches PDF et données ouvertes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Construit le site, les fiches PDF et les jeux de données dans le dossier de sortie
    Build {
        /// Dossier du site (contient content/ et themes/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Dossier de sortie (par défaut : <root>/output)
        #[arg(long)]
        output: Option<PathBuf>,
        /// Nombre de tâches parallèles (1 : séquentiel ; par défaut : un par cœur)
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
    },
    /// Vérifie tout le contenu sans rien écrire
    Check {
        /// Dossier du site (contient content/ et themes/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { root, output, jobs } => {
            let timestamp = match source_date_epoch() {
                Ok(t) => t,
                Err(message) => {
                    eprintln!("erreur: {message}");
                    return ExitCode::from(2);
                }
            };
            let output = output.unwrap_or_else(|| root.join("output"));
            eprintln!("construction de {}", root.display());
            territoires::build(&Options {
                root,
                output: output.clone(),
                jobs: jobs.map(usize::from),
                timestamp,
            })
            .inspect(|s| eprintln!("{} fichiers écrits dans {}", s.files, output.display()))
        }
        Command::Check { root } => {
            eprintln!("vérification de {}", root.display());
            territoires::check(&root)
        }
    };
    match result {
        Ok(Summary {
            report, records, ..
        }) => {
            print_report(&report);
            eprintln!(
                "ok : {}, {}",
                territoires::diagnostics::plural(records, "fiche", "fiches"),
                report.summary()
            );
            ExitCode::SUCCESS
        }
        Err(Error::Content(report)) => {
            print_report(&report);
            eprintln!("échec : {} ; rien n'a été écrit", report.summary());
            ExitCode::from(1)
        }
        Err(Error::Operational(e)) => {
            eprintln!("erreur: {e}");
            ExitCode::from(2)
        }
    }
}

/// Every diagnostic, in one write: stderr is unbuffered and a national build may print thousands.
fn print_report(report: &territoires::diagnostics::Report) {
    use std::io::Write;
    let text: String = report
        .diagnostics
        .iter()
        .map(|d| format!("{d}\n"))
        .collect();
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `SOURCE_DATE_EPOCH` (reproducible builds), or 0 when unset: the same content then gives
/// the same bytes whatever the day of the build.
fn source_date_epoch() -> Result<i64, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH doit être un nombre de secondes, pas `{v}`")),
        Err(_) => Ok(0),
    }
}
