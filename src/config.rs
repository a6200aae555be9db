//! The site's settings, `content/site.yaml` (validate stage): title, address, publisher,
//! theme, accessibility, the settings of the ingénierie catalogue, and the legal pages a State
//! site must have.

use serde::{Deserialize, Serialize};

use crate::check::Checker;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Config {
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
    pub ingenierie: Option<IngenierieConfig>,
}

/// The settings of the ingénierie catalogue, under `ingenierie:`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct IngenierieConfig {
    /// Code INSEE of the département whose catalogue this is.
    pub departement: Option<String>,
    /// The département's single entry point for ingénierie requests.
    pub adresse_unique: Option<String>,
    /// Markdown shown above the actors.
    pub introduction: Option<String>,
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

impl Config {
    pub fn theme(&self) -> &str {
        self.theme.as_deref().unwrap_or("dsfr")
    }

    pub fn url_base(&self) -> &str {
        self.url_base.as_deref().unwrap_or("/")
    }

    pub fn check(&mut self, c: &mut Checker) {
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

/// The site as every page and every PDF template sees it (`site`).
#[derive(Clone, Debug, Serialize)]
pub struct SiteVue {
    pub titre: String,
    pub description: String,
    /// Absolute address of the site, ending with `/`.
    pub url_base: String,
    pub langue: &'static str,
    pub editeur: EditeurVue,
    /// `partiellement conforme`.
    pub accessibilite: &'static str,
    pub licence: LicenceVue,
    pub dsfr_version: &'static str,
    /// What pages and PDFs print for a value that was not provided.
    pub non_renseigne: &'static str,
    /// The lines of the publisher's bloc-marque in the header and the footer (see
    /// [`Config::marque`]).
    pub marque: Vec<String>,
    /// « mis à jour le », when something is published.
    pub mis_a_jour: Option<DateVue>,
}

/// A date, as read (`29 novembre 2026`) and as machines read it (`2026-11-29`).
#[derive(Clone, Debug, Serialize)]
pub struct DateVue {
    pub texte: String,
    pub iso: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct EditeurVue {
    pub nom: String,
    /// `etat` or `collectivite`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub departement: Option<DepartementEditeur>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepartementEditeur {
    pub code: String,
    pub nom: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct LicenceVue {
    pub nom: &'static str,
    pub url: &'static str,
}

impl Config {
    pub fn vue(&self) -> SiteVue {
        let editeur = self.editeur.clone().unwrap_or_default();
        SiteVue {
            titre: self.titre.clone().unwrap_or_default(),
            description: self.description.clone().unwrap_or_default(),
            url_base: self.url_base().to_string(),
            langue: "fr",
            editeur: EditeurVue {
                nom: editeur.nom.unwrap_or_default(),
                kind: if editeur.kind == Some(EditeurType::Collectivite) {
                    "collectivite"
                } else {
                    "etat"
                },
                departement: editeur
                    .departement
                    .as_deref()
                    .and_then(|c| crate::officiel::get().departement(c))
                    .map(|d| DepartementEditeur {
                        code: d.code.clone(),
                        nom: d.nom.clone(),
                    }),
            },
            accessibilite: self
                .conformite_accessibilite
                .unwrap_or(Conformite::Non)
                .label(),
            licence: LicenceVue {
                nom: "Licence Ouverte 2.0",
                url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
            dsfr_version: "1.15.3",
            non_renseigne: crate::view::NON_RENSEIGNE,
            marque: self.marque(None),
            mis_a_jour: None,
        }
    }

    /// The lines of the bloc-marque on a page or a fiche about `departement` (`None`: the
    /// whole site): a prefecture signs « Préfet / de la Lozère » what concerns its own
    /// département, and lets the République sign the rest, never another département's
    /// records under its name; any other State publisher signs « République / Française »;
    /// a collectivité has no bloc-marque (the State's identity is not its to use).
    pub fn marque(&self, departement: Option<&str>) -> Vec<String> {
        let editeur = self.editeur.clone().unwrap_or_default();
        if editeur.kind == Some(EditeurType::Collectivite) {
            return Vec::new();
        }
        let prefet = editeur
            .departement
            .as_deref()
            .and_then(|c| crate::officiel::get().departement(c))
            .filter(|d| departement.is_none_or(|r| r.eq_ignore_ascii_case(&d.code)));
        match prefet {
            Some(d) => vec!["Préfet".to_string(), d.de_nom()],
            None => vec!["République".to_string(), "Française".to_string()],
        }
    }
}
