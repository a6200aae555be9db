//! Render stage: the open datasets under `output/donnees/` — one CSV row and one JSON object
//! per record, the whole collection as `crte.csv` / `crte.json`, and the Table Schema that
//! describes the CSV columns (so data.gouv.fr and `frictionless validate` can check it).
//!
//! CSV conventions (also in the README): UTF-8 without BOM, comma-separated, RFC 4180 quoting,
//! CRLF line ends; lists joined with ` | `; amounts as plain numbers in euros with a `.`
//! decimal point; yes/no answers as `oui`/`non`/`nc`; an empty cell means "not provided".
//! A text cell starting with `=`, `+`, `-`, `@` is prefixed with `'` so no spreadsheet runs it.

use serde::Serialize;

use crate::departement::Departement;
use serde_json::json;

use crate::OpError;
use crate::catalog::{Catalog, Entry};
use crate::crte::{Crte, MONTANTS, Reponse};
use crate::output::Output;

/// Separator of the values of a list inside one CSV cell.
pub const LIST_SEPARATOR: &str = " | ";

/// A dataset as the data page lists it.
#[derive(Debug, Serialize)]
pub struct Jeu {
    pub titre: String,
    pub description: String,
    pub fichiers: Vec<Fichier>,
}

#[derive(Debug, Serialize)]
pub struct Fichier {
    pub titre: String,
    /// Relative to the data page (`donnees/`).
    pub url: String,
    pub format: String,
    pub taille: String,
}

/// Column name, Table Schema type, description — in file order. Never reorder: users' scripts
/// read columns by position too. New columns go at the end.
pub const CRTE_COLUMNS: &[Column] = &[
    (
        "identifiant",
        "string",
        "Identifiant de la fiche sur le site",
    ),
    ("nom", "string", "Nom du contrat"),
    ("departement", "string", "Code INSEE du département"),
    ("departement_nom", "string", "Nom du département"),
    ("email_contact", "string", "Email de contact"),
    ("date_signature", "date", "Date de signature du CRTE"),
    (
        "nature_juridique_structure_porteuse",
        "string",
        "Nature juridique de la structure porteuse",
    ),
    (
        "nom_structure_porteuse",
        "string",
        "Nom de la structure porteuse",
    ),
    (
        "date_signature_protocole_prefiguration",
        "date",
        "Si protocole de préfiguration : date de signature",
    ),
    ("nombre_signataires", "integer", "Nombre de signataires"),
    (
        "signataires",
        "string",
        "Noms des signataires (séparés par « | »)",
    ),
    (
        "signataires_siren",
        "string",
        "SIREN des signataires, dans le même ordre (vide si non renseigné)",
    ),
    (
        "documents_strategiques",
        "string",
        "Documents stratégiques et plans-programmes préexistants",
    ),
    ("contrats", "string", "Contrats figurant dans le CRTE"),
    ("programmes_anct", "string", "Programmes de l'ANCT intégrés"),
    (
        "orientations_strategiques",
        "string",
        "Orientations stratégiques, axes, ambitions, volets, objectifs",
    ),
    (
        "diagnostic_initial",
        "string",
        "Réalisation d'un diagnostic initial du territoire (oui, non, nc)",
    ),
    (
        "mise_a_jour_projet_de_territoire",
        "string",
        "Mise à jour du projet de territoire avec l'élaboration du CRTE (oui, non, nc)",
    ),
    (
        "domaines_action_publique",
        "string",
        "Domaines d'action publique couverts",
    ),
    (
        "nombre_fiches_action",
        "integer",
        "Nombre de fiches action (opération prête à démarrer)",
    ),
    (
        "nombre_fiches_projet",
        "integer",
        "Nombre de fiches projet (opération à travailler)",
    ),
    ("composition_copil", "string", "Composition du COPIL"),
    (
        "instances_partenariat",
        "string",
        "Instances de partenariat mobilisées ou créées",
    ),
    (
        "frequence_reunion_copil",
        "integer",
        "Fréquence prévisionnelle annuelle de réunion du COPIL",
    ),
    (
        "frequence_reunion_comite_technique",
        "integer",
        "Fréquence prévisionnelle annuelle de réunion du comité technique",
    ),
    (
        "partenaires_socio_economiques",
        "string",
        "Partenaires socio-économiques",
    ),
    (
        "demarches_co_construction",
        "string",
        "Démarches de co-construction du CRTE",
    ),
    (
        "cooperation_interterritoriale",
        "string",
        "Existence d'un volet de coopération interterritoriale (oui, non, nc)",
    ),
    (
        "domaines_cooperation_interterritoriale",
        "string",
        "Domaines d'action publique de la coopération interterritoriale",
    ),
    (
        "indicateurs_de_suivi",
        "string",
        "Définition d'indicateurs de suivi des objectifs opérationnels (oui, non, nc)",
    ),
    (
        "etat_des_lieux_ecologique",
        "string",
        "État des lieux écologique à l'aune des 13 indicateurs du socle national (oui, non, nc)",
    ),
    (
        "grille_analyse_ex_ante",
        "string",
        "Recours à la grille d'analyse ex-ante des actions (oui, non, nc)",
    ),
    (
        "recrutement_chef_de_projet",
        "string",
        "Recrutement d'un chef de projet / chargé de mission dédié (oui, non, nc)",
    ),
    (
        "recrutement_volontaire_territorial",
        "string",
        "Recrutement d'un volontaire territorial en administration (oui, non, nc)",
    ),
    ("ingenierie_locale", "string", "Ingénierie locale mobilisée"),
    (
        "ingenierie_externe",
        "string",
        "Ingénierie externe mobilisée",
    ),
    (
        "maquette_financiere",
        "string",
        "Existence d'une maquette financière annexée au jour de la signature (oui, non, nc)",
    ),
    (
        "depenses_fonctionnement",
        "number",
        "Montant total prévisionnel des actions en dépenses de fonctionnement (euros)",
    ),
    (
        "depenses_investissement",
        "number",
        "Montant total prévisionnel des actions en dépenses d'investissement (euros)",
    ),
    (
        "engagements_collectivites",
        "number",
        "Engagements financiers des collectivités locales et leurs établissements publics (euros)",
    ),
    (
        "engagements_etat_plan_relance",
        "number",
        "Engagements financiers de l'État et de ses opérateurs, plan de relance (euros)",
    ),
    (
        "engagements_etat_hors_plan_relance",
        "number",
        "Engagements financiers de l'État et de ses opérateurs hors plan de relance (euros)",
    ),
    (
        "cofinancements_europeens",
        "number",
        "Cofinancements européens prévisionnels (euros)",
    ),
    (
        "cofinancements_prives",
        "number",
        "Cofinancements privés prévisionnels (euros)",
    ),
    (
        "engagements_banque_des_territoires",
        "number",
        "Engagements financiers de la Banque des territoires (euros)",
    ),
    ("url_fiche", "string", "Adresse de la fiche sur le site"),
    ("url_pdf", "string", "Adresse de la fiche PDF"),
];

