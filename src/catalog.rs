//! Validate stage: decoded records → the read-only [`Catalog`] every renderer works from.
//!
//! Each file is decoded and checked on its own (in parallel), then the cross-file checks run
//! (unique ids, mandatory legal pages). All diagnostics are collected; the catalogue exists
//! only if none of them is an error.

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::cot::Cot;
use crate::crte::Crte;
use crate::decode::decode;
use crate::departement::Departement;
use crate::diagnostics::{Diagnostic, Severity};
use crate::ingenierie::Acteur;
use crate::load::{Content, Page, Source};
use crate::site::{EditeurType, LEGAL_PAGES, Site};
use crate::validate::Checker;

/// A validated record with its id and where it came from.
#[derive(Debug)]
pub struct Entry<T> {
    pub id: String,
    pub source: String,
    pub record: T,
}

/// Everything a build publishes, validated. Never modified once built.
#[derive(Debug)]
pub struct Catalog {
    pub site: Site,
    pub crte: Vec<Entry<Crte>>,
    /// Fiches territoriales, keyed by their département code in lower case (`48`, `2a`).
    pub departements: Vec<Entry<Departement>>,
    /// Actors of the local ingénierie catalogue.
    pub ingenierie: Vec<Entry<Acteur>>,
    /// Contrats d'objectif territorial (COT plans).
    pub cot: Vec<Entry<Cot>>,
    pub pages: Vec<Page>,
    pub static_files: Vec<(String, std::path::PathBuf)>,
}

impl Catalog {
    /// How many records of every kind.
    pub fn records(&self) -> usize {
        self.crte.len() + self.departements.len() + self.ingenierie.len() + self.cot.len()
    }
}

/// Longest id accepted: ids become folder and file names.
const MAX_ID_LEN: usize = 80;

pub fn validate(content: Content, diags: &mut Vec<Diagnostic>) -> Option<Catalog> {
    let site = content.site.as_ref().and_then(|s| {
        check(s, diags, |site: &mut Site, c| {
            site.validate(c);
            if !content.themes.iter().any(|t| t == site.theme()) {
                c.error(
                    "theme",
                    format!("thème `{}` introuvable dans themes/", site.theme()),
                    if content.themes.is_empty() {
                        "aucun thème dans le dossier themes/ du site : copiez-y themes/dsfr ou themes/neutre".to_string()
                    } else {
                        format!("thèmes disponibles : {}", content.themes.join(", "))
                    },
                );
            }
        })
    });
    let crte = records(
        content.records("crte"),
        diags,
        |r: &mut Crte, c| r.validate(c),
        |r| r.identifiant.clone().map(|id| (id, "identifiant")),
    );
    let ingenierie = records(
        content.records("ingenierie"),
        diags,
        |r: &mut Acteur, c| r.validate(c),
        |r| r.identifiant.clone().map(|id| (id, "identifiant")),
    );
    let cot = records(
        content.records("cot"),
        diags,
        |r: &mut Cot, c| r.validate(c),
        |r| r.identifiant.clone().map(|id| (id, "identifiant")),
    );
    let departements = records(
        content.records("departements"),
        diags,
        |r: &mut Departement, c| {
            let stem = c.source.stem.clone();
            r.validate(c, &stem)
        },
        |r| r.code.as_ref().map(|c| (c.to_lowercase(), "code")),
    );

    if let Some(site) = &site
        && site.editeur.as_ref().and_then(|e| e.kind) == Some(EditeurType::Etat)
    {
        for (slug, title) in LEGAL_PAGES {
            if !content.pages.iter().any(|p| p.slug == slug) {
                diags.push(
                    Diagnostic::file_level(Severity::Error, &format!("content/pages/{slug}.md"), format!("page obligatoire « {title} » absente"))
                        .with_hint("le pied de page d'un site de l'État renvoie vers cette page : rédigez-la en markdown dans ce fichier"),
                );
            }
        }
    }

    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Catalog {
        site: site?,
        crte,
        departements,
        ingenierie,
        cot,
        pages: content.pages,
        static_files: content.static_files,
    })
}

