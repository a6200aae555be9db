//! The local ingénierie catalogue (seed 002): one actor per `content/ingenierie/<id>.yaml`,
//! its checks (category and domains from the vocabularies, the seven ingénierie types, phone
//! numbers and e-mails validated and normalised, its offers' dates, amounts and rates) and its
//! tables (actors, contact sites, offers) here; its views — the actor's fiche and the
//! catalogue, a page and a PDF each — in [`vue`]. What the catalogue says besides its actors
//! (the CLCT meeting, the ANCT's local priorities, the ways to finance ingénierie, the State
//! services' offers, Aides-territoires) is in the `ingenierie:` settings of `content/site.yaml`
//! ([`crate::config::IngenierieConfig`]), whose [`Offre`] type the actors' `offres` share.
//!
//! An ingénierie type absent from `interventions` is not offered; a type written with no
//! description (`fonciere:`) is offered without details. The two differ in every output.

mod logo;
pub mod vue;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::kind::{EnTete, Kind};
use crate::catalog::{Catalog, Entry, FichePdf, Info, PageVue, Recherche};
use crate::check::Checker;
use crate::config::url;
pub use crate::config::{Enveloppe, Financement, Offre, TypeEnveloppe};
use crate::model::Reponse;
use crate::officiel;
use crate::view::table::{
    Cellule, CleEtrangere, Contexte, MOTIF_DEPARTEMENT, Table, TableDe, Type, colonne, une_ligne,
};

/// The seven ingénierie types of the ANCT vademecum, in the fiche's order: key, label.
pub const TYPES: [(&str, &str); 7] = [
    ("amont", "Ingénierie amont"),
    ("projet", "Ingénierie projet"),
    ("administrative", "Ingénierie administrative"),
    ("reglementaire", "Ingénierie réglementaire et juridique"),
    ("fonciere", "Ingénierie foncière"),
    ("financiere", "Ingénierie financière"),
    ("concertation", "Ingénierie concertation"),
];

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Acteur {
    /// URL slug; defaults to the file name.
    pub identifiant: Option<String>,
    /// Code INSEE of the département whose catalogue lists the actor.
    pub departement: Option<String>,
    pub nom: Option<String>,
    pub sigle: Option<String>,
    /// One of the seven categories of the catalogue (`vocabulaires.yaml`, `categories_acteurs`).
    pub categorie: Option<String>,
    pub domaines: Option<Vec<String>>,
    /// Markdown.
    pub presentation: Option<String>,
    /// Type key → description (markdown, may be empty). See [`TYPES`].
    pub interventions: Option<BTreeMap<String, Option<String>>>,
    /// Markdown.
    pub modalites: Option<String>,
    pub public: Option<Vec<String>>,
    pub cout: Option<Cout>,
    pub territoire: Option<String>,
    pub saisine: Option<Saisine>,
    pub contacts: Option<Vec<Implantation>>,
    /// What the actor offers besides its interventions: measures, lots of a market,
    /// partnerships, each with its dates, partners, beneficiaries and financing.
    pub offres: Option<Vec<Offre>>,
    /// Optional logo: an image file (PNG, JPEG or SVG) next to the record, e.g. `logos/ddtm-50.png`.
    pub logo: Option<String>,
    /// Text alternative of the logo; « Logo de <nom> » by default.
    pub logo_alt: Option<String>,
    /// The logo's bytes and extension, read once by the checks; the PDF templates see it as
    /// `/logos/<id>.<ext>`.
    #[serde(skip)]
    pub logo_fichier: Option<(Vec<u8>, String)>,
    /// The day the record was last changed (`2024-03-12`): its date in the feed, the site map
    /// and on its page. Without it, the date of the last commit of its file, in a git site.
    pub mise_a_jour: Option<String>,
}

/// The actor categories (codes of the `categories_acteurs` vocabulary) in the catalogue's
/// order, the seed's « Liste des Acteurs identifiés »: associations, EPA, EPIC, collectivités,
/// others, syndicats mixtes, State.
pub const ORDRE_CATEGORIES: [&str; 7] = [
    "association",
    "epa",
    "epic",
    "collectivite",
    "autre",
    "syndicat-mixte",
    "etat",
];

