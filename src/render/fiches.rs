//! Render stage: the PDF fiches. One per record of every kind, and one per collection that has
//! one (the ingénierie catalogue), each laid out by the theme's typst template from the view
//! its page shows: the template reads `{site, vue}` from `/data.json`. typst's warnings become
//! diagnostics, once per template line however many fiches raise them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Value, json};

use super::pdf::{Couverture, Message, PdfEngine, PdfMeta};
use super::theme::Theme;
use crate::catalog::{Catalog, FichePdf};
use crate::diagnostics::{Diagnostic, Pos, Severity};
use crate::error::OpError;
use crate::output::Sink;
use crate::view::NON_RENSEIGNE;

/// The font folders of a build: the theme's fonts (else the default theme's free fonts), and
/// the publisher's fonts when provided. The fallback fonts come after them (see `pdf`).
fn polices(theme: &Theme, root: &Path) -> Vec<PathBuf> {
    let mut fonts: Vec<PathBuf> = theme.dossiers("fonts").into_iter().take(1).collect();
    let publisher = root.join("content").join("static").join("fonts");
    if publisher.is_dir() {
        fonts.push(publisher);
    }
    fonts
}

/// The typst engine of a build: the theme's typst folders (its own, then the default theme's)
/// and the build's fonts.
pub fn engine(theme: &Theme, root: &Path) -> Result<PdfEngine, OpError> {
    PdfEngine::new(
        &theme.dossiers("typst"),
        &polices(theme, root),
        &[("non_renseigne", NON_RENSEIGNE)],
    )
    .map_err(|error| pdf_error(theme, error))
}

/// The characters the fiches of a build can print, with the fonts its engine loads.
pub fn couverture(theme: &Theme, root: &Path) -> Result<Couverture, OpError> {
    Couverture::new(&polices(theme, root)).map_err(|error| pdf_error(theme, error))
}

fn pdf_error(theme: &Theme, error: super::pdf::PdfError) -> OpError {
    OpError::Pdf {
        source_fiche: format!("themes/{}/typst", theme.nom),
        error: Box::new(error),
    }
}

/// Every fiche to render, in order: each record's, then each collection's.
fn toutes(catalog: &Catalog) -> Vec<(usize, Option<usize>)> {
    let mut out = Vec::new();
    for (k, c) in catalog.collections.iter().enumerate() {
        out.extend((0..c.len()).map(|i| (k, Some(i))));
        out.push((k, None));
    }
    out
}

fn fiche(catalog: &Catalog, (k, i): (usize, Option<usize>)) -> Option<FichePdf> {
    let c = &catalog.collections[k];
    match i {
        Some(i) => Some(c.fiche(i, catalog)),
        None => c.fiche_collection(catalog),
    }
}

fn meta(f: &FichePdf, timestamp: i64) -> PdfMeta {
    PdfMeta {
        title: f.titre.clone(),
        lang: "fr".into(),
        ident: f.chemin.trim_end_matches(".pdf").to_string(),
        timestamp,
    }
}

/// What a fiche's template reads: the site, the fiche's view, the lines of its bloc-marque,
/// and the date it was last changed.
fn data(catalog: &Catalog, site: &Value, f: &FichePdf) -> Value {
    let marque = catalog.config.marque(f.departement.as_deref());
    // The record's JSON, when the fiche carries it (`Collection::fiche`): its virtual path.
    let donnees = f
        .fichiers
        .iter()
        .map(|(chemin, _)| chemin)
        .find(|c| c.ends_with(".json"));
    let mis_a_jour = f.date.map(crate::config::DateVue::from_unix);
    json!({ "site": site, "vue": f.vue, "marque": marque, "donnees": donnees, "mis_a_jour": mis_a_jour })
}

/// Runs `action` on the fiches `which` in parallel, with each fiche's data as its template
/// reads it: the fiches it rendered with their typst warnings, as diagnostics, or the first
/// failure in fiche order, whichever thread met it first.
fn pour_chaque(
    catalog: &Catalog,
    theme: &Theme,
    which: Vec<(usize, Option<usize>)>,
    action: impl Fn(&FichePdf, &str) -> Result<Vec<Message>, OpError> + Sync,
) -> Result<(usize, Vec<Diagnostic>), OpError> {
    let site = serde_json::to_value(catalog.vue_site()).expect("views serialise");
    let rendus: Vec<Option<(String, Vec<Message>)>> = which
        .into_par_iter()
        .map(|w| {
            let Some(f) = fiche(catalog, w) else {
                return Ok(None);
            };
            let avertissements = action(&f, &data(catalog, &site, &f).to_string())?;
            Ok(Some((f.chemin, avertissements)))
        })
        .collect::<Vec<Result<_, OpError>>>()
        .into_iter()
        .collect::<Result<_, OpError>>()?;
    let rendus: Vec<(String, Vec<Message>)> = rendus.into_iter().flatten().collect();
    Ok((rendus.len(), diagnostics(theme, &rendus)))
}

