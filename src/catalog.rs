//! The validated catalogue (built by the validate stage, read by every renderer): the site's
//! settings, the records of every kind, the legal pages. Never modified once built.
//!
//! Records are kept per kind as [`Collection`]s, in the order of [`crate::kinds::KINDS`]. A
//! renderer loops over the collections and asks each for its pages, fiches and tables without
//! naming a kind; a record kind that needs another kind's records (the CRTE of a département)
//! asks the catalogue for them by type.

use std::any::Any;
use std::path::PathBuf;

use serde_json::Value;

use crate::config::Config;
use crate::source::Page;
use crate::view::table::{Donnees, Schema};

/// Where each département's rows of every table are published: `<TERRITOIRES><code>/<table>.csv`.
pub const TERRITOIRES: &str = "donnees/territoires/";

/// A validated record with its id and where it came from.
#[derive(Debug)]
pub struct Entry<K> {
    pub id: String,
    /// The record's file as users see it: `content/crte/x.yaml`.
    pub source: String,
    /// When the record last changed, in seconds since 1970: its `mise_a_jour:`, else the last
    /// commit of its file; `None` outside git without the field (the publication's date then).
    pub date: Option<i64>,
    pub record: K,
}

/// What a record kind is called and where its files are, for every stage.
#[derive(Debug)]
pub struct Info {
    /// Folder under `content/`, in the site and under `donnees/`: `crte`.
    pub dossier: &'static str,
    /// Its entry in the menu and the breadcrumbs: `CRTE`.
    pub menu: &'static str,
    /// A record counted: (`acteur`, `acteurs`).
    pub unite: (&'static str, &'static str),
    /// Shown in the menu even when no record is published.
    pub toujours_au_menu: bool,
    /// Templates of the record page, the list page (HTML) and the PDF fiche (typst).
    pub gabarit_page: &'static str,
    pub gabarit_liste: &'static str,
    pub gabarit_pdf: &'static str,
    /// The template of the collection's PDF, for a kind that has one (`catalogue.typ`).
    pub gabarit_pdf_collection: Option<&'static str>,
    /// The key of the id in the published JSON (`identifiant`, `code`).
    pub cle_json: &'static str,
    /// The data page: title of the dataset and of its JSON file.
    pub titre_donnees: &'static str,
    pub titre_json: &'static str,
}

/// What the site's search knows of a page besides its title: the département it is about,
/// more words (a CRTE's signatories, an actor's acronym), codes (SIREN, INSEE) and the values of
/// its filters.
#[derive(Debug, Default, Clone)]
pub struct Recherche {
    /// Code INSEE of the page's département: its name, its région and the code are searched.
    pub departement: Option<String>,
    /// The page is its département's own page (territory page): the other pages of the
    /// département link to it.
    pub territoire: bool,
    pub mots: Vec<String>,
    pub codes: Vec<String>,
    /// Programmes de l'ANCT (a CRTE's).
    pub programmes: Vec<String>,
    /// Ingénierie types (an actor's), as labelled.
    pub types: Vec<String>,
}

/// A page of the site: its folder path (`crte/x/`), titles and the view its template gets.
#[derive(Debug)]
pub struct PageVue {
    pub chemin: String,
    /// When what the page shows last changed (seconds since 1970), if known: the record's date,
    /// the latest of a list's records.
    pub date: Option<i64>,
    /// For the search: `None` for a list page.
    pub recherche: Option<Recherche>,
    pub titre: String,
    pub description: String,
    pub vue: Value,
}

/// A PDF fiche to render: where it goes, its template, its title and the view it gets.
#[derive(Debug)]
pub struct FichePdf {
    /// Path in the output: `crte/x.pdf`.
    pub chemin: String,
    pub gabarit: &'static str,
    pub titre: String,
    pub vue: Value,
    /// The record's own files served to the template (an actor's logo: `/logos/x.png`).
    pub fichiers: Vec<(String, Vec<u8>)>,
    /// The file the fiche comes from, for messages.
    pub source: String,
    /// The département the fiche is about, if one: it decides the bloc-marque.
    pub departement: Option<String>,
    /// When what the fiche shows last changed (seconds since 1970): a record's date, else the
    /// publication's.
    pub date: Option<i64>,
}

/// The records of one kind, whatever the kind: what the renderers ask of it.
pub trait Collection: Any + Send + Sync {
    fn info(&self) -> &'static Info;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The id of record `i`.
    fn id(&self, i: usize) -> &str;
    /// Code INSEE of the département of record `i`, if it has one.
    fn departement(&self, i: usize) -> Option<&str>;