/// Where the printable catalogue is published, from the site root.
pub const CATALOGUE_PDF: &str = "ingenierie/catalogue.pdf";

/// What the actor's help costs: free, or a share covered with a capped remainder.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Cout {
    pub gratuit: Option<Reponse>,
    /// Share of the cost covered, in %.
    pub prise_en_charge: Option<f64>,
    /// Cap of what remains for the commune, in euros TTC.
    pub plafond_reste_a_charge: Option<f64>,
    pub texte: Option<String>,
}

/// How to ask for help.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Saisine {
    pub texte: Option<String>,
    pub email: Option<String>,
    pub formulaire: Option<String>,
    /// The actor is reached through the département's single entry point.
    pub guichet_unique: Option<Reponse>,
}

/// One site of the actor (an office, an antenna), as its contact block lists it.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Implantation {
    pub nom: Option<String>,
    /// Address lines.
    pub adresse: Option<Vec<String>>,
    pub telephone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub site_web: Option<String>,
}

/// A French phone number: `02 33 06 39 00` and `+33233063900`, or why it is not one.
pub fn phone(written: &str) -> Result<(String, String), String> {
    let compact: String = written
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+33") {
        format!("0{}", rest.trim_start_matches("(0)"))
    } else {
        compact.clone()
    };
    let ok = national.len() == 10
        && national.starts_with('0')
        && national.as_bytes()[1] != b'0'
        && national.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        let digits = compact.bytes().filter(u8::is_ascii_digit).count();
        return Err(format!(
            "numéro de téléphone invalide `{written}` ({})",
            crate::diagnostics::plural(digits, "chiffre", "chiffres")
        ));
    }
    let pairs: Vec<&str> = (0..5).map(|i| &national[i * 2..i * 2 + 2]).collect();
    Ok((pairs.join(" "), format!("+33{}", &national[1..])))
}

impl Acteur {
    /// The offered types, in the fiche's order: (key, label, description).
    pub fn offered(&self) -> Vec<(&'static str, &'static str, Option<String>)> {
        let Some(map) = &self.interventions else {
            return Vec::new();
        };
        TYPES
            .iter()
            .filter_map(|(key, label)| {
                map.get(*key)
                    .map(|d| (*key, *label, d.clone().filter(|s| !s.trim().is_empty())))
            })
            .collect()
    }

    /// The category's vocabulary term (code and label).
    pub fn categorie_term(&self) -> Option<&'static officiel::Term> {
        let written = self.categorie.as_deref()?;
        match officiel::get()
            .vocabulary("categories_acteurs")
            .lookup(written)
        {
            officiel::Lookup::Exact(t) | officiel::Lookup::Alias(t) => Some(t),
            officiel::Lookup::Unknown(_) => None,
        }
    }
}

