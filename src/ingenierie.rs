//! The local ingénierie catalogue (seed 002): one actor per `content/ingenierie/<id>.yaml`,
//! its checks (category and domains from the vocabularies, the seven ingénierie types, phone
//! numbers and e-mails validated and normalised), its view and its dataset rows.
//!
//! An ingénierie type absent from `interventions` is not offered; a type written with no
//! description (`fonciere:`) is offered without details. The two differ in every output.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::markdown;
use crate::referentiel;
use crate::validate::Checker;

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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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
    pub contacts: Option<Vec<Site>>,
    /// Optional logo: an image file (PNG, JPEG or SVG) next to the record, e.g. `logos/ddtm-50.png`.
    pub logo: Option<String>,
    /// Text alternative of the logo; « Logo de <nom> » by default.
    pub logo_alt: Option<String>,
    /// The logo's bytes and extension, read once by the checks; the PDF templates see it as
    /// `/logos/<id>.<ext>`.
    #[serde(skip)]
    pub logo_fichier: Option<(Vec<u8>, String)>,
}

/// Largest logo accepted.
pub const MAX_LOGO_SIZE: u64 = 1024 * 1024;

/// What the actor's help costs: free, or a share covered with a capped remainder.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Cout {
    pub gratuit: Option<crate::crte::Reponse>,
    /// Share of the cost covered, in %.
    pub prise_en_charge: Option<f64>,
    /// Cap of what remains for the commune, in euros TTC.
    pub plafond_reste_a_charge: Option<f64>,
    pub texte: Option<String>,
}

/// How to ask for help.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Saisine {
    pub texte: Option<String>,
    pub email: Option<String>,
    pub formulaire: Option<String>,
    /// The actor is reached through the département's single entry point.
    pub guichet_unique: Option<crate::crte::Reponse>,
}

/// One site of the actor's contact block.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Site {
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
    pub fn titre(&self) -> String {
        match (&self.nom, &self.sigle) {
            (Some(n), Some(s)) if !n.contains(s.as_str()) => format!("{n} ({s})"),
            (Some(n), _) => n.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => String::new(),
        }
    }

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

    pub fn validate(&mut self, c: &mut Checker) {
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
                    c.error(&path, format!("type d'ingénierie inconnu `{key}`"), hint);
                }
            }
        }
        if let Some(logo) = self.logo.clone() {
            match read_logo(&c.source.path, &logo) {
                Ok(file) => self.logo_fichier = Some(file),
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

    /// The category's vocabulary term (code and label).
    pub fn categorie_term(&self) -> Option<&'static referentiel::Term> {
        let written = self.categorie.as_deref()?;
        match referentiel::get()
            .vocabulary("categories_acteurs")
            .lookup(written)
        {
            referentiel::Lookup::Exact(t) | referentiel::Lookup::Alias(t) => Some(t),
            referentiel::Lookup::Unknown(_) => None,
        }
    }

    pub fn paragraphs(text: &Option<String>) -> (Vec<String>, String) {
        let t = text.clone().unwrap_or_default();
        (markdown::paragraphs(&t), markdown::to_html(&t))
    }
}

/// Reads a logo named by a record: a relative path under the record's folder, a regular file
/// (no symbolic link), a known image type, at most [`MAX_LOGO_SIZE`].
fn read_logo(record: &std::path::Path, written: &str) -> Result<(Vec<u8>, String), String> {
    let rel = std::path::Path::new(written);
    if !rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format!(
            "logo `{written}` : le chemin doit rester dans le dossier de la fiche"
        ));
    }
    let ext = rel
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let ext = match ext.as_str() {
        "png" | "svg" => ext,
        "jpg" | "jpeg" => "jpg".to_string(),
        _ => {
            return Err(format!(
                "logo `{written}` : format non accepté (PNG, JPEG ou SVG)"
            ));
        }
    };
    let path = record
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(rel);
    let meta =
        std::fs::symlink_metadata(&path).map_err(|_| format!("logo `{written}` introuvable"))?;
    if !meta.is_file() {
        return Err(format!(
            "logo `{written}` : ce n'est pas un fichier (les liens symboliques sont refusés)"
        ));
    }
    if meta.len() > MAX_LOGO_SIZE {
        return Err(format!("logo `{written}` trop volumineux (maximum 1 Mo)"));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("logo `{written}` illisible : {e}"))?;
    Ok((bytes, ext))
}

