//! The views of the ingénierie catalogue: one actor (its page and its PDF fiche), and the
//! catalogue (its page, with the filters and their counts, and its printable PDF). An absent
//! field is `None` or an empty list: the page prints « Non renseigné » for it, the PDF leaves
//! the line out, as the prefecture's fiche does.

use serde::Serialize;

use super::{Acteur, TYPES, phone, slug};
use crate::catalog::{Catalog, Entry};
use crate::kinds::Kind;
use crate::model::Reponse;
use crate::officiel;
use crate::view::{Liens, format, markdown};

/// The département of a catalogue: `PRÉFET DE LA MANCHE`, `Ingénierie locale de la Manche`.
#[derive(Clone, Debug, Serialize)]
pub struct DepartementVue {
    pub code: String,
    pub nom: String,
    pub prefet: String,
    pub titre_catalogue: String,
}

impl DepartementVue {
    fn de(code: Option<&str>) -> DepartementVue {
        match code.and_then(|c| officiel::get().departement(c)) {
            Some(d) => DepartementVue {
                code: d.code.clone(),
                nom: d.nom.clone(),
                prefet: format!("PRÉFET {}", d.de_nom().to_uppercase()),
                titre_catalogue: format!("Ingénierie locale {}", d.de_nom()),
            },
            None => DepartementVue {
                code: String::new(),
                nom: String::new(),
                prefet: "PRÉFET".into(),
                titre_catalogue: "Ingénierie locale".into(),
            },
        }
    }
}