impl Kind for Acteur {
    const INFO: &'static Info = &Info {
        dossier: "ingenierie",
        menu: "Ingénierie locale",
        unite: ("acteur", "acteurs"),
        toujours_au_menu: false,
        gabarit_page: "acteur.html",
        gabarit_liste: "ingenierie.html",
        gabarit_pdf: "acteur.typ",
        gabarit_pdf_collection: Some("catalogue.typ"),
        cle_json: "identifiant",
        titre_donnees: "Catalogue de l'ingénierie locale",
        titre_json: "Fiches acteurs complètes",
    };
    type Vue = vue::Vue;

    fn id(&self) -> Option<(String, &'static str)> {
        self.identifiant.clone().map(|id| (id, "identifiant"))
    }

    fn mise_a_jour(&self) -> Option<&str> {
        self.mise_a_jour.as_deref()
    }

    fn departement(&self) -> Option<&str> {
        self.departement.as_deref()
    }

    fn titre(&self) -> String {
        match (&self.nom, &self.sigle) {
            (Some(n), Some(s)) if !n.contains(s.as_str()) => format!("{n} ({s})"),
            (Some(n), _) => n.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => String::new(),
        }
    }

    fn check(&mut self, c: &mut Checker) {
        c.required("nom", self.nom.is_some(), "le nom de l'acteur, par exemple `nom: Direction départementale des territoires et de la mer de la Manche`");
        c.required(
            "departement",
            self.departement.is_some(),
            "le département du catalogue, par exemple `departement: \"50\"`",
        );
        c.departement("departement", &self.departement);
        c.required(
            "categorie",
            self.categorie.is_some(),
            "la catégorie de l'acteur : Associations loi 1901, EPA, EPIC, Collectivités territoriales & EPCI, Syndicat mixte, État ou Autres",
        );
        if let Some(cat) = &self.categorie {
            self.categorie = Some(c.term("categories_acteurs", "categorie", cat));
        }
        c.terms("domaines_competences", "domaines", &mut self.domaines);
        if let Some(map) = &self.interventions {
            let keys: Vec<&str> = TYPES.iter().map(|(k, _)| *k).collect();
            for key in map.keys() {
                if !keys.contains(&key.as_str()) {
                    let hint = match crate::diagnostics::did_you_mean(key, keys.iter().copied()) {
                        Some(best) => format!(
                            "vouliez-vous dire `{best}` ? types possibles : {}",
                            keys.join(", ")
                        ),
                        None => format!("types possibles : {}", keys.join(", ")),
                    };
                    let path = format!("interventions.{key}");
                    c.key_error(&path, format!("type d'ingénierie inconnu `{key}`"), hint);
                }
            }
        }
        if let Some(written) = self.logo.clone() {
            match logo::lire(&c.source.path, &written) {
                Ok(logo) => {
                    if !logo.retire.is_empty() {
                        c.warning(
                            "logo",
                            format!("logo `{written}` nettoyé : {} retiré", logo.retire.join(", ")),
                            "seul le dessin du SVG est publié ; enregistrez le logo sans ces éléments pour ne plus voir cet avertissement".to_string(),
                        );
                    }
                    self.logo_fichier = Some((logo.bytes, logo.ext));
                }
                Err(problem) => c.error(
                    "logo",
                    problem,
                    "placez l'image (PNG, JPEG ou SVG, 1 Mo au plus) à côté de la fiche, par exemple `logo: logos/ddtm-50.png`".to_string(),
                ),
            }
        }
        if let Some(s) = &self.saisine {
            c.email("saisine.email", &s.email);
            url(c, "saisine.formulaire", &s.formulaire);
        }
        if let Some(cout) = &self.cout
            && let Some(p) = cout.prise_en_charge
            && !(0.0..=100.0).contains(&p)
        {
            c.error(
                "cout.prise_en_charge",
                format!("prise en charge de {p} % : hors de 0 à 100"),
                "écrivez le pourcentage couvert, par exemple `95`".to_string(),
            );
        }
        for (i, offre) in self.offres.iter().flatten().enumerate() {
            offre.check(c, &format!("offres[{i}]"));
        }
        for (i, site) in self.contacts.iter_mut().flatten().enumerate() {
            let here = format!("contacts[{i}]");
            c.email(&format!("{here}.email"), &site.email);
            url(c, &format!("{here}.site_web"), &site.site_web);
            for (field, value) in [("telephone", &mut site.telephone), ("fax", &mut site.fax)] {
                let Some(written) = value.clone() else {
                    continue;
                };
                match phone(&written) {
                    Ok((display, _)) => *value = Some(display),
                    Err(message) => c.error(
                        &format!("{here}.{field}"),
                        message,
                        "un numéro français a 10 chiffres, par exemple `02 33 06 39 00` ou `+33 2 33 06 39 00`".to_string(),
                    ),
                }
            }
        }
    }

    fn vue(e: &Entry<Self>, catalog: &Catalog) -> vue::Vue {
        vue::acteur(e, catalog.config.ingenierie.as_ref())
    }

    fn en_tete(v: &vue::Vue) -> EnTete {
        EnTete {
            titre: v.titre.clone(),
            description: format!("Fiche acteur de l'ingénierie locale : {}.", v.titre),
            titre_pdf: format!("Ingénierie locale — {}", v.titre),
        }
    }

    /// Its acronym, its contacts' names and the types of ingénierie it offers.
    fn recherche(_id: &str, e: Option<&Entry<Self>>) -> Recherche {
        let Some(e) = e else {
            return Recherche::default();
        };
        let r = &e.record;
        let interventions = r.interventions.as_ref();
        Recherche {
            departement: r.departement.clone(),
            mots: r
                .sigle
                .iter()
                .cloned()
                .chain(r.contacts.iter().flatten().filter_map(|c| c.nom.clone()))
                .collect(),
            types: TYPES
                .iter()
                .filter(|(k, _)| interventions.is_some_and(|i| i.contains_key(*k)))
                .map(|(_, label)| label.to_string())
                .collect(),
            ..Recherche::default()
        }
    }

    fn liste(catalog: &Catalog) -> PageVue {
        let v = vue::liste_acteurs(catalog);
        PageVue {
            date: None,
            recherche: None,
            chemin: "ingenierie/".into(),
            description: format!(
                "{} : les {} acteurs qui accompagnent les collectivités, par type d'ingénierie et domaine.",
                v.catalogue.titre,
                v.acteurs.len()
            ),
            titre: v.catalogue.titre.clone(),
            vue: serde_json::to_value(v).expect("views serialise"),
        }
    }

    /// The actor's logo, served to the template as `/logos/<id>.<ext>`.
    fn fichiers_pdf(e: &Entry<Self>) -> Vec<(String, Vec<u8>)> {
        e.record
            .logo_fichier
            .iter()
            .map(|(bytes, ext)| (format!("/logos/{}.{ext}", e.id), bytes.clone()))
            .collect()
    }

    /// The actor's logo, next to its page.
    fn fichiers_site(e: &Entry<Self>) -> Vec<(String, &[u8])> {
        e.record
            .logo_fichier
            .iter()
            .map(|(bytes, ext)| (format!("ingenierie/{}/logo.{ext}", e.id), bytes.as_slice()))
            .collect()
    }

    /// The printable catalogue: every actor's fiche after a cover and a contents page.
    fn fiche_collection(catalog: &Catalog) -> Option<FichePdf> {
        let acteurs = catalog.entries::<Acteur>();
        if acteurs.is_empty() {
            return None;
        }
        let v = vue::liste_acteurs(catalog);
        Some(FichePdf {
            chemin: CATALOGUE_PDF.into(),
            gabarit: Self::INFO
                .gabarit_pdf_collection
                .expect("the catalogue has its template"),
            titre: v.catalogue.titre.clone(),
            vue: serde_json::to_value(v).expect("views serialise"),
            fichiers: acteurs.iter().flat_map(Self::fichiers_pdf).collect(),
            source: "content/ingenierie/".into(),
            departement: catalog
                .config
                .ingenierie
                .as_ref()
                .and_then(|i| i.departement.clone()),
            // The latest of its actors.
            date: acteurs.iter().filter_map(|e| e.date.or(catalog.date)).max(),
        })
    }

    fn description_donnees(n: usize) -> String {
        format!(
            "{n} acteur{} : une ligne par acteur avec les sept types d'ingénierie en colonnes (vide : non proposé ; « oui » : proposé sans précision), une ligne par site de contact, une ligne par offre (dates, partenaires, financement, enveloppe).",
            if n > 1 { "s" } else { "" }
        )
    }

    fn tables() -> Vec<Box<dyn TableDe<Self>>> {
        vec![
            Box::new(table_acteurs()),
            Box::new(table_contacts()),
            Box::new(table_offres()),
        ]
    }
}

