//! `territoires`: YAML records of territorial cohesion policy → an accessible website, PDF
//! fiches and open datasets, from one validated source.
//!
//! [`build`] is the whole pipeline, one line per stage; [`check`] stops after validation.
//! `ARCHITECTURE.md` names the module that owns each stage.

pub mod carte;
pub mod catalog;
pub mod cot;
pub mod crte;
pub mod datasets;
pub mod decode;
pub mod departement;
pub mod diagnostics;
pub mod fiche;
pub mod format;
pub mod graphique;
pub mod html;
pub mod ingenierie;
pub mod load;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod referentiel;
pub mod site;
pub mod validate;
pub mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::diagnostics::Report;

/// A failure that is not the content's fault: a file that cannot be read or written, a
/// broken template. Exit code 2.
#[derive(Debug)]
pub struct OpError {
    message: String,
}

impl OpError {
    pub fn new(message: impl Into<String>) -> Self {
        OpError {
            message: message.into(),
        }
    }

    /// `impossible de lire `content/crte/x.yaml` : permission refusée`.
    pub fn io(action: &str, path: &Path, e: std::io::Error) -> Self {
        OpError::new(format!("impossible de {action} `{}` : {e}", path.display()))
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OpError {}

/// Why a run failed.
#[derive(Debug)]
pub enum Error {
    /// The content has errors (exit code 1); the report holds every diagnostic.
    Content(Report),
    /// Something outside the content went wrong (exit code 2).
    Operational(OpError),
}

impl From<OpError> for Error {
    fn from(e: OpError) -> Self {
        Error::Operational(e)
    }
}

impl From<pdf::PdfError> for Error {
    fn from(e: pdf::PdfError) -> Self {
        Error::Operational(OpError::new(e.to_string()))
    }
}

pub struct Options {
    /// The site folder: holds `content/` and `themes/`.
    pub root: PathBuf,
    /// Where the publication goes; `<root>/output` by default.
    pub output: PathBuf,
    /// Worker threads; 1 renders sequentially.
    pub jobs: Option<usize>,
    /// Seconds since 1970 stamped in the PDFs (from `SOURCE_DATE_EPOCH`) so builds are reproducible.
    pub timestamp: i64,
}

/// What a successful run reports: the warnings, and what was written.
#[derive(Debug)]
pub struct Summary {
    pub report: Report,
    pub files: usize,
    pub records: usize,
}

/// Prints one stage line: `  validation    2 fiches             3 ms`.
fn stage(name: &str, what: String, started: Instant) {
    eprintln!(
        "  {name:<12} {what:<28} {:>6} ms",
        started.elapsed().as_millis()
    );
}

/// Loads and validates the content: every diagnostic of every file, in one report.
fn load_and_validate(root: &Path) -> Result<(Catalog, Report), Error> {
    let started = Instant::now();
    let mut diags = Vec::new();
    let content = load::load(root, &mut diags)?;
    let files =
        content.records.iter().map(|(_, v)| v.len()).sum::<usize>() + content.pages.len() + 1;
    stage("chargement", format!("{files} fichiers"), started);

    let started = Instant::now();
    let catalog = catalog::validate(content, &mut diags);
    let mut report = Report { diagnostics: diags };
    report.sort();
    match catalog {
        Some(c) if !report.has_errors() => {
            stage(
                "validation",
                format!(
                    "{} CRTE, {}, {}, {} COT",
                    c.crte.len(),
                    diagnostics::plural(c.departements.len(), "département", "départements"),
                    diagnostics::plural(c.ingenierie.len(), "acteur", "acteurs"),
                    c.cot.len()
                ),
                started,
            );
            Ok((c, report))
        }
        _ => Err(Error::Content(report)),
    }
}

/// Validates all content and writes nothing.
pub fn check(root: &Path) -> Result<Summary, Error> {
    let (catalog, report) = load_and_validate(root)?;
    Ok(Summary {
        records: catalog.records(),
        report,
        files: 0,
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
    let (catalog, report) = load_and_validate(&opts.root)?;
    let theme_dir = opts.root.join("themes").join(catalog.site.theme());
    let out = output::Output::begin(&opts.output)?;

    let started = Instant::now();
    let jeux = datasets::write(&catalog, &out)?;
    stage(
        "données",
        diagnostics::plural(jeux.len(), "jeu de données", "jeux de données"),
        started,
    );

    let started = Instant::now();
    let fiches = render_pdfs(&catalog, &theme_dir, &opts.root, opts.timestamp, &out)?;
    stage("pdf", format!("{fiches} fiches"), started);

    let started = Instant::now();
    let theme = html::Theme::load(&theme_dir)?;
    let pages = html::render(&catalog, &theme, &jeux, &out)?;
    html::copy_static(&theme, &catalog, &out)?;
    stage("site", format!("{} pages", pages.len()), started);

    let started = Instant::now();
    let files = out.commit()?;
    stage("écriture", format!("{files} fichiers"), started);
    Ok(Summary {
        report,
        files,
        records: catalog.records(),
    })
}

/// The theme whose fonts and fiche templates other themes may use instead of their own.
const DEFAULT_THEME: &str = "dsfr";

/// One PDF per record, in parallel, with one typst engine (fonts, library) for all.
fn render_pdfs(
    catalog: &Catalog,
    theme_dir: &Path,
    root: &Path,
    timestamp: i64,
    out: &output::Output,
) -> Result<usize, Error> {
    // A theme without its own fonts uses the default theme's committed free fonts.
    let own_fonts = theme_dir.join("fonts");
    let fonts = if own_fonts.is_dir() {
        own_fonts
    } else {
        root.join("themes").join(DEFAULT_THEME).join("fonts")
    };
    let mut font_dirs = vec![fonts];
    let publisher_fonts = root.join("content").join("static").join("fonts");
    if publisher_fonts.is_dir() {
        font_dirs.push(publisher_fonts);
    }
    // A theme may keep only its own `commun.typ` (identity band, colours): the fiche
    // templates it lacks are the default theme's, and import the theme's `commun.typ`.
    let mut engine = pdf::PdfEngine::new(&theme_dir.join("typst"), &font_dirs)?;
    let default_typst = root.join("themes").join(DEFAULT_THEME).join("typst");
    if theme_dir != root.join("themes").join(DEFAULT_THEME) && default_typst.is_dir() {
        engine = engine.with_fallback(&default_typst)?;
    }
    let site = serde_json::json!({
        "titre": catalog.site.titre,
        "editeur": catalog.site.editeur,
    });
    // One fiche: its data as JSON, its template, its title, and where it goes (`crte/x.pdf`).
    let render = |template: &str,
                  data: serde_json::Value,
                  title: String,
                  path: String,
                  source: &str,
                  files: &[(String, Vec<u8>)]| {
        let meta = pdf::PdfMeta {
            title,
            lang: "fr".into(),
            ident: path.trim_end_matches(".pdf").to_string(),
            timestamp,
        };
        let (bytes, _) = engine
            .render_with_files(template, &data.to_string(), &meta, files)
            .map_err(|err| OpError::new(format!("fiche PDF de `{source}` : {err}")))?;
        out.write(&path, &bytes).map_err(Error::from)
    };
    catalog.crte.par_iter().try_for_each(|e| {
        let fiche = e.record.fiche(&e.id, fiche::Liens::default());
        let title = fiche.titre.clone();
        let data = serde_json::json!({ "site": site, "fiche": fiche, "record": e.record });
        render(
            "crte.typ",
            data,
            title,
            format!("crte/{}.pdf", e.id),
            &e.source,
            &[],
        )
    })?;
    catalog.departements.par_iter().try_for_each(|e| {
        let code = e.record.code.as_deref().unwrap_or(&e.id);
        let d = referentiel::get()
            .departement(code)
            .expect("validated code");
        let fiche = html::departement_view(catalog, d, "");
        let data = serde_json::json!({ "site": site, "fiche": fiche, "record": e.record });
        let title = format!("Fiche territoriale — {}", d.nom);
        render(
            "departement.typ",
            data,
            title,
            format!("departements/{}.pdf", e.id),
            &e.source,
            &[],
        )
    })?;
    // The actors' logos, served to the typst templates as `/logos/<id>.<ext>`.
    let logos: Vec<(String, Vec<u8>)> = catalog
        .ingenierie
        .iter()
        .filter_map(|e| {
            let (bytes, ext) = e.record.logo_fichier.as_ref()?;
            Some((format!("/logos/{}.{ext}", e.id), bytes.clone()))
        })
        .collect();
    catalog.ingenierie.par_iter().try_for_each(|e| {
        let data = serde_json::json!({ "site": site, "acteur": e.record.view(&e.id) });
        let title = format!("Ingénierie locale — {}", e.record.titre());
        let logo: Vec<(String, Vec<u8>)> = logos
            .iter()
            .filter(|(name, _)| name.starts_with(&format!("/logos/{}.", e.id)))
            .cloned()
            .collect();
        render(
            "acteur.typ",
            data,
            title,
            format!("ingenierie/{}.pdf", e.id),
            &e.source,
            &logo,
        )
    })?;
    catalog.cot.par_iter().try_for_each(|e| {
        let plan = e.record.view(&e.id, false);
        let title = plan.titre_complet.clone();
        let data = serde_json::json!({ "site": site, "plan": plan });
        render(
            "cot.typ",
            data,
            title,
            format!("cot/{}.pdf", e.id),
            &e.source,
            &[],
        )
    })?;
    if !catalog.ingenierie.is_empty() {
        let acteurs: Vec<(String, &ingenierie::Acteur)> = catalog
            .ingenierie
            .iter()
            .map(|e| (e.id.clone(), &e.record))
            .collect();
        let mut data = ingenierie::catalogue_view(catalog.site.ingenierie.as_ref(), &acteurs);
        data["site"] = site.clone();
        let title = data["catalogue"]["titre"]
            .as_str()
            .unwrap_or("Ingénierie locale")
            .to_string();
        render(
            "catalogue.typ",
            data,
            title,
            "ingenierie/catalogue.pdf".into(),
            "content/ingenierie/",
            &logos,
        )?;
    }
    Ok(catalog.crte.len()
        + catalog.departements.len()
        + catalog.ingenierie.len()
        + catalog.cot.len()
        + usize::from(!catalog.ingenierie.is_empty()))
}