/// An address a page may link to: http(s) only.
fn url(c: &mut Checker, path: &str, value: &Option<String>) {
    let Some(u) = value.as_deref() else { return };
    if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
        c.error(
            path,
            format!("adresse web invalide `{u}`"),
            "écrivez l'adresse complète, commençant par https://".to_string(),
        );
    }
}

/// A label's slug for filters and CSS: `Mer et littoral` → `mer-et-littoral`.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for word in label.split(|c: char| !c.is_alphanumeric()) {
        let folded = referentiel::fold(word);
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

/// The catalogue-level settings, in `content/site.yaml` under `ingenierie:`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Catalogue {
    /// Code INSEE of the département whose catalogue this is.
    pub departement: Option<String>,
    /// The département's single entry point for ingénierie requests.
    pub adresse_unique: Option<String>,
    /// Markdown shown above the actors.
    pub introduction: Option<String>,
}

/// `PRÉFET DE LA MANCHE`, `Ingénierie locale de la Manche` for a département code.
fn departement_view(code: Option<&str>) -> serde_json::Value {
    match code.and_then(|c| referentiel::get().departement(c)) {
        Some(d) => serde_json::json!({
            "code": d.code,
            "nom": d.nom,
            "prefet": format!("PRÉFET {}", d.de_nom().to_uppercase()),
            "titre_catalogue": format!("Ingénierie locale {}", d.de_nom()),
        }),
        None => serde_json::json!({
            "code": "", "nom": "", "prefet": "PRÉFET", "titre_catalogue": "Ingénierie locale",
        }),
    }
}

impl Acteur {
    /// The actor as pages and PDFs show it (see the contract in ARCHITECTURE.md); links are
    /// relative to the site root.
    pub fn view(&self, id: &str) -> serde_json::Value {
        let (presentation, presentation_html) = Self::paragraphs(&self.presentation);
        let (modalites, modalites_html) = Self::paragraphs(&self.modalites);
        let term = self.categorie_term();
        let cout = self.cout.clone().unwrap_or_default();
        let cout_texte =
            cout.texte
                .clone()
                .or_else(|| match (cout.gratuit, cout.prise_en_charge) {
                    (Some(crate::crte::Reponse::Oui), _) => Some("Gratuit".to_string()),
                    (_, Some(p)) => {
                        Some(format!("Prise en charge à {}", crate::format::percent(p)))
                    }
                    _ => None,
                });
        let contacts: Vec<serde_json::Value> = self
            .contacts
            .iter()
            .flatten()
            .map(|s| {
                let uri = s
                    .telephone
                    .as_deref()
                    .and_then(|t| phone(t).ok())
                    .map(|(_, e164)| format!("tel:{e164}"));
                serde_json::json!({
                    "nom": s.nom, "adresse": s.adresse.clone().unwrap_or_default(),
                    "telephone": s.telephone, "telephone_uri": uri, "fax": s.fax,
                    "email": s.email, "site_web": s.site_web,
                })
            })
            .collect();
        let saisine = self.saisine.clone().unwrap_or_default();
        serde_json::json!({
            "id": id,
            "nom": self.nom,
            "sigle": self.sigle,
            "titre": self.titre(),
            "categorie": term.map(|t| serde_json::json!({ "code": t.code, "libelle": t.libelle })),
            "logo": self.logo_fichier.as_ref().map(|(_, ext)| serde_json::json!({
                "url": format!("ingenierie/{id}/logo.{ext}"),
                "pdf": format!("/logos/{id}.{ext}"),
                "alt": self.logo_alt.clone().unwrap_or_else(|| format!("Logo de {}", self.sigle.as_ref().or(self.nom.as_ref()).cloned().unwrap_or_default())),
            })),
            "departement": departement_view(self.departement.as_deref()),
            "domaines": self.domaines.iter().flatten().map(|d| serde_json::json!({ "code": slug(d), "libelle": d })).collect::<Vec<_>>(),
            "presentation": presentation,
            "presentation_html": presentation_html,
            "interventions": self.offered().into_iter().map(|(code, libelle, description)| serde_json::json!({
                "code": code, "libelle": libelle, "description": description,
            })).collect::<Vec<_>>(),
            "modalites": modalites,
            "modalites_html": modalites_html,
            "public": self.public.clone().unwrap_or_default(),
            "cout": cout_texte,
            "territoire": self.territoire,
            "saisine": {
                "texte": saisine.texte, "email": saisine.email, "formulaire": saisine.formulaire,
                "guichet_unique": saisine.guichet_unique == Some(crate::crte::Reponse::Oui),
            },
            "contacts": contacts,
            "liens": {
                "page": format!("ingenierie/{id}/"),
                "pdf": format!("ingenierie/{id}.pdf"),
                "json": format!("donnees/ingenierie/{id}.json"),
            },
        })
    }
}

