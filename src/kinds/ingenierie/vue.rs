//! The views of the ingénierie catalogue: one actor (its page and its PDF fiche), and the
//! catalogue (its page, with the filters and their counts, the actors' offers, its downloads
//! and its own facts, and its printable PDF, the actors grouped by category in the seed's
//! order). An absent field is `None` or an empty list: the page prints « Non renseigné » for
//! it, the PDF leaves the line out, as the prefecture's fiche does. Markdown texts come as
//! HTML for the page and as blocks ([`markdown::blocs`]) for the PDF, so the PDF keeps their
//! lists and bold without ever reading record text as typst markup.

use serde::Serialize;

use super::{Acteur, ORDRE_CATEGORIES, Offre, TYPES, phone, slug};
use crate::catalog::{Catalog, Entry};
use crate::config::IngenierieConfig;
use crate::kinds::Kind;
use crate::model::Reponse;
use crate::officiel;
use crate::view::blocs::Tableau;
use crate::view::format::{Date, LooseDate};
use crate::view::markdown::Bloc;
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
    /// Plain text.
    pub description: Option<String>,
    /// Inline markdown as safe HTML (the page) and as blocks (the PDF).
    pub description_html: Option<String>,
    pub description_blocs: Vec<Bloc>,
}

/// A labelled fact of an offer: « Depuis » juillet 2022.
#[derive(Clone, Debug, Serialize)]
pub struct ChampVue {
    pub libelle: &'static str,
    pub valeur: String,
}

/// An offer (of an actor, or a measure of the catalogue), ready to print: its description as
/// HTML and as blocks, its facts as labelled lines in a fixed order, its examples.
#[derive(Clone, Debug, Serialize)]
pub struct OffreVue {
    pub nom: String,
    pub description_html: String,
    pub description: Vec<Bloc>,
    pub champs: Vec<ChampVue>,
    pub exemples: Vec<String>,
    /// The label of the examples: « Exemples de projets ».
    pub libelle_exemples: &'static str,
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
    /// Plain paragraphs (the catalogue's search), HTML (the page), blocks (the PDF).
    pub presentation: Vec<String>,
    pub presentation_html: String,
    pub presentation_blocs: Vec<Bloc>,
    pub interventions: Vec<InterventionVue>,
    pub offres: Vec<OffreVue>,
    pub modalites: Vec<String>,
    pub modalites_html: String,
    pub modalites_blocs: Vec<Bloc>,
    pub public: Vec<String>,
    /// `Gratuit`, `Prise en charge à 95 %`, or the record's text.
    pub cout: Option<String>,
    pub territoire: Option<String>,
    pub saisine: SaisineVue,
    pub contacts: Vec<ContactVue>,
    /// Who to ask when the actor lists no contact: the catalogue's single entry point.
    pub contact_par_defaut: Option<AdresseUnique>,
    pub liens: Liens,
}

/// A markdown text as plain paragraphs, as HTML (for the page) and as blocks (for the PDF).
fn paragraphes(text: &Option<String>) -> (Vec<String>, String, Vec<Bloc>) {
    let t = text.clone().unwrap_or_default();
    (
        markdown::paragraphs(&t),
        markdown::to_html(&t),
        markdown::blocs(&t),
    )
}

/// `85 000 € par EPCI lauréat`.
fn montant_par(montant: Option<f64>, par: &Option<String>) -> Option<String> {
    let m = format::euros(montant?);
    Some(match par {
        Some(p) => format!("{m} par {p}"),
        None => m,
    })
}

/// `10 à 50 %`, `jusqu'à 50 %`, `au moins 10 %`.
fn taux(min: Option<f64>, max: Option<f64>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format::percent(b)),
        (Some(a), Some(b)) => Some(format!(
            "{} à {}",
            format::number((a * 10.0).round() / 10.0),
            format::percent(b)
        )),
        (None, Some(b)) => Some(format!("jusqu'à {}", format::percent(b))),
        (Some(a), None) => Some(format!("au moins {}", format::percent(a))),
        (None, None) => None,
    }
}