fn text(v: &Option<String>) -> String {
    v.as_deref().map(neutralise).unwrap_or_default()
}

/// Keeps spreadsheet software from reading a text cell as a formula.
fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn list(v: &Option<Vec<String>>) -> String {
    v.as_ref()
        .map(|l| {
            l.iter()
                .map(|s| neutralise(s))
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR)
        })
        .unwrap_or_default()
}

fn answer(v: Option<Reponse>) -> String {
    v.map(|r| r.code().to_string()).unwrap_or_default()
}

fn count<T: ToString>(v: Option<T>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// A number as data: `40890000`, `40.5` — never an exponent, never a French comma.
fn amount(v: Option<f64>) -> String {
    v.map(|x| {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    })
    .unwrap_or_default()
}

/// The CSV row of one CRTE, in [`CRTE_COLUMNS`] order.
fn crte_row(e: &Entry<Crte>, base: &str) -> Vec<String> {
    let r = &e.record;
    let ig = r.informations_generales.clone().unwrap_or_default();
    let st = r.strategie.clone().unwrap_or_default();
    let pa = r.plan_action.clone().unwrap_or_default();
    let ge = r.gouvernance_evaluation.clone().unwrap_or_default();
    let inf = r.ingenierie_financement.clone().unwrap_or_default();
    let departement_nom = r
        .departement
        .as_deref()
        .and_then(|c| crate::referentiel::get().departement(c))
        .map(|d| d.nom.clone());
    let names = |l: &Option<Vec<crate::crte::Signataire>>| {
        l.as_ref().map(|l| {
            l.iter()
                .map(|s| s.nom.clone().unwrap_or_default())
                .collect::<Vec<_>>()
        })
    };
    let sirens = r
        .signataires
        .as_ref()
        .map(|l| {
            l.iter()
                .map(|s| s.siren.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR)
        })
        .unwrap_or_default();
    let mut row = vec![
        e.id.clone(),
        text(&r.nom),
        text(&r.departement),
        text(&departement_nom),
        text(&ig.email_contact),
        text(&ig.date_signature),
        text(&ig.nature_juridique_structure_porteuse),
        text(&ig.nom_structure_porteuse),
        text(&ig.date_signature_protocole_prefiguration),
        count(r.signataires.as_ref().map(Vec::len)),
        list(&names(&r.signataires)),
        sirens,
        list(&st.documents_strategiques),
        list(&st.contrats),
        list(&st.programmes_anct),
        list(&st.orientations_strategiques),
        answer(st.diagnostic_initial),
        answer(st.mise_a_jour_projet_de_territoire),
        list(&pa.domaines_action_publique),
        count(pa.nombre_fiches_action),
        count(pa.nombre_fiches_projet),
        list(&names(&ge.composition_copil)),
        list(&ge.instances_partenariat),
        count(ge.frequence_reunion_copil),
        count(ge.frequence_reunion_comite_technique),
        list(&ge.partenaires_socio_economiques),
        list(&ge.demarches_co_construction),
        answer(ge.cooperation_interterritoriale),
        list(&ge.domaines_cooperation_interterritoriale),
        answer(ge.indicateurs_de_suivi),
        answer(ge.etat_des_lieux_ecologique),
        answer(ge.grille_analyse_ex_ante),
        answer(inf.recrutement_chef_de_projet),
        answer(inf.recrutement_volontaire_territorial),
        list(&inf.ingenierie_locale),
        list(&inf.ingenierie_externe),
        answer(inf.maquette_financiere),
    ];
    row.extend(r.montants().values().into_iter().map(amount));
    row.push(format!("{base}crte/{}/", e.id));
    row.push(format!("{base}crte/{}.pdf", e.id));
    debug_assert_eq!(row.len(), CRTE_COLUMNS.len());
    debug_assert_eq!(MONTANTS.len(), 8);
    row
}

/// Column name, Table Schema type, description.
pub type Column = (&'static str, &'static str, &'static str);

fn csv_bytes(
    columns: &[Column],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, OpError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(columns.iter().map(|c| c.0))
        .map_err(|e| OpError::new(format!("CSV : {e}")))?;
    for row in rows {
        debug_assert_eq!(row.len(), columns.len());
        w.write_record(&row)
            .map_err(|e| OpError::new(format!("CSV : {e}")))?;
    }
    w.into_inner()
        .map_err(|e| OpError::new(format!("CSV : {e}")))
}

/// One published table: its CSV, its Table Schema, and how the data page names it.
struct Table<'a> {
    name: &'a str,
    title: &'a str,
    columns: &'a [Column],
    primary_key: &'a [&'a str],
    rows: Vec<Vec<String>>,
}

