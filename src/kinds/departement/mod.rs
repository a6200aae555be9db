//! The fiche territoriale of a département (seed 001): its schema as written in
//! `content/departements/<code>.yaml` and its tables here, its checks (computed counts,
//! percentages and totals against the stated ones) in [`checks`], its view in [`vue`]. Every
//! département of the official list has a page, with or without a fiche.
//!
//! Each ANCT programme is its own section with its own fields; a section the département does
//! not have is absent, and the page and the PDF leave it out. Counts, percentages and totals
//! are computed from the figures: a record may state them, and a mismatch is a warning that
//! shows both values.

mod checks;
pub mod vue;

use serde::{Deserialize, Serialize};

use super::kind::{EnTete, Kind};
use crate::catalog::{Catalog, Entry, Info, PageVue, Recherche, TERRITOIRES};
use crate::check::Checker;
use crate::kinds::cot::Cot;
use crate::kinds::crte::Crte;
use crate::kinds::ingenierie::Acteur;
use crate::officiel;
use crate::view::blocs::{Bloc, Chiffre, Groupe, Liste, Tableau};
use crate::view::format::{self, Date};
use crate::view::table::{
    Cellule, CleEtrangere, Contexte, MOTIF_DEPARTEMENT, Table, TableDe, Type, colonne, une_ligne,
};
use crate::view::{Liens, carte, markdown, ou_non_renseigne};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct FicheTerritoriale {
    /// Code INSEE (`48`, `2A`, `971`); defaults to the file name.
    pub code: Option<String>,
    /// Checked against the official name.
    pub nom: Option<String>,
    /// Code INSEE of the région, checked against the official list.
    pub region: Option<String>,
    pub delegue_territorial: Option<Contact>,
    pub edito: Option<Vec<Signature>>,
    pub france_services: Option<FranceServices>,
    pub action_coeur_de_ville: Option<ActionCoeurDeVille>,
    pub petites_villes_de_demain: Option<PetitesVillesDeDemain>,
    pub territoires_d_industrie: Option<TerritoiresDIndustrie>,
    pub ruralite: Option<Ruralite>,
    pub montagne: Option<Montagne>,
    pub numerique: Option<Numerique>,
    pub crte: Option<CrteDuFicheTerritoriale>,
    pub accompagnement_sur_mesure: Option<AccompagnementSurMesure>,
    /// The day the record was last changed (`2024-03-12`): its date in the feed, the site map
    /// and on its page. Without it, the date of the last commit of its file, in a git site.
    pub mise_a_jour: Option<String>,
}

/// Where a figure comes from: « open data de l'Arcep au 1er trimestre 2021 », published on a date.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SourceChiffres {
    pub libelle: Option<String>,
    pub date: Option<String>,
}