/// An offer's view: its facts in the order they are read (since when, convention, partners,
/// beneficiaries, financing, rate, budget).
pub fn offre(o: &Offre) -> OffreVue {
    let description = o.description.clone().unwrap_or_default();
    let mut champs = Vec::new();
    let mut champ = |libelle: &'static str, valeur: Option<String>| {
        if let Some(valeur) = valeur.filter(|v| !v.trim().is_empty()) {
            champs.push(ChampVue { libelle, valeur });
        }
    };
    champ(
        "Depuis",
        o.depuis
            .as_deref()
            .and_then(LooseDate::parse)
            .map(|d| d.french()),
    );
    champ(
        "Convention signée le",
        o.date_convention
            .as_deref()
            .and_then(Date::parse_iso)
            .map(|d| d.french()),
    );
    champ("Partenaires", o.partenaires.as_ref().map(|p| p.join(", ")));
    champ("Bénéficiaires", o.beneficiaires.clone());
    let f = o.financement.clone().unwrap_or_default();
    champ("Financement", montant_par(f.montant, &f.par));
    champ(
        "Taux",
        taux(f.taux_min, f.taux_max).map(|t| {
            let mut t = t;
            if let Some(a) = &f.assiette {
                t = format!("{t} {a}");
            }
            if let Some(c) = &f.conditions {
                t = format!("{t} ({c})");
            }
            t
        }),
    );
    if let Some(e) = &o.enveloppe {
        let montant = montant_par(e.montant, &e.par);
        let valeur = match (e.kind, montant) {
            (Some(k), Some(m)) => Some(format!("{} de {m}", capitalise(k.label()))),
            (Some(k), None) => Some(capitalise(k.label())),
            (None, m) => m,
        };
        champ("Enveloppe", valeur);
    }
    OffreVue {
        nom: o.nom.clone().unwrap_or_default(),
        description_html: markdown::to_html(&description),
        description: markdown::blocs(&description),
        champs,
        exemples: o.exemples.clone().unwrap_or_default(),
        libelle_exemples: "Exemples de projets",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The catalogue's single entry point, if its settings give one.
fn adresse_unique(settings: Option<&IngenierieConfig>) -> Option<AdresseUnique> {
    settings?.adresse_unique.clone().map(|email| AdresseUnique {
        email,
        texte: "Pour faciliter l'accès à l'ingénierie, une adresse unique",
    })
}

pub fn acteur(e: &Entry<Acteur>, settings: Option<&IngenierieConfig>) -> Vue {
    let (a, id) = (&e.record, &e.id);
    let (presentation, presentation_html, presentation_blocs) = paragraphes(&a.presentation);
    let (modalites, modalites_html, modalites_blocs) = paragraphes(&a.modalites);
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
        presentation_blocs,
        interventions: a
            .offered()
            .into_iter()
            .map(|(code, libelle, description)| {
                let inline = description.as_deref().map(markdown::inline);
                InterventionVue {
                    code,
                    libelle,
                    description: inline.as_ref().map(|i| i.texte.clone()),
                    description_html: inline.map(|i| i.html),
                    description_blocs: description
                        .as_deref()
                        .map(markdown::blocs)
                        .unwrap_or_default(),
                }
            })
            .collect(),
        offres: a.offres.iter().flatten().map(offre).collect(),
        modalites,
        modalites_html,
        modalites_blocs,
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
        contact_par_defaut: if a.contacts.as_ref().is_none_or(Vec::is_empty) {
            adresse_unique(settings)
        } else {
            None
        },
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
    pub introduction_blocs: Vec<Bloc>,
    /// The meeting where the offer was presented.
    pub reunion: Option<ReunionVue>,
}

/// The meeting that presented the catalogue.
#[derive(Clone, Debug, Serialize)]
pub struct ReunionVue {
    pub instance: Option<String>,
    pub sigle: Option<String>,
    /// `12 mars 2024`, and `2024-03-12` for `<time>`.
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub objet: Option<String>,
    /// `Alain Deschamps, chargé de mission territorial Normandie (ANCT)`: each speaker in one line.
    pub intervenants: Vec<String>,
    /// `Comité local de cohésion territoriale de la Manche (CLCT), réunion du 12 mars 2024`.
    pub texte: String,
}

/// The ANCT's local priority issues, with their source.
#[derive(Clone, Debug, Serialize)]
pub struct EnjeuxVue {
    pub liste: Vec<String>,
    /// `atelier CLCT, septembre 2020`.
    pub source: Option<String>,
}

/// A resource for collectivités (Aides-territoires).
#[derive(Clone, Debug, Serialize)]
pub struct RessourceVue {
    pub nom: String,
    pub description_html: String,
    pub description: Vec<Bloc>,
    pub url: Option<String>,
    pub fonctionnalites: Vec<String>,
}

/// What the catalogue says besides its actors; every part may be absent.
#[derive(Clone, Debug, Serialize)]
pub struct ContexteVue {
    pub enjeux_prioritaires: Option<EnjeuxVue>,
    pub possibilites: Vec<OffreVue>,
    pub services_etat: Option<Tableau>,
    pub ressources: Vec<RessourceVue>,
}

/// A file the catalogue page offers for download, by path from the site root; the page reads
/// its size from the build's list of written files (`fichiers`).
#[derive(Clone, Debug, Serialize)]
pub struct Telechargement {
    pub titre: String,
    pub url: String,
    pub format: &'static str,
}

/// One offer of an actor in the catalogue's table of offers.
#[derive(Clone, Debug, Serialize)]
pub struct OffreCatalogue {
    pub nom: String,
    /// The actor's title and page.
    pub acteur: String,
    pub page: String,
    /// Its facts in one line: `Depuis : juillet 2022 ; Enveloppe : Nationale`.
    pub precisions: String,
}

/// The actors of one category, in the catalogue's order: indexes into `acteurs`.
#[derive(Clone, Debug, Serialize)]
pub struct Groupe {
    pub code: Option<String>,
    pub libelle: String,
    pub acteurs: Vec<usize>,
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

/// The catalogue: its page (the filters with their counts, every actor as a card, what the
/// catalogue says besides, its downloads) and its PDF (the actors grouped by category).
#[derive(Clone, Debug, Serialize)]
pub struct ListeActeurs {
    pub catalogue: EnTeteListe,
    pub acteurs: Vec<Vue>,
    pub groupes: Vec<Groupe>,
    /// Every actor's offers, in the actors' order.
    pub offres: Vec<OffreCatalogue>,
    pub filtres: Filtres,
    pub contexte: ContexteVue,
    /// The catalogue's PDF.
    pub pdf: Telechargement,
    /// The catalogue's tables and JSON under `donnees/`.
    pub donnees: Vec<Telechargement>,
}

/// The categories of the vocabulary in the catalogue's order ([`ORDRE_CATEGORIES`]), then any
/// the order does not name.
fn categories_ordonnees() -> Vec<&'static officiel::Term> {
    let terms = &officiel::get().vocabulary("categories_acteurs").terms;
    let rang = |t: &officiel::Term| {
        ORDRE_CATEGORIES
            .iter()
            .position(|c| Some(*c) == t.code.as_deref())
            .unwrap_or(ORDRE_CATEGORIES.len())
    };
    let mut out: Vec<&officiel::Term> = terms.iter().collect();
    out.sort_by_key(|t| rang(t));
    out
}

fn reunion(r: &crate::config::Reunion) -> ReunionVue {
    let date = r.date.as_deref().and_then(Date::parse_iso);
    let instance = r.instance.clone();
    let mut texte = instance.clone().unwrap_or_else(|| "Réunion".to_string());
    if let Some(sigle) = &r.sigle {
        texte = format!("{texte} ({sigle})");
    }
    if let Some(d) = date {
        texte = format!("{texte}, réunion du {}", d.french());
    }
    ReunionVue {
        instance,
        sigle: r.sigle.clone(),
        date: date.map(|d| d.french()),
        date_iso: date.map(|d| d.iso()),
        objet: r.objet.clone(),
        intervenants: r
            .intervenants
            .iter()
            .flatten()
            .map(|i| {
                let mut t = i.nom.clone().unwrap_or_default();
                if let Some(f) = &i.fonction {
                    let f = lower_first(f);
                    t = if t.is_empty() { f } else { format!("{t}, {f}") };
                }
                if let Some(o) = &i.organisme {
                    t = format!("{t} ({o})");
                }
                t
            })
            .collect(),
        texte,
    }
}

/// `Chargé de mission` → `chargé de mission`, after a comma; an acronym stays.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

fn contexte(settings: &IngenierieConfig) -> ContexteVue {
    ContexteVue {
        enjeux_prioritaires: settings.enjeux_prioritaires.as_ref().map(|e| EnjeuxVue {
            liste: e.liste.clone().unwrap_or_default(),
            source: match (&e.source, e.date.as_deref().and_then(LooseDate::parse)) {
                (Some(s), Some(d)) => Some(format!("{s}, {}", d.french())),
                (Some(s), None) => Some(s.clone()),
                (None, Some(d)) => Some(d.french()),
                (None, None) => None,
            },
        }),
        possibilites: settings.possibilites.iter().flatten().map(offre).collect(),
        services_etat: settings.services_etat.as_ref().map(|rubriques| Tableau {
            titre: "Les offres des services de l'État, par rubrique".into(),
            colonnes: vec!["Rubrique".into(), "Dispositifs".into()],
            nombres: vec![false, false],
            lignes: rubriques
                .iter()
                .map(|r| {
                    vec![
                        crate::view::ou_non_renseigne(r.rubrique.clone()),
                        crate::view::ou_non_renseigne(r.dispositifs.as_ref().map(|d| d.join(", "))),
                    ]
                })
                .collect(),
            note: None,
            total: None,
        }),
        ressources: settings
            .ressources
            .iter()
            .flatten()
            .map(|r| {
                let d = r.description.clone().unwrap_or_default();
                RessourceVue {
                    nom: r.nom.clone().unwrap_or_default(),
                    description_html: markdown::to_html(&d),
                    description: markdown::blocs(&d),
                    url: r.url.clone(),
                    fonctionnalites: r.fonctionnalites.clone().unwrap_or_default(),
                }
            })
            .collect(),
    }
}

pub fn liste_acteurs(catalog: &Catalog) -> ListeActeurs {
    let settings = catalog.config.ingenierie.clone().unwrap_or_default();
    let entries = catalog.entries::<Acteur>();
    let code = settings
        .departement
        .clone()
        .or_else(|| entries.iter().find_map(|e| e.record.departement.clone()));
    let dep = DepartementVue::de(code.as_deref());
    let (introduction, introduction_html, introduction_blocs) = paragraphes(&settings.introduction);
    let compte = |f: &dyn Fn(&Acteur) -> bool| entries.iter().filter(|e| f(&e.record)).count();
    let ordre = categories_ordonnees();
    let categories = ordre
        .iter()
        .map(|t| Filtre {
            code: t.code.clone(),
            libelle: t.libelle.clone(),
            nombre: compte(&|a| a.categorie_term().is_some_and(|x| x.code == t.code)),
        })
        .filter(|f| f.nombre > 0)
        .collect();
    // Every actor in one group: its category's, « Autres » when it has none.
    let groupe_de = |a: &Acteur| {
        a.categorie_term()
            .and_then(|t| t.code.clone())
            .unwrap_or_else(|| "autre".to_string())
    };
    let groupes = ordre
        .iter()
        .map(|t| Groupe {
            code: t.code.clone(),
            libelle: t.libelle.clone(),
            acteurs: entries
                .iter()
                .enumerate()
                .filter(|(_, e)| Some(groupe_de(&e.record)) == t.code)
                .map(|(i, _)| i)
                .collect(),
        })
        .filter(|g| !g.acteurs.is_empty())
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
    let dossier = Acteur::INFO.dossier;
    let mut donnees: Vec<Telechargement> = Acteur::tables()
        .iter()
        .map(|t| {
            let schema = t.schema();
            Telechargement {
                titre: schema.titre.to_string(),
                url: format!("donnees/{}.csv", schema.nom),
                format: "CSV",
            }
        })
        .collect();
    donnees.push(Telechargement {
        titre: Acteur::INFO.titre_json.to_string(),
        url: format!("donnees/{dossier}.json"),
        format: "JSON",
    });
    let acteurs: Vec<Vue> = entries.iter().map(|e| acteur(e, Some(&settings))).collect();
    let offres = acteurs
        .iter()
        .flat_map(|a| {
            a.offres.iter().map(|o| OffreCatalogue {
                nom: o.nom.clone(),
                acteur: a.titre.clone(),
                page: a.liens.page.clone(),
                precisions: crate::view::ou_non_renseigne((!o.champs.is_empty()).then(|| {
                    o.champs
                        .iter()
                        .map(|c| format!("{} : {}", c.libelle, c.valeur))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                })),
            })
        })
        .collect();
    ListeActeurs {
        catalogue: EnTeteListe {
            titre: dep.titre_catalogue.clone(),
            departement: dep.clone(),
            adresse_unique: adresse_unique(Some(&settings)),
            introduction,
            introduction_html,
            introduction_blocs,
            reunion: settings.reunion.as_ref().map(reunion),
        },
        acteurs,
        groupes,
        offres,
        filtres: Filtres {
            categories,
            types,
            domaines,
        },
        contexte: contexte(&settings),
        pdf: Telechargement {
            titre: format!("Catalogue imprimable : {}", dep.titre_catalogue),
            url: super::CATALOGUE_PDF.to_string(),
            format: "PDF",
        },
        donnees,
    }
}
