//! Official lists (below the checks and the kinds): départements, régions and EPCI of the
//! official geography, the SIREN check, and the controlled vocabularies with their aliases.
//!
//! The lists are embedded in the binary (see `referentiels/README.md` for their sources) and
//! parsed once per process.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Departement {
    pub code: String,
    pub nom: String,
    pub region: String,
    /// INSEE article type: 0 « de », 1 « d' », 2 « du », 3 « de la », 4 « des », 5 « de l' ».
    pub type_liaison: u8,
    pub zone: String,
}

impl Departement {
    /// « de la Lozère », « du Pas-de-Calais », « de l'Ain »: for « Préfet de la Lozère ».
    pub fn de_nom(&self) -> String {
        match self.type_liaison {
            1 => format!("d'{}", self.nom),
            2 => format!("du {}", self.nom.trim_start_matches("Le ")),
            3 => format!("de la {}", self.nom.trim_start_matches("La ")),
            4 => format!("des {}", self.nom.trim_start_matches("Les ")),
            5 => format!("de l'{}", self.nom.trim_start_matches("L'")),
            _ => format!("de {}", self.nom),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Region {
    pub code: String,
    pub nom: String,
}

#[derive(Debug, Deserialize)]
pub struct Epci {
    pub code: String,
    pub nom: String,
    #[serde(rename = "type")]
    pub nature: String,
}

/// The official lists and the vocabularies.
pub struct Listes {
    departements: BTreeMap<String, Departement>,
    regions: BTreeMap<String, Region>,
    epci: BTreeMap<String, Epci>,
    pub vocabulaires: BTreeMap<String, Vocabulary>,
}

/// The reference data, parsed on first use.
pub fn get() -> &'static Listes {
    static REF: OnceLock<Listes> = OnceLock::new();
    REF.get_or_init(|| {
        let departements: Vec<Departement> =
            serde_json::from_str(include_str!("../referentiels/departements.json"))
                .expect("embedded list");
        let regions: Vec<Region> =
            serde_json::from_str(include_str!("../referentiels/regions.json"))
                .expect("embedded list");
        let epci: Vec<Epci> =
            serde_json::from_str(include_str!("../referentiels/epci.json")).expect("embedded list");
        Listes {
            departements: departements
                .into_iter()
                .map(|d| (d.code.clone(), d))
                .collect(),
            regions: regions.into_iter().map(|r| (r.code.clone(), r)).collect(),
            epci: epci.into_iter().map(|e| (e.code.clone(), e)).collect(),
            vocabulaires: load_vocabularies(include_str!("../referentiels/vocabulaires.yaml")),
        }
    })
}

impl Listes {
    pub fn departement(&self, code: &str) -> Option<&Departement> {
        self.departements.get(code)
    }

    pub fn departements(&self) -> impl Iterator<Item = &Departement> {
        self.departements.values()
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.get(code)
    }

    pub fn epci(&self, siren: &str) -> Option<&Epci> {
        self.epci.get(siren)
    }

    pub fn vocabulary(&self, name: &str) -> &Vocabulary {
        self.vocabulaires
            .get(name)
            .unwrap_or_else(|| panic!("vocabulary `{name}` is declared"))
    }
}

/// What is wrong with a SIREN, if anything.
pub fn siren_problem(siren: &str) -> Option<String> {
    if siren.len() != 9 || !siren.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("SIREN invalide : `{siren}` n'a pas 9 chiffres"));
    }
    // Luhn: from the right, double every second digit.
    let sum: u32 = siren
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    (!sum.is_multiple_of(10))
        .then(|| format!("SIREN invalide : la clé de contrôle de `{siren}` est fausse"))
}

/// One controlled vocabulary: the accepted terms and how to reach them.
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub terms: Vec<Term>,
    /// folded spelling → (term index, is an alias)
    index: BTreeMap<String, (usize, bool)>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Term {
    pub libelle: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub alias: Vec<String>,
}

impl Term {
    /// What records store: the code when the vocabulary has codes, else the label.
    pub fn value(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.libelle)
    }
}

