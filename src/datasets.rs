//! Render stage: the open datasets under `output/donnees/` — one CSV row and one JSON object
//! per record, the whole collection as `crte.csv` / `crte.json`, and the Table Schema that
//! describes the CSV columns (so data.gouv.fr and `frictionless validate` can check it).
//!
//! CSV conventions (also in the README): UTF-8 without BOM, comma-separated, RFC 4180 quoting,
//! CRLF line ends; lists joined with ` | `; amounts as plain numbers in euros with a `.`
//! decimal point; yes/no answers as `oui`/`non`/`nc`; an empty cell means "not provided".
//! A text cell starting with `=`, `+`, `-`, `@` is prefixed with `'` so no spreadsheet runs it.

use serde::Serialize;
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
pub const CRTE_COLUMNS: &[(&str, &str, &str)] = &[
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

fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, OpError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CRTE_COLUMNS.iter().map(|c| c.0))
        .map_err(|e| OpError::new(format!("CSV : {e}")))?;
    for row in rows {
        w.write_record(&row)
            .map_err(|e| OpError::new(format!("CSV : {e}")))?;
    }
    w.into_inner()
        .map_err(|e| OpError::new(format!("CSV : {e}")))
}

/// The full record as published in JSON: id first, then the validated fields.
fn crte_json(e: &Entry<Crte>) -> serde_json::Value {
    let mut v = serde_json::to_value(&e.record).expect("records serialise");
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("identifiant".into(), e.id.clone().into());
    }
    v
}

/// Writes every dataset; returns what the data page lists.
pub fn write(catalog: &Catalog, out: &Output) -> Result<Vec<Jeu>, OpError> {
    let base = catalog.site.url_base();
    let mut all_rows = Vec::with_capacity(catalog.crte.len());
    let mut all_json = Vec::with_capacity(catalog.crte.len());
    for e in &catalog.crte {
        let row = crte_row(e, base);
        out.write(
            &format!("donnees/crte/{}.csv", e.id),
            &csv_bytes([row.clone()])?,
        )?;
        let json = crte_json(e);
        out.write(&format!("donnees/crte/{}.json", e.id), &pretty(&json))?;
        all_rows.push(row);
        all_json.push(json);
    }
    let csv = csv_bytes(all_rows)?;
    let json = pretty(&serde_json::Value::Array(all_json));
    let schema = pretty(&table_schema());
    out.write("donnees/crte.csv", &csv)?;
    out.write("donnees/crte.json", &json)?;
    out.write("donnees/crte.schema.json", &schema)?;
    let file = |titre: &str, url: &str, format: &str, bytes: &[u8]| Fichier {
        titre: titre.into(),
        url: url.into(),
        format: format.into(),
        taille: size(bytes.len()),
    };
    Ok(vec![Jeu {
        titre: "Contrats de relance et de transition écologique (CRTE)".into(),
        description: format!(
            "{} contrat{}, une ligne par contrat ; listes séparées par « | », montants en euros, cellule vide = non renseigné.",
            catalog.crte.len(),
            if catalog.crte.len() > 1 { "s" } else { "" }
        ),
        fichiers: vec![
            file("Tableau des CRTE", "crte.csv", "csv", &csv),
            file("Fiches complètes des CRTE", "crte.json", "json", &json),
            file(
                "Schéma des colonnes, au format Table Schema",
                "crte.schema.json",
                "json",
                &schema,
            ),
        ],
    }])
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

/// The Table Schema (frictionless) of `crte.csv`.
fn table_schema() -> serde_json::Value {
    let fields: Vec<serde_json::Value> = CRTE_COLUMNS
        .iter()
        .map(|(name, kind, description)| {
            let mut f = json!({ "name": name, "type": kind, "description": description });
            if *kind == "number" || *kind == "integer" {
                f["constraints"] = json!({ "minimum": 0 });
            }
            f
        })
        .collect();
    json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "crte",
        "title": "Contrats de relance et de transition écologique",
        "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte 2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
        "fields": fields,
        "primaryKey": ["identifiant"],
        "missingValues": [""],
    })
}