/// What the actor says of ingénierie type `key`: its description, « oui » when offered
/// without one, empty when not offered.
fn type_propose(a: &Acteur, key: &str) -> Cellule {
    match a.offered().into_iter().find(|(k, _, _)| *k == key) {
        Some((_, _, Some(d))) => Cellule::Texte(d),
        Some((_, _, None)) => Cellule::Texte("oui".to_string()),
        None => Cellule::Vide,
    }
}

/// Whether the actor offers ingénierie type `key`, as a yes/no cell a filter can use.
fn propose(a: &Acteur, key: &str) -> Cellule {
    let offert = a.offered().into_iter().any(|(k, _, _)| k == key);
    Cellule::Reponse(if offert { Reponse::Oui } else { Reponse::Non })
}

/// One row per actor; the seven types are columns (empty: not offered; `oui`: offered
/// without description; otherwise the description).
fn table_acteurs() -> Table<Acteur> {
    use Type::*;
    Table {
        nom: "ingenierie",
        titre: "Acteurs de l'ingénierie locale",
        cle_primaire: &["identifiant"],
        cles_etrangeres: &[],
        lignes: une_ligne,
        colonnes: vec![
            colonne(
                "identifiant",
                Texte,
                "Identifiant de l'acteur sur le site",
                |c, _| c.identifiant(),
            ),
            colonne(
                "departement",
                Texte,
                "Code INSEE du département du catalogue",
                |c: &Contexte<Acteur>, _| Cellule::texte(&c.record.departement),
            )
            .motif(MOTIF_DEPARTEMENT),
            colonne("nom", Texte, "Nom de l'acteur", |c, _| {
                Cellule::texte(&c.record.nom)
            }),
            colonne("sigle", Texte, "Sigle", |c, _| {
                Cellule::texte(&c.record.sigle)
            }),
            colonne("categorie", Texte, "Catégorie d'acteur", |c, _| {
                Cellule::texte(&c.record.categorie_term().map(|t| t.libelle.clone()))
            }),
            colonne(
                "domaines",
                Liste,
                "Domaines de compétences (séparés par « | »)",
                |c, _| Cellule::liste(&c.record.domaines),
            ),
            colonne(
                "ingenierie_amont",
                Texte,
                "Ingénierie amont : description, « oui » si proposée sans précision, vide si non proposée",
                |c, _| type_propose(c.record, "amont"),
            ),
            colonne(
                "ingenierie_projet",
                Texte,
                "Ingénierie projet (même convention)",
                |c, _| type_propose(c.record, "projet"),
            ),
            colonne(
                "ingenierie_administrative",
                Texte,
                "Ingénierie administrative (même convention)",
                |c, _| type_propose(c.record, "administrative"),
            ),
            colonne(
                "ingenierie_reglementaire",
                Texte,
                "Ingénierie réglementaire et juridique (même convention)",
                |c, _| type_propose(c.record, "reglementaire"),
            ),
            colonne(
                "ingenierie_fonciere",
                Texte,
                "Ingénierie foncière (même convention)",
                |c, _| type_propose(c.record, "fonciere"),
            ),
            colonne(
                "ingenierie_financiere",
                Texte,
                "Ingénierie financière (même convention)",
                |c, _| type_propose(c.record, "financiere"),
            ),
            colonne(
                "ingenierie_concertation",
                Texte,
                "Ingénierie concertation (même convention)",
                |c, _| type_propose(c.record, "concertation"),
            ),
            colonne("public", Liste, "Public concerné", |c, _| {
                Cellule::liste(&c.record.public)
            }),
            colonne(
                "gratuit",
                Reponse,
                "Accompagnement gratuit (oui, non, nc)",
                |c, _| Cellule::reponse(c.record.cout.as_ref().and_then(|x| x.gratuit)),
            ),
            colonne(
                "prise_en_charge",
                Nombre,
                "Part du coût prise en charge (%)",
                |c, _| Cellule::nombre(c.record.cout.as_ref().and_then(|x| x.prise_en_charge)),
            ),
            colonne(
                "plafond_reste_a_charge",
                Nombre,
                "Plafond du reste à charge (euros TTC)",
                |c, _| {
                    Cellule::nombre(
                        c.record
                            .cout
                            .as_ref()
                            .and_then(|x| x.plafond_reste_a_charge),
                    )
                },
            ),
            colonne("cout", Texte, "Coût, en clair", |c, _| {
                Cellule::texte(&c.record.cout.as_ref().and_then(|x| x.texte.clone()))
            }),
            colonne("territoire", Texte, "Territoire couvert", |c, _| {
                Cellule::texte(&c.record.territoire)
            }),
            colonne(
                "saisine_email",
                Texte,
                "Adresse de saisine",
                |c: &Contexte<Acteur>, _| {
                    Cellule::texte(&c.record.saisine.as_ref().and_then(|s| s.email.clone()))
                },
            )
            .email(),
            colonne(
                "saisine_formulaire",
                Texte,
                "Formulaire de saisine en ligne",
                |c, _| {
                    Cellule::texte(&c.record.saisine.as_ref().and_then(|s| s.formulaire.clone()))
                },
            ),
            colonne(
                "guichet_unique",
                Reponse,
                "Saisine par l'adresse unique du département (oui, non, nc)",
                |c, _| Cellule::reponse(c.record.saisine.as_ref().and_then(|s| s.guichet_unique)),
            ),
            colonne(
                "nombre_sites",
                Entier,
                "Nombre de sites de contact",
                |c, _| Cellule::nombre_de(c.record.contacts.as_ref().map(Vec::len)),
            ),
            colonne(
                "nombre_offres",
                Entier,
                "Nombre d'offres de l'acteur (mesures, lots, partenariats)",
                |c, _| Cellule::nombre_de(Some(c.record.offres.as_ref().map_or(0, Vec::len))),
            ),
            colonne(
                "url_fiche",
                Texte,
                "Adresse de la fiche sur le site",
                |c, _| c.url_page(),
            ),
            colonne(
                "propose_amont",
                Reponse,
                "Ingénierie amont proposée : oui ou non (sa description est dans ingenierie_amont)",
                |c, _| propose(c.record, "amont"),
            ),
            colonne(
                "propose_projet",
                Reponse,
                "Ingénierie projet proposée : oui ou non (sa description est dans ingenierie_projet)",
                |c, _| propose(c.record, "projet"),
            ),
            colonne(
                "propose_administrative",
                Reponse,
                "Ingénierie administrative proposée : oui ou non (sa description est dans ingenierie_administrative)",
                |c, _| propose(c.record, "administrative"),
            ),
            colonne(
                "propose_reglementaire",
                Reponse,
                "Ingénierie réglementaire et juridique proposée : oui ou non (sa description est dans ingenierie_reglementaire)",
                |c, _| propose(c.record, "reglementaire"),
            ),
            colonne(
                "propose_fonciere",
                Reponse,
                "Ingénierie foncière proposée : oui ou non (sa description est dans ingenierie_fonciere)",
                |c, _| propose(c.record, "fonciere"),
            ),
            colonne(
                "propose_financiere",
                Reponse,
                "Ingénierie financière proposée : oui ou non (sa description est dans ingenierie_financiere)",
                |c, _| propose(c.record, "financiere"),
            ),
            colonne(
                "propose_concertation",
                Reponse,
                "Ingénierie concertation proposée : oui ou non (sa description est dans ingenierie_concertation)",
                |c, _| propose(c.record, "concertation"),
            ),
        ],
    }
}

