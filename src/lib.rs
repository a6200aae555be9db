//! `territoires`: YAML records of territorial cohesion policy → an accessible website, PDF
//! fiches and open datasets, from one validated source.
//!
//! [`build`] is the whole pipeline, one line per stage; [`check`] runs everything but the
//! writing. `ARCHITECTURE.md` names the module that owns each stage:
//! [`source`] (load, parse, decode) → [`validate`] (with [`check`] and [`officiel`]) →
//! [`kinds`] → [`catalog`] → [`render`] (with the [`view`]s) → [`output`].

pub mod catalog;
pub mod check;
pub mod config;
pub mod diagnostics;
pub mod error;
pub mod fonts;
pub mod import;
pub mod init;
pub mod kinds;
pub mod model;
pub mod officiel;
pub mod output;
pub mod render;
pub mod schemas;
pub mod serve;
pub mod source;
pub mod validate;
pub mod view;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Error, OpError};

use crate::catalog::Catalog;
use crate::diagnostics::{Report, plural};
use crate::kinds::KINDS;
use crate::output::{Nowhere, Output, Sink};
use crate::render::site::{GABARITS_COMMUNS, Templates};
use crate::render::theme::Theme;
use crate::render::{datasets, dcat, fiches, site};

pub struct Options {
    /// The site folder: holds `content/` and `themes/`.
    pub root: PathBuf,
    /// Where the publication goes; `<root>/output` by default.
    pub output: PathBuf,
    /// Worker threads; 1 renders sequentially.
    pub jobs: Option<usize>,
    /// The publication's date in seconds since 1970, stamped in the PDFs and printed as « mis à
    /// jour le »: the same date gives the same bytes.
    pub timestamp: i64,
    /// Warnings fail the build, as errors do: nothing is published.
    pub strict: bool,
}

/// What a successful run reports: the warnings, what was published, how long each stage took.
#[derive(Debug)]
pub struct Summary {
    pub report: Report,
    /// Records read, of every kind.
    pub records: usize,
    /// What `build` wrote; `None` for `check`.
    pub publication: Option<Publication>,
    pub etapes: Vec<Etape>,
}

/// What a build published.
#[derive(Debug)]
pub struct Publication {
    pub pages: usize,
    /// PDF files: one per record with a fiche, plus the collections' (the catalogue).
    pub pdf: usize,
    /// Tables published (each as CSV, Table Schema, in the workbook and the data package).
    pub tableaux: usize,
    /// Every file of the output folder.
    pub files: usize,
    /// Where the site lives on its host: `/territoires/` for `https://x.gouv.fr/territoires/`.
    pub chemin_de_base: String,
}

/// One stage of a run and its duration, shown with `--verbose`.
#[derive(Debug)]
pub struct Etape {
    pub nom: &'static str,
    pub quoi: String,
    pub duree: Duration,
}

/// How many tables the datasets hold, every kind together.
fn tableaux(catalog: &Catalog) -> usize {
    catalog
        .collections
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| c.schemas().len())
        .sum()
}

/// Records the stage that began at `started`.
fn stage(etapes: &mut Vec<Etape>, nom: &'static str, quoi: String, started: Instant) {
    etapes.push(Etape {
        nom,
        quoi,
        duree: started.elapsed(),
    });
}

/// Loads and validates the content: every diagnostic of every file, in one report.
pub fn load_and_validate(root: &Path, etapes: &mut Vec<Etape>) -> Result<(Catalog, Report), Error> {
    let started = Instant::now();
    let mut diags = Vec::new();
    let folders: Vec<&'static str> = KINDS.iter().map(|k| k.info().dossier).collect();
    let content = source::load(root, &folders, &mut diags)?;
    let files =
        content.records.iter().map(|(_, v)| v.len()).sum::<usize>() + content.pages.len() + 1;
    stage(etapes, "chargement", format!("{files} fichiers"), started);

    let started = Instant::now();
    limites(root, &content, &mut diags)?;
    let catalog = validate::validate(content, &mut diags);
    let mut report = Report { diagnostics: diags };
    report.sort();
    match catalog {
        Some(c) if !report.has_errors() => {
            let counts: Vec<String> = c
                .collections
                .iter()
                .map(|col| {
                    let (one, many) = col.info().unite;
                    plural(col.len(), one, many)
                })
                .collect();
            stage(etapes, "validation", counts.join(", "), started);
            Ok((c, report))
        }
        _ => Err(Error::Content(report)),
    }
}

/// Reports the texts and lists of the content beyond their limits, and the characters the
/// fiches could not print with the fonts of the site's theme (validation reports a theme that
/// does not exist).
fn limites(
    root: &Path,
    content: &source::Content,
    diags: &mut Vec<diagnostics::Diagnostic>,
) -> Result<(), Error> {
    let nom = content
        .site
        .as_ref()
        .and_then(|s| s.root.lookup("theme"))
        .and_then(|n| match &n.kind {
            source::yaml::NodeKind::Scalar(s) => Some(s.as_str()),
            _ => None,
        })
        .unwrap_or(render::theme::DEFAULT_THEME);
    let Ok(theme) = Theme::open(root, nom) else {
        return Ok(());
    };
    let couverture = fiches::couverture(&theme, root)?;
    let sources: Vec<&source::Source> = content
        .site
        .iter()
        .chain(content.records.iter().flat_map(|(_, v)| v))
        .collect();
    source::limites::verifier(&sources, &|c| couverture.imprime(c), diags);
    Ok(())
}

