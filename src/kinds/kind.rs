//! The shape every record kind shares: the [`Kind`] trait a kind's module implements, and
//! what turns it into a [`Collection`] the renderers loop over without naming it.
//!
//! A kind says where its files are ([`Info`]), how a record is identified and checked, its
//! département, the view its page and its PDF receive (built here, in Rust: labels, French
//! formatting, « Non renseigné » already decided), its list page and its tables. Every method
//! without a default must be written, so a kind cannot forget its view or its tables.

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::catalog::{Catalog, Collection, Entry, FichePdf, Info, PageVue, Recherche};
use crate::check::Checker;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{Source, decode::decode_partial};
use crate::view::table::{Contexte, Donnees, Schema, TableDe};

/// Titles of a record's page and PDF, from its view.
pub struct EnTete {
    pub titre: String,
    /// The page's meta description.
    pub description: String,
    /// The PDF's document title.
    pub titre_pdf: String,
}

/// One record kind. See `ARCHITECTURE.md`, « Adding a fifth kind ».
pub trait Kind:
    DeserializeOwned + Serialize + schemars::JsonSchema + Send + Sync + Sized + 'static
{
    /// Folder, labels and templates.
    const INFO: &'static Info;
    /// What the record's page and its PDF template receive as `vue`.
    type Vue: Serialize;

    /// The id the record gives itself and the field that holds it; `None`: the file name.
    fn id(&self) -> Option<(String, &'static str)>;
    /// Checks the record, reporting at the line of each value, and normalises it in place
    /// (vocabulary terms, phone numbers). `c.source` is the record's file.
    fn check(&mut self, c: &mut Checker);
    /// The record's `mise_a_jour:`, as written (checked as a date by every kind).
    fn mise_a_jour(&self) -> Option<&str>;
    /// Code INSEE of the record's département.
    fn departement(&self) -> Option<&str>;
    /// The record's title, in lists and links.
    fn titre(&self) -> String;
    /// The view of one record, links relative to the site root.
    fn vue(e: &Entry<Self>, catalog: &Catalog) -> Self::Vue;
    fn en_tete(vue: &Self::Vue) -> EnTete;
    /// The list page (`<dossier>/`): its title, description and view.
    fn liste(catalog: &Catalog) -> PageVue;
    /// The tables the kind publishes; the first has one row per record.
    fn tables() -> Vec<Box<dyn TableDe<Self>>>;
    /// The dataset's description on the data page, for `n` records.
    fn description_donnees(n: usize) -> String;

    /// The record pages: one per record; a kind may publish others (every département has
    /// its page, with or without a fiche). (id, view).
    fn pages(catalog: &Catalog) -> Vec<(String, Self::Vue)> {
        catalog
            .entries::<Self>()
            .iter()
            .map(|e| (e.id.clone(), Self::vue(e, catalog)))
            .collect()
    }
    /// What the search knows of the page `id` of the kind (`e`: its record, when it has one)
    /// besides its title: by default the record's département.
    fn recherche(_id: &str, e: Option<&Entry<Self>>) -> Recherche {
        Recherche {
            departement: e.and_then(|e| e.record.departement().map(str::to_string)),
            ..Recherche::default()
        }
    }
    /// What the kind adds to the home page besides its counts.
    fn accueil(_catalog: &Catalog) -> Value {
        Value::Null
    }
    /// Files of the record served to its PDF template: (virtual path, bytes).
    fn fichiers_pdf(_e: &Entry<Self>) -> Vec<(String, Vec<u8>)> {
        Vec::new()
    }
    /// Files of the record the site publishes next to its page: (path in the output, bytes).
    fn fichiers_site(_e: &Entry<Self>) -> Vec<(String, &[u8])> {
        Vec::new()
    }
    /// A PDF of the whole collection, if the kind has one.
    fn fiche_collection(_catalog: &Catalog) -> Option<FichePdf> {
        None
    }
    /// The id the record is published under in JSON (`INFO.cle_json`): its id.
    fn id_publie(e: &Entry<Self>) -> String {
        e.id.clone()
    }
    /// The values the build computes, published in JSON next to the record as `calcule`.
    fn calcule(&self) -> Option<Value> {
        None
    }
    /// The record as published in JSON: as written, with its id and what the build computes.
    fn json(e: &Entry<Self>) -> Value {
        let mut v = serde_json::to_value(&e.record).expect("records serialise");
        if let Value::Object(m) = &mut v {
            m.insert(Self::INFO.cle_json.into(), Self::id_publie(e).into());
            if let Some(calcule) = e.record.calcule() {
                m.insert("calcule".into(), calcule);
            }
        }
        v
    }
}

fn value(v: impl Serialize) -> Value {
    serde_json::to_value(v).expect("views serialise")
}

impl<K: Kind> Collection for Vec<Entry<K>> {
    fn info(&self) -> &'static Info {
        K::INFO
    }

    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn id(&self, i: usize) -> &str {
        &self[i].id
    }

    fn departement(&self, i: usize) -> Option<&str> {
        self[i].record.departement()
    }

    fn accueil(&self, catalog: &Catalog) -> Value {
        let mut departements: Vec<&str> =
            self.iter().filter_map(|e| e.record.departement()).collect();
        departements.sort_unstable();
        departements.dedup();
        json!({
            "nombre": self.len(),
            "departements": departements.len(),
            "details": K::accueil(catalog),
        })
    }

    fn liste(&self, catalog: &Catalog) -> PageVue {
        PageVue {
            date: self.iter().filter_map(|e| e.date).max(),
            ..K::liste(catalog)
        }
    }

    fn pages(&self, catalog: &Catalog) -> Vec<PageVue> {
        let entries: std::collections::HashMap<&str, &Entry<K>> =
            self.iter().map(|e| (e.id.as_str(), e)).collect();
        K::pages(catalog)
            .into_iter()
            .map(|(id, vue)| {
                let t = K::en_tete(&vue);
                let e = entries.get(id.as_str()).copied();
                PageVue {
                    // A record's page has a date (its own, else the publication's); another
                    // page has none.
                    date: e.and_then(|e| e.date.or(catalog.date)),
                    recherche: Some(K::recherche(&id, e)),
                    chemin: format!("{}/{id}/", K::INFO.dossier),
                    titre: t.titre,
                    description: t.description,
                    vue: value(vue),
                }
            })
            .collect()
    }

    fn fichiers_site(&self) -> Vec<(String, &[u8])> {
        self.iter().flat_map(K::fichiers_site).collect()
    }

    fn fiche(&self, i: usize, catalog: &Catalog) -> FichePdf {
        let e = &self[i];
        let vue = K::vue(e, catalog);
        let mut fichiers = K::fichiers_pdf(e);
        // The record's published JSON, which the PDF carries as an attached file.
        fichiers.push((format!("/{}.json", e.id), self.json_publie(i, catalog)));
        FichePdf {
            chemin: format!("{}/{}.pdf", K::INFO.dossier, e.id),
            gabarit: K::INFO.gabarit_pdf,
            titre: K::en_tete(&vue).titre_pdf,
            vue: value(vue),
            fichiers,
            source: e.source.clone(),
            departement: e.record.departement().map(str::to_string),
            date: e.date.or(catalog.date),
        }
    }

    fn fiche_collection(&self, catalog: &Catalog) -> Option<FichePdf> {
        K::fiche_collection(catalog)
    }

    fn schemas(&self) -> Vec<Schema> {
        K::tables().iter().map(|t| t.schema()).collect()
    }

    fn tables(&self, url_base: &str) -> Vec<Donnees> {
        K::tables()
            .iter()
            .map(|t| Donnees {
                schema: t.schema(),
                lignes: self
                    .iter()
                    .flat_map(|e| t.cellules(&contexte(e, url_base)))
                    .collect(),
            })
            .collect()
    }

    fn tables_de(&self, i: usize, url_base: &str) -> Vec<Donnees> {
        K::tables()
            .iter()
            .map(|t| Donnees {
                schema: t.schema(),
                lignes: t.cellules(&contexte(&self[i], url_base)),
            })
            .collect()
    }

    fn json(&self, i: usize) -> Value {
        K::json(&self[i])
    }

    fn json_publie(&self, i: usize, catalog: &Catalog) -> Vec<u8> {
        let e = &self[i];
        let v = catalog.json_publie(K::INFO.dossier, &e.record.titre(), "fiche", K::json(e));
        crate::view::json_publie(&v)
    }

    fn description_donnees(&self) -> String {
        K::description_donnees(self.len())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn contexte<'a, K: Kind>(e: &'a Entry<K>, url_base: &'a str) -> Contexte<'a, K> {
    Contexte {
        id: &e.id,
        record: &e.record,
        url_base,
        dossier: K::INFO.dossier,
    }
}

/// A record kind in the list of kinds: loads its records into a [`Collection`].
pub trait Genre: Sync {
    fn info(&self) -> &'static Info;
    /// Decodes, checks and identifies every file of the kind's folder; ids must be unique.
    fn charger(&self, sources: &[Source], diags: &mut Vec<Diagnostic>) -> Box<dyn Collection>;
    /// The JSON Schema of a record file, for editors.
    fn schema_json(&self) -> Value;
}

/// The [`Genre`] of kind `K`: `&Genre::<Crte>::new()` in the list of kinds.
pub struct De<K>(std::marker::PhantomData<fn() -> K>);

impl<K> De<K> {
    pub const fn new() -> Self {
        De(std::marker::PhantomData)
    }
}

impl<K> Default for De<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Kind> Genre for De<K> {
    fn info(&self) -> &'static Info {
        K::INFO
    }

    fn charger(&self, sources: &[Source], diags: &mut Vec<Diagnostic>) -> Box<dyn Collection> {
        Box::new(load::<K>(sources, diags))
    }

    fn schema_json(&self) -> Value {
        crate::source::schema::schema_de::<K>(&format!(
            "Fiche {} (content/{}/<identifiant>.yaml)",
            K::INFO.unite.0,
            K::INFO.dossier
        ))
    }
}

/// Longest id accepted: ids become folder and file names.
const MAX_ID_LEN: usize = 80;

/// Names the tool gives its own files in a kind's folder (`crte/index.html`,
/// `ingenierie/catalogue.pdf`): a record of that id would take their place.
pub const RESERVED_IDS: &[&str] = &["index", "catalogue"];

/// Decodes and checks one file. A record with decoding problems is still checked, so that one
/// run lists every problem of the file; the checks' findings on a field that could not be
/// decoded are dropped (they would be about its placeholder), and the record is kept only if
/// it decoded cleanly.
pub fn decode_and_check<T: DeserializeOwned>(
    source: &Source,
    diags: &mut Vec<Diagnostic>,
    check: impl Fn(&mut T, &mut Checker),
) -> Option<T> {
    let (record, problems) = decode_partial::<T>(&source.display, &source.text, &source.root);
    let mut record = record?;
    let mut checker = Checker::new(source);
    check(&mut record, &mut checker);
    let clean = problems.is_empty();
    let findings: Vec<Diagnostic> = checker
        .out
        .into_iter()
        .filter(|d| !problems.iter().any(|p| same_field(&p.field, &d.field)))
        .collect();
    diags.extend(problems);
    diags.extend(findings);
    clean.then_some(record)
}

/// Whether two field paths name the same value, or one holds the other
/// (`signataires[2]` and `signataires[2].siren`).
fn same_field(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // The empty path is the whole record (a file that is not a section).
    short.is_empty()
        || long
            .strip_prefix(short)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Decodes, checks and identifies every record of kind `K`, in parallel; ids must be unique.
fn load<K: Kind>(sources: &[Source], diags: &mut Vec<Diagnostic>) -> Vec<Entry<K>> {
    let results: Vec<(Vec<Diagnostic>, Option<Entry<K>>)> = sources
        .par_iter()
        .map(|source| {
            let mut local = Vec::new();
            let check = |record: &mut K, c: &mut Checker| {
                K::check(record, c);
                c.date("mise_a_jour", &record.mise_a_jour().map(str::to_string));
            };
            let entry = decode_and_check(source, &mut local, check)
                .and_then(|record| identify(source, record, &mut local));
            (local, entry)
        })
        .collect();
    let mut entries: Vec<Entry<K>> = Vec::with_capacity(results.len());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (mut local, entry) in results {
        diags.append(&mut local);
        let Some(entry) = entry else { continue };
        if let Some(&first) = seen.get(&entry.id) {
            diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    &entry.source,
                    format!("identifiant `{}` déjà utilisé", entry.id),
                )
                .with_hint(format!(
                    "`{}` a le même identifiant : renommez l'un des deux fichiers",
                    entries[first].source
                )),
            );
            continue;
        }
        seen.insert(entry.id.clone(), entries.len());
        entries.push(entry);
    }
    entries
}