impl SourceChiffres {
    fn display(&self) -> Option<String> {
        let date = self
            .date
            .as_deref()
            .and_then(Date::parse_iso)
            .map(|d| d.french());
        match (&self.libelle, date) {
            (Some(l), Some(d)) => Some(format!("{}, publié le {d}", capitalise(l))),
            (Some(l), None) => Some(capitalise(l)),
            (None, Some(d)) => Some(format!("Données publiées le {d}")),
            (None, None) => None,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Contact {
    pub nom: Option<String>,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
}

/// One signatory of the editorial: name, functions, optional heading, text (markdown).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Signature {
    pub nom: Option<String>,
    pub fonctions: Option<Vec<String>>,
    pub intertitre: Option<String>,
    pub texte: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct FranceServices {
    /// Stated count; computed from `espaces` when they are listed.
    pub nombre: Option<u32>,
    pub espaces: Option<Vec<String>>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ActionCoeurDeVille {
    pub nombre_communes: Option<u32>,
    pub communes: Option<Vec<String>>,
    /// Engaged amount in euros.
    pub engagements: Option<f64>,
    /// What the amount is (« les engagements cumulés de l'État et des partenaires… »).
    pub engagements_libelle: Option<String>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PetitesVillesDeDemain {
    pub nombre_villes: Option<u32>,
    pub nombre_epci: Option<u32>,
    pub villes: Option<Vec<String>>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct TerritoiresDIndustrie {
    /// Amount in euros.
    pub montant: Option<f64>,
    /// What the amount is (« aide octroyée par l'État et la Région… »).
    pub nature: Option<String>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Ruralite {
    pub nombre_contrats: Option<u32>,
    pub contrats_de_ruralite: Option<Vec<String>>,
    /// Communes classées en zone de revitalisation rurale…
    pub communes_zrr: Option<u32>,
    /// … out of this many communes.
    pub communes_total: Option<u32>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Montagne {
    pub massif: Option<String>,
    /// Agents of the commissariat de massif.
    pub agents_commissariat: Option<u32>,
    pub texte: Option<String>,
    /// FNADT envelope from the plan de relance, in euros.
    pub fnadt: Option<f64>,
    /// Period of the envelope (« 2021 et 2022 »).
    pub fnadt_periode: Option<String>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Numerique {
    pub france_mobile: Option<FranceMobile>,
    pub france_tres_haut_debit: Option<FranceTresHautDebit>,
    pub fabriques_numeriques: Option<FabriquesNumeriques>,
    pub hubs_territoriaux: Option<Texte>,
    pub conseillers_numeriques: Option<ConseillersNumeriques>,
    pub pass_numeriques: Option<PassNumeriques>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct FranceMobile {
    /// Name of the région the regional figures count (defaults to the département's région).
    pub region: Option<String>,
    /// Dispositif de couverture ciblée.
    pub couverture_ciblee: Option<Dispositif>,
    pub quatre_g_fixe: Option<Dispositif>,
    pub source: Option<SourceChiffres>,
}

/// Sites identified and put in service, in the département and in its région.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Dispositif {
    pub identifies_region: Option<u32>,
    pub identifies_departement: Option<u32>,
    pub mis_en_service_departement: Option<u32>,
    pub mis_en_service_region: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct FranceTresHautDebit {
    pub texte: Option<String>,
    /// The initiatives that deploy the fibre (one line each).
    pub initiatives: Option<Vec<String>>,
    pub zones: Option<Vec<ZoneFtth>>,
    /// Stated totals, checked against the sum of the zones.
    pub total_locaux_a_deployer: Option<f64>,
    pub total_locaux_raccordables: Option<f64>,
    /// Stated share of connectable premises overall, in %.
    pub part_raccordables_total: Option<f64>,
    pub source: Option<SourceChiffres>,
    /// State funding of the réseau d'initiative publique, in euros.
    pub financement_etat_rip: Option<f64>,
    pub porteur_rip: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ZoneFtth {
    /// `AMII`, `RIP`, `AMEL`…
    pub zone: Option<String>,
    pub locaux_a_deployer: Option<f64>,
    /// Stated share of the département's premises, in %.
    pub part_locaux_a_deployer: Option<f64>,
    pub locaux_raccordables: Option<f64>,
    /// Stated share of the zone's premises already connectable, in %.
    pub part_raccordables: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct FabriquesNumeriques {
    pub total_national: Option<u32>,
    pub nombre: Option<u32>,
    pub laureats: Option<Vec<String>>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Texte {
    pub texte: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ConseillersNumeriques {
    pub structures_accueil: Option<u32>,
    pub conseillers: Option<u32>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PassNumeriques {
    pub texte: Option<String>,
    pub nombre: Option<u32>,
    /// Total amount in euros.
    pub montant: Option<f64>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct CrteDuFicheTerritoriale {
    pub texte: Option<String>,
    pub nombre: Option<u32>,
    /// The CRTE of the département by name; those the site publishes are linked.
    pub contrats: Option<Vec<String>>,
    pub accompagnes_anct: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AccompagnementSurMesure {
    pub texte: Option<String>,
    pub nombre: Option<u32>,
    pub projets: Option<Vec<Projet>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Projet {
    pub porteur: Option<String>,
    pub nature_projet: Option<String>,
    pub nom_projet: Option<String>,
    pub nature_accompagnement: Option<String>,
}

/// A CRTE of the site, as the fiche of its département links it.
pub struct CrteLien<'a> {
    pub nom: String,
    pub id: &'a str,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn len(list: &Option<Vec<String>>) -> Option<u32> {
    list.as_ref().map(|l| l.len() as u32)
}

/// `part` of `whole` in %, if `whole` is not zero.
pub fn share(part: f64, whole: f64) -> Option<f64> {
    (whole != 0.0).then(|| part / whole * 100.0)
}

impl FicheTerritoriale {
    pub fn nom(&self) -> String {
        self.code
            .as_deref()
            .and_then(|c| officiel::get().departement(c))
            .map(|d| d.nom.clone())
            .or_else(|| self.nom.clone())
            .unwrap_or_default()
    }

    pub fn region_nom(&self) -> Option<String> {
        let r = officiel::get();
        let code = self
            .code
            .as_deref()
            .and_then(|c| r.departement(c))
            .map(|d| d.region.clone())?;
        r.region(&code).map(|r| r.nom.clone())
    }

    /// FttH zones with their computed shares: (zone, premises, share of all, connectable, share connectable).
    pub fn ftth(&self) -> Option<Ftth> {
        let thd = self.numerique.as_ref()?.france_tres_haut_debit.as_ref()?;
        let zones = thd.zones.as_ref()?;
        let total: f64 = zones.iter().filter_map(|z| z.locaux_a_deployer).sum();
        let raccordables: f64 = zones.iter().filter_map(|z| z.locaux_raccordables).sum();
        Some(Ftth {
            lignes: zones
                .iter()
                .map(|z| {
                    let deployer = z.locaux_a_deployer.unwrap_or(0.0);
                    let racc = z.locaux_raccordables.unwrap_or(0.0);
                    LigneFtth {
                        zone: z.zone.clone().unwrap_or_default(),
                        locaux_a_deployer: deployer,
                        part_locaux_a_deployer: share(deployer, total),
                        locaux_raccordables: racc,
                        part_raccordables: share(racc, deployer),
                    }
                })
                .collect(),
            total_locaux_a_deployer: total,
            total_locaux_raccordables: raccordables,
            part_raccordables_total: share(raccordables, total),
        })
    }
}

/// The FttH table with its computed shares.
#[derive(Clone, Debug, Serialize)]
pub struct Ftth {
    pub lignes: Vec<LigneFtth>,
    pub total_locaux_a_deployer: f64,
    pub total_locaux_raccordables: f64,
    pub part_raccordables_total: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LigneFtth {
    pub zone: String,
    pub locaux_a_deployer: f64,
    pub part_locaux_a_deployer: Option<f64>,
    pub locaux_raccordables: f64,
    pub part_raccordables: Option<f64>,
}

impl Kind for FicheTerritoriale {
    const INFO: &'static Info = &Info {
        dossier: "departements",
        menu: "Départements",
        unite: ("fiche territoriale", "fiches territoriales"),
        toujours_au_menu: true,
        gabarit_page: "departement.html",
        gabarit_liste: "departements.html",
        gabarit_pdf: "departement.typ",
        gabarit_pdf_collection: None,
        cle_json: "code",
        titre_donnees: "Fiches territoriales des départements",
        titre_json: "Fiches territoriales complètes",
    };
    type Vue = vue::Vue;

    fn id(&self) -> Option<(String, &'static str)> {
        self.code.as_ref().map(|c| (c.to_lowercase(), "code"))
    }

    fn check(&mut self, c: &mut Checker) {
        self.verifier(c);
    }

    fn mise_a_jour(&self) -> Option<&str> {
        self.mise_a_jour.as_deref()
    }

    fn departement(&self) -> Option<&str> {
        self.code.as_deref()
    }

    fn titre(&self) -> String {
        format!("Fiche territoriale — {}", self.nom())
    }

    fn vue(e: &Entry<Self>, catalog: &Catalog) -> vue::Vue {
        let code = e.record.code.as_deref().unwrap_or(&e.id);
        let d = officiel::get()
            .departement(code)
            .expect("a fiche's code is checked against the official list");
        vue::vue(catalog, d)
    }

    fn en_tete(v: &vue::Vue) -> EnTete {
        EnTete {
            titre: format!("{} ({})", v.titre, v.code),
            description: format!("{} : {}.", v.titre, v.sous_titre),
            titre_pdf: format!("Fiche territoriale — {}", v.titre),
        }
    }

    fn pages(catalog: &Catalog) -> Vec<(String, vue::Vue)> {
        vue::avec_page()
            .map(|d| (d.code.to_lowercase(), vue::vue(catalog, d)))
            .collect()
    }

    /// Every département has its page, with or without a fiche: its code.
    fn recherche(id: &str, _e: Option<&Entry<Self>>) -> Recherche {
        let code = id.to_uppercase();
        Recherche {
            departement: Some(code.clone()),
            territoire: true,
            codes: vec![code],
            ..Recherche::default()
        }
    }

    fn liste(catalog: &Catalog) -> PageVue {
        let n = catalog.entries::<FicheTerritoriale>().len();
        PageVue {
            date: None,
            recherche: None,
            chemin: "departements/".into(),
            titre: "Départements".into(),
            description: format!(
                "Les 101 départements, leurs fiches territoriales ({}) et leurs CRTE.",
                crate::diagnostics::plural(n, "publiée", "publiées")
            ),
            // The départements with something published, in a table; the others in a list.
            vue: {
                let (publies, autres): (Vec<_>, Vec<_>) = vue::lignes(catalog)
                    .into_iter()
                    .partition(vue::LigneDepartement::publie);
                serde_json::json!({ "departements": publies, "autres": autres })
            },
        }
    }

    fn accueil(catalog: &Catalog) -> serde_json::Value {
        vue::carte(catalog)
    }

    /// Published under its code as written (`2A`), not its folder name (`2a`).
    fn id_publie(e: &Entry<Self>) -> String {
        e.record.code.clone().unwrap_or_else(|| e.id.clone())
    }

    fn description_donnees(n: usize) -> String {
        format!(
            "{n} fiche{} : une ligne par département avec les chiffres clés des programmes de l'ANCT, une ligne par zone de déploiement de la fibre, une ligne par accompagnement sur mesure ; cellule vide = non renseigné.",
            if n > 1 { "s" } else { "" }
        )
    }

    fn tables() -> Vec<Box<dyn TableDe<Self>>> {
        vec![
            Box::new(table_principale()),
            Box::new(table_ftth()),
            Box::new(table_accompagnements()),
        ]
    }
}

impl FicheTerritoriale {
    fn france_services_nombre(&self) -> Option<u32> {
        self.france_services
            .as_ref()
            .and_then(|f| len(&f.espaces).or(f.nombre))
    }

    /// The numérique section, or an empty one.
    fn numerique(&self) -> &Numerique {
        static VIDE: std::sync::LazyLock<Numerique> = std::sync::LazyLock::new(Numerique::default);
        self.numerique.as_ref().unwrap_or(&VIDE)
    }
}

/// The code the record is published under (its `code`, set from the file name by the checks).
fn code_de(c: &crate::view::table::Contexte<FicheTerritoriale>) -> String {
    c.record.code.clone().unwrap_or_else(|| c.id.to_string())
}

/// Headline figures of each fiche territoriale, one row per département.
fn table_principale() -> Table<FicheTerritoriale> {
    use Type::*;
    Table {
        nom: "departements",
        titre: "Chiffres clés des fiches territoriales",
        cle_primaire: &["code"],
        cles_etrangeres: &[],
        lignes: une_ligne,
        colonnes: vec![
            colonne(
                "code",
                Texte,
                "Code INSEE du département",
                |c: &Contexte<FicheTerritoriale>, _| Cellule::Texte(code_de(c)),
            )
            .motif(MOTIF_DEPARTEMENT),
            colonne("nom", Texte, "Nom du département", |c, _| {
                Cellule::Texte(c.record.nom())
            }),
            colonne("region", Texte, "Code INSEE de la région", |c, _| {
                Cellule::texte(
                    &officiel::get()
                        .departement(&code_de(c))
                        .map(|d| d.region.clone()),
                )
            }),
            colonne("region_nom", Texte, "Nom de la région", |c, _| {
                Cellule::texte(&c.record.region_nom())
            }),
            colonne(
                "france_services",
                Entier,
                "Nombre d'espaces France Services",
                |c, _| Cellule::entier(c.record.france_services_nombre()),
            ),
            colonne(
                "acv_communes",
                Entier,
                "Action cœur de ville : nombre de communes bénéficiaires",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .action_coeur_de_ville
                            .as_ref()
                            .and_then(|a| len(&a.communes).or(a.nombre_communes)),
                    )
                },
            ),
            colonne(
                "acv_engagements",
                Nombre,
                "Action cœur de ville : engagements cumulés (euros)",
                |c, _| {
                    Cellule::nombre(
                        c.record
                            .action_coeur_de_ville
                            .as_ref()
                            .and_then(|a| a.engagements),
                    )
                },
            ),
            colonne(
                "pvd_villes",
                Entier,
                "Petites villes de demain : nombre de villes bénéficiaires",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .petites_villes_de_demain
                            .as_ref()
                            .and_then(|p| len(&p.villes).or(p.nombre_villes)),
                    )
                },
            ),
            colonne(
                "pvd_epci",
                Entier,
                "Petites villes de demain : nombre d'EPCI",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .petites_villes_de_demain
                            .as_ref()
                            .and_then(|p| p.nombre_epci),
                    )
                },
            ),
            colonne(
                "territoires_industrie_montant",
                Nombre,
                "Territoires d'industrie : aide octroyée (euros)",
                |c, _| {
                    Cellule::nombre(
                        c.record
                            .territoires_d_industrie
                            .as_ref()
                            .and_then(|t| t.montant),
                    )
                },
            ),
            colonne(
                "contrats_ruralite",
                Entier,
                "Nombre de contrats de ruralité",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .ruralite
                            .as_ref()
                            .and_then(|r| len(&r.contrats_de_ruralite).or(r.nombre_contrats)),
                    )
                },
            ),
            colonne(
                "communes_zrr",
                Entier,
                "Communes classées en zone de revitalisation rurale",
                |c, _| Cellule::entier(c.record.ruralite.as_ref().and_then(|r| r.communes_zrr)),
            ),
            colonne(
                "communes_total",
                Entier,
                "Nombre total de communes",
                |c, _| Cellule::entier(c.record.ruralite.as_ref().and_then(|r| r.communes_total)),
            ),
            colonne(
                "part_communes_zrr",
                Nombre,
                "Part des communes en ZRR (%)",
                |c, _| {
                    Cellule::pourcentage(c.record.ruralite.as_ref().and_then(|r| {
                        r.communes_zrr
                            .zip(r.communes_total)
                            .and_then(|(z, t)| share(f64::from(z), f64::from(t)))
                    }))
                },
            ),
            colonne("massif", Texte, "Massif de montagne", |c, _| {
                Cellule::texte(&c.record.montagne.as_ref().and_then(|m| m.massif.clone()))
            }),
            colonne(
                "agents_commissariat_massif",
                Entier,
                "Agents du commissariat de massif",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .montagne
                            .as_ref()
                            .and_then(|m| m.agents_commissariat),
                    )
                },
            ),
            colonne(
                "fnadt_plan_relance",
                Nombre,
                "Enveloppe FNADT du plan de relance (euros)",
                |c, _| Cellule::nombre(c.record.montagne.as_ref().and_then(|m| m.fnadt)),
            ),
            colonne(
                "dcc_zones_departement",
                Entier,
                "Couverture ciblée : zones prioritaires identifiées dans le département",
                |c, _| {
                    Cellule::entier(
                        dispositif(c.record, Mobile::CouvertureCiblee).identifies_departement,
                    )
                },
            ),
            colonne(
                "dcc_zones_region",
                Entier,
                "Couverture ciblée : zones prioritaires identifiées dans la région",
                |c, _| {
                    Cellule::entier(
                        dispositif(c.record, Mobile::CouvertureCiblee).identifies_region,
                    )
                },
            ),
            colonne(
                "dcc_en_service_departement",
                Entier,
                "Couverture ciblée : sites mis en service dans le département",
                |c, _| {
                    Cellule::entier(
                        dispositif(c.record, Mobile::CouvertureCiblee).mis_en_service_departement,
                    )
                },
            ),
            colonne(
                "dcc_en_service_region",
                Entier,
                "Couverture ciblée : sites mis en service dans la région",
                |c, _| {
                    Cellule::entier(
                        dispositif(c.record, Mobile::CouvertureCiblee).mis_en_service_region,
                    )
                },
            ),
            colonne(
                "couverture_4g_fixe_sites_departement",
                Entier,
                "4G fixe : sites identifiés dans le département",
                |c, _| {
                    Cellule::entier(
                        dispositif(c.record, Mobile::QuatreGFixe).identifies_departement,
                    )
                },
            ),
            colonne(
                "couverture_4g_fixe_sites_region",
                Entier,
                "4G fixe : sites identifiés dans la région",
                |c, _| Cellule::entier(dispositif(c.record, Mobile::QuatreGFixe).identifies_region),
            ),
            colonne(
                "couverture_4g_fixe_en_service_departement",
                Entier,
                "4G fixe : sites mis en service dans le département",
                |c, _| {
                    Cellule::entier(
                        dispositif(c.record, Mobile::QuatreGFixe).mis_en_service_departement,
                    )
                },
            ),
            colonne(
                "couverture_4g_fixe_en_service_region",
                Entier,
                "4G fixe : sites mis en service dans la région",
                |c, _| {
                    Cellule::entier(dispositif(c.record, Mobile::QuatreGFixe).mis_en_service_region)
                },
            ),
            colonne(
                "ftth_locaux_a_deployer",
                Nombre,
                "FttH : total des locaux à déployer",
                |c, _| Cellule::nombre(c.record.ftth().map(|f| f.total_locaux_a_deployer)),
            ),
            colonne(
                "ftth_locaux_raccordables",
                Nombre,
                "FttH : locaux raccordables à date",
                |c, _| Cellule::nombre(c.record.ftth().map(|f| f.total_locaux_raccordables)),
            ),
            colonne(
                "ftth_part_raccordables",
                Nombre,
                "FttH : part des locaux raccordables (%)",
                |c, _| {
                    Cellule::pourcentage(c.record.ftth().and_then(|f| f.part_raccordables_total))
                },
            ),
            colonne(
                "rip_financement_etat",
                Nombre,
                "Financement par l'État du réseau d'initiative publique (euros)",
                |c, _| {
                    Cellule::nombre(
                        c.record
                            .numerique()
                            .france_tres_haut_debit
                            .as_ref()
                            .and_then(|t| t.financement_etat_rip),
                    )
                },
            ),
            colonne(
                "fabriques_numeriques",
                Entier,
                "Fabriques numériques dans le département",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .numerique()
                            .fabriques_numeriques
                            .as_ref()
                            .and_then(|f| len(&f.laureats).or(f.nombre)),
                    )
                },
            ),
            colonne(
                "conseillers_numeriques_structures",
                Entier,
                "Structures d'accueil de conseillers numériques",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .numerique()
                            .conseillers_numeriques
                            .as_ref()
                            .and_then(|n| n.structures_accueil),
                    )
                },
            ),
            colonne(
                "conseillers_numeriques",
                Entier,
                "Conseillers numériques",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .numerique()
                            .conseillers_numeriques
                            .as_ref()
                            .and_then(|n| n.conseillers),
                    )
                },
            ),
            colonne(
                "pass_numeriques",
                Entier,
                "Pass numériques déployés",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .numerique()
                            .pass_numeriques
                            .as_ref()
                            .and_then(|p| p.nombre),
                    )
                },
            ),
            colonne(
                "pass_numeriques_montant",
                Nombre,
                "Montant des pass numériques (euros)",
                |c, _| {
                    Cellule::nombre(
                        c.record
                            .numerique()
                            .pass_numeriques
                            .as_ref()
                            .and_then(|p| p.montant),
                    )
                },
            ),
            colonne(
                "crte",
                Entier,
                "Nombre de CRTE nommés par la fiche",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .crte
                            .as_ref()
                            .and_then(|x| len(&x.contrats).or(x.nombre)),
                    )
                },
            ),
            colonne(
                "accompagnements_sur_mesure",
                Entier,
                "Projets accompagnés sur mesure par l'ANCT",
                |c, _| {
                    Cellule::entier(
                        c.record
                            .accompagnement_sur_mesure
                            .as_ref()
                            .and_then(|a| a.projets.as_ref().map(|p| p.len() as u32).or(a.nombre)),
                    )
                },
            ),
            colonne(
                "url_fiche",
                Texte,
                "Adresse de la fiche sur le site",
                |c, _| c.url_page(),
            ),
            colonne("url_pdf", Texte, "Adresse de la fiche PDF", |c, _| {
                c.url_pdf()
            }),
        ],
    }
}