/// How a written term relates to the vocabulary.
#[derive(Debug, PartialEq)]
pub enum Lookup<'a> {
    /// The term, possibly with other capitals, accents or punctuation.
    Exact(&'a Term),
    /// A known misspelling or former name of the term.
    Alias(&'a Term),
    /// Not in the vocabulary; the closest term if one is near.
    Unknown(Option<&'a Term>),
}

impl Vocabulary {
    pub fn lookup(&self, written: &str) -> Lookup<'_> {
        match self.index.get(&fold(written)) {
            Some(&(i, false)) => Lookup::Exact(&self.terms[i]),
            Some(&(i, true)) => Lookup::Alias(&self.terms[i]),
            None => {
                let folded: Vec<(String, usize)> = self
                    .index
                    .iter()
                    .map(|(k, &(i, _))| (k.clone(), i))
                    .collect();
                let best = crate::diagnostics::did_you_mean(
                    &fold(written),
                    folded.iter().map(|(k, _)| k.as_str()),
                )
                .and_then(|k| folded.iter().find(|(f, _)| f == k))
                .map(|(_, i)| &self.terms[*i]);
                Lookup::Unknown(best)
            }
        }
    }
}

fn load_vocabularies(text: &str) -> BTreeMap<String, Vocabulary> {
    let node = crate::source::yaml::parse("referentiels/vocabulaires.yaml", text)
        .expect("embedded vocabularies parse");
    let raw: BTreeMap<String, Vec<Term>> =
        crate::source::decode::decode("referentiels/vocabulaires.yaml", text, &node)
            .expect("embedded vocabularies decode");
    raw.into_iter()
        .map(|(name, terms)| {
            let mut index = BTreeMap::new();
            for (i, t) in terms.iter().enumerate() {
                for spelling in [Some(&t.libelle), t.code.as_ref()].into_iter().flatten() {
                    index.insert(fold(spelling), (i, false));
                }
                for a in &t.alias {
                    index.entry(fold(a)).or_insert((i, true));
                }
            }
            (name, Vocabulary { terms, index })
        })
        .collect()
}

/// Lowercase, without accents, spaces or punctuation: `Écologie…` and `ecologie...` match.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'â' | 'ä' | 'á' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ç' => "c",
            'œ' => "oe",
            'æ' => "ae",
            'ÿ' => "y",
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => continue,
        };
        out.push_str(base);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_luhn() {
        for ok in [
            "200006930",
            "244800405",
            "200069102",
            "200069128",
            "200086874",
            "246201016",
            "200069037",
        ] {
            assert_eq!(siren_problem(ok), None, "{ok}");
        }
        assert_eq!(
            siren_problem("48").unwrap(),
            "SIREN invalide : `48` n'a pas 9 chiffres"
        );
        assert_eq!(
            siren_problem("200006931").unwrap(),
            "SIREN invalide : la clé de contrôle de `200006931` est fausse"
        );
    }

    #[test]
    fn vocabulary_normalises_typography_silently_and_aliases_loudly() {
        let v = get().vocabulary("programmes_anct");
        assert!(
            matches!(v.lookup("Action coeur de ville"), Lookup::Exact(t) if t.libelle == "Action cœur de ville")
        );
        assert!(
            matches!(v.lookup("Petits villes de demain"), Lookup::Alias(t) if t.libelle == "Petites villes de demain")
        );
        assert!(
            matches!(v.lookup("Petites vilels de demain"), Lookup::Unknown(Some(t)) if t.libelle == "Petites villes de demain")
        );
        assert_eq!(v.lookup("Plan Marshall"), Lookup::Unknown(None));
        let d = get().vocabulary("domaines_action_publique");
        assert!(matches!(
            d.lookup("Infrastructure(s) et réseaux (numérique, eau,chaleur...)"),
            Lookup::Exact(_)
        ));
    }

    #[test]
    fn departements_and_articles() {
        let r = get();
        assert_eq!(r.departement("48").unwrap().de_nom(), "de la Lozère");
        assert_eq!(r.departement("62").unwrap().de_nom(), "du Pas-de-Calais");
        assert_eq!(r.departement("01").unwrap().de_nom(), "de l'Ain");
        assert_eq!(r.departement("2A").unwrap().nom, "Corse-du-Sud");
        assert!(r.departement("20").is_none());
        assert_eq!(r.epci("200069037").unwrap().nature, "CA");
    }
}
