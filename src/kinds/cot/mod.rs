//! The COT record kind (contrat d'objectif territorial of the ADEME, seed 004): its schema as
//! written in `content/cot/<id>.yaml`, its checks and its view for the page and the PDF.
//!
//! A plan follows two référentiels, Climat-Air-Énergie (`cae`) and Économie circulaire
//! (`eci`): the initial audit (score, stars, recommendations), the progression aimed at, and
//! the référentiel table (axes and their lines). What can be computed is: the target score
//! (initial score + progression), the star level a score allows (ADEME thresholds), a parent
//! row from its lines, the numbering of orientations and actions. A stated value that differs
//! is a warning showing both; the outputs print the computed one. Titles come from the
//! référentiel, never from the record, so a table cannot be headed with the other's name.

pub mod ademe;
mod checks;
pub mod vue;

use serde::{Deserialize, Serialize};

use super::kind::{EnTete, Kind};
use crate::catalog::{Catalog, Entry, Info, PageVue, Recherche};
use crate::check::Checker;
use crate::model::Reponse;
use crate::view::NON_RENSEIGNE;
use crate::view::format::{self, LooseDate};
use crate::view::table::{
    Cellule, CleEtrangere, Contexte, MOTIF_DEPARTEMENT, MOTIF_SIREN, Table, TableDe, Type, colonne,
    une_ligne,
};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Cot {
    /// URL slug of the plan; defaults to the file name.
    pub identifiant: Option<String>,
    /// « Contrat d'objectif territorial » unless the plan says otherwise.
    pub titre: Option<String>,
    pub sous_titre: Option<String>,
    pub collectivite: Option<Collectivite>,
    pub periode: Option<Periode>,
    /// The phase under way (« Démarrage de la Phase 2 »): a `phase` of the calendar.
    pub phase_en_cours: Option<u32>,
    pub presentation: Option<Presentation>,
    pub objectifs_regionaux: Option<ObjectifsRegionaux>,
    /// Référentiel Climat-Air-Énergie.
    pub cae: Option<Referentiel>,
    /// Référentiel Économie circulaire.
    pub eci: Option<Referentiel>,
    pub orientations: Option<Vec<Orientation>>,
    pub calendrier: Option<Vec<Phase>>,
    /// The day the record was last changed (`2024-03-12`): its date in the feed, the site map
    /// and on its page. Without it, the date of the last commit of its file, in a git site.
    pub mise_a_jour: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Collectivite {
    pub nom: Option<String>,
    pub sigle: Option<String>,
    pub siren: Option<String>,
    /// Code INSEE of the département.
    pub departement: Option<String>,
}

/// The years of the contract: `2022` to `2026`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Periode {
    pub debut: Option<i32>,
    pub fin: Option<i32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Presentation {
    /// « Un outil au service de la transition écologique ».
    pub accroche: Option<String>,
    /// « Le contrat d'objectif territorial en trois points » (inline markdown).
    pub en_trois_points: Option<Vec<String>>,
    pub objectif: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ObjectifsRegionaux {
    pub obligatoires: Option<Vec<String>>,
    /// The objectives chosen among the optional ones.
    pub retenus: Option<Vec<String>>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Referentiel {
    /// The initial audit (end of phase 1).
    pub audit: Option<Audit>,
    /// Points of % gained by the end of the contract (`11` for « +11 % »).
    pub progression: Option<f64>,
    /// Stated target score, in %; computed as the audit's score + the progression.
    pub score_vise: Option<f64>,
    pub axes: Option<Vec<Axe>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Audit {
    /// Score réalisé, in %.
    pub score: Option<f64>,
    /// Stars awarded (0 to 5).
    pub etoiles: Option<u8>,
    pub recommandations: Option<Vec<String>>,
    pub points_de_vigilance: Option<Vec<String>>,
}

/// An axis of a référentiel table with its lines (sub-axes for the CAE, numbered
/// orientations for the ECI).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Axe {
    pub code: Option<String>,
    /// The référentiel's identifier of the row (`cae_1.2`), found by the checks.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub identifiant: Option<String>,
    pub libelle: Option<String>,
    pub points_restants: Option<f64>,
    /// % réalisé.
    pub realise: Option<f64>,
    /// % programmé.
    pub programme: Option<f64>,
    pub lignes: Option<Vec<Ligne>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Ligne {
    pub code: Option<String>,
    /// The référentiel's identifier of the row (`cae_1.2`), found by the checks.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub identifiant: Option<String>,
    pub libelle: Option<String>,
    pub points_restants: Option<f64>,
    pub realise: Option<f64>,
    pub programme: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Orientation {
    /// Stated number; computed from the position.
    pub numero: Option<u32>,
    /// Whom it addresses (« Interne & gouvernance »): orientations are grouped by it.
    pub groupe: Option<String>,
    pub titre: Option<String>,
    /// Whether the orientation carries mandatory objectives.
    pub objectifs_obligatoires: Option<Reponse>,
    /// Actions in order (inline markdown); numbered `1.1`, `1.2`… by the build.
    pub actions: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Phase {
    /// Stated number; computed from the position.
    pub phase: Option<u32>,
    /// `2022-10`, `2024`, or a full date.
    pub debut: Option<String>,
    pub fin: Option<String>,
    pub etapes: Option<Vec<Etape>>,
    /// What closes the phase (« Avenant pour validation des objectifs »).
    pub jalon: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Etape {
    pub titre: Option<String>,
    pub actions: Option<Vec<String>>,
    /// Payment at the end of the step, in euros.
    pub versement: Option<f64>,
}

/// The two référentiels, in the order of the plan: key, name.
pub const REFERENTIELS: [(&str, &str); 2] = [
    ("cae", "Climat-Air-Énergie"),
    ("eci", "Économie circulaire"),
];

/// ADEME thresholds: the n-th star needs at least `SEUILS_ETOILES[n - 1]` % of the points.
/// Necessary, not sufficient: each star also has mandatory criteria.
pub const SEUILS_ETOILES: [f64; 5] = [0.0, 35.0, 50.0, 65.0, 75.0];

/// Half a unit of the last decimal printed by the référentiel tool (one decimal).
const ARRONDI: f64 = 0.05;

/// The most stars a score allows.
pub fn etoiles_permises(score: f64) -> u8 {
    SEUILS_ETOILES
        .iter()
        .filter(|s| score + 1e-9 >= **s)
        .count() as u8
}

fn ordinal(n: u8) -> String {
    if n == 1 {
        "1re".to_string()
    } else {
        format!("{n}e")
    }
}

fn etoiles_label(n: u8) -> String {
    if n > 1 {
        format!("{n} étoiles")
    } else {
        format!("{n} étoile")
    }
}

/// `+11 points`, `−2,5 points`.
fn points(v: f64) -> String {
    let sign = if v < 0.0 { "−" } else { "+" };
    let n = format::number(v.abs());
    let unit = if v.abs() >= 2.0 { "points" } else { "point" };
    format!("{sign}{n}{}{unit}", format::NBSP)
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance + 1e-9
}

/// The scores of one référentiel, computed from the record.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scores {
    pub score: Option<f64>,
    pub etoiles: Option<u8>,
    pub etoiles_permises: Option<u8>,
    pub progression: Option<f64>,
    /// Initial score + progression.
    pub score_vise: Option<f64>,
    pub etoiles_visees_permises: Option<u8>,
}

impl Referentiel {
    pub fn scores(&self) -> Scores {
        let audit = self.audit.clone().unwrap_or_default();
        let score_vise = match (audit.score, self.progression) {
            (Some(s), Some(p)) => Some(((s + p) * 10.0).round() / 10.0),
            _ => None,
        };
        Scores {
            score: audit.score,
            etoiles: audit.etoiles,
            etoiles_permises: audit.score.map(etoiles_permises),
            progression: self.progression,
            score_vise,
            etoiles_visees_permises: score_vise.map(etoiles_permises),
        }
    }
}

impl Cot {
    /// « Contrat d'objectif territorial » unless the plan says otherwise.
    pub fn intitule(&self) -> String {
        self.titre
            .clone()
            .unwrap_or_else(|| "Contrat d'objectif territorial".to_string())
    }

    /// The collectivité as named in titles: its sigle, else its name.
    pub fn nom_court(&self) -> String {
        let c = self.collectivite.clone().unwrap_or_default();
        c.sigle.or(c.nom).unwrap_or_else(|| NON_RENSEIGNE.into())
    }

    /// `Contrat d'objectif territorial — CCPAL`.
    pub fn titre_complet(&self) -> String {
        format!("{} — {}", self.intitule(), self.nom_court())
    }

    pub fn referentiels(&self) -> Vec<(&'static str, &'static str, &Referentiel)> {
        REFERENTIELS
            .iter()
            .zip([&self.cae, &self.eci])
            .filter_map(|((k, n), r)| r.as_ref().map(|r| (*k, *n, r)))
            .collect()
    }

    fn referentiels_mut(&mut self) -> Vec<(&'static str, &'static str, &mut Referentiel)> {
        REFERENTIELS
            .iter()
            .zip([&mut self.cae, &mut self.eci])
            .filter_map(|((k, n), r)| r.as_mut().map(|r| (*k, *n, r)))
            .collect()
    }

    fn dates(&self) -> Vec<(Option<LooseDate>, Option<LooseDate>)> {
        self.calendrier
            .iter()
            .flatten()
            .map(|p| {
                (
                    p.debut.as_deref().and_then(LooseDate::parse),
                    p.fin.as_deref().and_then(LooseDate::parse),
                )
            })
            .collect()
    }
}

impl Kind for Cot {
    const INFO: &'static Info = &Info {
        dossier: "cot",
        menu: "COT",
        unite: ("COT", "COT"),
        toujours_au_menu: false,
        gabarit_page: "cot.html",
        gabarit_liste: "cot_list.html",
        gabarit_pdf: "cot.typ",
        gabarit_pdf_collection: None,
        cle_json: "identifiant",
        titre_donnees: "Contrats d'objectif territorial (COT)",
        titre_json: "Plans complets, avec les scores calculés",
    };
    type Vue = vue::Vue;

    fn id(&self) -> Option<(String, &'static str)> {
        self.identifiant.clone().map(|id| (id, "identifiant"))
    }

    fn check(&mut self, c: &mut Checker) {
        self.verifier(c);
    }

    fn mise_a_jour(&self) -> Option<&str> {
        self.mise_a_jour.as_deref()
    }

    fn departement(&self) -> Option<&str> {
        self.collectivite
            .as_ref()
            .and_then(|c| c.departement.as_deref())
    }

    fn titre(&self) -> String {
        self.titre_complet()
    }

    fn vue(e: &Entry<Self>, _catalog: &Catalog) -> vue::Vue {
        e.record.vue(&e.id)
    }

    fn en_tete(v: &vue::Vue) -> EnTete {
        EnTete {
            titre: v.titre_complet.clone(),
            description: format!(
                "{} de la collectivité {} : audits, objectifs, orientations et calendrier.",
                v.titre, v.collectivite.nom
            ),
            titre_pdf: v.titre_complet.clone(),
        }
    }

    /// Its collectivité: name, acronym, SIREN.
    fn recherche(_id: &str, e: Option<&Entry<Self>>) -> Recherche {
        let c = e.and_then(|e| e.record.collectivite.as_ref());
        Recherche {
            departement: c.and_then(|c| c.departement.clone()),
            mots: c
                .iter()
                .flat_map(|c| [c.nom.clone(), c.sigle.clone()])
                .flatten()
                .collect(),
            codes: c.and_then(|c| c.siren.clone()).into_iter().collect(),
            ..Recherche::default()
        }
    }

    fn liste(catalog: &Catalog) -> PageVue {
        let plans: Vec<vue::Vue> = catalog
            .entries::<Cot>()
            .iter()
            .map(|e| e.record.vue(&e.id))
            .collect();
        PageVue {
            date: None,
            recherche: None,
            chemin: "cot/".into(),
            titre: "Contrats d'objectif territorial".into(),
            description: format!(
                "{} : scores des référentiels Climat-Air-Énergie et Économie circulaire, objectifs et plans d'actions.",
                crate::diagnostics::plural(
                    plans.len(),
                    "contrat d'objectif territorial",
                    "contrats d'objectif territorial"
                )
            ),
            vue: serde_json::json!({ "plans": plans }),
        }
    }

    /// The target scores and star levels of each référentiel.
    fn calcule(&self) -> Option<serde_json::Value> {
        let calcule: serde_json::Map<String, serde_json::Value> = self
            .referentiels()
            .into_iter()
            .map(|(key, _, r)| {
                let s = r.scores();
                let v = serde_json::json!({
                    "score_vise": s.score_vise,
                    "etoiles_permises": s.etoiles_permises,
                    "etoiles_visees_permises": s.etoiles_visees_permises,
                });
                (key.to_string(), v)
            })
            .collect();
        Some(serde_json::Value::Object(calcule))
    }

    fn description_donnees(n: usize) -> String {
        format!(
            "{} : une ligne par plan (scores, étoiles, scores visés calculés), une ligne par axe et par ligne des tableaux des référentiels ; pourcentages en nombres (23.3 pour 23,3 %).",
            crate::diagnostics::plural(n, "plan", "plans")
        )
    }

    fn tables() -> Vec<Box<dyn TableDe<Self>>> {
        vec![Box::new(table_plans()), Box::new(table_referentiels())]
    }
}

/// The scores of référentiel `key` of a plan (all empty when the plan has none).
fn scores_de(c: &Cot, key: &str) -> Scores {
    c.referentiels()
        .into_iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, r)| r.scores())
        .unwrap_or_default()
}

/// One row per COT plan: the collectivité, the scores and stars of the two référentiels (with
/// the computed target scores and star levels), and counts.
fn table_plans() -> Table<Cot> {
    use Type::*;
    Table {
        nom: "cot",
        titre: "Contrats d'objectif territorial : scores et objectifs",
        cle_primaire: &["identifiant"],
        cles_etrangeres: &[],
        lignes: une_ligne,
        colonnes: vec![
            colonne(
                "identifiant",
                Texte,
                "Identifiant du plan sur le site",
                |c, _| c.identifiant(),
            ),
            colonne("titre", Texte, "Titre du contrat", |c, _| {
                Cellule::Texte(c.record.intitule())
            }),
            colonne("collectivite", Texte, "Nom de la collectivité", |c, _| {
                Cellule::texte(&c.record.collectivite().nom)
            }),
            colonne("sigle", Texte, "Sigle de la collectivité", |c, _| {
                Cellule::texte(&c.record.collectivite().sigle)
            }),
            colonne(
                "siren",
                Texte,
                "SIREN de la collectivité",
                |c: &Contexte<Cot>, _| crate::check::siren_publie(&c.record.collectivite().siren),
            )
            .motif(MOTIF_SIREN),
            colonne(
                "departement",
                Texte,
                "Code INSEE du département",
                |c: &Contexte<Cot>, _| Cellule::texte(&c.record.collectivite().departement),
            )
            .motif(MOTIF_DEPARTEMENT),
            colonne(
                "periode_debut",
                Entier,
                "Première année du contrat",
                |c, _| Cellule::entier(c.record.periode.as_ref().and_then(|p| p.debut)),
            ),
            colonne(
                "periode_fin",
                Entier,
                "Dernière année du contrat",
                |c, _| Cellule::entier(c.record.periode.as_ref().and_then(|p| p.fin)),
            ),
            colonne(
                "phase_en_cours",
                Entier,
                "Numéro de la phase en cours",
                |c, _| Cellule::entier(c.record.phase_en_cours),
            ),
            colonne(
                "cae_score",
                Nombre,
                "Climat-Air-Énergie : score réalisé à l'audit initial (%)",
                |c, _| Cellule::nombre(scores_de(c.record, "cae").score),
            ),
            colonne(
                "cae_etoiles",
                Entier,
                "Climat-Air-Énergie : étoiles obtenues à l'audit initial",
                |c, _| Cellule::entier(scores_de(c.record, "cae").etoiles),
            ),
            colonne(
                "cae_etoiles_permises",
                Entier,
                "Climat-Air-Énergie : étoiles que le score permet (seuils de l'ADEME : 0, 35, 50, 65, 75 %)",
                |c, _| Cellule::entier(scores_de(c.record, "cae").etoiles_permises),
            ),
            colonne(
                "cae_progression",
                Nombre,
                "Climat-Air-Énergie : progression visée (points de %)",
                |c, _| Cellule::nombre(scores_de(c.record, "cae").progression),
            ),
            colonne(
                "cae_score_vise",
                Nombre,
                "Climat-Air-Énergie : score visé au terme du contrat, calculé (score + progression, %)",
                |c, _| Cellule::nombre(scores_de(c.record, "cae").score_vise),
            ),
            colonne(
                "eci_score",
                Nombre,
                "Économie circulaire : score réalisé à l'audit initial (%)",
                |c, _| Cellule::nombre(scores_de(c.record, "eci").score),
            ),
            colonne(
                "eci_etoiles",
                Entier,
                "Économie circulaire : étoiles obtenues à l'audit initial",
                |c, _| Cellule::entier(scores_de(c.record, "eci").etoiles),
            ),
            colonne(
                "eci_etoiles_permises",
                Entier,
                "Économie circulaire : étoiles que le score permet (seuils de l'ADEME : 0, 35, 50, 65, 75 %)",
                |c, _| Cellule::entier(scores_de(c.record, "eci").etoiles_permises),
            ),
            colonne(
                "eci_progression",
                Nombre,
                "Économie circulaire : progression visée (points de %)",
                |c, _| Cellule::nombre(scores_de(c.record, "eci").progression),
            ),
            colonne(
                "eci_score_vise",
                Nombre,
                "Économie circulaire : score visé au terme du contrat, calculé (score + progression, %)",
                |c, _| Cellule::nombre(scores_de(c.record, "eci").score_vise),
            ),
            colonne(
                "objectifs_regionaux_obligatoires",
                Entier,
                "Nombre d'objectifs régionaux obligatoires",
                |c, _| {
                    Cellule::nombre_de(
                        c.record
                            .objectifs_regionaux
                            .as_ref()
                            .and_then(|o| o.obligatoires.as_ref())
                            .map(Vec::len),
                    )
                },
            ),
            colonne(
                "objectifs_regionaux_retenus",
                Entier,
                "Nombre d'objectifs régionaux retenus (au choix)",
                |c, _| {
                    Cellule::nombre_de(
                        c.record
                            .objectifs_regionaux
                            .as_ref()
                            .and_then(|o| o.retenus.as_ref())
                            .map(Vec::len),
                    )
                },
            ),
            colonne(
                "orientations",
                Entier,
                "Nombre d'orientations stratégiques",
                |c, _| Cellule::nombre_de(c.record.orientations.as_ref().map(Vec::len)),
            ),
            colonne(
                "actions",
                Entier,
                "Nombre d'actions des orientations",
                |c, _| {
                    Cellule::nombre_de(c.record.orientations.as_ref().map(|list| {
                        list.iter()
                            .map(|o| o.actions.as_ref().map_or(0, Vec::len))
                            .sum()
                    }))
                },
            ),
            colonne(
                "versements",
                Nombre,
                "Total des versements prévus au calendrier (euros)",
                |c, _| {
                    let versements: Vec<f64> = c
                        .record
                        .calendrier
                        .iter()
                        .flatten()
                        .flat_map(|p| p.etapes.iter().flatten())
                        .filter_map(|e| e.versement)
                        .collect();
                    Cellule::nombre((!versements.is_empty()).then(|| versements.iter().sum()))
                },
            ),
            colonne("url_fiche", Texte, "Adresse de la page du plan", |c, _| {
                c.url_page()
            }),
            colonne("url_pdf", Texte, "Adresse du plan en PDF", |c, _| {
                c.url_pdf()
            }),
        ],
    }
}

/// A row of a référentiel table: an axis, or one of its lines.
pub struct LigneReferentiel {
    referentiel: &'static str,
    rang: usize,
    /// `axe` or `ligne`.
    niveau: &'static str,
    code: Option<String>,
    /// The axis of a line.
    axe: Option<String>,
    libelle: Option<String>,
    points_restants: Option<f64>,
    realise: Option<f64>,
    programme: Option<f64>,
}

/// The rows of the référentiel tables of a plan: each axis followed by its lines.
fn lignes_referentiels(plan: &Cot) -> Vec<LigneReferentiel> {
    let mut out = Vec::new();
    for (key, _, r) in plan.referentiels() {
        let mut rang = 0;
        for axe in r.axes.iter().flatten() {
            rang += 1;
            out.push(LigneReferentiel {
                referentiel: key,
                rang,
                niveau: "axe",
                code: axe.identifiant.clone(),
                axe: None,
                libelle: axe.libelle.clone(),
                points_restants: axe.points_restants,
                realise: axe.realise,
                programme: axe.programme,
            });
            for l in axe.lignes.iter().flatten() {
                rang += 1;
                out.push(LigneReferentiel {
                    referentiel: key,
                    rang,
                    niveau: "ligne",
                    code: l.identifiant.clone(),
                    axe: axe.libelle.clone(),
                    libelle: l.libelle.clone(),
                    points_restants: l.points_restants,
                    realise: l.realise,
                    programme: l.programme,
                });
            }
        }
    }
    out
}

/// One row per axis and per line of the référentiel tables.
fn table_referentiels() -> Table<Cot, LigneReferentiel> {
    use Type::*;
    Table {
        nom: "cot-referentiel",
        titre: "Tableaux des référentiels Climat-Air-Énergie et Économie circulaire",
        cle_primaire: &["plan", "referentiel", "rang"],
        cles_etrangeres: &[CleEtrangere {
            colonnes: &["plan"],
            table: "cot",
            vers: &["identifiant"],
        }],
        lignes: lignes_referentiels,
        colonnes: vec![
            colonne("plan", Texte, "Identifiant du plan", |c, _| c.identifiant()),
            colonne(
                "referentiel",
                Texte,
                "Référentiel : cae (Climat-Air-Énergie) ou eci (Économie circulaire)",
                |_, l| Cellule::Texte(l.referentiel.to_string()),
            ),
            colonne(
                "rang",
                Entier,
                "Rang de la ligne dans le tableau du référentiel",
                |_, l| Cellule::nombre_de(Some(l.rang)),
            ),
            colonne(
                "niveau",
                Texte,
                "axe, ou ligne (sous-axe ou orientation de l'axe)",
                |_, l| Cellule::Texte(l.niveau.to_string()),
            ),
            colonne(
                "code",
                Texte,
                "Identifiant de la ligne dans le référentiel de l'ADEME (cae_1.2, eci_3.4)",
                |_, l| Cellule::texte(&l.code),
            ),
            colonne(
                "axe",
                Texte,
                "Intitulé de l'axe de la ligne (vide pour un axe)",
                |_, l| Cellule::texte(&l.axe),
            ),
            colonne("libelle", Texte, "Intitulé", |_, l| {
                Cellule::texte(&l.libelle)
            }),
            colonne("points_restants", Nombre, "Points restants", |_, l| {
                Cellule::nombre(l.points_restants)
            }),
            colonne("realise", Nombre, "Part réalisée (%)", |_, l| {
                Cellule::nombre(l.realise)
            }),
            colonne("programme", Nombre, "Part programmée (%)", |_, l| {
                Cellule::nombre(l.programme)
            }),
        ],
    }
}

impl Cot {
    fn collectivite(&self) -> Collectivite {
        self.collectivite.clone().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::checks::{potentiel, same_epci_name};
    use super::*;

    #[test]
    fn star_thresholds() {
        assert_eq!(etoiles_permises(0.0), 1);
        assert_eq!(etoiles_permises(23.3), 1);
        assert_eq!(etoiles_permises(34.9), 1);
        assert_eq!(etoiles_permises(35.0), 2);
        assert_eq!(etoiles_permises(74.9), 4);
        assert_eq!(etoiles_permises(75.0), 5);
        assert_eq!(etoiles_permises(100.0), 5);
    }

    #[test]
    fn target_is_initial_plus_progression() {
        let r = Referentiel {
            audit: Some(Audit {
                score: Some(15.1),
                ..Audit::default()
            }),
            progression: Some(12.0),
            ..Referentiel::default()
        };
        assert_eq!(r.scores().score_vise, Some(27.1));
        assert_eq!(points(12.0), "+12\u{a0}points");
        assert_eq!(points(0.7), "+0,7\u{a0}point");
    }

    #[test]
    fn potentials_too_uncertain_are_not_used() {
        assert_eq!(potentiel(18.9, 37.0).map(|p| p.round()), Some(30.0));
        assert_eq!(potentiel(30.0, 0.0), Some(30.0));
        assert_eq!(potentiel(0.1, 99.9), None);
        assert_eq!(potentiel(0.0, 100.0), None);
    }

    #[test]
    fn epci_names_compare_without_articles_and_abbreviations() {
        assert!(same_epci_name(
            "Communauté de communes du Pays d'Apt-Luberon",
            "CC Pays d'Apt-Luberon"
        ));
        assert!(!same_epci_name(
            "CC du Pays de Forcalquier",
            "CC Pays d'Apt-Luberon"
        ));
    }
}