    /// What the kind shows on the home page: its counts, and whatever the kind adds (the map).
    fn accueil(&self, catalog: &Catalog) -> Value;
    /// The list page (`crte/`).
    fn liste(&self, catalog: &Catalog) -> PageVue;
    /// The record pages, in order (usually one per record).
    fn pages(&self, catalog: &Catalog) -> Vec<PageVue>;
    /// Files the pages link to besides the views (an actor's logo), by path in the output.
    fn fichiers_site(&self) -> Vec<(String, &[u8])>;

    /// The PDF fiche of record `i`.
    fn fiche(&self, i: usize, catalog: &Catalog) -> FichePdf;
    /// A PDF of the whole collection (the ingénierie catalogue), if the kind has one.
    fn fiche_collection(&self, catalog: &Catalog) -> Option<FichePdf>;

    /// The kind's tables with every record's rows; the first is the main table.
    fn tables(&self, url_base: &str) -> Vec<Donnees>;
    /// The tables' schemas alone, without their rows.
    fn schemas(&self) -> Vec<Schema>;
    /// Every table restricted to record `i`, the main table first.
    fn tables_de(&self, i: usize, url_base: &str) -> Vec<Donnees>;
    /// Record `i` as published in JSON.
    fn json(&self, i: usize) -> Value;
    /// Record `i`'s published JSON file, with its metadata (`Catalog::json_publie`): the bytes
    /// of `donnees/<dossier>/<id>.json` and of the file its PDF carries.
    fn json_publie(&self, i: usize, catalog: &Catalog) -> Vec<u8>;
    /// The dataset's description on the data page.
    fn description_donnees(&self) -> String;

    fn as_any(&self) -> &dyn Any;
}

/// Everything a build publishes, validated.
pub struct Catalog {
    pub config: Config,
    /// The records, one collection per kind, in the order of [`crate::kinds::KINDS`].
    pub collections: Vec<Box<dyn Collection>>,
    /// The markdown pages of `content/pages/`.
    pub pages: Vec<Page>,
    /// Publisher-provided static files under `content/static/`: (relative path, file).
    pub static_files: Vec<(String, PathBuf)>,
    /// The publication's date in Unix seconds (see `date_de_publication` in `main.rs`), printed
    /// as « mis à jour le »; `None` when nothing is published (`check`).
    pub date: Option<i64>,
}

impl Catalog {
    /// A published JSON file: what it holds (`fiches`: the records of a kind; `fiche`: one
    /// record) and what a reuser must know of it — title, licence, publisher, date, where it
    /// comes from, and the JSON Schema of the YAML records it is made from (the published
    /// record adds its id and what the build computes, `calcule`).
    pub fn json_publie(
        &self,
        dossier: &str,
        titre: &str,
        cle: &str,
        contenu: serde_json::Value,
    ) -> serde_json::Value {
        let vue = self.vue_site();
        let base = self.config.url_base();
        let mut out = serde_json::json!({
            "titre": titre,
            "licence": {
                "id": "etalab-2.0",
                "nom": "Licence Ouverte 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
            "editeur": vue.editeur.nom,
            "source": format!("{base}{dossier}/"),
            "schema_source": format!("{base}schemas/{dossier}.schema.json"),
        });
        if let Some(date) = vue.mis_a_jour {
            out["date"] = date.iso.into();
        }
        out[cle] = contenu;
        out
    }

    /// The site's view, with the publication's date: what every page and fiche reads as `site`.
    pub fn vue_site(&self) -> crate::config::SiteVue {
        let mut vue = self.config.vue();
        vue.mis_a_jour = self.date.map(crate::config::DateVue::from_unix);
        vue
    }

    /// How many records of every kind.
    pub fn records(&self) -> usize {
        self.collections.iter().map(|c| c.len()).sum()
    }

    /// The records of kind `K` (none when the kind is not listed).
    pub fn entries<K: 'static>(&self) -> &[Entry<K>] {
        self.collections
            .iter()
            .find_map(|c| c.as_any().downcast_ref::<Vec<Entry<K>>>())
            .map_or(&[], Vec::as_slice)
    }

    /// The collection of kind `K`.
    fn collection<K: 'static>(&self) -> Option<&dyn Collection> {
        self.collections
            .iter()
            .find(|c| c.as_any().is::<Vec<Entry<K>>>())
            .map(|c| c.as_ref())
    }

    /// The records of kind `K` in département `code` (the CRTE of a département, its COT plans).
    pub fn in_departement<'a, K: 'static>(
        &'a self,
        code: &'a str,
    ) -> impl Iterator<Item = &'a Entry<K>> + 'a {
        let collection = self.collection::<K>();
        self.entries::<K>()
            .iter()
            .enumerate()
            .filter(move |(i, _)| collection.is_some_and(|c| c.departement(*i) == Some(code)))
            .map(|(_, e)| e)
    }
}