/// One row per site of an actor's contact block.
fn table_contacts() -> Table<Acteur, (usize, Implantation)> {
    use Type::*;
    Table {
        nom: "ingenierie-contacts",
        titre: "Sites de contact des acteurs de l'ingénierie locale",
        cle_primaire: &["acteur", "rang"],
        cles_etrangeres: &[CleEtrangere {
            colonnes: &["acteur"],
            table: "ingenierie",
            vers: &["identifiant"],
        }],
        lignes: |a| a.contacts.iter().flatten().cloned().enumerate().collect(),
        colonnes: vec![
            colonne("acteur", Texte, "Identifiant de l'acteur", |c, _| {
                c.identifiant()
            }),
            colonne("rang", Entier, "Rang du site dans la fiche", |_, (i, _)| {
                Cellule::nombre_de(Some(i + 1))
            }),
            colonne("nom", Texte, "Nom du site", |_, (_, s)| {
                Cellule::texte(&s.nom)
            }),
            colonne(
                "adresse",
                Liste,
                "Adresse (lignes séparées par « | »)",
                |_, (_, s)| Cellule::liste(&s.adresse),
            ),
            colonne("telephone", Texte, "Téléphone", |_, (_, s)| {
                Cellule::texte(&s.telephone)
            }),
            colonne("fax", Texte, "Fax", |_, (_, s)| Cellule::texte(&s.fax)),
            colonne("email", Texte, "Adresse électronique", |_, (_, s)| {
                Cellule::texte(&s.email)
            }),
            colonne("site_web", Texte, "Site web", |_, (_, s)| {
                Cellule::texte(&s.site_web)
            }),
            colonne(
                "adresse_voie",
                Texte,
                "Adresse sans le code postal ni la commune (lignes séparées par des virgules)",
                |_, (_, s)| Cellule::texte(&adresse_postale(s).0),
            ),
            colonne("code_postal", Texte, "Code postal", |_, (_, s)| {
                Cellule::texte(&adresse_postale(s).1)
            }),
            colonne(
                "commune",
                Texte,
                "Commune (avec « Cedex » s'il y a lieu)",
                |_, (_, s)| Cellule::texte(&adresse_postale(s).2),
            ),
            colonne(
                "telephone_e164",
                Texte,
                "Téléphone au format international E.164 (+33…)",
                |_, (_, s): &(usize, Implantation)| e164(&s.telephone),
            )
            .motif(MOTIF_E164),
            colonne(
                "fax_e164",
                Texte,
                "Fax au format international E.164 (+33…)",
                |_, (_, s): &(usize, Implantation)| e164(&s.fax),
            )
            .motif(MOTIF_E164),
        ],
    }
}