fn file(titre: &str, url: &str, format: &str, bytes: &[u8]) -> Fichier {
    Fichier {
        titre: titre.into(),
        url: url.into(),
        format: format.into(),
        taille: size(bytes.len()),
    }
}

/// Writes `donnees/<name>.csv` and its schema; returns the two files for the data page.
fn write_table(out: &Output, t: Table) -> Result<Vec<Fichier>, OpError> {
    let csv = csv_bytes(t.columns, t.rows)?;
    let schema = pretty(&table_schema(t.name, t.title, t.columns, t.primary_key));
    out.write(&format!("donnees/{}.csv", t.name), &csv)?;
    out.write(&format!("donnees/{}.schema.json", t.name), &schema)?;
    Ok(vec![
        file(t.title, &format!("{}.csv", t.name), "csv", &csv),
        file(
            &format!(
                "Schéma des colonnes de « {} », au format Table Schema",
                t.title
            ),
            &format!("{}.schema.json", t.name),
            "json",
            &schema,
        ),
    ])
}

/// The full record as published in JSON, with its id.
fn with_id<T: Serialize>(record: &T, key: &str, id: &str) -> serde_json::Value {
    let mut v = serde_json::to_value(record).expect("records serialise");
    if let serde_json::Value::Object(m) = &mut v {
        m.insert(key.into(), id.into());
    }
    v
}

/// Writes every dataset; returns what the data page lists.
pub fn write(catalog: &Catalog, out: &Output) -> Result<Vec<Jeu>, OpError> {
    let base = catalog.site.url_base();
    let mut jeux = Vec::new();

    let mut all_rows = Vec::with_capacity(catalog.crte.len());
    let mut all_json = Vec::with_capacity(catalog.crte.len());
    for e in &catalog.crte {
        let row = crte_row(e, base);
        out.write(
            &format!("donnees/crte/{}.csv", e.id),
            &csv_bytes(CRTE_COLUMNS, [row.clone()])?,
        )?;
        let json = with_id(&e.record, "identifiant", &e.id);
        out.write(&format!("donnees/crte/{}.json", e.id), &pretty(&json))?;
        all_rows.push(row);
        all_json.push(json);
    }
    let json = pretty(&serde_json::Value::Array(all_json));
    out.write("donnees/crte.json", &json)?;
    let mut fichiers = write_table(
        out,
        Table {
            name: "crte",
            title: "Tableau des CRTE",
            columns: CRTE_COLUMNS,
            primary_key: &["identifiant"],
            rows: all_rows,
        },
    )?;
    fichiers.insert(
        1,
        file("Fiches complètes des CRTE", "crte.json", "json", &json),
    );
    jeux.push(Jeu {
        titre: "Contrats de relance et de transition écologique (CRTE)".into(),
        description: format!(
            "{} contrat{}, une ligne par contrat ; listes séparées par « | », montants en euros, cellule vide = non renseigné.",
            catalog.crte.len(),
            if catalog.crte.len() > 1 { "s" } else { "" }
        ),
        fichiers,
    });

    if !catalog.departements.is_empty() {
        jeux.push(departements(catalog, out, base)?);
    }
    if !catalog.ingenierie.is_empty() {
        jeux.push(ingenierie(catalog, out, base)?);
    }
    if !catalog.cot.is_empty() {
        jeux.push(cot(catalog, out, base)?);
    }
    Ok(jeux)
}

fn pretty(v: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

/// `12 ko`, `1,2 Mo`.
fn size(bytes: usize) -> String {
    let kb = bytes as f64 / 1000.0;
    if kb < 1000.0 {
        format!(
            "{}{}ko",
            crate::format::number(kb.ceil()),
            crate::format::NBSP
        )
    } else {
        format!(
            "{}{}Mo",
            crate::format::number((kb / 100.0).round() / 10.0),
            crate::format::NBSP
        )
    }
}

/// The Table Schema (frictionless) of a CSV file.
fn table_schema(
    name: &str,
    title: &str,
    columns: &[Column],
    primary_key: &[&str],
) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = columns
        .iter()
        .map(|(name, kind, description)| {
            let mut f = json!({ "name": name, "type": kind, "description": description });
            if *kind == "number" || *kind == "integer" {
                f["constraints"] = json!({ "minimum": 0 });
            }
            f
        })
        .collect();
    let mut schema = json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": name,
        "title": title,
        "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte 2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
        "fields": fields,
        "missingValues": [""],
    });
    if !primary_key.is_empty() {
        schema["primaryKey"] = json!(primary_key);
    }
    schema
}

