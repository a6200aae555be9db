//! The blocks record views are made of: sections of labelled fields (a CRTE fiche), groups of
//! programme blocks with key figures, lists and tables (a fiche territoriale). Every value is
//! already formatted in French and « Non renseigné » already substituted.

use serde::Serialize;

use super::{NON_RENSEIGNE, format};

#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub id: String,
    pub titre: String,
    pub champs: Vec<Champ>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Champ {
    pub label: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Always set: the formatted value, a count for lists, or "Non renseigné".
    pub valeur: String,
    pub renseigne: bool,
    /// Strings for `liste`, [`Membre`]s for `acteurs`, empty otherwise.
    pub elements: Vec<serde_json::Value>,
}

/// A signatory or a member of a committee, display-ready.
#[derive(Clone, Debug, Serialize)]
pub struct Membre {
    pub nom: String,
    pub nature: String,
    pub siren: String,
}

impl Section {
    pub fn new(id: &str, titre: &str) -> Self {
        Section {
            id: id.to_string(),
            titre: titre.to_string(),
            champs: Vec::new(),
        }
    }

    fn push(
        &mut self,
        label: &str,
        kind: &'static str,
        valeur: Option<String>,
        elements: Vec<serde_json::Value>,
    ) -> &mut Self {
        self.champs.push(Champ {
            label: label.to_string(),
            kind,
            renseigne: valeur.is_some(),
            valeur: valeur.unwrap_or_else(|| NON_RENSEIGNE.to_string()),
            elements,
        });
        self
    }

    pub fn texte(&mut self, label: &str, value: Option<&str>) -> &mut Self {
        self.push(label, "texte", value.map(str::to_string), Vec::new())
    }

    pub fn email(&mut self, label: &str, value: Option<&str>) -> &mut Self {
        self.push(label, "email", value.map(str::to_string), Vec::new())
    }

    pub fn date(&mut self, label: &str, value: Option<&str>) -> &mut Self {
        let shown =
            value.map(|v| format::Date::parse_iso(v).map_or_else(|| v.to_string(), |d| d.french()));
        self.push(label, "texte", shown, Vec::new())
    }

    pub fn nombre(&mut self, label: &str, value: Option<f64>) -> &mut Self {
        self.push(label, "texte", value.map(format::number), Vec::new())
    }

    pub fn montant(&mut self, label: &str, value: Option<f64>) -> &mut Self {
        self.push(
            label,
            "montant",
            value.map(format::euros_compact),
            Vec::new(),
        )
    }

    /// A list: "Non renseigné" when absent, "Aucun" when given empty.
    pub fn liste(
        &mut self,
        label: &str,
        items: Option<&[String]>,
        unit: (&str, &str),
    ) -> &mut Self {
        let valeur = items.map(|l| count(l.len(), unit));
        let elements = items
            .unwrap_or_default()
            .iter()
            .map(|s| serde_json::Value::from(s.as_str()))
            .collect();
        self.push(label, "liste", valeur, elements)
    }

    pub fn acteurs(
        &mut self,
        label: &str,
        items: Option<Vec<Membre>>,
        unit: (&str, &str),
    ) -> &mut Self {
        let valeur = items.as_ref().map(|l| count(l.len(), unit));
        let elements = items
            .unwrap_or_default()
            .into_iter()
            .map(|a| serde_json::to_value(a).expect("plain strings serialise"))
            .collect();
        self.push(label, "acteurs", valeur, elements)
    }
}

/// `6 signataires`, `1 signataire`, `Aucun`.
fn count(n: usize, (one, many): (&str, &str)) -> String {
    match n {
        0 => "Aucun".to_string(),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// A group of programme blocks (« Territoires et ruralités »), as the fiches territoriales
/// lay them out.
#[derive(Clone, Debug, Serialize)]
pub struct Groupe {
    pub id: String,
    pub titre: String,
    pub sections: Vec<Bloc>,
}

/// One programme block: key figures set large, text, lists, tables, links and the source of
/// its figures. Every key is always present so templates stay simple.
#[derive(Clone, Debug, Serialize)]
pub struct Bloc {
    pub id: String,
    pub titre: String,
    pub chiffres: Vec<Chiffre>,
    pub paragraphes: Vec<String>,
    pub listes: Vec<Liste>,
    pub tableaux: Vec<Tableau>,
    pub liens: Vec<Lien>,
    pub source: Option<String>,
}

/// A key figure: `12` « espaces France Services ».
#[derive(Clone, Debug, Serialize)]
pub struct Chiffre {
    pub valeur: String,
    pub libelle: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Liste {
    pub titre: Option<String>,
    pub elements: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tableau {
    pub titre: String,
    pub colonnes: Vec<String>,
    /// Per column: figures, aligned right (and their heading with them).
    pub nombres: Vec<bool>,
    pub lignes: Vec<Vec<String>>,
    pub total: Option<Vec<String>>,
    pub note: Option<String>,
}

/// A link to another page of the site; `url` is `None` when the target is not published.
#[derive(Clone, Debug, Serialize)]
pub struct Lien {
    pub titre: String,
    pub url: Option<String>,
}

impl Chiffre {
    pub fn new(valeur: impl Into<String>, libelle: impl Into<String>) -> Self {
        Chiffre {
            valeur: valeur.into(),
            libelle: libelle.into(),
        }
    }
}

impl Bloc {
    pub fn new(id: &str, titre: &str) -> Self {
        Bloc {
            id: id.to_string(),
            titre: titre.to_string(),
            chiffres: Vec::new(),
            paragraphes: Vec::new(),
            listes: Vec::new(),
            tableaux: Vec::new(),
            liens: Vec::new(),
            source: None,
        }
    }

    /// Adds a list if it has elements.
    pub fn liste(&mut self, titre: Option<&str>, elements: &Option<Vec<String>>) {
        if let Some(e) = elements.as_ref().filter(|e| !e.is_empty()) {
            self.listes.push(Liste {
                titre: titre.map(str::to_string),
                elements: e.clone(),
            });
        }
    }
}