/// An address split as the postal service reads it: the lines before the one that starts
/// with a postal code, the postal code, the commune (`50015 Saint-Lô Cedex`).
fn adresse_postale(s: &Implantation) -> (Option<String>, Option<String>, Option<String>) {
    let lignes = s.adresse.clone().unwrap_or_default();
    let postale = lignes.iter().position(|l| {
        let l = l.trim();
        l.len() > 6 && l.as_bytes()[..5].iter().all(u8::is_ascii_digit) && l.as_bytes()[5] == b' '
    });
    match postale {
        Some(i) => {
            let l = lignes[i].trim();
            let voie = lignes[..i].join(", ");
            (
                (!voie.is_empty()).then_some(voie),
                Some(l[..5].to_string()),
                Some(l[6..].trim().to_string()),
            )
        }
        None => ((!lignes.is_empty()).then(|| lignes.join(", ")), None, None),
    }
}

/// A French number in E.164.
const MOTIF_E164: &str = "^\\+33[1-9]\\d{8}$";

/// A phone number written in the record (already checked) in E.164: `+33233063900`.
fn e164(numero: &Option<String>) -> Cellule {
    match numero.as_deref().map(phone) {
        Some(Ok((_, international))) => Cellule::Texte(international),
        _ => Cellule::Vide,
    }
}

