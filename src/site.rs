//! The site configuration, `content/site.yaml`: title, address, publisher, theme, legal pages.

use serde::{Deserialize, Serialize};

use crate::validate::Checker;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Site {
    pub titre: Option<String>,
    pub description: Option<String>,
    /// Absolute address of the published site, ending with `/`.
    pub url_base: Option<String>,
    pub editeur: Option<Editeur>,
    /// Theme folder under `themes/`; `dsfr` by default.
    pub theme: Option<String>,
    /// RGAA conformity of the site, shown in the footer: `totale`, `partielle` or `non`.
    pub conformite_accessibilite: Option<Conformite>,
    /// Settings of the local ingénierie catalogue (département, single entry point).
    pub ingenierie: Option<crate::ingenierie::Catalogue>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Editeur {
    pub nom: Option<String>,
    /// `etat` for a State service (préfecture, DDT(M), ANCT), `collectivite` otherwise.
    #[serde(rename = "type")]
    pub kind: Option<EditeurType>,
    /// Code INSEE of the publisher's département, if any.
    pub departement: Option<String>,
    pub adresse: Option<String>,
    pub email: Option<String>,
    /// Director of publication, for the mentions légales.
    pub directeur_publication: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EditeurType {
    Etat,
    Collectivite,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Conformite {
    Totale,
    Partielle,
    Non,
}

impl Conformite {
    pub fn label(self) -> &'static str {
        match self {
            Conformite::Totale => "totalement conforme",
            Conformite::Partielle => "partiellement conforme",
            Conformite::Non => "non conforme",
        }
    }
}

/// The legal pages every State site links from its footer, with their slugs.
pub const LEGAL_PAGES: [(&str, &str); 4] = [
    ("accessibilite", "Accessibilité"),
    ("mentions-legales", "Mentions légales"),
    ("donnees-personnelles", "Données personnelles"),
    ("gestion-des-cookies", "Gestion des cookies"),
];

impl Site {
    pub fn theme(&self) -> &str {
        self.theme.as_deref().unwrap_or("dsfr")
    }

    pub fn url_base(&self) -> &str {
        self.url_base.as_deref().unwrap_or("/")
    }

    pub fn validate(&mut self, c: &mut Checker) {
        c.required(
            "titre",
            self.titre.is_some(),
            "donnez un titre au site, par exemple `titre: Contrats territoriaux de la Lozère`",
        );
        c.required("url_base", self.url_base.is_some(), "indiquez l'adresse publique du site, par exemple `url_base: https://www.lozere.gouv.fr/territoires/`");
        if let Some(url) = &mut self.url_base {
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(char::is_whitespace)
            {
                c.error(
                    "url_base",
                    format!("adresse invalide `{url}`"),
                    "écrivez une adresse complète commençant par https://".to_string(),
                );
            } else if !url.ends_with('/') {
                url.push('/');
            }
        }
        if let Some(i) = &self.ingenierie {
            c.departement("ingenierie.departement", &i.departement);
            c.email("ingenierie.adresse_unique", &i.adresse_unique);
        }
        c.required(
            "editeur",
            self.editeur.is_some(),
            "décrivez l'éditeur du site : `editeur:` avec `nom` et `type` (etat ou collectivite)",
        );
        if let Some(e) = &self.editeur {
            c.required(
                "editeur.nom",
                e.nom.is_some(),
                "nom du service éditeur, par exemple `Préfecture de la Lozère`",
            );
            c.required(
                "editeur.type",
                e.kind.is_some(),
                "`type: etat` pour un service de l'État, `type: collectivite` sinon",
            );
            c.departement("editeur.departement", &e.departement);
            c.email("editeur.email", &e.email);
            if e.kind == Some(EditeurType::Collectivite) && self.theme() == "dsfr" {
                c.error(
                    "theme",
                    "le thème `dsfr` (Système de design de l'État) est réservé aux services de l'État",
                    "une collectivité utilise le thème `neutre` : écrivez `theme: neutre`".to_string(),
                );
            }
        }
    }
}