/// The templates every theme must resolve, its own or the default theme's: (folder, file).
pub fn gabarits_requis() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = GABARITS_COMMUNS.iter().map(|g| ("templates", *g)).collect();
    for k in KINDS {
        let info = k.info();
        out.push(("templates", info.gabarit_page));
        out.push(("templates", info.gabarit_liste));
        out.push(("typst", info.gabarit_pdf));
        out.extend(info.gabarit_pdf_collection.map(|g| ("typst", g)));
    }
    out
}

/// The required templates (see [`gabarits_requis`]) that `theme` resolves nowhere, as
/// `templates/crte.html`.
pub fn gabarits_manquants(theme: &Theme) -> Vec<String> {
    gabarits_requis()
        .into_iter()
        .filter(|(sous, nom)| theme.fichier(sous, nom).is_none())
        .map(|(sous, nom)| format!("{sous}/{nom}"))
        .collect()
}

/// The site's theme with its templates loaded, every template a kind needs resolved.
fn load_theme(root: &Path, catalog: &Catalog) -> Result<Templates, Error> {
    let theme = Theme::open(root, catalog.config.theme())?;
    let missing = gabarits_manquants(&theme);
    if !missing.is_empty() {
        let absent = if missing.len() > 1 {
            "gabarits absents"
        } else {
            "gabarit absent"
        };
        let ou = if theme.nom == render::theme::DEFAULT_THEME {
            String::new()
        } else {
            format!(
                " (ni dans ce thème, ni dans le thème {})",
                render::theme::DEFAULT_THEME
            )
        };
        return Err(OpError::new(format!(
            "thème `{}` : {absent}{ou} : {}",
            theme.nom,
            missing.join(", ")
        ))
        .into());
    }
    Ok(Templates::load(theme)?)
}

/// Validates all content, renders every page and lays out one fiche of each kind with the
/// theme's templates, and writes nothing: what `check` accepts, `build` publishes.
pub fn check(root: &Path) -> Result<Summary, Error> {
    let mut etapes = Vec::new();
    let (catalog, mut report) = load_and_validate(root, &mut etapes)?;
    let started = Instant::now();
    let templates = load_theme(root, &catalog)?;
    let jeux = datasets::write(&catalog, &Nowhere)?;
    dcat::write(&catalog, &Nowhere)?;
    site::render(&catalog, &templates, &jeux, &Nowhere)?;
    let engine = fiches::engine(templates.theme(), root)?;
    report
        .diagnostics
        .extend(fiches::check(&catalog, templates.theme(), &engine, 0)?);
    report.sort();
    stage(&mut etapes, "gabarits", "pages et fiches".into(), started);
    Ok(Summary {
        records: catalog.records(),
        report,
        publication: None,
        etapes,
    })
}

/// The whole pipeline: load → validate → datasets, PDF fiches, website → swap into `output/`.
pub fn build(opts: &Options) -> Result<Summary, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        // typst's layout recurses deeply on long tables and lists: the default 2 MiB of a
        // worker thread is not enough for every fiche.
        .stack_size(64 * 1024 * 1024)
        .build()
        .map_err(|e| {
            OpError::new(format!(
                "impossible de démarrer les tâches parallèles : {e}"
            ))
        })?;
    pool.install(|| build_in_pool(opts))
}

fn build_in_pool(opts: &Options) -> Result<Summary, Error> {
    let mut etapes = Vec::new();
    let (mut catalog, mut report) = load_and_validate(&opts.root, &mut etapes)?;
    catalog.date = Some(opts.timestamp);
    // Under `--strict` a warning stops the build before any rendering.
    let strict = |report: Report| {
        if opts.strict && report.warnings() > 0 {
            Err(Error::Content(report))
        } else {
            Ok(report)
        }
    };
    report = strict(report)?;
    let templates = load_theme(&opts.root, &catalog)?;
    let out = Output::begin(&opts.output)?;

    let started = Instant::now();
    let jeux = datasets::write(&catalog, &out)?;
    for (nom, schema) in schemas::tous() {
        out.write(&format!("schemas/{nom}"), &view::json_publie(&schema))?;
    }
    stage(
        &mut etapes,
        "données",
        plural(tableaux(&catalog), "tableau", "tableaux"),
        started,
    );

    let started = Instant::now();
    let engine = fiches::engine(templates.theme(), &opts.root)?;
    let (pdf, warnings) =
        fiches::render(&catalog, templates.theme(), &engine, opts.timestamp, &out)?;
    report.diagnostics.extend(warnings);
    report.sort();
    stage(&mut etapes, "pdf", format!("{pdf} PDF"), started);
    // The DCAT catalogue lists the PDFs too, with their sizes: written once they are.
    dcat::write(&catalog, &out)?;
    // The templates' own warnings count too; `out` is dropped unpublished.
    report = strict(report)?;

    let started = Instant::now();
    let pages = site::render(&catalog, &templates, &jeux, &out)?.len();
    site::copy_static(&templates, &catalog, &out)?;
    stage(&mut etapes, "site", format!("{pages} pages"), started);

    let started = Instant::now();
    let files = out.commit()?;
    stage(
        &mut etapes,
        "écriture",
        format!("{files} fichiers"),
        started,
    );
    Ok(Summary {
        report,
        records: catalog.records(),
        publication: Some(Publication {
            pages,
            pdf,
            tableaux: tableaux(&catalog),
            files,
            chemin_de_base: site::base_path(catalog.config.url_base()),
        }),
        etapes,
    })
}