/// Decodes and checks one file.
fn check<T: DeserializeOwned>(
    source: &Source,
    diags: &mut Vec<Diagnostic>,
    validate: impl Fn(&mut T, &mut Checker),
) -> Option<T> {
    match decode::<T>(&source.display, &source.text, &source.root) {
        Ok(mut record) => {
            let mut checker = Checker::new(source);
            validate(&mut record, &mut checker);
            diags.extend(checker.out);
            Some(record)
        }
        Err(mut d) => {
            diags.append(&mut d);
            None
        }
    }
}

/// Decodes, checks and identifies every record of one kind; ids must be unique.
fn records<T: DeserializeOwned + Send>(
    sources: &[Source],
    diags: &mut Vec<Diagnostic>,
    validate: impl Fn(&mut T, &mut Checker) + Sync,
    identifiant: impl Fn(&T) -> Option<(String, &'static str)> + Sync,
) -> Vec<Entry<T>> {
    let results: Vec<(Vec<Diagnostic>, Option<Entry<T>>)> = sources
        .par_iter()
        .map(|source| {
            let mut local = Vec::new();
            let entry = check(source, &mut local, &validate).and_then(|record| {
                let (id, path) = match identifiant(&record) {
                    Some(pair) => pair,
                    None => (source.stem.clone(), ""),
                };
                if let Some(problem) = id_problem(&id) {
                    let d = if path.is_empty() {
                        Diagnostic::file_level(Severity::Error, &source.display, format!("nom de fichier inutilisable comme identifiant : {problem}"))
                    } else {
                        let node = source.root.closest(path);
                        Diagnostic::at(Severity::Error, &source.display, &source.text, node.pos, node.width, format!("identifiant invalide : {problem}"))
                            .with_field(path)
                    };
                    local.push(d.with_hint(format!(
                        "un identifiant n'a que des minuscules sans accent, des chiffres et des tirets, par exemple `{}`",
                        suggest_id(&id)
                    )));
                    return None;
                }
                Some(Entry { id, source: source.display.clone(), record })
            });
            (local, entry)
        })
        .collect();
    let mut entries: Vec<Entry<T>> = Vec::new();
    for (mut local, entry) in results {
        diags.append(&mut local);
        let Some(entry) = entry else { continue };
        if let Some(first) = entries.iter().find(|e| e.id == entry.id) {
            diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    &entry.source,
                    format!("identifiant `{}` déjà utilisé", entry.id),
                )
                .with_hint(format!(
                    "`{}` a le même identifiant : renommez l'un des deux fichiers",
                    first.source
                )),
            );
            continue;
        }
        entries.push(entry);
    }
    entries
}

/// Why `id` cannot name a folder of the site, if it cannot.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("il est vide".to_string());
    }
    if id.chars().count() > MAX_ID_LEN {
        return Some(format!("plus de {MAX_ID_LEN} caractères"));
    }
    if id.contains("..") || id.contains('/') || id.contains('\\') {
        return Some(format!("`{id}` sortirait de son dossier"));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || id.starts_with('-')
        || id.ends_with('-')
    {
        return Some(format!("`{id}` contient des caractères non permis"));
    }
    None
}

fn suggest_id(id: &str) -> String {
    let folded: String = id
        .chars()
        .map(|c| {
            let f = crate::referentiel::fold(&c.to_string());
            if f.is_empty() { "-".to_string() } else { f }
        })
        .collect();
    let parts: Vec<&str> = folded.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "crte-lozere".to_string()
    } else {
        parts.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape() {
        assert_eq!(id_problem("lozere-terres-de-vie"), None);
        assert_eq!(
            id_problem("../../etc").unwrap(),
            "`../../etc` sortirait de son dossier"
        );
        assert!(id_problem("Lozère").is_some());
        assert_eq!(suggest_id("Lozère Terres de Vie"), "lozere-terres-de-vie");
    }
}
