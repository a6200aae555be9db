//! The view of a département page and of its fiche territoriale PDF: the editorial and the
//! programme blocks grouped like the ANCT fiche, the CRTE and COT plans the site publishes in
//! the département; the list of départements and the map of the home page.

use super::*;

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

impl FicheTerritoriale {
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
                    nombres: vec![false, true, true],
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
                        .unwrap_or_else(|| crate::view::NON_RENSEIGNE.into())
                };
                b.tableaux.push(Tableau {
                    titre: "Projets accompagnés sur mesure".into(),
                    colonnes: vec![
                        "Porteur du projet".into(),
                        "Nature du projet".into(),
                        "Nom du projet".into(),
                        "Nature de l'accompagnement".into(),
                    ],
                    nombres: vec![false; 4],
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
        let mut liens: Vec<crate::view::blocs::Lien> = named
            .iter()
            .map(|nom| {
                let found = crte
                    .iter()
                    .find(|c| officiel::fold(&c.nom) == officiel::fold(nom));
                crate::view::blocs::Lien {
                    titre: nom.clone(),
                    url: found.map(|c| crte_url(c.id)),
                }
            })
            .collect();
        for c in crte {
            if !named
                .iter()
                .any(|nom| officiel::fold(nom) == officiel::fold(&c.nom))
            {
                liens.push(crate::view::blocs::Lien {
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

/// The page of a département, with or without its fiche territoriale; its PDF has the same.
#[derive(Clone, Debug, Serialize)]
pub struct Vue {
    /// The page's folder name: the code in lower case (`48`, `2a`).
    pub id: String,
    pub code: String,
    /// The official name.
    pub titre: String,
    /// `Fiche territoriale — Occitanie`, or that none is published.
    pub sous_titre: String,
    pub region: String,
    /// Whether the site publishes the département's fiche territoriale.
    pub publiee: bool,
    /// Empty when no fiche is published.
    pub liens: Liens,
    pub edito: Vec<EditoVue>,
    pub groupes: Vec<Groupe>,
    /// The COT plans of collectivités of the département.
    pub cot: Vec<LienTerritoire>,
    /// The actors of the ingénierie catalogue in the département.
    pub acteurs: Vec<LienTerritoire>,
    /// The département's rows of each table of the kinds that publish something there: title
    /// and path of the CSV (`donnees/territoires/48/crte.csv`).
    pub donnees: Vec<LienTerritoire>,
    /// What the site publishes about the département, counted: « 1 CRTE, 7 acteurs de
    /// l'ingénierie locale »; empty when nothing is.
    pub compte: String,
}

/// A link of the département's page: a COT plan (with its collectivité), an ingénierie actor
/// (with its category), the CSV of its rows of a table.
#[derive(Clone, Debug, Serialize)]
pub struct LienTerritoire {
    pub titre: String,
    /// After the title, in brackets: the COT's collectivité, the actor's category.
    pub precision: Option<String>,
    /// Relative to the site root.
    pub url: String,
}

/// The CRTE the site publishes in département `code`, as its fiche links them.
fn crte_du_departement<'a>(catalog: &'a Catalog, code: &'a str) -> Vec<CrteLien<'a>> {
    catalog
        .in_departement::<Crte>(code)
        .map(|e| CrteLien {
            nom: e.record.nom_usuel().unwrap_or_else(|| e.id.clone()),
            id: &e.id,
        })
        .collect()
}

/// A CRTE's page, relative to the site root.
fn crte_url(id: &str) -> String {
    format!("{}/{id}/", Crte::INFO.dossier)
}

/// The view of the page of département `d` (and of its PDF, when it has a fiche).
pub fn vue(catalog: &Catalog, d: &officiel::Departement) -> Vue {
    let id = d.code.to_lowercase();
    let region = officiel::get()
        .region(&d.region)
        .map_or(String::new(), |r| r.nom.clone());
    let crte = crte_du_departement(catalog, &d.code);
    let entry = catalog
        .entries::<FicheTerritoriale>()
        .iter()
        .find(|e| e.id == id);
    let (edito, groupes, liens) = match entry {
        Some(e) => (
            e.record.edito(),
            e.record.groupes(&crte, &crte_url),
            Liens::de(FicheTerritoriale::INFO.dossier, &id),
        ),
        // Without a fiche, the page still lists the département's CRTE.
        None => {
            let groupes = FicheTerritoriale::default()
                .crte_bloc(&crte, &crte_url)
                .map(|b| Groupe {
                    id: "accompagnement-sur-mesure".into(),
                    titre: "Contrats de relance et de transition écologique".into(),
                    sections: vec![b],
                })
                .into_iter()
                .collect();
            (Vec::new(), groupes, Liens::default())
        }
    };
    let cot: Vec<LienTerritoire> = catalog
        .in_departement::<Cot>(&d.code)
        .map(|e| LienTerritoire {
            titre: e.record.titre_complet(),
            precision: e.record.collectivite.as_ref().and_then(|c| c.nom.clone()),
            url: format!("{}/{}/", Cot::INFO.dossier, e.id),
        })
        .collect();
    let acteurs: Vec<LienTerritoire> = catalog
        .in_departement::<Acteur>(&d.code)
        .map(|e| LienTerritoire {
            titre: e.record.titre(),
            precision: e.record.categorie_term().map(|t| t.libelle.clone()),
            url: format!("{}/{}/", Acteur::INFO.dossier, e.id),
        })
        .collect();
    let donnees = catalog
        .collections
        .iter()
        .filter(|c| (0..c.len()).any(|i| c.departement(i) == Some(d.code.as_str())))
        .flat_map(|c| c.schemas())
        .map(|s| LienTerritoire {
            titre: s.titre.to_string(),
            precision: None,
            url: format!("{TERRITOIRES}{id}/{}.csv", s.nom),
        })
        .collect();
    let compte = [
        (
            usize::from(entry.is_some()),
            "fiche territoriale",
            "fiches territoriales",
        ),
        (crte.len(), "CRTE", "CRTE"),
        (
            cot.len(),
            "contrat d'objectif territorial",
            "contrats d'objectif territorial",
        ),
        (
            acteurs.len(),
            "acteur de l'ingénierie locale",
            "acteurs de l'ingénierie locale",
        ),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| crate::diagnostics::plural(*n, one, many))
    .collect::<Vec<_>>()
    .join(", ");
    let sous_titre = if entry.is_some() {
        format!("Fiche territoriale — {region}")
    } else {
        format!("Aucune fiche territoriale publiée — {region}")
    };
    Vue {
        id,
        code: d.code.clone(),
        titre: d.nom.clone(),
        sous_titre,
        region,
        publiee: entry.is_some(),
        liens,
        edito,
        groupes,
        cot,
        acteurs,
        donnees,
        compte,
    }
}

/// The départements that have a page: every one of the official list but the overseas
/// collectivités.
pub fn avec_page() -> impl Iterator<Item = &'static officiel::Departement> {
    officiel::get().departements().filter(|d| d.zone != "com")
}

/// One row per département, for the list page, the map and its text alternative; links
/// relative to the site root.
#[derive(Clone, Debug, Serialize)]
pub struct LigneDepartement {
    pub code: String,
    pub nom: String,
    pub region: String,
    /// Sort key of the région in French order (« Île-de-France » among the I).
    pub region_tri: String,
    pub url: String,
    pub fiche: bool,
    pub nb_crte: usize,
    pub nb_cot: usize,
    pub nb_acteurs: usize,
    pub programmes: String,
}

impl LigneDepartement {
    /// Something is published about the département: it is active on the map.
    pub fn publie(&self) -> bool {
        self.fiche || self.nb_crte > 0 || self.nb_cot > 0 || self.nb_acteurs > 0
    }
}

pub fn lignes(catalog: &Catalog) -> Vec<LigneDepartement> {
    let r = officiel::get();
    let fiches = catalog.entries::<FicheTerritoriale>();
    avec_page()
        .map(|d| {
            let fiche = fiches.iter().find(|e| e.id == d.code.to_lowercase());
            let programmes = fiche
                .map(|f| f.record.programmes().join(", "))
                .filter(|p| !p.is_empty());
            let region = r.region(&d.region);
            LigneDepartement {
                code: d.code.clone(),
                nom: d.nom.clone(),
                region: region.map_or(String::new(), |x| x.nom.clone()),
                region_tri: region.map_or(String::new(), |x| officiel::fold(&x.nom)),
                url: format!("departements/{}/", d.code.to_lowercase()),
                fiche: fiche.is_some(),
                nb_crte: catalog.in_departement::<Crte>(&d.code).count(),
                nb_cot: catalog.in_departement::<Cot>(&d.code).count(),
                nb_acteurs: catalog.in_departement::<Acteur>(&d.code).count(),
                programmes: ou_non_renseigne(programmes),
            }
        })
        .collect()
}

/// The home page's map, every département a link (relative to the site root, which is where
/// the home page is), and the same list by région.
pub fn carte(catalog: &Catalog) -> serde_json::Value {
    let lignes = lignes(catalog);
    let zones: Vec<carte::Zone> = lignes
        .iter()
        .map(|d| carte::Zone {
            code: &d.code,
            nom: &d.nom,
            url: &d.url,
            actif: d.publie(),
        })
        .collect();
    let svg = carte::france(
        &zones,
        "Carte des départements : chaque département mène à sa page",
    );
    serde_json::json!({
        "carte": svg,
        "encarts": carte::encarts(&zones),
        "carte_credit": carte::ATTRIBUTION,
        "departements": lignes,
    })
}