/// The two France Mobile dispositifs.
#[derive(Clone, Copy)]
enum Mobile {
    CouvertureCiblee,
    QuatreGFixe,
}

fn dispositif(f: &FicheTerritoriale, which: Mobile) -> Dispositif {
    let fm = f.numerique.as_ref().and_then(|n| n.france_mobile.as_ref());
    let d = match which {
        Mobile::CouvertureCiblee => fm.and_then(|m| m.couverture_ciblee.clone()),
        Mobile::QuatreGFixe => fm.and_then(|m| m.quatre_g_fixe.clone()),
    };
    d.unwrap_or_default()
}

/// One row per FttH zone, with its computed shares.
fn table_ftth() -> Table<FicheTerritoriale, LigneFtth> {
    use Type::*;
    Table {
        nom: "departements-ftth",
        titre: "Déploiement de la fibre (FttH) par zone",
        cle_primaire: &["departement", "zone"],
        cles_etrangeres: &[CleEtrangere {
            colonnes: &["departement"],
            table: "departements",
            vers: &["code"],
        }],
        lignes: |f| f.ftth().map(|f| f.lignes).unwrap_or_default(),
        colonnes: vec![
            colonne(
                "departement",
                Texte,
                "Code INSEE du département",
                |c, _| Cellule::Texte(code_de(c)),
            ),
            colonne(
                "zone",
                Texte,
                "Zone de déploiement (AMII, RIP…)",
                |_, l| Cellule::Texte(l.zone.clone()),
            ),
            colonne(
                "locaux_a_deployer",
                Nombre,
                "Total des locaux à déployer en FttH",
                |_, l| Cellule::Nombre(l.locaux_a_deployer),
            ),
            colonne(
                "part_locaux_a_deployer",
                Nombre,
                "Part des locaux du département (%)",
                |_, l| Cellule::pourcentage(l.part_locaux_a_deployer),
            ),
            colonne(
                "locaux_raccordables",
                Nombre,
                "Locaux raccordables en FttH à date",
                |_, l| Cellule::Nombre(l.locaux_raccordables),
            ),
            colonne(
                "part_raccordables",
                Nombre,
                "Part des locaux de la zone raccordables (%)",
                |_, l| Cellule::pourcentage(l.part_raccordables),
            ),
            colonne("source", Texte, "Source des chiffres", |c, _| {
                Cellule::texte(&source_ftth(c.record).libelle)
            }),
            colonne(
                "date_source",
                Date,
                "Date de publication de la source",
                |c, _| Cellule::date(&source_ftth(c.record).date),
            ),
        ],
    }
}