/// Headline figures of each fiche territoriale, one row per département.
pub const DEPARTEMENT_COLUMNS: &[Column] = &[
    ("code", "string", "Code INSEE du département"),
    ("nom", "string", "Nom du département"),
    ("region", "string", "Code INSEE de la région"),
    ("region_nom", "string", "Nom de la région"),
    (
        "france_services",
        "integer",
        "Nombre d'espaces France Services",
    ),
    (
        "acv_communes",
        "integer",
        "Action cœur de ville : nombre de communes bénéficiaires",
    ),
    (
        "acv_engagements",
        "number",
        "Action cœur de ville : engagements cumulés (euros)",
    ),
    (
        "pvd_villes",
        "integer",
        "Petites villes de demain : nombre de villes bénéficiaires",
    ),
    (
        "pvd_epci",
        "integer",
        "Petites villes de demain : nombre d'EPCI",
    ),
    (
        "territoires_industrie_montant",
        "number",
        "Territoires d'industrie : aide octroyée (euros)",
    ),
    (
        "contrats_ruralite",
        "integer",
        "Nombre de contrats de ruralité",
    ),
    (
        "communes_zrr",
        "integer",
        "Communes classées en zone de revitalisation rurale",
    ),
    ("communes_total", "integer", "Nombre total de communes"),
    (
        "part_communes_zrr",
        "number",
        "Part des communes en ZRR (%)",
    ),
    ("massif", "string", "Massif de montagne"),
    (
        "agents_commissariat_massif",
        "integer",
        "Agents du commissariat de massif",
    ),
    (
        "fnadt_plan_relance",
        "number",
        "Enveloppe FNADT du plan de relance (euros)",
    ),
    (
        "dcc_zones_departement",
        "integer",
        "Couverture ciblée : zones prioritaires identifiées dans le département",
    ),
    (
        "dcc_zones_region",
        "integer",
        "Couverture ciblée : zones prioritaires identifiées dans la région",
    ),
    (
        "dcc_en_service_departement",
        "integer",
        "Couverture ciblée : sites mis en service dans le département",
    ),
    (
        "dcc_en_service_region",
        "integer",
        "Couverture ciblée : sites mis en service dans la région",
    ),
    (
        "4g_fixe_sites_departement",
        "integer",
        "4G fixe : sites identifiés dans le département",
    ),
    (
        "4g_fixe_sites_region",
        "integer",
        "4G fixe : sites identifiés dans la région",
    ),
    (
        "4g_fixe_en_service_departement",
        "integer",
        "4G fixe : sites mis en service dans le département",
    ),
    (
        "4g_fixe_en_service_region",
        "integer",
        "4G fixe : sites mis en service dans la région",
    ),
    (
        "ftth_locaux_a_deployer",
        "number",
        "FttH : total des locaux à déployer",
    ),
    (
        "ftth_locaux_raccordables",
        "number",
        "FttH : locaux raccordables à date",
    ),
    (
        "ftth_part_raccordables",
        "number",
        "FttH : part des locaux raccordables (%)",
    ),
    (
        "rip_financement_etat",
        "number",
        "Financement par l'État du réseau d'initiative publique (euros)",
    ),
    (
        "fabriques_numeriques",
        "integer",
        "Fabriques numériques dans le département",
    ),
    (
        "conseillers_numeriques_structures",
        "integer",
        "Structures d'accueil de conseillers numériques",
    ),
    (
        "conseillers_numeriques",
        "integer",
        "Conseillers numériques",
    ),
    ("pass_numeriques", "integer", "Pass numériques déployés"),
    (
        "pass_numeriques_montant",
        "number",
        "Montant des pass numériques (euros)",
    ),
    ("crte", "integer", "Nombre de CRTE nommés par la fiche"),
    (
        "accompagnements_sur_mesure",
        "integer",
        "Projets accompagnés sur mesure par l'ANCT",
    ),
    ("url_fiche", "string", "Adresse de la fiche sur le site"),
    ("url_pdf", "string", "Adresse de la fiche PDF"),
];

pub const FTTH_COLUMNS: &[Column] = &[
    ("departement", "string", "Code INSEE du département"),
    ("zone", "string", "Zone de déploiement (AMII, RIP…)"),
    (
        "locaux_a_deployer",
        "number",
        "Total des locaux à déployer en FttH",
    ),
    (
        "part_locaux_a_deployer",
        "number",
        "Part des locaux du département (%)",
    ),
    (
        "locaux_raccordables",
        "number",
        "Locaux raccordables en FttH à date",
    ),
    (
        "part_raccordables",
        "number",
        "Part des locaux de la zone raccordables (%)",
    ),
    ("source", "string", "Source des chiffres"),
    ("date_source", "date", "Date de publication de la source"),
];

pub const ACCOMPAGNEMENT_COLUMNS: &[Column] = &[
    ("departement", "string", "Code INSEE du département"),
    ("porteur", "string", "Porteur du projet"),
    ("nature_projet", "string", "Nature du projet"),
    ("nom_projet", "string", "Nom du projet"),
    (
        "nature_accompagnement",
        "string",
        "Nature de l'accompagnement",
    ),
];

/// A share in % as data: one decimal at most.
fn pct(v: Option<f64>) -> String {
    amount(v.map(|x| (x * 10.0).round() / 10.0))
}