/// One row per offer of an actor.
fn table_offres() -> Table<Acteur, (usize, Offre)> {
    use Type::*;
    Table {
        nom: "ingenierie-offres",
        titre: "Offres des acteurs de l'ingénierie locale",
        cle_primaire: &["acteur", "rang"],
        cles_etrangeres: &[CleEtrangere {
            colonnes: &["acteur"],
            table: "ingenierie",
            vers: &["identifiant"],
        }],
        lignes: |a| a.offres.iter().flatten().cloned().enumerate().collect(),
        colonnes: vec![
            colonne("acteur", Texte, "Identifiant de l'acteur", |c, _| {
                c.identifiant()
            }),
            colonne(
                "rang",
                Entier,
                "Rang de l'offre dans la fiche",
                |_, (i, _)| Cellule::nombre_de(Some(i + 1)),
            ),
            colonne("nom", Texte, "Nom de l'offre", |_, (_, o)| {
                Cellule::texte(&o.nom)
            }),
            colonne(
                "description",
                Texte,
                "Description (texte brut, paragraphes et éléments de liste séparés par « | »)",
                |_, (_, o)| {
                    Cellule::texte(&o.description.as_deref().map(|d| {
                        crate::view::markdown::paragraphs(d)
                            .join(crate::view::table::LIST_SEPARATOR)
                    }))
                },
            ),
            colonne(
                "depuis",
                Texte,
                "Proposée depuis : mois (AAAA-MM) ou date (AAAA-MM-JJ)",
                |_, (_, o)| Cellule::texte(&o.depuis),
            ),
            colonne(
                "date_convention",
                Date,
                "Date de signature de la convention",
                |_, (_, o)| Cellule::date(&o.date_convention),
            ),
            colonne(
                "partenaires",
                Liste,
                "Partenaires (séparés par « | »)",
                |_, (_, o)| Cellule::liste(&o.partenaires),
            ),
            colonne("beneficiaires", Texte, "Bénéficiaires", |_, (_, o)| {
                Cellule::texte(&o.beneficiaires)
            }),
            colonne(
                "financement_montant",
                Nombre,
                "Montant du financement (euros)",
                |_, (_, o)| Cellule::nombre(o.financement.as_ref().and_then(|f| f.montant)),
            ),
            colonne(
                "financement_par",
                Texte,
                "Unité du montant (par exemple « EPCI lauréat »)",
                |_, (_, o)| Cellule::texte(&o.financement.as_ref().and_then(|f| f.par.clone())),
            ),
            colonne(
                "taux_min",
                Nombre,
                "Taux minimal de financement (%)",
                |_, (_, o)| Cellule::nombre(o.financement.as_ref().and_then(|f| f.taux_min)),
            ),
            colonne(
                "taux_max",
                Nombre,
                "Taux maximal de financement (%)",
                |_, (_, o)| Cellule::nombre(o.financement.as_ref().and_then(|f| f.taux_max)),
            ),
            colonne("assiette", Texte, "Assiette du taux", |_, (_, o)| {
                Cellule::texte(&o.financement.as_ref().and_then(|f| f.assiette.clone()))
            }),
            colonne(
                "conditions",
                Texte,
                "Conditions du financement",
                |_, (_, o)| {
                    Cellule::texte(&o.financement.as_ref().and_then(|f| f.conditions.clone()))
                },
            ),
            colonne(
                "enveloppe",
                Texte,
                "Enveloppe : « déconcentrée » ou « nationale »",
                |_, (_, o)| {
                    Cellule::texte(
                        &o.enveloppe
                            .as_ref()
                            .and_then(|e| e.kind)
                            .map(|k| k.label().to_string()),
                    )
                },
            ),
            colonne(
                "enveloppe_montant",
                Nombre,
                "Montant de l'enveloppe (euros)",
                |_, (_, o)| Cellule::nombre(o.enveloppe.as_ref().and_then(|e| e.montant)),
            ),
            colonne(
                "enveloppe_par",
                Texte,
                "Unité de l'enveloppe (par exemple « département »)",
                |_, (_, o)| Cellule::texte(&o.enveloppe.as_ref().and_then(|e| e.par.clone())),
            ),
            colonne(
                "exemples",
                Liste,
                "Exemples (séparés par « | »)",
                |_, (_, o)| Cellule::liste(&o.exemples),
            ),
        ],
    }
}

/// A label's slug for filters and CSS: `Mer et littoral` → `mer-et-littoral`.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for word in label.split(|c: char| !c.is_alphanumeric()) {
        let folded = officiel::fold(word);
        if folded.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised() {
        assert_eq!(
            phone("02 33 06 39 00").unwrap(),
            ("02 33 06 39 00".into(), "+33233063900".into())
        );
        assert_eq!(phone("02.50.7915.00").unwrap().0, "02 50 79 15 00");
        assert_eq!(phone("+33 (0)2 33 89 21 70").unwrap().0, "02 33 89 21 70");
        assert_eq!(
            phone("0X.XX.XX.XX.XX").unwrap_err(),
            "numéro de téléphone invalide `0X.XX.XX.XX.XX` (1 chiffre)"
        );
        assert!(phone("02 33 06 39").is_err());
        assert!(phone("00 33 06 39 00").is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Aménagement du territoire"),
            "amenagement-du-territoire"
        );
        assert_eq!(slug("Mer et littoral"), "mer-et-littoral");
    }
}
