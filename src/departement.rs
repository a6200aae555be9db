//! The fiche territoriale of a département (seed 001): its schema as written in
//! `content/departements/<code>.yaml`, its checks (computed counts, percentages and totals
//! against the stated ones), its fiche view and its dataset rows.
//!
//! Each ANCT programme is its own section with its own fields; a section the département does
//! not have is absent, and the page and the PDF leave it out. Counts, percentages and totals
//! are computed from the figures: a record may state them, and a mismatch is a warning that
//! shows both values.

use serde::{Deserialize, Serialize};

use crate::fiche::{Bloc, Chiffre, Groupe, Liste, Tableau};
use crate::format::{self, Date};
use crate::markdown;
use crate::referentiel;
use crate::validate::Checker;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Departement {
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
    pub crte: Option<CrteDuDepartement>,
    pub accompagnement_sur_mesure: Option<AccompagnementSurMesure>,
}

/// Where a figure comes from: « open data de l'Arcep au 1er trimestre 2021 », published on a date.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Contact {
    pub nom: Option<String>,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
}

/// One signatory of the editorial: name, functions, optional heading, text (markdown).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Signature {
    pub nom: Option<String>,
    pub fonctions: Option<Vec<String>>,
    pub intertitre: Option<String>,
    pub texte: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct FranceServices {
    /// Stated count; computed from `espaces` when they are listed.
    pub nombre: Option<u32>,
    pub espaces: Option<Vec<String>>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ActionCoeurDeVille {
    pub nombre_communes: Option<u32>,
    pub communes: Option<Vec<String>>,
    /// Engaged amount in euros.
    pub engagements: Option<f64>,
    /// What the amount is (« les engagements cumulés de l'État et des partenaires… »).
    pub engagements_libelle: Option<String>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct PetitesVillesDeDemain {
    pub nombre_villes: Option<u32>,
    pub nombre_epci: Option<u32>,
    pub villes: Option<Vec<String>>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct TerritoiresDIndustrie {
    /// Amount in euros.
    pub montant: Option<f64>,
    /// What the amount is (« aide octroyée par l'État et la Région… »).
    pub nature: Option<String>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Ruralite {
    pub nombre_contrats: Option<u32>,
    pub contrats_de_ruralite: Option<Vec<String>>,
    /// Communes classées en zone de revitalisation rurale…
    pub communes_zrr: Option<u32>,
    /// … out of this many communes.
    pub communes_total: Option<u32>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Numerique {
    pub france_mobile: Option<FranceMobile>,
    pub france_tres_haut_debit: Option<FranceTresHautDebit>,
    pub fabriques_numeriques: Option<FabriquesNumeriques>,
    pub hubs_territoriaux: Option<Texte>,
    pub conseillers_numeriques: Option<ConseillersNumeriques>,
    pub pass_numeriques: Option<PassNumeriques>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct FranceMobile {
    /// Name of the région the regional figures count (defaults to the département's région).
    pub region: Option<String>,
    /// Dispositif de couverture ciblée.
    pub couverture_ciblee: Option<Dispositif>,
    pub quatre_g_fixe: Option<Dispositif>,
    pub source: Option<SourceChiffres>,
}

/// Sites identified and put in service, in the département and in its région.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Dispositif {
    pub identifies_region: Option<u32>,
    pub identifies_departement: Option<u32>,
    pub mis_en_service_departement: Option<u32>,
    pub mis_en_service_region: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct FabriquesNumeriques {
    pub total_national: Option<u32>,
    pub nombre: Option<u32>,
    pub laureats: Option<Vec<String>>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Texte {
    pub texte: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ConseillersNumeriques {
    pub structures_accueil: Option<u32>,
    pub conseillers: Option<u32>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct PassNumeriques {
    pub texte: Option<String>,
    pub nombre: Option<u32>,
    /// Total amount in euros.
    pub montant: Option<f64>,
    pub source: Option<SourceChiffres>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct CrteDuDepartement {
    pub texte: Option<String>,
    pub nombre: Option<u32>,
    /// The CRTE of the département by name; those the site publishes are linked.
    pub contrats: Option<Vec<String>>,
    pub accompagnes_anct: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AccompagnementSurMesure {
    pub texte: Option<String>,
    pub nombre: Option<u32>,
    pub projets: Option<Vec<Projet>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
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

impl Departement {
    pub fn nom(&self) -> String {
        self.code
            .as_deref()
            .and_then(|c| referentiel::get().departement(c))
            .map(|d| d.nom.clone())
            .or_else(|| self.nom.clone())
            .unwrap_or_default()
    }

    pub fn region_nom(&self) -> Option<String> {
        let r = referentiel::get();
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

    /// Checks the record: identity against the official lists, computed values against stated ones.
    pub fn validate(&mut self, c: &mut Checker, stem: &str) {
        if self.code.is_none() {
            self.code = Some(stem.to_string());
        }
        let code = self.code.clone().unwrap_or_default();
        let r = referentiel::get();
        match r.departement(&code) {
            None => {
                let path = if c.source.root.lookup("code").is_some() {
                    "code"
                } else {
                    ""
                };
                c.error(
                    path,
                    format!("code de département inconnu `{code}`"),
                    "nommez le fichier du code INSEE du département (`48.yaml`, `2A.yaml`, `971.yaml`) ou indiquez `code:`"
                        .to_string(),
                );
            }
            Some(d) if d.zone == "com" => c.error(
                "code",
                format!(
                    "`{code}` ({}) est une collectivité d'outre-mer, pas un département",
                    d.nom
                ),
                "une fiche territoriale concerne un des 101 départements".to_string(),
            ),
            Some(d) => {
                if let Some(nom) = &self.nom
                    && referentiel::fold(nom) != referentiel::fold(&d.nom)
                {
                    c.warning(
                        "nom",
                        format!(
                            "nom `{nom}` différent du nom officiel `{}` du département {code}",
                            d.nom
                        ),
                        format!("écrivez `nom: {}` ou retirez la ligne", d.nom),
                    );
                }
                if let Some(region) = &self.region
                    && *region != d.region
                {
                    let officielle = r
                        .region(&d.region)
                        .map_or(String::new(), |r| format!(" ({})", r.nom));
                    c.error(
                        "region",
                        format!("le département {code} n'est pas dans la région `{region}`"),
                        format!(
                            "sa région est `{}`{officielle} ; retirez la ligne, elle est connue",
                            d.region
                        ),
                    );
                }
            }
        }
        if let Some(d) = &self.delegue_territorial {
            c.email("delegue_territorial.email", &d.email);
        }
        self.check_counts(c);
        self.check_sources(c);
    }

    fn check_counts(&self, c: &mut Checker) {
        let count = |c: &mut Checker,
                     path: &str,
                     stated: Option<u32>,
                     computed: Option<u32>,
                     what: &str| {
            if let (Some(s), Some(n)) = (stated, computed)
                && s != n
            {
                c.warning(
                    path,
                    format!("{what} : valeur indiquée {s}, valeur calculée {n}"),
                    format!("la fiche affiche la valeur calculée ({n}) ; corrigez la valeur indiquée ou la liste"),
                );
            }
        };
        if let Some(f) = &self.france_services {
            count(
                c,
                "france_services.nombre",
                f.nombre,
                len(&f.espaces),
                "nombre d'espaces France Services",
            );
        }
        if let Some(a) = &self.action_coeur_de_ville {
            count(
                c,
                "action_coeur_de_ville.nombre_communes",
                a.nombre_communes,
                len(&a.communes),
                "nombre de communes",
            );
        }
        if let Some(p) = &self.petites_villes_de_demain {
            count(
                c,
                "petites_villes_de_demain.nombre_villes",
                p.nombre_villes,
                len(&p.villes),
                "nombre de villes",
            );
        }
        if let Some(r) = &self.ruralite {
            count(
                c,
                "ruralite.nombre_contrats",
                r.nombre_contrats,
                len(&r.contrats_de_ruralite),
                "nombre de contrats de ruralité",
            );
            if let (Some(zrr), Some(total)) = (r.communes_zrr, r.communes_total)
                && zrr > total
            {
                c.error(
                    "ruralite.communes_zrr",
                    format!("{zrr} communes en ZRR sur {total} : plus que le total"),
                    "vérifiez les deux nombres".to_string(),
                );
            }
        }
        if let Some(f) = self
            .numerique
            .as_ref()
            .and_then(|n| n.fabriques_numeriques.as_ref())
        {
            count(
                c,
                "numerique.fabriques_numeriques.nombre",
                f.nombre,
                len(&f.laureats),
                "nombre de fabriques",
            );
        }
        if let Some(crte) = &self.crte {
            count(
                c,
                "crte.nombre",
                crte.nombre,
                len(&crte.contrats),
                "nombre de CRTE",
            );
        }
        if let Some(a) = &self.accompagnement_sur_mesure {
            count(
                c,
                "accompagnement_sur_mesure.nombre",
                a.nombre,
                a.projets.as_ref().map(|p| p.len() as u32),
                "nombre de projets accompagnés",
            );
        }
        self.check_ftth(c);
    }

    /// Percentages and totals of the FttH table against the zones' figures.
    fn check_ftth(&self, c: &mut Checker) {
        let Some(ftth) = self.ftth() else { return };
        let thd = self
            .numerique
            .as_ref()
            .and_then(|n| n.france_tres_haut_debit.as_ref())
            .expect("ftth() found it");
        let base = "numerique.france_tres_haut_debit";
        let pct = |c: &mut Checker,
                   path: &str,
                   stated: Option<f64>,
                   computed: Option<f64>,
                   how: String| {
            if let (Some(s), Some(v)) = (stated, computed)
                && (s - v).abs() > 0.5
            {
                c.warning(
                    path,
                    format!("pourcentage indiqué {}, pourcentage calculé {} ({how})", format::percent(s), format::percent(v.round())),
                    "la fiche affiche le pourcentage calculé ; corrigez le chiffre indiqué ou les effectifs".to_string(),
                );
            }
        };
        let zones = thd.zones.as_ref().expect("ftth() found them");
        for (i, (z, l)) in zones.iter().zip(&ftth.lignes).enumerate() {
            let here = format!("{base}.zones[{i}]");
            pct(
                c,
                &format!("{here}.part_locaux_a_deployer"),
                z.part_locaux_a_deployer,
                l.part_locaux_a_deployer,
                format!(
                    "{} / {}",
                    format::number(l.locaux_a_deployer),
                    format::number(ftth.total_locaux_a_deployer)
                ),
            );
            pct(
                c,
                &format!("{here}.part_raccordables"),
                z.part_raccordables,
                l.part_raccordables,
                format!(
                    "{} / {}",
                    format::number(l.locaux_raccordables),
                    format::number(l.locaux_a_deployer)
                ),
            );
            if let (Some(r), Some(d)) = (z.locaux_raccordables, z.locaux_a_deployer)
                && r > d
            {
                c.error(
                    &format!("{here}.locaux_raccordables"),
                    "plus de locaux raccordables que de locaux à déployer".to_string(),
                    "vérifiez les deux nombres de cette zone".to_string(),
                );
            }
        }
        let total =
            |c: &mut Checker, path: &str, stated: Option<f64>, computed: f64, what: &str| {
                if let Some(s) = stated
                    && (s - computed).abs() > 0.5
                {
                    c.warning(
                        path,
                        format!(
                            "{what} : total indiqué {}, somme des zones {}",
                            format::number(s),
                            format::number(computed)
                        ),
                        "la fiche affiche la somme des zones ; corrigez le total ou une zone"
                            .to_string(),
                    );
                }
            };
        total(
            c,
            &format!("{base}.total_locaux_a_deployer"),
            thd.total_locaux_a_deployer,
            ftth.total_locaux_a_deployer,
            "locaux à déployer",
        );
        total(
            c,
            &format!("{base}.total_locaux_raccordables"),
            thd.total_locaux_raccordables,
            ftth.total_locaux_raccordables,
            "locaux raccordables",
        );
        pct(
            c,
            &format!("{base}.part_raccordables_total"),
            thd.part_raccordables_total,
            ftth.part_raccordables_total,
            format!(
                "{} / {}",
                format::number(ftth.total_locaux_raccordables),
                format::number(ftth.total_locaux_a_deployer)
            ),
        );
    }

    /// Every `source.date` is an ISO date.
    fn check_sources(&self, c: &mut Checker) {
        let n = self.numerique.clone().unwrap_or_default();
        let sources: [(&str, Option<&SourceChiffres>); 10] = [
            (
                "france_services.source",
                self.france_services
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "action_coeur_de_ville.source",
                self.action_coeur_de_ville
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "petites_villes_de_demain.source",
                self.petites_villes_de_demain
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "territoires_d_industrie.source",
                self.territoires_d_industrie
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "ruralite.source",
                self.ruralite.as_ref().and_then(|x| x.source.as_ref()),
            ),
            (
                "montagne.source",
                self.montagne.as_ref().and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.france_mobile.source",
                n.france_mobile.as_ref().and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.france_tres_haut_debit.source",
                n.france_tres_haut_debit
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.conseillers_numeriques.source",
                n.conseillers_numeriques
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.pass_numeriques.source",
                n.pass_numeriques.as_ref().and_then(|x| x.source.as_ref()),
            ),
        ];
        for (path, source) in sources {
            if let Some(s) = source {
                c.date(&format!("{path}.date"), &s.date);
            }
        }
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

/// `10 500 (15 %)`.
fn with_share(n: f64, part: Option<f64>) -> String {
    match part {
        Some(p) => format!("{} ({})", format::number(n), format::percent(p.round())),
        None => format::number(n),
    }
}

fn n(v: u32) -> String {
    format::number(f64::from(v))
}

/// « Zone AMII » for `AMII`.
fn zone_label(z: &str) -> String {
    if z.to_lowercase().starts_with("zone") {
        z.to_string()
    } else {
        format!("Zone {z}")
    }
}

/// The editorial as the templates show it.
#[derive(Clone, Debug, Serialize)]
pub struct EditoVue {
    pub nom: String,
    pub fonctions: Vec<String>,
    pub intertitre: Option<String>,
    pub paragraphes: Vec<String>,
    pub texte_html: String,
}

impl Departement {
    pub fn edito(&self) -> Vec<EditoVue> {
        self.edito
            .iter()
            .flatten()
            .map(|s| {
                let texte = s.texte.clone().unwrap_or_default();
                EditoVue {
                    nom: s.nom.clone().unwrap_or_default(),
                    fonctions: s.fonctions.clone().unwrap_or_default(),
                    intertitre: s.intertitre.clone(),
                    paragraphes: markdown::paragraphs(&texte),
                    texte_html: markdown::to_html(&texte),
                }
            })
            .collect()
    }

    /// The programme blocks, grouped like the ANCT fiche. `crte` are the CRTE records of the
    /// site in this département, with the URL prefix to reach their pages.
    pub fn groupes(&self, crte: &[CrteLien], crte_url: &dyn Fn(&str) -> String) -> Vec<Groupe> {
        let mut ruralites = Vec::new();
        if let Some(f) = &self.france_services {
            let mut b = Bloc::new("france-services", "France Services");
            if let Some(nb) = len(&f.espaces).or(f.nombre) {
                b.chiffres.push(Chiffre::new(
                    n(nb),
                    if nb > 1 {
                        "espaces France Services"
                    } else {
                        "espace France Services"
                    },
                ));
            }
            b.liste(Some("Espaces France Services"), &f.espaces);
            b.source = f.source.as_ref().and_then(SourceChiffres::display);
            ruralites.push(b);
        }
        if let Some(a) = &self.action_coeur_de_ville {
            let mut b = Bloc::new("action-coeur-de-ville", "Action cœur de ville");
            if let Some(nb) = len(&a.communes).or(a.nombre_communes) {
                let communes = a.communes.clone().unwrap_or_default().join(", ");
                let libelle = match (nb, communes.is_empty()) {
                    (1, false) => format!("commune bénéficiaire du programme : {communes}"),
                    (_, false) => format!("communes bénéficiaires du programme : {communes}"),
                    (1, true) => "commune bénéficiaire du programme".to_string(),
                    _ => "communes bénéficiaires du programme".to_string(),
                };
                b.chiffres.push(Chiffre::new(n(nb), libelle));
            }
            if let Some(m) = a.engagements {
                let libelle = a
                    .engagements_libelle
                    .clone()
                    .unwrap_or_else(|| "engagés pour ce programme dans le territoire".into());
                b.chiffres
                    .push(Chiffre::new(format::euros_compact(m), libelle));
            }
            b.source = a.source.as_ref().and_then(SourceChiffres::display);
            ruralites.push(b);
        }
        if let Some(p) = &self.petites_villes_de_demain {
            let mut b = Bloc::new("petites-villes-de-demain", "Petites villes de demain");
            if let Some(nb) = len(&p.villes).or(p.nombre_villes) {
                let epci = p
                    .nombre_epci
                    .map_or(String::new(), |e| format!(", au sein de {} EPCI,", n(e)));
                b.chiffres.push(Chiffre::new(
                    n(nb),
                    format!("villes{epci} bénéficiaires du programme"),
                ));
            }
            b.liste(Some("Villes bénéficiaires"), &p.villes);
            b.source = p.source.as_ref().and_then(SourceChiffres::display);
            ruralites.push(b);
        }
        if let Some(t) = &self.territoires_d_industrie {
            let mut b = Bloc::new("territoires-d-industrie", "Territoires d'industrie");
            if let Some(m) = t.montant {
                b.chiffres.push(Chiffre::new(
                    format::euros_compact(m),
                    t.nature.clone().unwrap_or_default(),
                ));
            } else if let Some(nature) = &t.nature {
                b.paragraphes.push(nature.clone());
            }
            b.source = t.source.as_ref().and_then(SourceChiffres::display);
            ruralites.push(b);
        }
        if let Some(r) = &self.ruralite {
            let mut b = Bloc::new("ruralite", "Ruralité");
            if let Some(nb) = len(&r.contrats_de_ruralite).or(r.nombre_contrats) {
                let noms = r
                    .contrats_de_ruralite
                    .clone()
                    .unwrap_or_default()
                    .join(" ; ");
                let mot = if nb > 1 {
                    "contrats de ruralité"
                } else {
                    "contrat de ruralité"
                };
                b.chiffres.push(Chiffre::new(
                    n(nb),
                    if noms.is_empty() {
                        mot.to_string()
                    } else {
                        format!("{mot} : {noms}")
                    },
                ));
            }
            if let Some(zrr) = r.communes_zrr {
                let libelle = match r
                    .communes_total
                    .and_then(|t| share(f64::from(zrr), f64::from(t)).map(|s| (t, s)))
                {
                    Some((t, s)) => format!(
                        "communes sur {} classées en zone de revitalisation rurale (ZRR), soit {}",
                        n(t),
                        format::percent(s.round())
                    ),
                    None => "communes classées en zone de revitalisation rurale (ZRR)".to_string(),
                };
                b.chiffres.push(Chiffre::new(n(zrr), libelle));
            }
            b.source = r.source.as_ref().and_then(SourceChiffres::display);
            ruralites.push(b);
        }
        if let Some(m) = &self.montagne {
            let mut b = Bloc::new("montagne", "Montagne");
            if let Some(a) = m.agents_commissariat {
                let massif = m
                    .massif
                    .as_deref()
                    .map_or(String::new(), |x| format!(" du {x}"));
                b.chiffres.push(Chiffre::new(
                    n(a),
                    format!("agents actuellement au sein du Commissariat de massif{massif}"),
                ));
            }
            b.paragraphes.extend(
                m.texte
                    .as_deref()
                    .map(markdown::paragraphs)
                    .unwrap_or_default(),
            );
            if let Some(f) = m.fnadt {
                let periode = m
                    .fnadt_periode
                    .as_deref()
                    .map_or(String::new(), |p| format!(" pour {p}"));
                b.chiffres.push(Chiffre::new(
                    format::euros_compact(f),
                    format!("l'enveloppe issue du plan de relance du Fonds national d'aménagement et de développement du territoire (FNADT){periode}"),
                ));
            }
            b.source = m.source.as_ref().and_then(SourceChiffres::display);
            ruralites.push(b);
        }

        let mut numerique = Vec::new();
        let region = self.region_nom().unwrap_or_else(|| "la région".into());
        let num = self.numerique.clone().unwrap_or_default();
        if let Some(fm) = &num.france_mobile {
            let mut b = Bloc::new("france-mobile", "France Mobile");
            let reg = fm.region.clone().unwrap_or_else(|| region.clone());
            for (d, intro, quoi) in [
                (
                    &fm.couverture_ciblee,
                    "Dispositif de couverture ciblée (DCC)",
                    "zones prioritaires à couvrir identifiées",
                ),
                (&fm.quatre_g_fixe, "Dispositif 4G fixe", "sites identifiés"),
            ] {
                let Some(d) = d else { continue };
                if let Some(dep) = d.identifies_departement {
                    let sur = d
                        .identifies_region
                        .map_or(String::new(), |r| format!(", sur {} en {reg}", n(r)));
                    b.chiffres.push(Chiffre::new(
                        n(dep),
                        format!("{intro} : {quoi} dans le département{sur}"),
                    ));
                }
                if let Some(mes) = d.mis_en_service_departement {
                    let sur = d.mis_en_service_region.map_or(String::new(), |r| {
                        format!(", sur un total de {} au niveau régional", n(r))
                    });
                    b.chiffres.push(Chiffre::new(
                        n(mes),
                        format!("{intro} : mis en service dans le département{sur}"),
                    ));
                }
            }
            b.source = fm.source.as_ref().and_then(SourceChiffres::display);
            numerique.push(b);
        }
        if let Some(thd) = &num.france_tres_haut_debit {
            let mut b = Bloc::new("france-tres-haut-debit", "France Très Haut Débit");
            b.paragraphes.extend(
                thd.texte
                    .as_deref()
                    .map(markdown::paragraphs)
                    .unwrap_or_default(),
            );
            if let Some(i) = &thd.initiatives {
                b.listes.push(Liste {
                    titre: None,
                    elements: i.clone(),
                });
            }
            let source = thd.source.as_ref().and_then(SourceChiffres::display);
            if let Some(f) = self.ftth() {
                let mut lignes: Vec<Vec<String>> = f
                    .lignes
                    .iter()
                    .map(|l| {
                        vec![
                            zone_label(&l.zone),
                            with_share(l.locaux_a_deployer, l.part_locaux_a_deployer),
                            with_share(l.locaux_raccordables, l.part_raccordables),
                        ]
                    })
                    .collect();
                lignes.sort_by(|a, b| a[0].cmp(&b[0]));
                b.tableaux.push(Tableau {
                    titre: "Déploiement de la fibre optique jusqu'à l'abonné (FttH) par zone"
                        .into(),
                    colonnes: vec![
                        "Zone".into(),
                        "Total des locaux à déployer en FttH".into(),
                        "Locaux raccordables en FttH à date".into(),
                    ],
                    lignes,
                    total: Some(vec![
                        "Total".into(),
                        format::number(f.total_locaux_a_deployer),
                        with_share(f.total_locaux_raccordables, f.part_raccordables_total),
                    ]),
                    // The block's source line already says where the figures come from.
                    note: None,
                });
            }
            if let Some(m) = thd.financement_etat_rip {
                let porteur = thd
                    .porteur_rip
                    .as_deref()
                    .map_or(String::new(), |p| format!(" du {p}"));
                b.chiffres.push(Chiffre::new(
                    format::euros_compact(m),
                    format!(
                        "financement par l'État du projet de réseau d'initiative publique{porteur}"
                    ),
                ));
            }
            b.source = source;
            numerique.push(b);
        }
        if let Some(f) = &num.fabriques_numeriques {
            let mut b = Bloc::new("fabriques-numeriques", "Fabriques numériques");
            if let Some(nb) = len(&f.laureats).or(f.nombre) {
                let sur = f.total_national.map_or(String::new(), |t| {
                    format!(", sur {} fabriques retenues au titre de l'AMI", n(t))
                });
                let noms = f.laureats.clone().unwrap_or_default().join(" ; ");
                let noms = if noms.is_empty() {
                    noms
                } else {
                    format!(" : {noms}")
                };
                b.chiffres.push(Chiffre::new(
                    n(nb),
                    format!("dans le département{sur}{noms}"),
                ));
            }
            b.source = f.source.as_ref().and_then(SourceChiffres::display);
            numerique.push(b);
        }
        if let Some(h) = &num.hubs_territoriaux {
            let mut b = Bloc::new("hubs-territoriaux", "Hubs territoriaux");
            b.paragraphes.extend(
                h.texte
                    .as_deref()
                    .map(markdown::paragraphs)
                    .unwrap_or_default(),
            );
            numerique.push(b);
        }
        if let Some(cn) = &num.conseillers_numeriques {
            let mut b = Bloc::new("conseillers-numeriques", "Conseillers numériques");
            if let Some(s) = cn.structures_accueil {
                b.chiffres.push(Chiffre::new(
                    n(s),
                    "structures d'accueil validées en comité de sélection",
                ));
            }
            if let Some(c) = cn.conseillers {
                b.chiffres.push(Chiffre::new(
                    n(c),
                    "conseillers numériques validés en comité de sélection",
                ));
            }
            b.source = cn.source.as_ref().and_then(SourceChiffres::display);
            numerique.push(b);
        }
        if let Some(p) = &num.pass_numeriques {
            let mut b = Bloc::new("pass-numeriques", "Pass numériques");
            b.paragraphes.extend(
                p.texte
                    .as_deref()
                    .map(markdown::paragraphs)
                    .unwrap_or_default(),
            );
            if let Some(nb) = p.nombre {
                let montant = p.montant.map_or(String::new(), |m| {
                    format!(" pour un montant total de {}", format::euros(m))
                });
                b.chiffres.push(Chiffre::new(
                    n(nb),
                    format!("pass numériques déployés{montant}"),
                ));
            }
            b.source = p.source.as_ref().and_then(SourceChiffres::display);
            numerique.push(b);
        }

        let mut relance = Vec::new();
        if let Some(b) = self.crte_bloc(crte, crte_url) {
            relance.push(b);
        }
        if let Some(a) = &self.accompagnement_sur_mesure {
            let mut b = Bloc::new(
                "accompagnements-sur-mesure",
                "Accompagnement sur mesure par l'ANCT",
            );
            b.paragraphes.extend(
                a.texte
                    .as_deref()
                    .map(markdown::paragraphs)
                    .unwrap_or_default(),
            );
            if let Some(nb) = a.projets.as_ref().map(|p| p.len() as u32).or(a.nombre) {
                b.chiffres.push(Chiffre::new(
                    n(nb),
                    if nb > 1 {
                        "projets accompagnés sur mesure"
                    } else {
                        "projet accompagné sur mesure"
                    },
                ));
            }
            if let Some(projets) = &a.projets {
                let cell = |s: &Option<String>| {
                    s.clone()
                        .unwrap_or_else(|| crate::fiche::NON_RENSEIGNE.into())
                };
                b.tableaux.push(Tableau {
                    titre: "Projets accompagnés sur mesure".into(),
                    colonnes: vec![
                        "Porteur du projet".into(),
                        "Nature du projet".into(),
                        "Nom du projet".into(),
                        "Nature de l'accompagnement".into(),
                    ],
                    lignes: projets
                        .iter()
                        .map(|p| {
                            vec![
                                cell(&p.porteur),
                                cell(&p.nature_projet),
                                cell(&p.nom_projet),
                                cell(&p.nature_accompagnement),
                            ]
                        })
                        .collect(),
                    total: None,
                    note: None,
                });
            }
            relance.push(b);
        }

        [
            (
                "territoires-et-ruralites",
                "Territoires et ruralités",
                ruralites,
            ),
            ("numerique", "Numérique", numerique),
            (
                "accompagnement-sur-mesure",
                "Accompagnement sur mesure et plan de relance",
                relance,
            ),
        ]
        .into_iter()
        .filter(|(_, _, s)| !s.is_empty())
        .map(|(id, titre, sections)| Groupe {
            id: id.into(),
            titre: titre.into(),
            sections,
        })
        .collect()
    }

    /// The CRTE of the département: those the fiche names (linked when the site publishes
    /// them) and those the site publishes that the fiche does not name.
    pub fn crte_bloc(&self, crte: &[CrteLien], crte_url: &dyn Fn(&str) -> String) -> Option<Bloc> {
        let named = self
            .crte
            .as_ref()
            .and_then(|c| c.contrats.clone())
            .unwrap_or_default();
        if self.crte.is_none() && crte.is_empty() {
            return None;
        }
        let mut b = Bloc::new(
            "crte",
            "Contrats de relance et de transition écologique (CRTE)",
        );
        if let Some(t) = self.crte.as_ref().and_then(|c| c.texte.as_deref()) {
            b.paragraphes.extend(markdown::paragraphs(t));
        }
        let mut liens: Vec<crate::fiche::Lien> = named
            .iter()
            .map(|nom| {
                let found = crte
                    .iter()
                    .find(|c| referentiel::fold(&c.nom) == referentiel::fold(nom));
                crate::fiche::Lien {
                    titre: nom.clone(),
                    url: found.map(|c| crte_url(c.id)),
                }
            })
            .collect();
        for c in crte {
            if !named
                .iter()
                .any(|nom| referentiel::fold(nom) == referentiel::fold(&c.nom))
            {
                liens.push(crate::fiche::Lien {
                    titre: c.nom.clone(),
                    url: Some(crte_url(c.id)),
                });
            }
        }
        let nb = liens.len() as u32;
        b.chiffres
            .push(Chiffre::new(n(nb), "CRTE dans le département"));
        if let Some(a) = self.crte.as_ref().and_then(|c| c.accompagnes_anct) {
            b.chiffres.push(Chiffre::new(
                n(a),
                if a > 1 {
                    "de ces territoires seront accompagnés par l'ANCT"
                } else {
                    "de ces territoires sera accompagné par l'ANCT"
                },
            ));
        }
        b.liens = liens;
        Some(b)
    }

    /// The ANCT programmes present, for the list page and the dataset.
    pub fn programmes(&self) -> Vec<&'static str> {
        let n = self.numerique.clone().unwrap_or_default();
        [
            (self.france_services.is_some(), "France Services"),
            (self.action_coeur_de_ville.is_some(), "Action cœur de ville"),
            (
                self.petites_villes_de_demain.is_some(),
                "Petites villes de demain",
            ),
            (
                self.territoires_d_industrie.is_some(),
                "Territoires d'industrie",
            ),
            (self.ruralite.is_some(), "Ruralité"),
            (self.montagne.is_some(), "Montagne"),
            (n.france_mobile.is_some(), "France Mobile"),
            (n.france_tres_haut_debit.is_some(), "France Très Haut Débit"),
            (n.fabriques_numeriques.is_some(), "Fabriques numériques"),
            (n.conseillers_numeriques.is_some(), "Conseillers numériques"),
            (n.pass_numeriques.is_some(), "Pass numériques"),
        ]
        .into_iter()
        .filter_map(|(present, name)| present.then_some(name))
        .collect()
    }
}