fn departement_row(code: &str, d: &Departement, base: &str) -> Vec<String> {
    let r = crate::referentiel::get();
    let region = r.departement(code).map(|x| x.region.clone());
    let region_nom = region
        .as_deref()
        .and_then(|c| r.region(c))
        .map(|x| x.nom.clone());
    let len = |l: &Option<Vec<String>>| l.as_ref().map(|l| l.len() as u32);
    let fs = d.france_services.clone().unwrap_or_default();
    let acv = d.action_coeur_de_ville.clone().unwrap_or_default();
    let pvd = d.petites_villes_de_demain.clone().unwrap_or_default();
    let ti = d.territoires_d_industrie.clone().unwrap_or_default();
    let rur = d.ruralite.clone().unwrap_or_default();
    let mon = d.montagne.clone().unwrap_or_default();
    let num = d.numerique.clone().unwrap_or_default();
    let fm = num.france_mobile.clone().unwrap_or_default();
    let dcc = fm.couverture_ciblee.clone().unwrap_or_default();
    let g4 = fm.quatre_g_fixe.clone().unwrap_or_default();
    let thd = num.france_tres_haut_debit.clone().unwrap_or_default();
    let ftth = d.ftth();
    let fab = num.fabriques_numeriques.clone().unwrap_or_default();
    let cn = num.conseillers_numeriques.clone().unwrap_or_default();
    let pass = num.pass_numeriques.clone().unwrap_or_default();
    let id = code.to_lowercase();
    vec![
        code.to_string(),
        d.nom(),
        text(&region),
        text(&region_nom),
        count(len(&fs.espaces).or(fs.nombre)),
        count(len(&acv.communes).or(acv.nombre_communes)),
        amount(acv.engagements),
        count(len(&pvd.villes).or(pvd.nombre_villes)),
        count(pvd.nombre_epci),
        amount(ti.montant),
        count(len(&rur.contrats_de_ruralite).or(rur.nombre_contrats)),
        count(rur.communes_zrr),
        count(rur.communes_total),
        pct(rur
            .communes_zrr
            .zip(rur.communes_total)
            .and_then(|(z, t)| crate::departement::share(f64::from(z), f64::from(t)))),
        text(&mon.massif),
        count(mon.agents_commissariat),
        amount(mon.fnadt),
        count(dcc.identifies_departement),
        count(dcc.identifies_region),
        count(dcc.mis_en_service_departement),
        count(dcc.mis_en_service_region),
        count(g4.identifies_departement),
        count(g4.identifies_region),
        count(g4.mis_en_service_departement),
        count(g4.mis_en_service_region),
        amount(ftth.as_ref().map(|f| f.total_locaux_a_deployer)),
        amount(ftth.as_ref().map(|f| f.total_locaux_raccordables)),
        pct(ftth.as_ref().and_then(|f| f.part_raccordables_total)),
        amount(thd.financement_etat_rip),
        count(len(&fab.laureats).or(fab.nombre)),
        count(cn.structures_accueil),
        count(cn.conseillers),
        count(pass.nombre),
        amount(pass.montant),
        count(d.crte.as_ref().and_then(|c| len(&c.contrats).or(c.nombre))),
        count(
            d.accompagnement_sur_mesure
                .as_ref()
                .and_then(|a| a.projets.as_ref().map(|p| p.len() as u32).or(a.nombre)),
        ),
        format!("{base}departements/{id}/"),
        format!("{base}departements/{id}.pdf"),
    ]
}

/// The fiches territoriales: headline figures, FttH zones, accompagnements, full JSON.
fn departements(catalog: &Catalog, out: &Output, base: &str) -> Result<Jeu, OpError> {
    let mut rows = Vec::new();
    let mut ftth_rows = Vec::new();
    let mut accompagnement_rows = Vec::new();
    let mut all_json = Vec::new();
    for e in &catalog.departements {
        let code = e.record.code.clone().unwrap_or_else(|| e.id.clone());
        let row = departement_row(&code, &e.record, base);
        out.write(
            &format!("donnees/departements/{}.csv", e.id),
            &csv_bytes(DEPARTEMENT_COLUMNS, [row.clone()])?,
        )?;
        let json = with_id(&e.record, "code", &code);
        out.write(
            &format!("donnees/departements/{}.json", e.id),
            &pretty(&json),
        )?;
        rows.push(row);
        all_json.push(json);
        let thd = e
            .record
            .numerique
            .as_ref()
            .and_then(|n| n.france_tres_haut_debit.clone())
            .unwrap_or_default();
        let source = thd.source.clone().unwrap_or_default();
        for l in e.record.ftth().map(|f| f.lignes).unwrap_or_default() {
            ftth_rows.push(vec![
                code.clone(),
                neutralise(&l.zone),
                amount(Some(l.locaux_a_deployer)),
                pct(l.part_locaux_a_deployer),
                amount(Some(l.locaux_raccordables)),
                pct(l.part_raccordables),
                text(&source.libelle),
                text(&source.date),
            ]);
        }
        for p in e
            .record
            .accompagnement_sur_mesure
            .iter()
            .flat_map(|a| a.projets.iter().flatten())
        {
            accompagnement_rows.push(vec![
                code.clone(),
                text(&p.porteur),
                text(&p.nature_projet),
                text(&p.nom_projet),
                text(&p.nature_accompagnement),
            ]);
        }
    }
    let json = pretty(&serde_json::Value::Array(all_json));
    out.write("donnees/departements.json", &json)?;
    let mut fichiers = write_table(
        out,
        Table {
            name: "departements",
            title: "Chiffres clés des fiches territoriales",
            columns: DEPARTEMENT_COLUMNS,
            primary_key: &["code"],
            rows,
        },
    )?;
    fichiers.push(file(
        "Fiches territoriales complètes",
        "departements.json",
        "json",
        &json,
    ));
    fichiers.extend(write_table(
        out,
        Table {
            name: "departements-ftth",
            title: "Déploiement de la fibre (FttH) par zone",
            columns: FTTH_COLUMNS,
            primary_key: &["departement", "zone"],
            rows: ftth_rows,
        },
    )?);
    fichiers.extend(write_table(
        out,
        Table {
            name: "departements-accompagnements",
            title: "Accompagnements sur mesure de l'ANCT",
            columns: ACCOMPAGNEMENT_COLUMNS,
            primary_key: &[],
            rows: accompagnement_rows,
        },
    )?);
    let n = catalog.departements.len();
    Ok(Jeu {
        titre: "Fiches territoriales des départements".into(),
        description: format!(
            "{n} fiche{} : une ligne par département avec les chiffres clés des programmes de l'ANCT, une ligne par zone de déploiement de la fibre, une ligne par accompagnement sur mesure ; cellule vide = non renseigné.",
            if n > 1 { "s" } else { "" }
        ),
        fichiers,
    })
}