/// Renders every fiche and writes it; returns how many, and typst's warnings.
pub fn render(
    catalog: &Catalog,
    theme: &Theme,
    engine: &PdfEngine,
    timestamp: i64,
    out: &dyn Sink,
) -> Result<(usize, Vec<Diagnostic>), OpError> {
    pour_chaque(catalog, theme, toutes(catalog), |f, data| {
        let rendu = engine
            .render(f.gabarit, data, &meta(f, timestamp), &f.fichiers)
            .map_err(|error| erreur(theme, f, error))?;
        out.write(&f.chemin, &rendu.pdf)?;
        Ok(rendu.avertissements)
    })
}

/// Lays out the first fiche of each kind and each collection's fiche without writing them:
/// a template that typst refuses is an error here, as it would be in a build.
pub fn check(
    catalog: &Catalog,
    theme: &Theme,
    engine: &PdfEngine,
    timestamp: i64,
) -> Result<Vec<Diagnostic>, OpError> {
    let echantillon: Vec<(usize, Option<usize>)> = catalog
        .collections
        .iter()
        .enumerate()
        .flat_map(|(k, c)| [(!c.is_empty()).then_some((k, Some(0))), Some((k, None))])
        .flatten()
        .collect();
    let (_, diagnostics) = pour_chaque(catalog, theme, echantillon, |f, data| {
        engine
            .compile(f.gabarit, data, &meta(f, timestamp), &f.fichiers)
            .map_err(|error| erreur(theme, f, error))
    })?;
    Ok(diagnostics)
}

/// A fiche's failure, its template files named from the site root.
fn erreur(theme: &Theme, f: &FichePdf, error: super::pdf::PdfError) -> OpError {
    OpError::Pdf {
        source_fiche: f.source.clone(),
        error: Box::new(error.montre_fichiers(|p| theme.montre(Path::new(p)))),
    }
}

/// The data the template of the fiche at `chemin` (`crte/x.pdf`) reads as `/data.json`,
/// pretty-printed: what the test fixtures and the benchmarks render.
pub fn donnees(catalog: &Catalog, chemin: &str) -> Option<String> {
    let site = serde_json::to_value(catalog.vue_site()).expect("views serialise");
    let f = toutes(catalog)
        .into_iter()
        .filter_map(|which| fiche(catalog, which))
        .find(|f| f.chemin == chemin)?;
    let data = data(catalog, &site, &f);
    Some(serde_json::to_string_pretty(&data).expect("views serialise") + "\n")
}

/// A warning's place and text: the same warning raised by many fiches is said once.
type Cle = (Option<String>, Option<(usize, usize)>, String);

/// typst's warnings as diagnostics: one per place and text, naming the fiches that raise it.
fn diagnostics(theme: &Theme, rendus: &[(String, Vec<Message>)]) -> Vec<Diagnostic> {
    let mut par_message: BTreeMap<Cle, (&Message, Vec<&str>)> = BTreeMap::new();
    for (chemin, messages) in rendus {
        for m in messages {
            par_message
                .entry((m.fichier.clone(), m.position, m.texte.clone()))
                .or_insert((m, Vec::new()))
                .1
                .push(chemin);
        }
    }
    par_message
        .into_values()
        .map(|(m, fiches)| {
            let file = m.fichier.as_deref().map_or_else(
                || format!("themes/{}/typst", theme.nom),
                |f| theme.montre(Path::new(f)),
            );
            let mut d =
                Diagnostic::file_level(Severity::Warning, &file, format!("typst : {}", m.texte));
            if let Some((line, col)) = m.position {
                d.pos = Some(Pos { line, col });
                d.width = m.largeur;
                d.source_line = m.ligne_source.clone();
            }
            let fiches = match fiches.as_slice() {
                [une] => format!("fiche {une}"),
                [premiere, ..] => format!("{} fiches, dont {premiere}", fiches.len()),
                [] => String::new(),
            };
            let mut hint = fiches;
            for aide in &m.aides {
                hint.push_str(" ; ");
                hint.push_str(aide);
            }
            d.with_hint(hint)
        })
        .collect()
}