/// A code and its label: a category, a domain.
#[derive(Clone, Debug, Serialize)]
pub struct Terme {
    pub code: Option<String>,
    pub libelle: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct LogoVue {
    /// The file next to the page, relative to the site root.
    pub url: String,
    /// The file as the PDF template sees it.
    pub pdf: String,
    pub alt: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct InterventionVue {
    pub code: &'static str,
    pub libelle: &'static str,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SaisineVue {
    pub texte: Option<String>,
    pub email: Option<String>,
    pub formulaire: Option<String>,
    pub guichet_unique: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ContactVue {
    pub nom: Option<String>,
    pub adresse: Vec<String>,
    /// `02 33 06 39 00`.
    pub telephone: Option<String>,
    /// `tel:+33233063900`.
    pub telephone_uri: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub site_web: Option<String>,
}

/// One actor, for its page, its PDF fiche and its card in the catalogue.
#[derive(Clone, Debug, Serialize)]
pub struct Vue {
    pub id: String,
    pub nom: Option<String>,
    pub sigle: Option<String>,
    /// `Direction départementale des territoires et de la mer de la Manche (DDTM 50)`.
    pub titre: String,
    pub categorie: Option<Terme>,
    pub logo: Option<LogoVue>,
    pub departement: DepartementVue,
    pub domaines: Vec<Terme>,
    pub presentation: Vec<String>,
    pub presentation_html: String,
    pub interventions: Vec<InterventionVue>,
    pub modalites: Vec<String>,
    pub modalites_html: String,
    pub public: Vec<String>,
    /// `Gratuit`, `Prise en charge à 95 %`, or the record's text.
    pub cout: Option<String>,
    pub territoire: Option<String>,
    pub saisine: SaisineVue,
    pub contacts: Vec<ContactVue>,
    pub liens: Liens,
}

/// A markdown text as paragraphs (for the PDF) and as HTML (for the page).
fn paragraphes(text: &Option<String>) -> (Vec<String>, String) {
    let t = text.clone().unwrap_or_default();
    (markdown::paragraphs(&t), markdown::to_html(&t))
}

pub fn acteur(e: &Entry<Acteur>) -> Vue {
    let (a, id) = (&e.record, &e.id);
    let (presentation, presentation_html) = paragraphes(&a.presentation);
    let (modalites, modalites_html) = paragraphes(&a.modalites);
    let cout = a.cout.clone().unwrap_or_default();
    let cout_texte = cout
        .texte
        .clone()
        .or_else(|| match (cout.gratuit, cout.prise_en_charge) {
            (Some(Reponse::Oui), _) => Some("Gratuit".to_string()),
            (_, Some(p)) => Some(format!("Prise en charge à {}", format::percent(p))),
            _ => None,
        });
    let saisine = a.saisine.clone().unwrap_or_default();
    Vue {
        id: id.clone(),
        nom: a.nom.clone(),
        sigle: a.sigle.clone(),
        titre: a.titre(),
        categorie: a.categorie_term().map(|t| Terme {
            code: t.code.clone(),
            libelle: t.libelle.clone(),
        }),
        logo: a.logo_fichier.as_ref().map(|(_, ext)| LogoVue {
            url: format!("ingenierie/{id}/logo.{ext}"),
            pdf: format!("/logos/{id}.{ext}"),
            alt: a.logo_alt.clone().unwrap_or_else(|| {
                format!(
                    "Logo de {}",
                    a.sigle
                        .as_ref()
                        .or(a.nom.as_ref())
                        .cloned()
                        .unwrap_or_default()
                )
            }),
        }),
        departement: DepartementVue::de(a.departement.as_deref()),
        domaines: a
            .domaines
            .iter()
            .flatten()
            .map(|d| Terme {
                code: Some(slug(d)),
                libelle: d.clone(),
            })
            .collect(),
        presentation,
        presentation_html,
        interventions: a
            .offered()
            .into_iter()
            .map(|(code, libelle, description)| InterventionVue {
                code,
                libelle,
                description,
            })
            .collect(),
        modalites,
        modalites_html,
        public: a.public.clone().unwrap_or_default(),
        cout: cout_texte,
        territoire: a.territoire.clone(),
        saisine: SaisineVue {
            texte: saisine.texte,
            email: saisine.email,
            formulaire: saisine.formulaire,
            guichet_unique: saisine.guichet_unique == Some(Reponse::Oui),
        },
        contacts: a
            .contacts
            .iter()
            .flatten()
            .map(|s| ContactVue {
                nom: s.nom.clone(),
                adresse: s.adresse.clone().unwrap_or_default(),
                telephone: s.telephone.clone(),
                telephone_uri: s
                    .telephone
                    .as_deref()
                    .and_then(|t| phone(t).ok())
                    .map(|(_, e164)| format!("tel:{e164}")),
                fax: s.fax.clone(),
                email: s.email.clone(),
                site_web: s.site_web.clone(),
            })
            .collect(),
        liens: Liens::de(Acteur::INFO.dossier, id),
    }
}

/// The single entry point of a catalogue.
#[derive(Clone, Debug, Serialize)]
pub struct AdresseUnique {
    pub email: String,
    pub texte: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct EnTeteListe {
    pub titre: String,
    pub departement: DepartementVue,
    pub adresse_unique: Option<AdresseUnique>,
    pub introduction: Vec<String>,
    pub introduction_html: String,
}

/// A value of a filter and how many actors have it.
#[derive(Clone, Debug, Serialize)]
pub struct Filtre {
    pub code: Option<String>,
    pub libelle: String,
    pub nombre: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Filtres {
    pub categories: Vec<Filtre>,
    pub types: Vec<Filtre>,
    pub domaines: Vec<Filtre>,
}

/// The catalogue: its page (the filters with their counts, every actor as a card) and its PDF.
#[derive(Clone, Debug, Serialize)]
pub struct ListeActeurs {
    pub catalogue: EnTeteListe,
    pub acteurs: Vec<Vue>,
    pub filtres: Filtres,
}

pub fn liste_acteurs(catalog: &Catalog) -> ListeActeurs {
    let settings = catalog.config.ingenierie.clone().unwrap_or_default();
    let entries = catalog.entries::<Acteur>();
    let code = settings
        .departement
        .clone()
        .or_else(|| entries.iter().find_map(|e| e.record.departement.clone()));
    let dep = DepartementVue::de(code.as_deref());
    let (introduction, introduction_html) = paragraphes(&settings.introduction);
    let compte = |f: &dyn Fn(&Acteur) -> bool| entries.iter().filter(|e| f(&e.record)).count();
    let categories = officiel::get()
        .vocabulary("categories_acteurs")
        .terms
        .iter()
        .map(|t| Filtre {
            code: t.code.clone(),
            libelle: t.libelle.clone(),
            nombre: compte(&|a| a.categorie_term().is_some_and(|x| x.code == t.code)),
        })
        .filter(|f| f.nombre > 0)
        .collect();
    let types = TYPES
        .iter()
        .map(|(code, libelle)| Filtre {
            code: Some(code.to_string()),
            libelle: libelle.to_string(),
            nombre: compte(&|a| a.offered().iter().any(|(k, _, _)| k == code)),
        })
        .filter(|f| f.nombre > 0)
        .collect();
    let domaines = officiel::get()
        .vocabulary("domaines_competences")
        .terms
        .iter()
        .map(|t| Filtre {
            code: Some(slug(&t.libelle)),
            libelle: t.libelle.clone(),
            nombre: compte(&|a| a.domaines.iter().flatten().any(|d| *d == t.libelle)),
        })
        .filter(|f| f.nombre > 0)
        .collect();
    ListeActeurs {
        catalogue: EnTeteListe {
            titre: dep.titre_catalogue.clone(),
            departement: dep.clone(),
            adresse_unique: settings.adresse_unique.map(|email| AdresseUnique {
                email,
                texte: "Pour faciliter l'accès à l'ingénierie, une adresse unique",
            }),
            introduction,
            introduction_html,
        },
        acteurs: entries.iter().map(acteur).collect(),
        filtres: Filtres {
            categories,
            types,
            domaines,
        },
    }
}