/// One row per actor of the ingénierie catalogue; the seven types are columns (empty: not
/// offered; `oui`: offered without description; otherwise the description).
pub const INGENIERIE_COLUMNS: &[Column] = &[
    (
        "identifiant",
        "string",
        "Identifiant de l'acteur sur le site",
    ),
    (
        "departement",
        "string",
        "Code INSEE du département du catalogue",
    ),
    ("nom", "string", "Nom de l'acteur"),
    ("sigle", "string", "Sigle"),
    ("categorie", "string", "Catégorie d'acteur"),
    (
        "domaines",
        "string",
        "Domaines de compétences (séparés par « | »)",
    ),
    (
        "ingenierie_amont",
        "string",
        "Ingénierie amont : description, « oui » si proposée sans précision, vide si non proposée",
    ),
    (
        "ingenierie_projet",
        "string",
        "Ingénierie projet (même convention)",
    ),
    (
        "ingenierie_administrative",
        "string",
        "Ingénierie administrative (même convention)",
    ),
    (
        "ingenierie_reglementaire",
        "string",
        "Ingénierie réglementaire et juridique (même convention)",
    ),
    (
        "ingenierie_fonciere",
        "string",
        "Ingénierie foncière (même convention)",
    ),
    (
        "ingenierie_financiere",
        "string",
        "Ingénierie financière (même convention)",
    ),
    (
        "ingenierie_concertation",
        "string",
        "Ingénierie concertation (même convention)",
    ),
    ("public", "string", "Public concerné"),
    ("gratuit", "string", "Accompagnement gratuit (oui, non, nc)"),
    (
        "prise_en_charge",
        "number",
        "Part du coût prise en charge (%)",
    ),
    (
        "plafond_reste_a_charge",
        "number",
        "Plafond du reste à charge (euros TTC)",
    ),
    ("cout", "string", "Coût, en clair"),
    ("territoire", "string", "Territoire couvert"),
    ("saisine_email", "string", "Adresse de saisine"),
    (
        "saisine_formulaire",
        "string",
        "Formulaire de saisine en ligne",
    ),
    (
        "guichet_unique",
        "string",
        "Saisine par l'adresse unique du département (oui, non, nc)",
    ),
    ("nombre_sites", "integer", "Nombre de sites de contact"),
    ("url_fiche", "string", "Adresse de la fiche sur le site"),
];

pub const CONTACT_COLUMNS: &[Column] = &[
    ("acteur", "string", "Identifiant de l'acteur"),
    ("rang", "integer", "Rang du site dans la fiche"),
    ("nom", "string", "Nom du site"),
    ("adresse", "string", "Adresse (lignes séparées par « | »)"),
    ("telephone", "string", "Téléphone"),
    ("fax", "string", "Fax"),
    ("email", "string", "Adresse électronique"),
    ("site_web", "string", "Site web"),
];

fn ingenierie_row(e: &Entry<crate::ingenierie::Acteur>, base: &str) -> Vec<String> {
    let a = &e.record;
    let cout = a.cout.clone().unwrap_or_default();
    let saisine = a.saisine.clone().unwrap_or_default();
    let offered = a.offered();
    let mut row = vec![
        e.id.clone(),
        text(&a.departement),
        text(&a.nom),
        text(&a.sigle),
        text(&a.categorie_term().map(|t| t.libelle.clone())),
        list(&a.domaines),
    ];
    for (key, _) in crate::ingenierie::TYPES {
        row.push(match offered.iter().find(|(k, _, _)| *k == key) {
            Some((_, _, Some(d))) => neutralise(d),
            Some((_, _, None)) => "oui".to_string(),
            None => String::new(),
        });
    }
    row.extend([
        list(&a.public),
        answer(cout.gratuit),
        amount(cout.prise_en_charge),
        amount(cout.plafond_reste_a_charge),
        text(&cout.texte),
        text(&a.territoire),
        text(&saisine.email),
        text(&saisine.formulaire),
        answer(saisine.guichet_unique),
        count(a.contacts.as_ref().map(Vec::len)),
        format!("{base}ingenierie/{}/", e.id),
    ]);
    row
}

