//! The checks of a COT plan: scores and stars against the ADEME thresholds, target scores,
//! axis rows against their lines (allowing for the rounding of every figure), numbering,
//! calendar dates, and the collectivité against the official list of EPCI.

use super::ademe::{self, Action, Intitule};
use super::*;
use crate::diagnostics::did_you_mean;
use crate::officiel;

impl Referentiel {
    /// Finds each axis and line in the ADEME référentiel `key`: takes its identifier and its
    /// full label, and checks its potential against the référentiel's points.
    fn rattacher(&mut self, c: &mut Checker, key: &'static str, nom: &str) {
        for (i, axe) in self.axes.iter_mut().flatten().enumerate() {
            let here = format!("{key}.axes[{i}]");
            let action = rattacher(c, &here, key, nom, None, &axe.code, &mut axe.libelle);
            if let Some(a) = action {
                axe.identifiant = Some(a.identifiant());
                potentiel_permis(c, &here, nom, a, axe.points_restants, axe.realise);
            }
            let parent = action.map(|a| a.code.as_str());
            for (j, l) in axe.lignes.iter_mut().flatten().enumerate() {
                let path = format!("{here}.lignes[{j}]");
                if let Some(a) = rattacher(c, &path, key, nom, parent, &l.code, &mut l.libelle) {
                    l.identifiant = Some(a.identifiant());
                    potentiel_permis(c, &path, nom, a, l.points_restants, l.realise);
                }
            }
        }
    }

    fn verifier(&self, c: &mut Checker, key: &str, nom: &str) {
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

/// The référentiel's action of one row (an axis when `parent` is `None`, else one of its
/// lines): by its code if written, else by its label. The label is checked against the
/// référentiel's and, when it is the same or cut with « … », replaced by it.
fn rattacher(
    c: &mut Checker,
    here: &str,
    key: &str,
    nom: &str,
    parent: Option<&str>,
    code: &Option<String>,
    libelle: &mut Option<String>,
) -> Option<&'static Action> {
    let niveau = if parent.is_some() { 2 } else { 1 };
    let (quoi, absent, le) = if parent.is_some() {
        ("ligne", "absente", "la ligne")
    } else {
        ("axe", "absent", "l'axe")
    };
    let candidats: Vec<&Action> = ademe::enfants(key, niveau, parent).collect();
    let path = format!("{here}.libelle");
    let action = match code {
        Some(code) => {
            let found = candidats.iter().find(|a| a.code == *code).copied();
            if found.is_none() {
                let codes: Vec<&str> = candidats.iter().map(|a| a.code.as_str()).collect();
                c.warning(
                    &format!("{here}.code"),
                    format!("code `{code}` absent du référentiel {nom}"),
                    format!(
                        "codes possibles ici : {} (référentiel de l'ADEME, referentiels/ademe-referentiels-cae-eci.csv)",
                        codes.join(", ")
                    ),
                );
            }
            found
        }
        None => libelle
            .as_deref()
            .and_then(|l| ademe::par_intitule(l, candidats.iter().copied())),
    };
    let written = libelle.clone()?;
    match action {
        Some(a) => match ademe::comparer(&written, &a.nom) {
            Intitule::Identique | Intitule::Tronque => *libelle = Some(a.nom.clone()),
            Intitule::Different => c.warning(
                &path,
                format!(
                    "intitulé différent de celui du référentiel {nom} pour `{}`",
                    a.identifiant()
                ),
                format!(
                    "vouliez-vous dire `{}` ? sinon corrigez le code de {le}",
                    a.nom
                ),
            ),
        },
        None if code.is_none() => {
            let noms = candidats.iter().map(|a| a.nom.as_str());
            let hint = match did_you_mean(&written, noms.clone()) {
                Some(best) => format!("vouliez-vous dire `{best}` ?"),
                None => format!(
                    "intitulés possibles ici : {}",
                    noms.map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            c.warning(
                &path,
                format!("{quoi} `{written}` {absent} du référentiel {nom}"),
                hint,
            );
        }
        None => {}
    }
    action
}

/// A row's potential (points restants ÷ (1 − % réalisé)) is at most the points the
/// référentiel gives it (the ADEME may reduce a potential, never raise it), allowing for the
/// rounding of both figures to one decimal.
fn potentiel_permis(
    c: &mut Checker,
    here: &str,
    nom: &str,
    a: &Action,
    restants: Option<f64>,
    realise: Option<f64>,
) {
    let (Some(points), Some(r), Some(p)) = (a.points, restants, realise) else {
        return;
    };
    let Some(pot) = potentiel(r, p) else { return };
    let plus_petit = (r - ARRONDI).max(0.0) / (1.0 - (p - ARRONDI).max(0.0) / 100.0);
    if plus_petit > points + 1e-9 {
        c.warning(
            &format!("{here}.points_restants"),
            format!(
                "potentiel de {} points pour `{}`, au-delà des {} points que lui donne le référentiel {nom}",
                format::number(pot),
                a.identifiant(),
                format::number(points)
            ),
            "le potentiel (points restants ÷ (1 − % réalisé)) ne dépasse pas les points du référentiel : vérifiez les points restants et le % réalisé".to_string(),
        );
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
pub(super) fn potentiel(restants: f64, realise: f64) -> Option<f64> {
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
pub(super) fn same_epci_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let words: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .map(officiel::fold)
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
    pub(super) fn verifier(&mut self, c: &mut Checker) {
        let col = self.collectivite.clone().unwrap_or_default();
        c.required(
            "collectivite.nom",
            col.nom.is_some(),
            "le nom de la collectivité qui signe le contrat, par exemple `Communauté de communes Pays d'Apt-Luberon`",
        );
        c.siren("collectivite.siren", &col.siren, None);
        c.departement("collectivite.departement", &col.departement);
        if let (Some(siren), Some(nom)) = (&col.siren, &col.nom)
            && officiel::siren_problem(siren).is_none()
            && let Some(epci) = officiel::get().epci(siren)
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

        for (key, nom, r) in self.referentiels_mut() {
            r.rattacher(c, key, nom);
            r.verifier(c, key, nom);
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
