//! Validate stage: decoded records → the read-only [`Catalog`] every renderer works from.
//!
//! Each file is decoded and checked on its own (in parallel), kind by kind, then the checks
//! across files run (unique ids, mandatory legal pages, the theme exists). All diagnostics are
//! collected; the catalogue exists only if none of them is an error.

use crate::catalog::Catalog;
use crate::config::{Config, EditeurType, LEGAL_PAGES, RESERVED_PAGES};
use crate::diagnostics::{Diagnostic, Severity};
use crate::kinds::{KINDS, decode_and_check, id_problem};
use crate::source::Content;

pub fn validate(content: Content, diags: &mut Vec<Diagnostic>) -> Option<Catalog> {
    let config = content.site.as_ref().and_then(|s| {
        decode_and_check(s, diags, |config: &mut Config, c| {
            config.check(c);
            if !content.themes.iter().any(|t| t == config.theme()) {
                c.error(
                    "theme",
                    format!("thème `{}` introuvable dans themes/", config.theme()),
                    if content.themes.is_empty() {
                        "aucun thème dans le dossier themes/ du site : copiez-y themes/dsfr ou themes/neutre".to_string()
                    } else {
                        format!("thèmes disponibles : {}", content.themes.join(", "))
                    },
                );
            }
        })
    });
    let collections: Vec<_> = KINDS
        .iter()
        .map(|kind| kind.charger(content.records(kind.info().dossier), diags))
        .collect();

    if let Some(config) = &config
        && config.editeur.as_ref().and_then(|e| e.kind) == Some(EditeurType::Etat)
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

    for page in &content.pages {
        let taken = KINDS.iter().any(|k| k.info().dossier == page.slug)
            || RESERVED_PAGES.contains(&page.slug.as_str());
        let problem = id_problem(&page.slug).or_else(|| {
            taken.then(|| format!("`{}` est l'adresse d'une partie du site", page.slug))
        });
        if let Some(problem) = problem {
            diags.push(
                Diagnostic::file_level(Severity::Error, &page.display, format!("nom de page inutilisable : {problem}"))
                    .with_hint("le nom du fichier donne l'adresse de la page : des minuscules sans accent, des chiffres et des tirets, autre que celle d'une partie du site (crte, donnees, static…)"),
            );
        }
    }

    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Catalog {
        config: config?,
        collections,
        pages: content.pages,
        static_files: content.static_files,
        date: None,
    })
}
