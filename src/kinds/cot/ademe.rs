//! Validate stage, COT plans: the official ADEME référentiels Climat-Air-Énergie (`cae`) and
//! Économie circulaire (`eci`), embedded like the other official lists
//! (`referentiels/ademe-referentiels-cae-eci.csv`, see `referentiels/README.md`).
//!
//! A plan's table rows are matched to the référentiel's axes (level 1) and sous-axes or
//! orientations (level 2): by their code when the plan writes one, else by their label, a label
//! cut with « … » matching the one it begins. A matched row takes the référentiel's full label
//! and identifier (`cae_1.2`); its potential is checked against the référentiel's points.

use std::sync::OnceLock;

use crate::officiel::fold;

/// One action of a référentiel: an axis, a sous-axe, or deeper.
#[derive(Debug)]
pub struct Action {
    /// `cae` or `eci`.
    pub referentiel: String,
    /// `1.2`.
    pub code: String,
    /// 1 for an axis, 2 for its sous-axes (CAE) or orientations (ECI)…
    pub niveau: u8,
    pub nom: String,
    /// The most points the action can bring: its own, or the sum of its children's where the
    /// référentiel sets points further down (the CAE's axes and sous-axes).
    pub points: Option<f64>,
}

impl Action {
    /// The référentiel's identifier of the action: `cae_1.2`.
    pub fn identifiant(&self) -> String {
        format!("{}_{}", self.referentiel, self.code)
    }
}

/// Every action of both référentiels, in the file's order.
pub fn actions() -> &'static [Action] {
    static ACTIONS: OnceLock<Vec<Action>> = OnceLock::new();
    ACTIONS.get_or_init(|| {
        let text = include_str!("../../../referentiels/ademe-referentiels-cae-eci.csv");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| {
                let r = r.expect("embedded référentiel");
                // A few CAE rows write their points with a decimal comma (`0,5`).
                let number = |s: &str| s.replace(',', ".").parse::<f64>().ok();
                Action {
                    referentiel: r[0].to_string(),
                    code: r[1].to_string(),
                    niveau: r[2].parse().expect("embedded référentiel"),
                    nom: r[3].to_string(),
                    points: number(&r[4]).or_else(|| number(&r[5])),
                }
            })
            .collect()
    })
}

/// The actions of `referentiel` at `niveau`, under the action `parent` if given.
pub fn enfants<'a>(
    referentiel: &'a str,
    niveau: u8,
    parent: Option<&'a str>,
) -> impl Iterator<Item = &'static Action> + 'a {
    actions().iter().filter(move |a| {
        a.referentiel == referentiel
            && a.niveau == niveau
            && parent.is_none_or(|p| a.code.strip_prefix(p).is_some_and(|r| r.starts_with('.')))
    })
}

/// How a row's label compares to the référentiel's.
#[derive(Debug, PartialEq)]
pub enum Intitule {
    /// The same words (case, accents and punctuation aside).
    Identique,
    /// Cut with « … » (or `...`) where the référentiel's goes on.
    Tronque,
    Different,
}

/// Compares a label as written with the référentiel's.
pub fn comparer(ecrit: &str, officiel: &str) -> Intitule {
    let officiel = fold(officiel);
    if fold(ecrit) == officiel {
        return Intitule::Identique;
    }
    let trimmed = ecrit.trim_end();
    match trimmed
        .strip_suffix('…')
        .or_else(|| trimmed.strip_suffix("..."))
    {
        Some(debut) if fold(debut).len() >= 8 && officiel.starts_with(&fold(debut)) => {
            Intitule::Tronque
        }
        _ => Intitule::Different,
    }
}

/// The action among `candidats` whose label is the one written (whole or cut), if exactly one.
pub fn par_intitule<'a>(
    ecrit: &str,
    candidats: impl IntoIterator<Item = &'a Action>,
) -> Option<&'a Action> {
    let mut found = candidats
        .into_iter()
        .filter(|a| comparer(ecrit, &a.nom) != Intitule::Different);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_referentiels_are_embedded_whole() {
        let total = |r| -> f64 { enfants(r, 1, None).filter_map(|a| a.points).sum() };
        assert_eq!(enfants("cae", 1, None).count(), 6);
        assert_eq!(enfants("eci", 1, None).count(), 5);
        assert_eq!(total("cae"), 500.0);
        assert_eq!(total("eci"), 500.0);
        let cae_1_2 = enfants("cae", 2, Some("1"))
            .find(|a| a.code == "1.2")
            .unwrap();
        assert_eq!(
            (
                cae_1_2.identifiant().as_str(),
                cae_1_2.nom.as_str(),
                cae_1_2.points
            ),
            ("cae_1.2", "Planification sectorielle", Some(44.0))
        );
        assert_eq!(enfants("cae", 2, Some("1")).count(), 3);
    }

    #[test]
    fn labels_cut_by_the_seed_match_the_full_label() {
        let full = "Définir une stratégie globale de la politique Economie Circulaire et assurer un portage politique fort";
        assert_eq!(
            comparer(
                "Définir une stratégie globale de la politique Economie Circulaire e…",
                full
            ),
            Intitule::Tronque
        );
        assert_eq!(
            comparer(
                "DÉFINIR une stratégie globale de la politique économie circulaire et assurer un portage politique fort",
                full
            ),
            Intitule::Identique
        );
        assert_eq!(
            comparer("Définir une stratégie locale…", full),
            Intitule::Different
        );
        assert_eq!(
            par_intitule("Urbanisme", enfants("cae", 2, None)).map(|a| a.identifiant()),
            Some("cae_1.3".to_string())
        );
    }
}