/// The ingénierie catalogue: one row per actor, one row per contact site, full JSON.
fn ingenierie(catalog: &Catalog, out: &Output, base: &str) -> Result<Jeu, OpError> {
    let mut rows = Vec::new();
    let mut contacts = Vec::new();
    let mut all_json = Vec::new();
    for e in &catalog.ingenierie {
        rows.push(ingenierie_row(e, base));
        let json = with_id(&e.record, "identifiant", &e.id);
        out.write(&format!("donnees/ingenierie/{}.json", e.id), &pretty(&json))?;
        all_json.push(json);
        for (i, s) in e.record.contacts.iter().flatten().enumerate() {
            contacts.push(vec![
                e.id.clone(),
                (i + 1).to_string(),
                text(&s.nom),
                list(&s.adresse),
                text(&s.telephone),
                text(&s.fax),
                text(&s.email),
                text(&s.site_web),
            ]);
        }
    }
    let json = pretty(&serde_json::Value::Array(all_json));
    out.write("donnees/ingenierie.json", &json)?;
    let mut fichiers = write_table(
        out,
        Table {
            name: "ingenierie",
            title: "Acteurs de l'ingénierie locale",
            columns: INGENIERIE_COLUMNS,
            primary_key: &["identifiant"],
            rows,
        },
    )?;
    fichiers.push(file(
        "Fiches acteurs complètes",
        "ingenierie.json",
        "json",
        &json,
    ));
    fichiers.extend(write_table(
        out,
        Table {
            name: "ingenierie-contacts",
            title: "Sites de contact des acteurs de l'ingénierie locale",
            columns: CONTACT_COLUMNS,
            primary_key: &["acteur", "rang"],
            rows: contacts,
        },
    )?);
    let n = catalog.ingenierie.len();
    Ok(Jeu {
        titre: "Catalogue de l'ingénierie locale".into(),
        description: format!(
            "{n} acteur{} : une ligne par acteur avec les sept types d'ingénierie en colonnes (vide : non proposé ; « oui » : proposé sans précision), une ligne par site de contact.",
            if n > 1 { "s" } else { "" }
        ),
        fichiers,
    })
}

/// One row per COT plan: the collectivité, the scores and stars of the two référentiels (with
/// the computed target scores and star levels), and counts.
pub const COT_COLUMNS: &[Column] = &[
    ("identifiant", "string", "Identifiant du plan sur le site"),
    ("titre", "string", "Titre du contrat"),
    ("collectivite", "string", "Nom de la collectivité"),
    ("sigle", "string", "Sigle de la collectivité"),
    ("siren", "string", "SIREN de la collectivité"),
    ("departement", "string", "Code INSEE du département"),
    ("periode_debut", "integer", "Première année du contrat"),
    ("periode_fin", "integer", "Dernière année du contrat"),
    ("phase_en_cours", "integer", "Numéro de la phase en cours"),
    (
        "cae_score",
        "number",
        "Climat-Air-Énergie : score réalisé à l'audit initial (%)",
    ),
    (
        "cae_etoiles",
        "integer",
        "Climat-Air-Énergie : étoiles obtenues à l'audit initial",
    ),
    (
        "cae_etoiles_permises",
        "integer",
        "Climat-Air-Énergie : étoiles que le score permet (seuils de l'ADEME : 0, 35, 50, 65, 75 %)",
    ),
    (
        "cae_progression",
        "number",
        "Climat-Air-Énergie : progression visée (points de %)",
    ),
    (
        "cae_score_vise",
        "number",
        "Climat-Air-Énergie : score visé au terme du contrat, calculé (score + progression, %)",
    ),
    (
        "eci_score",
        "number",
        "Économie circulaire : score réalisé à l'audit initial (%)",
    ),
    (
        "eci_etoiles",
        "integer",
        "Économie circulaire : étoiles obtenues à l'audit initial",
    ),
    (
        "eci_etoiles_permises",
        "integer",
        "Économie circulaire : étoiles que le score permet (seuils de l'ADEME : 0, 35, 50, 65, 75 %)",
    ),
    (
        "eci_progression",
        "number",
        "Économie circulaire : progression visée (points de %)",
    ),
    (
        "eci_score_vise",
        "number",
        "Économie circulaire : score visé au terme du contrat, calculé (score + progression, %)",
    ),
    (
        "objectifs_regionaux_obligatoires",
        "integer",
        "Nombre d'objectifs régionaux obligatoires",
    ),
    (
        "objectifs_regionaux_retenus",
        "integer",
        "Nombre d'objectifs régionaux retenus (au choix)",
    ),
    (
        "orientations",
        "integer",
        "Nombre d'orientations stratégiques",
    ),
    ("actions", "integer", "Nombre d'actions des orientations"),
    (
        "versements",
        "number",
        "Total des versements prévus au calendrier (euros)",
    ),
    ("url_fiche", "string", "Adresse de la page du plan"),
    ("url_pdf", "string", "Adresse du plan en PDF"),
];

/// One row per line of a référentiel table: the axes, each followed by its lines.
pub const COT_REFERENTIEL_COLUMNS: &[Column] = &[
    ("plan", "string", "Identifiant du plan"),
    (
        "referentiel",
        "string",
        "Référentiel : cae (Climat-Air-Énergie) ou eci (Économie circulaire)",
    ),
    (
        "rang",
        "integer",
        "Rang de la ligne dans le tableau du référentiel",
    ),
    (
        "niveau",
        "string",
        "axe, ou ligne (sous-axe ou orientation de l'axe)",
    ),
    (
        "code",
        "string",
        "Code de la ligne dans le référentiel, quand le plan l'indique",
    ),
    (
        "axe",
        "string",
        "Intitulé de l'axe de la ligne (vide pour un axe)",
    ),
    ("libelle", "string", "Intitulé"),
    ("points_restants", "number", "Points restants"),
    ("realise", "number", "Part réalisée (%)"),
    ("programme", "number", "Part programmée (%)"),
];

