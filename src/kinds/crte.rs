//! The CRTE record kind (contrat de relance et de transition écologique, seeds 000 and 003):
//! its schema as written in `content/crte/<id>.yaml`, its checks, its view, its list page and
//! its table.
//!
//! Keys follow the labels of the ANCT fiche, section by section. Every field is optional: an
//! absent field is "not provided" and prints « Non renseigné ».

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::kind::{EnTete, Kind};
use crate::catalog::{Catalog, Entry, Info, PageVue, Recherche};
use crate::check::Checker;
use crate::model::Reponse;
use crate::officiel;
use crate::view::blocs::{Membre, Section};
use crate::view::table::{
    Cellule, CleEtrangere, Contexte, MOTIF_DEPARTEMENT, MOTIF_SIREN, Table, TableDe, Type, colonne,
    une_ligne,
};
use crate::view::{self, Liens, NON_RENSEIGNE, format};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Crte {
    /// URL slug of the record; defaults to the file name.
    pub identifiant: Option<String>,
    /// Usual name of the contract ("Terres de vie en Lozère"); defaults to the structure porteuse.
    pub nom: Option<String>,
    /// Code INSEE of the département ("48").
    pub departement: Option<String>,
    /// The other départements of an inter-département contract (codes INSEE).
    pub departements_associes: Option<Vec<String>>,
    pub informations_generales: Option<InformationsGenerales>,
    pub signataires: Option<Vec<Signataire>>,
    /// The bodies the signing groups belong to (PETR, pôle métropolitain, PNR…), as the
    /// national CRTE file lists them.
    pub structures_supra: Option<Vec<Signataire>>,
    pub strategie: Option<Strategie>,
    pub plan_action: Option<PlanAction>,
    pub gouvernance_evaluation: Option<GouvernanceEvaluation>,
    pub ingenierie_financement: Option<IngenierieFinancement>,
    /// The day the record was last changed (`2024-03-12`): its date in the feed, the site map
    /// and on its page. Without it, the date of the last commit of its file, in a git site.
    pub mise_a_jour: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct InformationsGenerales {
    pub email_contact: Option<String>,
    pub date_signature: Option<String>,
    pub nature_juridique_structure_porteuse: Option<String>,
    pub nom_structure_porteuse: Option<String>,
    pub date_signature_protocole_prefiguration: Option<String>,
}

/// A signatory or COPIL member: `nom` alone for free text ("Préfecture de la Lozère").
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Signataire {
    pub nom: Option<String>,
    pub nature: Option<String>,
    pub siren: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Strategie {
    pub documents_strategiques: Option<Vec<String>>,
    pub contrats: Option<Vec<String>>,
    pub programmes_anct: Option<Vec<String>>,
    pub orientations_strategiques: Option<Vec<String>>,
    pub diagnostic_initial: Option<Reponse>,
    pub mise_a_jour_projet_de_territoire: Option<Reponse>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PlanAction {
    pub domaines_action_publique: Option<Vec<String>>,
    pub nombre_fiches_action: Option<u32>,
    pub nombre_fiches_projet: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct GouvernanceEvaluation {
    pub composition_copil: Option<Vec<Signataire>>,
    pub instances_partenariat: Option<Vec<String>>,
    pub frequence_reunion_copil: Option<u32>,
    pub frequence_reunion_comite_technique: Option<u32>,
    pub partenaires_socio_economiques: Option<Vec<String>>,
    pub demarches_co_construction: Option<Vec<String>>,
    pub cooperation_interterritoriale: Option<Reponse>,
    pub domaines_cooperation_interterritoriale: Option<Vec<String>>,
    pub indicateurs_de_suivi: Option<Reponse>,
    pub etat_des_lieux_ecologique: Option<Reponse>,
    pub grille_analyse_ex_ante: Option<Reponse>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct IngenierieFinancement {
    pub recrutement_chef_de_projet: Option<Reponse>,
    pub recrutement_volontaire_territorial: Option<Reponse>,
    pub ingenierie_locale: Option<Vec<String>>,
    pub ingenierie_externe: Option<Vec<String>>,
    pub maquette_financiere: Option<Reponse>,
    pub montants: Option<Montants>,
}

/// The eight amounts of the fiche, in euros.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Montants {
    pub depenses_fonctionnement: Option<f64>,
    pub depenses_investissement: Option<f64>,
    pub engagements_collectivites: Option<f64>,
    pub engagements_etat_plan_relance: Option<f64>,
    pub engagements_etat_hors_plan_relance: Option<f64>,
    pub cofinancements_europeens: Option<f64>,
    pub cofinancements_prives: Option<f64>,
    pub engagements_banque_des_territoires: Option<f64>,
}

/// The amounts with their fiche labels and dataset columns, in fiche order.
pub const MONTANTS: [(&str, &str); 8] = [
    (
        "depenses_fonctionnement",
        "Montant total prévisionnel en euros des actions en dépenses de fonctionnement",
    ),
    (
        "depenses_investissement",
        "Montant total prévisionnel en euros des actions en dépenses d'investissement",
    ),
    (
        "engagements_collectivites",
        "Montant total en euros des engagements financiers des collectivités locales et leurs établissements publics",
    ),
    (
        "engagements_etat_plan_relance",
        "Montant total en euros des engagements financiers de l'État et de ses opérateurs Plan de relance",
    ),
    (
        "engagements_etat_hors_plan_relance",
        "Montant total en euros des engagements financiers de l'État et de ses opérateurs hors plan de relance",
    ),
    (
        "cofinancements_europeens",
        "Montant total prévisionnel en euros des cofinancements européens",
    ),
    (
        "cofinancements_prives",
        "Montant total prévisionnel en euros des cofinancements privés",
    ),
    (
        "engagements_banque_des_territoires",
        "Montant en euros des engagements financiers de la Banque des territoires",
    ),
];

impl Montants {
    pub fn values(&self) -> [Option<f64>; 8] {
        [
            self.depenses_fonctionnement,
            self.depenses_investissement,
            self.engagements_collectivites,
            self.engagements_etat_plan_relance,
            self.engagements_etat_hors_plan_relance,
            self.cofinancements_europeens,
            self.cofinancements_prives,
            self.engagements_banque_des_territoires,
        ]
    }
}

impl Crte {
    /// The contract's usual name: `nom`, else the structure porteuse.
    pub fn nom_usuel(&self) -> Option<String> {
        self.nom
            .clone()
            .or_else(|| self.generales().nom_structure_porteuse.clone())
    }

    /// `Lozère (48)`.
    pub fn departement_label(&self) -> Option<String> {
        let code = self.departement.as_deref()?;
        let d = officiel::get().departement(code)?;
        Some(format!("{} ({})", d.nom, d.code))
    }

    pub fn montants(&self) -> &Montants {
        static VIDE: LazyLock<Montants> = LazyLock::new(Montants::default);
        self.financement().montants.as_ref().unwrap_or(&VIDE)
    }

    pub fn generales(&self) -> &InformationsGenerales {
        static VIDE: LazyLock<InformationsGenerales> = LazyLock::new(Default::default);
        self.informations_generales.as_ref().unwrap_or(&VIDE)
    }

    pub fn strategie(&self) -> &Strategie {
        static VIDE: LazyLock<Strategie> = LazyLock::new(Default::default);
        self.strategie.as_ref().unwrap_or(&VIDE)
    }

    pub fn plan_action(&self) -> &PlanAction {
        static VIDE: LazyLock<PlanAction> = LazyLock::new(Default::default);
        self.plan_action.as_ref().unwrap_or(&VIDE)
    }

    pub fn gouvernance(&self) -> &GouvernanceEvaluation {
        static VIDE: LazyLock<GouvernanceEvaluation> = LazyLock::new(Default::default);
        self.gouvernance_evaluation.as_ref().unwrap_or(&VIDE)
    }

    pub fn financement(&self) -> &IngenierieFinancement {
        static VIDE: LazyLock<IngenierieFinancement> = LazyLock::new(Default::default);
        self.ingenierie_financement.as_ref().unwrap_or(&VIDE)
    }
}

/// The fiche of a CRTE, for its page and its PDF: the sections of the ANCT fiche.
#[derive(Clone, Debug, Serialize)]
pub struct Vue {
    pub id: String,
    pub titre: String,
    /// `Lozère (48) — signé le 29 décembre 2021`.
    pub sous_titre: String,
    pub liens: Liens,
    pub sections: Vec<Section>,
}

impl Kind for Crte {
    const INFO: &'static Info = &Info {
        dossier: "crte",
        menu: "CRTE",
        unite: ("CRTE", "CRTE"),
        toujours_au_menu: true,
        gabarit_page: "crte.html",
        gabarit_liste: "crte_list.html",
        gabarit_pdf: "crte.typ",
        gabarit_pdf_collection: None,
        cle_json: "identifiant",
        titre_donnees: "Contrats de relance et de transition écologique (CRTE)",
        titre_json: "Fiches complètes des CRTE",
    };
    type Vue = Vue;

    fn id(&self) -> Option<(String, &'static str)> {
        self.identifiant.clone().map(|id| (id, "identifiant"))
    }

    fn mise_a_jour(&self) -> Option<&str> {
        self.mise_a_jour.as_deref()
    }

    fn departement(&self) -> Option<&str> {
        self.departement.as_deref()
    }

    fn titre(&self) -> String {
        match self.nom_usuel() {
            Some(n) => format!("CRTE {n}"),
            None => "CRTE".to_string(),
        }
    }

    fn check(&mut self, c: &mut Checker) {
        c.required(
            "departement",
            self.departement.is_some(),
            "indiquez le code INSEE du département, par exemple `departement: \"48\"`",
        );
        c.departement("departement", &self.departement);
        if let Some(i) = &mut self.informations_generales {
            c.email("informations_generales.email_contact", &i.email_contact);
            c.date("informations_generales.date_signature", &i.date_signature);
            c.date(
                "informations_generales.date_signature_protocole_prefiguration",
                &i.date_signature_protocole_prefiguration,
            );
            if let Some(n) = &i.nature_juridique_structure_porteuse {
                let v = c.term(
                    "natures_juridiques",
                    "informations_generales.nature_juridique_structure_porteuse",
                    n,
                );
                i.nature_juridique_structure_porteuse = Some(v);
            }
        }
        check_signataires(c, "signataires", &mut self.signataires);
        check_signataires(c, "structures_supra", &mut self.structures_supra);
        for (i, code) in self.departements_associes.iter().flatten().enumerate() {
            c.departement(&format!("departements_associes[{i}]"), &Some(code.clone()));
        }
        if let Some(s) = &mut self.strategie {
            c.terms(
                "programmes_anct",
                "strategie.programmes_anct",
                &mut s.programmes_anct,
            );
        }
        if let Some(p) = &mut self.plan_action {
            c.terms(
                "domaines_action_publique",
                "plan_action.domaines_action_publique",
                &mut p.domaines_action_publique,
            );
        }
        if let Some(g) = &mut self.gouvernance_evaluation {
            check_signataires(
                c,
                "gouvernance_evaluation.composition_copil",
                &mut g.composition_copil,
            );
            c.terms(
                "domaines_action_publique",
                "gouvernance_evaluation.domaines_cooperation_interterritoriale",
                &mut g.domaines_cooperation_interterritoriale,
            );
        }
        for ((key, _), value) in MONTANTS.iter().zip(self.montants().values()) {
            if value.is_some_and(|v| v < 0.0 || !v.is_finite()) {
                c.error(
                    &format!("ingenierie_financement.montants.{key}"),
                    "un montant ne peut pas être négatif",
                    "écrivez le montant en euros, par exemple `12940000`".to_string(),
                );
            }
        }
    }

    /// The fiche as printed: the sections and labels of the ANCT CRTE fiche, in its order.
    fn vue(e: &Entry<Crte>, _catalog: &Catalog) -> Vue {
        let r = &e.record;
        let ig = r.generales();
        let st = r.strategie();
        let pa = r.plan_action();
        let ge = r.gouvernance();
        let inf = r.financement();
        let rep = |r: Option<Reponse>| r.map(Reponse::label);
        let items = |l: &Option<Vec<String>>| l.clone();

        let mut generales = Section::new("informations-generales", "Informations générales");
        generales
            .email("Email de contact", ig.email_contact.as_deref())
            .date("Date de signature du CRTE", ig.date_signature.as_deref())
            .texte(
                "Nature juridique de la structure porteuse",
                ig.nature_juridique_structure_porteuse.as_deref(),
            )
            .texte(
                "Nom de la structure porteuse",
                ig.nom_structure_porteuse.as_deref(),
            )
            .date(
                "Si protocole de préfiguration : date de signature",
                ig.date_signature_protocole_prefiguration.as_deref(),
            );

        let mut signataires = Section::new("signataires", "Signataires");
        signataires.acteurs(
            "Nature des signataires du CRTE",
            membres(&r.signataires),
            ("signataire", "signataires"),
        );
        // What the national file adds, when the record has it (an imported CRTE).
        if r.departements_associes.is_some() {
            let noms: Option<Vec<String>> = r.departements_associes.as_ref().map(|codes| {
                codes
                    .iter()
                    .map(|c| match officiel::get().departement(c) {
                        Some(d) => format!("{} ({})", d.nom, d.code),
                        None => c.clone(),
                    })
                    .collect()
            });
            signataires.liste(
                "Autres départements du contrat",
                noms.as_deref(),
                ("département", "départements"),
            );
        }
        if r.structures_supra.is_some() {
            signataires.acteurs(
                "Structures dont relèvent les signataires",
                membres(&r.structures_supra),
                ("structure", "structures"),
            );
        }

        let mut strategie = Section::new("strategie", "Stratégie");
        strategie
            .liste(
                "Nature des documents stratégiques et plans-programmes préexistants",
                items(&st.documents_strategiques).as_deref(),
                ("document", "documents"),
            )
            .liste(
                "Liste des contrats figurant dans le CRTE",
                items(&st.contrats).as_deref(),
                ("contrat", "contrats"),
            )
            .liste(
                "Liste des programmes de l'ANCT intégrés",
                items(&st.programmes_anct).as_deref(),
                ("programme", "programmes"),
            )
            .liste(
                "Liste des orientations stratégiques, axes, ambitions, volets, objectifs…",
                items(&st.orientations_strategiques).as_deref(),
                ("orientation", "orientations"),
            )
            .texte(
                "Réalisation d'un diagnostic initial du territoire",
                rep(st.diagnostic_initial),
            )
            .texte(
                "Mise à jour du projet de territoire avec l'élaboration du CRTE",
                rep(st.mise_a_jour_projet_de_territoire),
            );

        let mut plan = Section::new("plan-action", "Plan d'action");
        plan.liste(
            "Domaines d'action publique couverts",
            items(&pa.domaines_action_publique).as_deref(),
            ("domaine", "domaines"),
        )
        .nombre(
            "Nombre de fiches action (opération prête à démarrer)",
            pa.nombre_fiches_action.map(f64::from),
        )
        .nombre(
            "Nombre de fiches projet (opération à travailler)",
            pa.nombre_fiches_projet.map(f64::from),
        );

        let mut gouvernance =
            Section::new("gouvernance-et-evaluation", "Gouvernance et évaluation");
        gouvernance
            .acteurs("Composition du COPIL", membres(&ge.composition_copil), ("membre", "membres"))
            .liste(
                "Liste des instances de partenariat mobilisées ou créées",
                items(&ge.instances_partenariat).as_deref(),
                ("instance", "instances"),
            )
            .nombre("Fréquence prévisionnelle annuelle de réunion du COPIL", ge.frequence_reunion_copil.map(f64::from))
            .nombre(
                "Fréquence prévisionnelle annuelle de réunion du comité technique",
                ge.frequence_reunion_comite_technique.map(f64::from),
            )
            .liste(
                "Liste des partenaires socio-économiques",
                items(&ge.partenaires_socio_economiques).as_deref(),
                ("partenaire", "partenaires"),
            )
            .liste(
                "Démarches de co-construction du CRTE",
                items(&ge.demarches_co_construction).as_deref(),
                ("démarche", "démarches"),
            )
            .texte(
                "Existence d'un volet de coopération interterritoriale (dont volet transfrontalier)",
                rep(ge.cooperation_interterritoriale),
            )
            .liste(
                "Domaines d'action publique de la coopération interterritoriale",
                items(&ge.domaines_cooperation_interterritoriale).as_deref(),
                ("domaine", "domaines"),
            )
            .texte("Définition d'indicateurs de suivi des objectifs opérationnels du CRTE", rep(ge.indicateurs_de_suivi))
            .texte(
                "État des lieux écologique renseigné à l'aune des 13 indicateurs du socle national",
                rep(ge.etat_des_lieux_ecologique),
            )
            .texte("Recours à la grille d'analyse ex-ante des actions", rep(ge.grille_analyse_ex_ante));

        let mut ingenierie = Section::new("ingenierie-et-financement", "Ingénierie et financement");
        ingenierie
            .texte("Recrutement d'un chef de projet / chargé de mission dédié", rep(inf.recrutement_chef_de_projet))
            .texte("Recrutement d'un volontaire territorial en administration", rep(inf.recrutement_volontaire_territorial))
            .liste("Mobilisation de l'ingénierie locale", items(&inf.ingenierie_locale).as_deref(), ("structure", "structures"))
            .liste("Mobilisation d'une ingénierie externe", items(&inf.ingenierie_externe).as_deref(), ("structure", "structures"))
            .texte(
                "Existence d'une maquette financière annexée (ou d'un état récapitulatif des différents financements) au jour de la signature du contrat",
                rep(inf.maquette_financiere),
            );
        for ((_, label), value) in MONTANTS.iter().zip(r.montants().values()) {
            ingenierie.montant(label, value);
        }

        let departement = r
            .departement_label()
            .unwrap_or_else(|| NON_RENSEIGNE.to_string());
        let signature = ig
            .date_signature
            .as_deref()
            .and_then(format::Date::parse_iso)
            .map_or_else(
                || "date de signature non renseignée".to_string(),
                |d| format!("signé le {}", d.french()),
            );
        Vue {
            id: e.id.clone(),
            titre: r.titre(),
            sous_titre: format!("{departement} — {signature}"),
            liens: Liens::de(Crte::INFO.dossier, &e.id),
            sections: vec![
                generales,
                signataires,
                strategie,
                plan,
                gouvernance,
                ingenierie,
            ],
        }
    }

    fn en_tete(vue: &Vue) -> EnTete {
        EnTete {
            titre: vue.titre.clone(),
            description: format!("Fiche du {} : {}.", vue.titre, vue.sous_titre),
            titre_pdf: vue.titre.clone(),
        }
    }

    /// Its structure porteuse, signatories and supra-communal bodies, their SIREN, its programmes.
    fn recherche(_id: &str, e: Option<&Entry<Self>>) -> Recherche {
        let Some(e) = e else {
            return Recherche::default();
        };
        let r = &e.record;
        let g = r.gouvernance_evaluation.as_ref();
        let groupes = [
            r.signataires.as_deref(),
            r.structures_supra.as_deref(),
            g.and_then(|g| g.composition_copil.as_deref()),
        ];
        let membres = || groupes.iter().flatten().flat_map(|l| l.iter());
        Recherche {
            departement: r.departement.clone(),
            mots: r
                .generales()
                .nom_structure_porteuse
                .iter()
                .cloned()
                .chain(membres().filter_map(|s| s.nom.clone()))
                .collect(),
            codes: membres().filter_map(|s| s.siren.clone()).collect(),
            programmes: r
                .strategie
                .as_ref()
                .and_then(|s| s.programmes_anct.clone())
                .unwrap_or_default(),
            ..Recherche::default()
        }
    }

    fn liste(catalog: &Catalog) -> PageVue {
        let crtes: Vec<serde_json::Value> = catalog
            .entries::<Crte>()
            .iter()
            .map(|e| {
                let r = &e.record;
                let ig = r.generales();
                json!({
                    "id": e.id,
                    "titre": r.titre(),
                    "url": format!("crte/{}/", e.id),
                    "departement": view::ou_non_renseigne(r.departement_label()),
                    "structure_porteuse": view::ou_non_renseigne(ig.nom_structure_porteuse.clone()),
                    "date_signature": view::ou_non_renseigne(ig.date_signature.as_deref().and_then(format::Date::parse_iso).map(|d| d.french())),
                    "nb_signataires": r.signataires.as_ref().map_or(0, Vec::len),
                    "investissement": view::ou_non_renseigne(r.montants().depenses_investissement.map(format::euros_compact)),
                })
            })
            .collect();
        PageVue {
            date: None,
            recherche: None,
            chemin: "crte/".into(),
            titre: "Contrats de relance et de transition écologique".into(),
            description: format!(
                "Les {} CRTE publiés, avec leurs fiches et leurs données.",
                crtes.len()
            ),
            vue: json!({ "crtes": crtes }),
        }
    }

    fn description_donnees(n: usize) -> String {
        format!(
            "{n} contrat{}, une ligne par contrat ; listes séparées par « | », montants en euros, cellule vide = non renseigné.",
            if n > 1 { "s" } else { "" }
        )
    }

    /// The contracts, one row each, then their signatories and COPIL members.
    fn tables() -> Vec<Box<dyn TableDe<Crte>>> {
        vec![Box::new(table_crte()), Box::new(table_signataires())]
    }
}

/// One row per CRTE. Never reorder the columns: users' scripts read them by position too;
/// new columns go at the end.
fn table_crte() -> Table<Crte> {
    use Type::*;
    {
        Table::<Crte> {
            nom: "crte",
            titre: "Tableau des CRTE",
            cle_primaire: &["identifiant"],
            cles_etrangeres: &[],
            lignes: une_ligne,
            colonnes: vec![
                colonne(
                    "identifiant",
                    Texte,
                    "Identifiant de la fiche sur le site",
                    |c, _| c.identifiant(),
                ),
                colonne("nom", Texte, "Nom du contrat", |c, _| {
                    Cellule::texte(&c.record.nom)
                }),
                colonne(
                    "departement",
                    Texte,
                    "Code INSEE du département",
                    |c: &Contexte<Crte>, _| Cellule::texte(&c.record.departement),
                )
                .motif(MOTIF_DEPARTEMENT),
                colonne("departement_nom", Texte, "Nom du département", |c, _| {
                    Cellule::texte(
                        &c.record
                            .departement
                            .as_deref()
                            .and_then(|d| officiel::get().departement(d))
                            .map(|d| d.nom.clone()),
                    )
                }),
                colonne(
                    "email_contact",
                    Texte,
                    "Email de contact",
                    |c: &Contexte<Crte>, _| Cellule::texte(&c.record.generales().email_contact),
                )
                .email(),
                colonne(
                    "date_signature",
                    Date,
                    "Date de signature du CRTE",
                    |c, _| Cellule::date(&c.record.generales().date_signature),
                ),
                colonne(
                    "nature_juridique_structure_porteuse",
                    Texte,
                    "Nature juridique de la structure porteuse",
                    |c, _| {
                        Cellule::texte(&c.record.generales().nature_juridique_structure_porteuse)
                    },
                ),
                colonne(
                    "nom_structure_porteuse",
                    Texte,
                    "Nom de la structure porteuse",
                    |c, _| Cellule::texte(&c.record.generales().nom_structure_porteuse),
                ),
                colonne(
                    "date_signature_protocole_prefiguration",
                    Date,
                    "Si protocole de préfiguration : date de signature",
                    |c, _| {
                        Cellule::date(&c.record.generales().date_signature_protocole_prefiguration)
                    },
                ),
                colonne(
                    "nombre_signataires",
                    Entier,
                    "Nombre de signataires",
                    |c, _| Cellule::nombre_de(c.record.signataires.as_ref().map(Vec::len)),
                ),
                colonne(
                    "signataires",
                    Liste,
                    "Noms des signataires (séparés par « | »)",
                    |c, _| Cellule::liste(&noms_de(&c.record.signataires)),
                ),
                colonne(
                    "documents_strategiques",
                    Liste,
                    "Documents stratégiques et plans-programmes préexistants",
                    |c, _| Cellule::liste(&c.record.strategie().documents_strategiques),
                ),
                colonne(
                    "contrats",
                    Liste,
                    "Contrats figurant dans le CRTE",
                    |c, _| Cellule::liste(&c.record.strategie().contrats),
                ),
                colonne(
                    "programmes_anct",
                    Liste,
                    "Programmes de l'ANCT intégrés",
                    |c, _| Cellule::liste(&c.record.strategie().programmes_anct),
                ),
                colonne(
                    "orientations_strategiques",
                    Liste,
                    "Orientations stratégiques, axes, ambitions, volets, objectifs",
                    |c, _| Cellule::liste(&c.record.strategie().orientations_strategiques),
                ),
                colonne(
                    "diagnostic_initial",
                    Reponse,
                    "Réalisation d'un diagnostic initial du territoire (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.strategie().diagnostic_initial),
                ),
                colonne(
                    "mise_a_jour_projet_de_territoire",
                    Reponse,
                    "Mise à jour du projet de territoire avec l'élaboration du CRTE (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.strategie().mise_a_jour_projet_de_territoire),
                ),
                colonne(
                    "domaines_action_publique",
                    Liste,
                    "Domaines d'action publique couverts",
                    |c, _| Cellule::liste(&c.record.plan_action().domaines_action_publique),
                ),
                colonne(
                    "nombre_fiches_action",
                    Entier,
                    "Nombre de fiches action (opération prête à démarrer)",
                    |c, _| Cellule::entier(c.record.plan_action().nombre_fiches_action),
                ),
                colonne(
                    "nombre_fiches_projet",
                    Entier,
                    "Nombre de fiches projet (opération à travailler)",
                    |c, _| Cellule::entier(c.record.plan_action().nombre_fiches_projet),
                ),
                colonne(
                    "composition_copil",
                    Liste,
                    "Composition du COPIL",
                    |c, _| Cellule::liste(&noms_de(&c.record.gouvernance().composition_copil)),
                ),
                colonne(
                    "instances_partenariat",
                    Liste,
                    "Instances de partenariat mobilisées ou créées",
                    |c, _| Cellule::liste(&c.record.gouvernance().instances_partenariat),
                ),
                colonne(
                    "frequence_reunion_copil",
                    Entier,
                    "Fréquence prévisionnelle annuelle de réunion du COPIL",
                    |c, _| Cellule::entier(c.record.gouvernance().frequence_reunion_copil),
                ),
                colonne(
                    "frequence_reunion_comite_technique",
                    Entier,
                    "Fréquence prévisionnelle annuelle de réunion du comité technique",
                    |c, _| {
                        Cellule::entier(c.record.gouvernance().frequence_reunion_comite_technique)
                    },
                ),
                colonne(
                    "partenaires_socio_economiques",
                    Liste,
                    "Partenaires socio-économiques",
                    |c, _| Cellule::liste(&c.record.gouvernance().partenaires_socio_economiques),
                ),
                colonne(
                    "demarches_co_construction",
                    Liste,
                    "Démarches de co-construction du CRTE",
                    |c, _| Cellule::liste(&c.record.gouvernance().demarches_co_construction),
                ),
                colonne(
                    "cooperation_interterritoriale",
                    Reponse,
                    "Existence d'un volet de coopération interterritoriale (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.gouvernance().cooperation_interterritoriale),
                ),
                colonne(
                    "domaines_cooperation_interterritoriale",
                    Liste,
                    "Domaines d'action publique de la coopération interterritoriale",
                    |c, _| {
                        Cellule::liste(
                            &c.record
                                .gouvernance()
                                .domaines_cooperation_interterritoriale,
                        )
                    },
                ),
                colonne(
                    "indicateurs_de_suivi",
                    Reponse,
                    "Définition d'indicateurs de suivi des objectifs opérationnels (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.gouvernance().indicateurs_de_suivi),
                ),
                colonne(
                    "etat_des_lieux_ecologique",
                    Reponse,
                    "État des lieux écologique à l'aune des 13 indicateurs du socle national (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.gouvernance().etat_des_lieux_ecologique),
                ),
                colonne(
                    "grille_analyse_ex_ante",
                    Reponse,
                    "Recours à la grille d'analyse ex-ante des actions (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.gouvernance().grille_analyse_ex_ante),
                ),
                colonne(
                    "recrutement_chef_de_projet",
                    Reponse,
                    "Recrutement d'un chef de projet / chargé de mission dédié (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.financement().recrutement_chef_de_projet),
                ),
                colonne(
                    "recrutement_volontaire_territorial",
                    Reponse,
                    "Recrutement d'un volontaire territorial en administration (oui, non, nc)",
                    |c, _| {
                        Cellule::reponse(c.record.financement().recrutement_volontaire_territorial)
                    },
                ),
                colonne(
                    "ingenierie_locale",
                    Liste,
                    "Ingénierie locale mobilisée",
                    |c, _| Cellule::liste(&c.record.financement().ingenierie_locale),
                ),
                colonne(
                    "ingenierie_externe",
                    Liste,
                    "Ingénierie externe mobilisée",
                    |c, _| Cellule::liste(&c.record.financement().ingenierie_externe),
                ),
                colonne(
                    "maquette_financiere",
                    Reponse,
                    "Existence d'une maquette financière annexée au jour de la signature (oui, non, nc)",
                    |c, _| Cellule::reponse(c.record.financement().maquette_financiere),
                ),
                colonne(
                    "depenses_fonctionnement",
                    Nombre,
                    "Montant total prévisionnel des actions en dépenses de fonctionnement (euros)",
                    |c, _| Cellule::nombre(c.record.montants().depenses_fonctionnement),
                ),
                colonne(
                    "depenses_investissement",
                    Nombre,
                    "Montant total prévisionnel des actions en dépenses d'investissement (euros)",
                    |c, _| Cellule::nombre(c.record.montants().depenses_investissement),
                ),
                colonne(
                    "engagements_collectivites",
                    Nombre,
                    "Engagements financiers des collectivités locales et leurs établissements publics (euros)",
                    |c, _| Cellule::nombre(c.record.montants().engagements_collectivites),
                ),
                colonne(
                    "engagements_etat_plan_relance",
                    Nombre,
                    "Engagements financiers de l'État et de ses opérateurs, plan de relance (euros)",
                    |c, _| Cellule::nombre(c.record.montants().engagements_etat_plan_relance),
                ),
                colonne(
                    "engagements_etat_hors_plan_relance",
                    Nombre,
                    "Engagements financiers de l'État et de ses opérateurs hors plan de relance (euros)",
                    |c, _| Cellule::nombre(c.record.montants().engagements_etat_hors_plan_relance),
                ),
                colonne(
                    "cofinancements_europeens",
                    Nombre,
                    "Cofinancements européens prévisionnels (euros)",
                    |c, _| Cellule::nombre(c.record.montants().cofinancements_europeens),
                ),
                colonne(
                    "cofinancements_prives",
                    Nombre,
                    "Cofinancements privés prévisionnels (euros)",
                    |c, _| Cellule::nombre(c.record.montants().cofinancements_prives),
                ),
                colonne(
                    "engagements_banque_des_territoires",
                    Nombre,
                    "Engagements financiers de la Banque des territoires (euros)",
                    |c, _| Cellule::nombre(c.record.montants().engagements_banque_des_territoires),
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
                colonne(
                    "departements_associes",
                    Liste,
                    "Autres départements d'un CRTE interdépartemental (codes INSEE)",
                    |c, _| Cellule::liste(&c.record.departements_associes),
                ),
            ],
        }
    }
}

/// A signatory or a member of the COPIL, as a row of `crte-signataires`.
pub struct LigneSignataire {
    role: &'static str,
    rang: usize,
    membre: Signataire,
}

fn membres_de(crte: &Crte) -> Vec<LigneSignataire> {
    let rows = |role, l: &Option<Vec<Signataire>>| -> Vec<LigneSignataire> {
        l.iter()
            .flatten()
            .enumerate()
            .map(|(i, membre)| LigneSignataire {
                role,
                rang: i + 1,
                membre: membre.clone(),
            })
            .collect()
    };
    let mut out = rows("signataire", &crte.signataires);
    if let Some(g) = &crte.gouvernance_evaluation {
        out.extend(rows("copil", &g.composition_copil));
    }
    out.extend(rows("supra", &crte.structures_supra));
    out
}

/// One row per signatory and per member of the COPIL: who they are, their nature, their SIREN.
fn table_signataires() -> Table<Crte, LigneSignataire> {
    use Type::*;
    let natures: Vec<String> = officiel::get()
        .vocabulary("natures_signataires")
        .terms
        .iter()
        .map(|t| t.value().to_string())
        .collect();
    Table {
        nom: "crte-signataires",
        titre: "Signataires des CRTE et membres de leur COPIL",
        cle_primaire: &["crte", "role", "rang"],
        cles_etrangeres: &[CleEtrangere {
            colonnes: &["crte"],
            table: "crte",
            vers: &["identifiant"],
        }],
        lignes: membres_de,
        colonnes: vec![
            colonne("crte", Texte, "Identifiant du CRTE", |c: &Contexte<Crte>, _| c.identifiant()),
            colonne(
                "role",
                Texte,
                "signataire du contrat, copil (membre du comité de pilotage) ou supra (structure dont relèvent les signataires)",
                |_, m: &LigneSignataire| Cellule::Texte(m.role.to_string()),
            )
            .valeurs(vec!["signataire".into(), "copil".into(), "supra".into()]),
            colonne(
                "rang",
                Entier,
                "Rang dans la liste des signataires, ou des membres du COPIL, de la fiche",
                |_, m: &LigneSignataire| Cellule::nombre_de(Some(m.rang)),
            ),
            colonne("nom", Texte, "Nom", |_, m: &LigneSignataire| Cellule::texte(&m.membre.nom)),
            colonne(
                "nature",
                Texte,
                "Nature (code du vocabulaire natures_signataires : CC, CA, departement, region…)",
                |_, m: &LigneSignataire| Cellule::texte(&m.membre.nature),
            )
            .valeurs(natures),
            colonne(
                "siren",
                Texte,
                "SIREN (9 chiffres) ; vide s'il n'est pas renseigné ou s'il n'est pas un SIREN valide (un code INSEE écrit à sa place est signalé à la construction, pas publié)",
                |_, m: &LigneSignataire| crate::check::siren_publie(&m.membre.siren),
            )
            .motif(MOTIF_SIREN),
        ],
    }
}

/// The names of signatories or members, one per person (empty when a name is missing).
fn noms_de(l: &Option<Vec<Signataire>>) -> Option<Vec<String>> {
    l.as_ref().map(|l| {
        l.iter()
            .map(|s| s.nom.clone().unwrap_or_default())
            .collect()
    })
}

fn check_signataires(c: &mut Checker, path: &str, list: &mut Option<Vec<Signataire>>) {
    for (i, s) in list.iter_mut().flatten().enumerate() {
        let here = format!("{path}[{i}]");
        c.required(
            &format!("{here}.nom"),
            s.nom.is_some(),
            "chaque signataire a au moins un `nom`",
        );
        if let Some(n) = &s.nature {
            s.nature = Some(c.term("natures_signataires", &format!("{here}.nature"), n));
        }
        c.siren(&format!("{here}.siren"), &s.siren, s.nature.as_deref());
        // An EPCI's SIREN must be in the official list under the same kind.
        if let (Some(siren), Some(nature)) = (&s.siren, &s.nature)
            && matches!(nature.as_str(), "CC" | "CA" | "CU" | "METRO")
            && officiel::siren_problem(siren).is_none()
        {
            match officiel::get().epci(siren) {
                None => c.warning(
                    &format!("{here}.siren"),
                    format!("SIREN `{siren}` absent de la liste officielle des EPCI"),
                    "vérifiez le SIREN de l'intercommunalité (référentiel BANATIC)".to_string(),
                ),
                Some(e)
                    if e.nature != *nature
                        && !(e.nature.starts_with("MET") && nature == "METRO") =>
                {
                    c.warning(
                        &format!("{here}.nature"),
                        format!(
                            "nature `{nature}` alors que le SIREN {siren} est celui de « {} » ({})",
                            e.nom, e.nature
                        ),
                        format!("écrivez `nature: {}`", e.nature),
                    )
                }
                Some(_) => {}
            }
        }
    }
}

/// A signatory's nature as the fiche prints it: the sigle of an intercommunality, as the
/// ANCT's fiche writes it (`CC`, `POLEM`), else the label (« Département », never
/// `departement`).
fn nature(code: &str) -> String {
    let sigle = code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    match officiel::get()
        .vocabulary("natures_signataires")
        .lookup(code)
    {
        officiel::Lookup::Exact(t) if !sigle => t.libelle.clone(),
        _ => code.to_string(),
    }
}

fn membres(list: &Option<Vec<Signataire>>) -> Option<Vec<Membre>> {
    let show = |s: &Option<String>| view::ou_non_renseigne(s.clone());
    list.as_ref().map(|l| {
        l.iter()
            .map(|s| Membre {
                nom: show(&s.nom),
                nature: view::ou_non_renseigne(s.nature.as_deref().map(nature)),
                siren: show(&s.siren),
            })
            .collect()
    })
}