fn source_ftth(f: &FicheTerritoriale) -> SourceChiffres {
    f.numerique
        .as_ref()
        .and_then(|n| n.france_tres_haut_debit.as_ref())
        .and_then(|t| t.source.clone())
        .unwrap_or_default()
}

/// One row per project the ANCT accompanies.
fn table_accompagnements() -> Table<FicheTerritoriale, Projet> {
    use Type::*;
    Table {
        nom: "departements-accompagnements",
        titre: "Accompagnements sur mesure de l'ANCT",
        cle_primaire: &[],
        cles_etrangeres: &[CleEtrangere {
            colonnes: &["departement"],
            table: "departements",
            vers: &["code"],
        }],
        lignes: |f| {
            f.accompagnement_sur_mesure
                .iter()
                .flat_map(|a| a.projets.iter().flatten().cloned())
                .collect()
        },
        colonnes: vec![
            colonne(
                "departement",
                Texte,
                "Code INSEE du département",
                |c, _| Cellule::Texte(code_de(c)),
            ),
            colonne("porteur", Texte, "Porteur du projet", |_, p| {
                Cellule::texte(&p.porteur)
            }),
            colonne("nature_projet", Texte, "Nature du projet", |_, p| {
                Cellule::texte(&p.nature_projet)
            }),
            colonne("nom_projet", Texte, "Nom du projet", |_, p| {
                Cellule::texte(&p.nom_projet)
            }),
            colonne(
                "nature_accompagnement",
                Texte,
                "Nature de l'accompagnement",
                |_, p| Cellule::texte(&p.nature_accompagnement),
            ),
        ],
    }
}