fn cot_row(e: &Entry<crate::cot::Cot>, base: &str) -> Vec<String> {
    let r = &e.record;
    let col = r.collectivite.clone().unwrap_or_default();
    let periode = r.periode.clone().unwrap_or_default();
    let obj = r.objectifs_regionaux.clone().unwrap_or_default();
    let mut row = vec![
        e.id.clone(),
        neutralise(&r.titre()),
        text(&col.nom),
        text(&col.sigle),
        text(&col.siren),
        text(&col.departement),
        count(periode.debut),
        count(periode.fin),
        count(r.phase_en_cours),
    ];
    for referentiel in [&r.cae, &r.eci] {
        let s = referentiel.as_ref().map(|x| x.scores()).unwrap_or_default();
        row.extend([
            amount(s.score),
            count(s.etoiles),
            count(s.etoiles_permises),
            amount(s.progression),
            amount(s.score_vise),
        ]);
    }
    let versements: Vec<f64> = r
        .calendrier
        .iter()
        .flatten()
        .flat_map(|p| p.etapes.iter().flatten())
        .filter_map(|e| e.versement)
        .collect();
    row.extend([
        count(obj.obligatoires.as_ref().map(Vec::len)),
        count(obj.retenus.as_ref().map(Vec::len)),
        count(r.orientations.as_ref().map(Vec::len)),
        count(r.orientations.as_ref().map(|list| {
            list.iter()
                .map(|o| o.actions.as_ref().map_or(0, Vec::len))
                .sum::<usize>()
        })),
        amount((!versements.is_empty()).then(|| versements.iter().sum())),
        format!("{base}cot/{}/", e.id),
        format!("{base}cot/{}.pdf", e.id),
    ]);
    debug_assert_eq!(row.len(), COT_COLUMNS.len());
    row
}

/// The COT plans: one row per plan, one row per référentiel line, full JSON with the
/// computed scores.
fn cot(catalog: &Catalog, out: &Output, base: &str) -> Result<Jeu, OpError> {
    let mut rows = Vec::new();
    let mut lignes = Vec::new();
    let mut all_json = Vec::new();
    for e in &catalog.cot {
        rows.push(cot_row(e, base));
        let mut json = with_id(&e.record, "identifiant", &e.id);
        let mut calcule = serde_json::Map::new();
        for (key, _, r) in e.record.referentiels() {
            let s = r.scores();
            calcule.insert(
                key.into(),
                json!({
                    "score_vise": s.score_vise,
                    "etoiles_permises": s.etoiles_permises,
                    "etoiles_visees_permises": s.etoiles_visees_permises,
                }),
            );
        }
        json["calcule"] = serde_json::Value::Object(calcule);
        out.write(&format!("donnees/cot/{}.json", e.id), &pretty(&json))?;
        all_json.push(json);
        for (key, _, r) in e.record.referentiels() {
            let mut rang = 0;
            for axe in r.axes.iter().flatten() {
                rang += 1;
                lignes.push(vec![
                    e.id.clone(),
                    key.to_string(),
                    rang.to_string(),
                    "axe".into(),
                    text(&axe.code),
                    String::new(),
                    text(&axe.libelle),
                    amount(axe.points_restants),
                    amount(axe.realise),
                    amount(axe.programme),
                ]);
                for l in axe.lignes.iter().flatten() {
                    rang += 1;
                    lignes.push(vec![
                        e.id.clone(),
                        key.to_string(),
                        rang.to_string(),
                        "ligne".into(),
                        text(&l.code),
                        text(&axe.libelle),
                        text(&l.libelle),
                        amount(l.points_restants),
                        amount(l.realise),
                        amount(l.programme),
                    ]);
                }
            }
        }
    }
    let json = pretty(&serde_json::Value::Array(all_json));
    out.write("donnees/cot.json", &json)?;
    let mut fichiers = write_table(
        out,
        Table {
            name: "cot",
            title: "Contrats d'objectif territorial : scores et objectifs",
            columns: COT_COLUMNS,
            primary_key: &["identifiant"],
            rows,
        },
    )?;
    fichiers.push(file(
        "Plans complets, avec les scores calculés",
        "cot.json",
        "json",
        &json,
    ));
    fichiers.extend(write_table(
        out,
        Table {
            name: "cot-referentiel",
            title: "Tableaux des référentiels Climat-Air-Énergie et Économie circulaire",
            columns: COT_REFERENTIEL_COLUMNS,
            primary_key: &["plan", "referentiel", "rang"],
            rows: lignes,
        },
    )?);
    let n = catalog.cot.len();
    Ok(Jeu {
        titre: "Contrats d'objectif territorial (COT)".into(),
        description: format!(
            "{} : une ligne par plan (scores, étoiles, scores visés calculés), une ligne par axe et par ligne des tableaux des référentiels ; pourcentages en nombres (23.3 pour 23,3 %).",
            crate::diagnostics::plural(n, "plan", "plans")
        ),
        fichiers,
    })
}