/// The record's id (its own, or its file name), if it can name a folder of the site.
fn identify<K: Kind>(source: &Source, record: K, diags: &mut Vec<Diagnostic>) -> Option<Entry<K>> {
    let (id, path) = record.id().unwrap_or_else(|| (source.stem.clone(), ""));
    if let Some(problem) = id_problem(&id) {
        let d = if path.is_empty() {
            Diagnostic::file_level(
                Severity::Error,
                &source.display,
                format!("nom de fichier inutilisable comme identifiant : {problem}"),
            )
        } else {
            let node = source.root.closest(path);
            Diagnostic::at(
                Severity::Error,
                &source.display,
                &source.text,
                node.pos,
                node.width,
                format!("identifiant invalide : {problem}"),
            )
            .with_field(path)
        };
        let hint = if RESERVED_IDS.contains(&id.as_str()) {
            format!(
                "choisissez un autre nom, par exemple `{id}-{}` : `{}` sont réservés",
                K::INFO.dossier,
                RESERVED_IDS.join("`, `")
            )
        } else {
            format!(
                "un identifiant n'a que des minuscules sans accent, des chiffres et des tirets, par exemple `{}`",
                suggest_id(&id)
            )
        };
        diags.push(d.with_hint(hint));
        return None;
    }
    // The date the record gives itself, else its file's last commit.
    let date = record
        .mise_a_jour()
        .and_then(crate::view::format::Date::parse_iso)
        .map(|d| d.unix())
        .or(source.date);
    Some(Entry {
        id,
        source: source.display.clone(),
        date,
        record,
    })
}

