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

use serde::{Deserialize, Serialize};

use crate::crte::Reponse;
use crate::fiche::{Liens, NON_RENSEIGNE};
use crate::format::{self, LooseDate};
use crate::markdown::{self, Inline};
use crate::referentiel;
use crate::validate::Checker;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Collectivite {
    pub nom: Option<String>,
    pub sigle: Option<String>,
    pub siren: Option<String>,
    /// Code INSEE of the département.
    pub departement: Option<String>,
}

/// The years of the contract: `2022` to `2026`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Periode {
    pub debut: Option<i32>,
    pub fin: Option<i32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Presentation {
    /// « Un outil au service de la transition écologique ».
    pub accroche: Option<String>,
    /// « Le contrat d'objectif territorial en trois points » (inline markdown).
    pub en_trois_points: Option<Vec<String>>,
    pub objectif: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ObjectifsRegionaux {
    pub obligatoires: Option<Vec<String>>,
    /// The objectives chosen among the optional ones.
    pub retenus: Option<Vec<String>>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Referentiel {
    /// The initial audit (end of phase 1).
    pub audit: Option<Audit>,
    /// Points of % gained by the end of the contract (`11` for « +11 % »).
    pub progression: Option<f64>,
    /// Stated target score, in %; computed as the audit's score + the progression.
    pub score_vise: Option<f64>,
    pub axes: Option<Vec<Axe>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Axe {
    pub code: Option<String>,
    pub libelle: Option<String>,
    pub points_restants: Option<f64>,
    /// % réalisé.
    pub realise: Option<f64>,
    /// % programmé.
    pub programme: Option<f64>,
    pub lignes: Option<Vec<Ligne>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Ligne {
    pub code: Option<String>,
    pub libelle: Option<String>,
    pub points_restants: Option<f64>,
    pub realise: Option<f64>,
    pub programme: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

    fn validate(&self, c: &mut Checker, key: &str, nom: &str) {
        let audit = self.audit.clone().unwrap_or_default();
        let here = format!("{key}.audit");
        percent_range(c, &format!("{here}.score"), audit.score);
        if let Some(n) = audit.etoiles
            && n > 5
        {
            c.error(
                &format!("{here}.etoiles"),
                format!("{n} étoiles : un label en compte au plus 5"),
                "écrivez le nombre d'étoiles obtenues à l'audit, de 0 à 5".to_string(),
            );
        }
        if let (Some(score), Some(n)) = (audit.score, audit.etoiles)
            && n <= 5
            && n > etoiles_permises(score)
        {
            let allowed = etoiles_permises(score);
            c.warning(
                &format!("{here}.etoiles"),
                format!(
                    "{} indiquées, mais un score de {} n'en permet que {allowed} ({} étoile à partir de {})",
                    etoiles_label(n),
                    format::percent(score),
                    ordinal(allowed + 1),
                    format::percent(SEUILS_ETOILES[usize::from(allowed)])
                ),
                "seuils de l'ADEME : 1re étoile dès 0 %, 2e à 35 %, 3e à 50 %, 4e à 65 %, 5e à 75 % ; vérifiez le score ou le nombre d'étoiles".to_string(),
            );
        }
        let s = self.scores();
        if let (Some(stated), Some(computed), Some(score), Some(p)) =
            (self.score_vise, s.score_vise, s.score, s.progression)
            && !close(stated, computed, ARRONDI)
        {
            c.warning(
                &format!("{key}.score_vise"),
                format!(
                    "score visé indiqué {}, score calculé {} ({} {} {})",
                    format::percent(stated),
                    format::percent(computed),
                    format::percent(score),
                    if p < 0.0 { "−" } else { "+" },
                    points(p.abs()).trim_start_matches('+')
                ),
                format!(
                    "le score visé du référentiel {nom} est le score de l'audit plus la progression : corrigez l'un des trois chiffres, ou retirez `score_vise`, que l'outil calcule"
                ),
            );
        }
        if let Some(p) = self.progression
            && p < 0.0
        {
            c.error(
                &format!("{key}.progression"),
                format!("progression de {} : elle est négative", format::number(p)),
                "la progression est le gain de points visé au terme du contrat, par exemple `11` pour « +11 % »".to_string(),
            );
        }
        if let Some(v) = s.score_vise
            && v > 100.0 + ARRONDI
        {
            c.error(
                &format!("{key}.progression"),
                format!("score visé de {} : il dépasse 100 %", format::percent(v)),
                "la progression s'ajoute au score de l'audit, en points de pourcentage".to_string(),
            );
        }

        let mut codes: Vec<(String, String)> = Vec::new();
        for (i, axe) in self.axes.iter().flatten().enumerate() {
            let here = format!("{key}.axes[{i}]");
            c.required(
                &format!("{here}.libelle"),
                axe.libelle.is_some(),
                "l'intitulé de l'axe, tel que le référentiel l'écrit",
            );
            line_values(c, &here, axe.points_restants, axe.realise, axe.programme);
            let mut code_once = |c: &mut Checker, path: String, code: &Option<String>| {
                if let Some(code) = code {
                    if let Some((_, first)) = codes.iter().find(|(k, _)| k == code) {
                        c.error(
                            &path,
                            format!("code `{code}` déjà utilisé dans le référentiel"),
                            format!("`{first}` porte déjà ce code"),
                        );
                    } else {
                        codes.push((code.clone(), path));
                    }
                }
            };
            code_once(c, format!("{here}.code"), &axe.code);
            let lignes = axe.lignes.clone().unwrap_or_default();
            for (j, l) in lignes.iter().enumerate() {
                let path = format!("{here}.lignes[{j}]");
                c.required(
                    &format!("{path}.libelle"),
                    l.libelle.is_some(),
                    "l'intitulé de la ligne, tel que le référentiel l'écrit",
                );
                line_values(c, &path, l.points_restants, l.realise, l.programme);
                code_once(c, format!("{path}.code"), &l.code);
                if let (Some(parent), Some(code)) = (&axe.code, &l.code)
                    && !code.starts_with(&format!("{parent}."))
                {
                    c.warning(
                        &format!("{path}.code"),
                        format!("la ligne `{code}` est rangée sous l'axe `{parent}`"),
                        format!(
                            "les lignes de l'axe `{parent}` sont numérotées `{parent}.1`, `{parent}.2`… : vérifiez le code ou l'axe"
                        ),
                    );
                }
            }
            check_parent(c, &here, axe, &lignes);
        }
    }
}

/// A percentage between 0 and 100.
fn percent_range(c: &mut Checker, path: &str, v: Option<f64>) {
    if let Some(v) = v
        && !(0.0..=100.0).contains(&v)
    {
        c.error(
            path,
            format!("{} n'est pas un pourcentage", format::number(v)),
            "écrivez un nombre entre 0 et 100, sans le signe %".to_string(),
        );
    }
}

fn line_values(
    c: &mut Checker,
    here: &str,
    restants: Option<f64>,
    realise: Option<f64>,
    programme: Option<f64>,
) {
    if let Some(v) = restants
        && v < 0.0
    {
        c.error(
            &format!("{here}.points_restants"),
            format!(
                "{} points restants : le nombre est négatif",
                format::number(v)
            ),
            "les points restants sont ceux que la collectivité peut encore gagner".to_string(),
        );
    }
    percent_range(c, &format!("{here}.realise"), realise);
    percent_range(c, &format!("{here}.programme"), programme);
}

/// The potential of a line, deduced from what remains and the share done:
/// points restants = potentiel × (1 − % réalisé). `None` when the rounding of the two figures
/// leaves it uncertain: nearly all done, or less than a point left out of a larger potential
/// (0,1 point left at 99,9 % is anything between 50 and 150 points).
fn potentiel(restants: f64, realise: f64) -> Option<f64> {
    let well_known = realise < 100.0 - ARRONDI && (restants >= 1.0 || realise == 0.0);
    well_known.then(|| restants / (1.0 - realise / 100.0))
}

/// An axis against its lines: its points restants are their sum, its percentages the mean of
/// theirs weighted by their potential. Every figure is rounded to one decimal, so each
/// comparison allows for the rounding of every term.
fn check_parent(c: &mut Checker, here: &str, axe: &Axe, lignes: &[Ligne]) {
    if lignes.is_empty() {
        return;
    }
    let restants: Option<Vec<f64>> = lignes.iter().map(|l| l.points_restants).collect();
    if let (Some(stated), Some(parts)) = (axe.points_restants, &restants) {
        let sum: f64 = parts.iter().sum();
        let tolerance = ARRONDI * (parts.len() + 1) as f64;
        if !close(stated, sum, tolerance) {
            c.warning(
                &format!("{here}.points_restants"),
                format!(
                    "points restants indiqués {}, somme des lignes {}",
                    format::number(stated),
                    format::number(sum)
                ),
                format!(
                    "un axe totalise les points restants de ses lignes (à l'arrondi près, {} point) : vérifiez l'axe et ses lignes",
                    format::number(tolerance)
                ),
            );
        }
    }
    let Some(restants) = restants else { return };
    for (field, label) in [("realise", "% réalisé"), ("programme", "% programmé")] {
        let pick = |realise: Option<f64>, programme: Option<f64>| {
            if field == "realise" {
                realise
            } else {
                programme
            }
        };
        let Some(stated) = pick(axe.realise, axe.programme) else {
            continue;
        };
        let values: Option<Vec<(f64, f64)>> = lignes
            .iter()
            .zip(&restants)
            .map(|(l, r)| Some((potentiel(*r, l.realise?)?, pick(l.realise, l.programme)?)))
            .collect();
        let Some(values) = values else { continue };
        let total: f64 = values.iter().map(|(p, _)| p).sum();
        if total <= 0.0 {
            continue;
        }
        let mean = values.iter().map(|(p, v)| p * v).sum::<f64>() / total;
        // The parent's rounding, the lines' rounding, and the potentials deduced from rounded
        // figures: on the seed's eleven axes the difference is at most 0,09 point.
        if !close(stated, mean, 0.25) {
            c.warning(
                &format!("{here}.{field}"),
                format!(
                    "{label} indiqué {}, calculé {} d'après les lignes",
                    format::percent(stated),
                    format::percent(mean)
                ),
                "le pourcentage d'un axe est la moyenne de ses lignes pondérée par leur potentiel (points restants ÷ (1 − % réalisé)) : vérifiez l'axe et ses lignes".to_string(),
            );
        }
    }
}

/// `Communauté de communes du Pays d'Apt-Luberon` and `CC Pays d'Apt-Luberon` name the same EPCI.
fn same_epci_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let words: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .map(referentiel::fold)
            .filter(|w| {
                !matches!(
                    w.as_str(),
                    "" | "de" | "du" | "des" | "la" | "le" | "les" | "l" | "d"
                )
            })
            .collect();
        words
            .join(" ")
            .replace("communaute communes", "cc")
            .replace("communaute agglomeration", "ca")
            .replace("communaute urbaine", "cu")
    };
    norm(a) == norm(b)
}

impl Cot {
    pub fn titre(&self) -> String {
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
        format!("{} — {}", self.titre(), self.nom_court())
    }

    pub fn referentiels(&self) -> Vec<(&'static str, &'static str, &Referentiel)> {
        REFERENTIELS
            .iter()
            .zip([&self.cae, &self.eci])
            .filter_map(|((k, n), r)| r.as_ref().map(|r| (*k, *n, r)))
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

    pub fn validate(&mut self, c: &mut Checker) {
        let col = self.collectivite.clone().unwrap_or_default();
        c.required(
            "collectivite.nom",
            col.nom.is_some(),
            "le nom de la collectivité qui signe le contrat, par exemple `Communauté de communes Pays d'Apt-Luberon`",
        );
        c.siren("collectivite.siren", &col.siren, None);
        c.departement("collectivite.departement", &col.departement);
        if let (Some(siren), Some(nom)) = (&col.siren, &col.nom)
            && referentiel::siren_problem(siren).is_none()
            && let Some(epci) = referentiel::get().epci(siren)
            && !same_epci_name(nom, &epci.nom)
        {
            c.warning(
                "collectivite.nom",
                format!(
                    "« {nom} » alors que le SIREN {siren} est celui de « {} »",
                    epci.nom
                ),
                "vérifiez le nom ou le SIREN de la collectivité (liste officielle des EPCI)"
                    .to_string(),
            );
        }

        let periode = self.periode.clone().unwrap_or_default();
        if let (Some(d), Some(f)) = (periode.debut, periode.fin)
            && d > f
        {
            c.error(
                "periode.fin",
                format!("la période finit en {f}, avant de commencer en {d}"),
                "écrivez l'année de début puis l'année de fin, par exemple `debut: 2022` et `fin: 2026`".to_string(),
            );
        }

        for (key, nom, r) in self.referentiels() {
            r.validate(c, key, nom);
        }

        for (i, o) in self.orientations.iter().flatten().enumerate() {
            let here = format!("orientations[{i}]");
            c.required(
                &format!("{here}.titre"),
                o.titre.is_some(),
                "l'intitulé de l'orientation",
            );
            stated_number(c, &format!("{here}.numero"), o.numero, i, "orientation");
        }

        let dates = self.dates();
        let mut previous_end: Option<(LooseDate, usize)> = None;
        for (i, p) in self.calendrier.iter().flatten().enumerate() {
            let here = format!("calendrier[{i}]");
            stated_number(c, &format!("{here}.phase"), p.phase, i, "phase");
            for (field, value, parsed) in
                [("debut", &p.debut, dates[i].0), ("fin", &p.fin, dates[i].1)]
            {
                if let Some(v) = value
                    && parsed.is_none()
                {
                    c.error(
                        &format!("{here}.{field}"),
                        format!("date invalide `{v}`"),
                        "écrivez l'année (`2026`), le mois (`2022-10` pour octobre 2022) ou le jour (`2022-10-03`)".to_string(),
                    );
                }
                if let (Some(d), Some(y0), Some(y1)) = (parsed, periode.debut, periode.fin)
                    && (d.year < y0 || d.year > y1)
                {
                    c.warning(
                        &format!("{here}.{field}"),
                        format!(
                            "{} est hors de la période du contrat ({y0}-{y1})",
                            d.french()
                        ),
                        "vérifiez la date de la phase ou la période du contrat".to_string(),
                    );
                }
            }
            if let (Some(d), Some(f)) = dates[i]
                && d.first_day() > f.last_day()
            {
                c.error(
                    &format!("{here}.fin"),
                    format!(
                        "la phase finit en {}, avant de commencer en {}",
                        f.french(),
                        d.french()
                    ),
                    "vérifiez les dates de début et de fin de la phase".to_string(),
                );
            }
            if let (Some((end, j)), Some(d)) = (previous_end, dates[i].0)
                && d.first_day() <= end.last_day()
                && d != end
            {
                c.warning(
                    &format!("{here}.debut"),
                    format!(
                        "la phase {} commence en {}, avant la fin de la phase {} ({})",
                        i + 1,
                        d.french(),
                        j + 1,
                        end.french()
                    ),
                    "les phases se suivent : vérifiez leurs dates".to_string(),
                );
            }
            if let Some(f) = dates[i].1 {
                previous_end = Some((f, i));
            }
        }
        if let Some(n) = self.phase_en_cours {
            let phases = self.calendrier.as_ref().map_or(0, Vec::len);
            if n == 0 || n as usize > phases {
                c.error(
                    "phase_en_cours",
                    format!("phase {n} absente du calendrier"),
                    format!(
                        "le calendrier compte {} ; écrivez le numéro de l'une d'elles",
                        crate::diagnostics::plural(phases, "phase", "phases")
                    ),
                );
            }
        }
    }

    pub fn view(&self, id: &str, svg: bool) -> Vue {
        let col = self.collectivite.clone().unwrap_or_default();
        let pres = self.presentation.clone().unwrap_or_default();
        let obj = self.objectifs_regionaux.clone().unwrap_or_default();
        let periode = self.periode.clone().unwrap_or_default();
        let periode_label = match (periode.debut, periode.fin) {
            (Some(d), Some(f)) => format!("{d}-{f}"),
            (Some(d), None) => format!("à partir de {d}"),
            (None, Some(f)) => format!("jusqu'en {f}"),
            (None, None) => NON_RENSEIGNE.into(),
        };
        let inlines = |l: &Option<Vec<String>>| -> Vec<Inline> {
            l.iter().flatten().map(|t| markdown::inline(t)).collect()
        };
        let departement = col
            .departement
            .as_deref()
            .and_then(|c| referentiel::get().departement(c))
            .map(|d| DepartementVue {
                code: d.code.clone(),
                nom: d.nom.clone(),
                // Every département but the overseas collectivités has a page.
                page: (d.zone != "com").then(|| format!("departements/{}/", d.code.to_lowercase())),
            });

        let mut audits = Vec::new();
        let mut tables = Vec::new();
        for (key, nom, r) in self.referentiels() {
            let s = r.scores();
            let audit = r.audit.clone().unwrap_or_default();
            let prochain = s
                .score_vise
                .zip(s.etoiles_visees_permises)
                .and_then(|(v, n)| {
                    let seuil = *SEUILS_ETOILES.get(usize::from(n))?;
                    Some(format!(
                        "Le score visé permet au plus {} ; la {} demande {}, soit {} de plus.",
                        etoiles_label(n),
                        ordinal(n + 1),
                        format::percent(seuil),
                        points(seuil - v).trim_start_matches('+')
                    ))
                });
            audits.push(AuditVue {
                code: key,
                referentiel: nom,
                titre: format!("Audit {nom}"),
                score: s
                    .score
                    .map_or_else(|| NON_RENSEIGNE.into(), format::percent),
                score_valeur: s.score,
                etoiles: s.etoiles,
                etoiles_label: s
                    .etoiles
                    .map_or_else(|| NON_RENSEIGNE.into(), etoiles_label),
                etoiles_permises: s.etoiles_permises,
                recommandations: inlines(&audit.recommandations),
                points_de_vigilance: inlines(&audit.points_de_vigilance),
                progression: s.progression.map_or_else(|| NON_RENSEIGNE.into(), points),
                progression_valeur: s.progression,
                score_vise: s
                    .score_vise
                    .map_or_else(|| NON_RENSEIGNE.into(), format::percent),
                score_vise_valeur: s.score_vise,
                calcul: match (s.score, s.progression, s.score_vise) {
                    (Some(a), Some(p), Some(_)) => Some(format!(
                        "{} {} {}",
                        format::percent(a),
                        if p < 0.0 { "−" } else { "+" },
                        points(p.abs()).trim_start_matches('+'),
                    )),
                    _ => None,
                },
                etoiles_visees_permises: s.etoiles_visees_permises,
                prochain_seuil: prochain,
            });
            let axes: Vec<AxeVue> = r
                .axes
                .iter()
                .flatten()
                .map(|a| AxeVue {
                    ligne: LigneVue::new(
                        &a.code,
                        &a.libelle,
                        a.points_restants,
                        a.realise,
                        a.programme,
                    ),
                    lignes: a
                        .lignes
                        .iter()
                        .flatten()
                        .map(|l| {
                            LigneVue::new(
                                &l.code,
                                &l.libelle,
                                l.points_restants,
                                l.realise,
                                l.programme,
                            )
                        })
                        .collect(),
                })
                .collect();
            if axes.is_empty() {
                continue;
            }
            let graphique = Graphique::new(key, nom, &axes, svg);
            tables.push(TableVue {
                code: key,
                referentiel: nom,
                titre: format!("Référentiel {nom}"),
                colonne: if key == "eci" {
                    "Axes et orientations"
                } else {
                    "Axes et sous-axes"
                },
                axes,
                graphique,
            });
        }

        let mut groupes: Vec<GroupeVue> = Vec::new();
        for (i, o) in self.orientations.iter().flatten().enumerate() {
            let numero = i as u32 + 1;
            let vue = OrientationVue {
                numero,
                titre: o.titre.clone().unwrap_or_else(|| NON_RENSEIGNE.into()),
                objectifs_obligatoires: o.objectifs_obligatoires == Some(Reponse::Oui),
                actions: o
                    .actions
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(|(j, t)| ActionVue {
                        numero: format!("{numero}.{}", j + 1),
                        texte: markdown::inline(t),
                    })
                    .collect(),
            };
            match groupes.last_mut() {
                Some(g) if g.titre == o.groupe => g.orientations.push(vue),
                _ => groupes.push(GroupeVue {
                    titre: o.groupe.clone(),
                    orientations: vec![vue],
                }),
            }
        }

        let dates = self.dates();
        let phases: Vec<PhaseVue> = self
            .calendrier
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| {
                let (d, f) = dates[i];
                let show =
                    |x: Option<LooseDate>| x.map_or_else(|| NON_RENSEIGNE.into(), |x| x.french());
                let numero = i as u32 + 1;
                PhaseVue {
                    numero,
                    nom: format!("Phase {numero}"),
                    debut: show(d),
                    fin: show(f),
                    debut_iso: d.map(|x| x.iso()),
                    fin_iso: f.map(|x| x.iso()),
                    dates: match (d, f) {
                        (Some(d), Some(f)) => format!("{} – {}", d.french(), f.french()),
                        (Some(d), None) => format!("à partir de {}", d.french()),
                        (None, Some(f)) => format!("jusqu'en {}", f.french()),
                        (None, None) => NON_RENSEIGNE.into(),
                    },
                    en_cours: self.phase_en_cours == Some(numero),
                    etapes: p
                        .etapes
                        .iter()
                        .flatten()
                        .map(|e| EtapeVue {
                            titre: e.titre.clone().unwrap_or_else(|| NON_RENSEIGNE.into()),
                            actions: inlines(&e.actions),
                            versement: e.versement.map(format::euros),
                        })
                        .collect(),
                    jalon: p.jalon.clone(),
                }
            })
            .collect();
        let n_obl = obj.obligatoires.as_ref().map_or(0, Vec::len);
        let n_ret = obj.retenus.as_ref().map_or(0, Vec::len);

        Vue {
            id: id.to_string(),
            titre: self.titre(),
            sous_titre: self.sous_titre.clone(),
            titre_complet: self.titre_complet(),
            collectivite: CollectiviteVue {
                nom: col.nom.clone().unwrap_or_else(|| NON_RENSEIGNE.into()),
                sigle: col.sigle.clone(),
                siren: col.siren.clone(),
                departement,
            },
            periode: periode_label,
            phase_en_cours: self.phase_en_cours.map(|n| format!("Phase {n}")),
            presentation: PresentationVue {
                accroche: pres.accroche.clone(),
                points: inlines(&pres.en_trois_points),
                objectif: pres.objectif.as_deref().map(markdown::inline),
            },
            audits,
            referentiels: tables,
            objectifs_regionaux: ObjectifsVue {
                titre_obligatoires: format!(
                    "{} obligatoire{}",
                    crate::diagnostics::plural(n_obl, "objectif", "objectifs"),
                    if n_obl > 1 { "s" } else { "" }
                ),
                obligatoires: inlines(&obj.obligatoires),
                titre_retenus: format!(
                    "{} (au choix)",
                    crate::diagnostics::plural(n_ret, "objectif retenu", "objectifs retenus")
                ),
                retenus: inlines(&obj.retenus),
                note: obj.note.clone(),
            },
            orientations: groupes,
            calendrier: phases,
            liens: Liens {
                page: format!("cot/{id}/"),
                pdf: format!("cot/{id}.pdf"),
                json: format!("donnees/cot/{id}.json"),
                csv: "donnees/cot.csv".into(),
            },
        }
    }
}

/// A stated number (orientation, phase) against its position.
fn stated_number(c: &mut Checker, path: &str, stated: Option<u32>, index: usize, what: &str) {
    if let Some(n) = stated
        && n as usize != index + 1
    {
        c.warning(
            path,
            format!("numéro indiqué {n}, numéro calculé {}", index + 1),
            format!(
                "les numéros suivent l'ordre du fichier : déplacez la {what} ou retirez son numéro"
            ),
        );
    }
}

// ——— The view given to the page and PDF templates ———

#[derive(Clone, Debug, Serialize)]
pub struct Vue {
    pub id: String,
    pub titre: String,
    pub sous_titre: Option<String>,
    /// `Contrat d'objectif territorial — CCPAL`.
    pub titre_complet: String,
    pub collectivite: CollectiviteVue,
    /// `2022-2026`.
    pub periode: String,
    /// `Phase 2`.
    pub phase_en_cours: Option<String>,
    pub presentation: PresentationVue,
    pub audits: Vec<AuditVue>,
    pub referentiels: Vec<TableVue>,
    pub objectifs_regionaux: ObjectifsVue,
    pub orientations: Vec<GroupeVue>,
    pub calendrier: Vec<PhaseVue>,
    /// Relative to the site root.
    pub liens: Liens,
}

#[derive(Clone, Debug, Serialize)]
pub struct CollectiviteVue {
    pub nom: String,
    pub sigle: Option<String>,
    pub siren: Option<String>,
    pub departement: Option<DepartementVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepartementVue {
    pub code: String,
    pub nom: String,
    /// Its page, relative to the site root.
    pub page: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PresentationVue {
    pub accroche: Option<String>,
    pub points: Vec<Inline>,
    pub objectif: Option<Inline>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuditVue {
    pub code: &'static str,
    pub referentiel: &'static str,
    pub titre: String,
    /// `23,3 %`.
    pub score: String,
    pub score_valeur: Option<f64>,
    pub etoiles: Option<u8>,
    /// `1 étoile`.
    pub etoiles_label: String,
    /// The most stars the score allows.
    pub etoiles_permises: Option<u8>,
    pub recommandations: Vec<Inline>,
    pub points_de_vigilance: Vec<Inline>,
    /// `+11 points`.
    pub progression: String,
    pub progression_valeur: Option<f64>,
    /// Computed: `34,3 %`.
    pub score_vise: String,
    pub score_vise_valeur: Option<f64>,
    /// How the target is computed: `23,3 % + 11 points`.
    pub calcul: Option<String>,
    pub etoiles_visees_permises: Option<u8>,
    /// « Le score visé permet au plus 1 étoile ; la 2e demande 35 %, soit 0,7 point de plus. »
    pub prochain_seuil: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TableVue {
    pub code: &'static str,
    pub referentiel: &'static str,
    /// `Référentiel Économie circulaire`: from the référentiel, never from the record.
    pub titre: String,
    /// Header of the first column.
    pub colonne: &'static str,
    pub axes: Vec<AxeVue>,
    pub graphique: Graphique,
}

#[derive(Clone, Debug, Serialize)]
pub struct AxeVue {
    #[serde(flatten)]
    pub ligne: LigneVue,
    pub lignes: Vec<LigneVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LigneVue {
    pub code: Option<String>,
    pub libelle: String,
    /// `58,7`.
    pub points_restants: String,
    /// `27 %`.
    pub realise: String,
    pub programme: String,
    pub realise_valeur: Option<f64>,
    pub programme_valeur: Option<f64>,
}

impl LigneVue {
    fn new(
        code: &Option<String>,
        libelle: &Option<String>,
        restants: Option<f64>,
        realise: Option<f64>,
        programme: Option<f64>,
    ) -> Self {
        let nr = || NON_RENSEIGNE.to_string();
        LigneVue {
            code: code.clone(),
            libelle: libelle.clone().unwrap_or_else(nr),
            points_restants: restants.map_or_else(nr, format::number),
            realise: realise.map_or_else(nr, format::percent),
            programme: programme.map_or_else(nr, format::percent),
            realise_valeur: realise,
            programme_valeur: programme,
        }
    }
}

/// A bar chart of % réalisé and % programmé per axis: its title, its text alternative, and
/// (for the website) the inline SVG drawn by [`crate::graphique`].
#[derive(Clone, Debug, Serialize)]
pub struct Graphique {
    /// `graphique-cae`: ids of the chart's title and description in the page.
    pub id: String,
    pub titre: String,
    /// The text alternative: every bar's value in a sentence per axis.
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svg: Option<String>,
}

impl Graphique {
    fn new(key: &str, nom: &str, axes: &[AxeVue], svg: bool) -> Self {
        let id = format!("graphique-{key}");
        let titre = format!("{nom} : % réalisé et % programmé par axe");
        let description = axes
            .iter()
            .map(|a| {
                format!(
                    "{} : {} réalisé, {} programmé.",
                    a.ligne.libelle, a.ligne.realise, a.ligne.programme
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        let svg = svg.then(|| {
            let bars: Vec<crate::graphique::Barres> = axes
                .iter()
                .map(|a| crate::graphique::Barres {
                    libelle: &a.ligne.libelle,
                    valeurs: [a.ligne.realise_valeur, a.ligne.programme_valeur],
                })
                .collect();
            crate::graphique::barres(&id, &titre, &description, &["réalisé", "programmé"], &bars)
        });
        Graphique {
            id,
            titre,
            description,
            svg,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ObjectifsVue {
    /// `3 objectifs obligatoires`, counted from the list.
    pub titre_obligatoires: String,
    pub obligatoires: Vec<Inline>,
    /// `2 objectifs retenus (au choix)`.
    pub titre_retenus: String,
    pub retenus: Vec<Inline>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupeVue {
    pub titre: Option<String>,
    pub orientations: Vec<OrientationVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OrientationVue {
    pub numero: u32,
    pub titre: String,
    pub objectifs_obligatoires: bool,
    pub actions: Vec<ActionVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionVue {
    /// `2.3`.
    pub numero: String,
    pub texte: Inline,
}

#[derive(Clone, Debug, Serialize)]
pub struct PhaseVue {
    pub numero: u32,
    pub nom: String,
    /// `octobre 2022`.
    pub debut: String,
    pub fin: String,
    /// `2022-10`, for `<time datetime>`.
    pub debut_iso: Option<String>,
    pub fin_iso: Option<String>,
    /// `octobre 2022 – mars 2024`.
    pub dates: String,
    pub en_cours: bool,
    pub etapes: Vec<EtapeVue>,
    pub jalon: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EtapeVue {
    pub titre: String,
    pub actions: Vec<Inline>,
    /// `75 000 €`.
    pub versement: Option<String>,
}

#[cfg(test)]
mod tests {
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