/// The catalogue page's data: the catalogue, every actor, and the filters with their counts.
pub fn catalogue_view(
    settings: Option<&Catalogue>,
    acteurs: &[(String, &Acteur)],
) -> serde_json::Value {
    let settings = settings.cloned().unwrap_or_default();
    let code = settings
        .departement
        .clone()
        .or_else(|| acteurs.iter().find_map(|(_, a)| a.departement.clone()));
    let dep = departement_view(code.as_deref());
    let introduction = settings.introduction.clone();
    let (paragraphes, introduction_html) = Acteur::paragraphs(&introduction);
    let mut categories: Vec<serde_json::Value> = Vec::new();
    for t in &referentiel::get().vocabulary("categories_acteurs").terms {
        let n = acteurs
            .iter()
            .filter(|(_, a)| a.categorie_term().is_some_and(|x| x.code == t.code))
            .count();
        if n > 0 {
            categories
                .push(serde_json::json!({ "code": t.code, "libelle": t.libelle, "nombre": n }));
        }
    }
    let types: Vec<serde_json::Value> = TYPES
        .iter()
        .filter_map(|(code, libelle)| {
            let n = acteurs
                .iter()
                .filter(|(_, a)| a.offered().iter().any(|(k, _, _)| k == code))
                .count();
            (n > 0).then(|| serde_json::json!({ "code": code, "libelle": libelle, "nombre": n }))
        })
        .collect();
    let mut domaines: Vec<serde_json::Value> = Vec::new();
    for t in &referentiel::get().vocabulary("domaines_competences").terms {
        let n = acteurs
            .iter()
            .filter(|(_, a)| a.domaines.iter().flatten().any(|d| *d == t.libelle))
            .count();
        if n > 0 {
            domaines.push(
                serde_json::json!({ "code": slug(&t.libelle), "libelle": t.libelle, "nombre": n }),
            );
        }
    }
    serde_json::json!({
        "catalogue": {
            "titre": dep["titre_catalogue"],
            "departement": { "code": dep["code"], "nom": dep["nom"] },
            "adresse_unique": settings.adresse_unique.as_ref().map(|e| serde_json::json!({
                "email": e, "texte": "Pour faciliter l'accès à l'ingénierie, une adresse unique",
            })),
            "introduction": paragraphes,
            "introduction_html": introduction_html,
        },
        "acteurs": acteurs.iter().map(|(id, a)| a.view(id)).collect::<Vec<_>>(),
        "filtres": { "categories": categories, "types": types, "domaines": domaines },
    })
}