/// Why `id` cannot name a folder of the site, if it cannot.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("il est vide".to_string());
    }
    if id.chars().count() > MAX_ID_LEN {
        return Some(format!("plus de {MAX_ID_LEN} caractères"));
    }
    if id.contains("..") || id.contains('/') || id.contains('\\') {
        return Some(format!("`{id}` sortirait de son dossier"));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || id.starts_with('-')
        || id.ends_with('-')
    {
        return Some(format!("`{id}` contient des caractères non permis"));
    }
    if RESERVED_IDS.contains(&id) {
        return Some(format!(
            "`{id}` est réservé aux fichiers que territoires publie lui-même"
        ));
    }
    None
}

fn suggest_id(id: &str) -> String {
    let folded: String = id
        .chars()
        .map(|c| {
            let f = crate::officiel::fold(&c.to_string());
            if f.is_empty() { "-".to_string() } else { f }
        })
        .collect();
    let parts: Vec<&str> = folded.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "crte-lozere".to_string()
    } else {
        parts.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_holds_its_parts() {
        assert!(same_field("signataires[2]", "signataires[2].siren"));
        assert!(same_field("montants.depenses", "montants.depenses"));
        assert!(same_field("", "departement"));
        assert!(!same_field("signataires[2]", "signataires[20]"));
        assert!(!same_field(
            "informations_generales.email",
            "informations_generales.date"
        ));
    }

    #[test]
    fn ids_cannot_escape() {
        assert_eq!(id_problem("lozere-terres-de-vie"), None);
        assert_eq!(
            id_problem("../../etc").unwrap(),
            "`../../etc` sortirait de son dossier"
        );
        assert!(id_problem("Lozère").is_some());
        assert_eq!(suggest_id("Lozère Terres de Vie"), "lozere-terres-de-vie");
    }
}
