//! Tables as data (below the record kinds and the renderers). A record kind declares each table
//! it publishes next to its model: typed columns, each with its description, its constraints
//! and the function that gives its cell. The CSV, the Table Schema — and every later encoder —
//! read the same declaration, so a column cannot be in one and missing from another.

use crate::model::Reponse;

/// The type of a column, as data: it decides the Table Schema type and how a cell is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Texte,
    /// Several texts in one cell, joined by [`LIST_SEPARATOR`] in a CSV.
    Liste,
    Entier,
    Nombre,
    /// An ISO date (`2021-12-29`).
    Date,
    /// `oui`, `non` or `nc`.
    Reponse,
}

impl Type {
    /// The Table Schema type (frictionless).
    pub fn schema(self) -> &'static str {
        match self {
            Type::Texte | Type::Liste | Type::Reponse => "string",
            Type::Entier => "integer",
            Type::Nombre => "number",
            Type::Date => "date",
        }
    }
}

/// Separator of the values of a list inside one cell.
pub const LIST_SEPARATOR: &str = " | ";

/// One value of a table, typed. `Vide` means « non renseigné ».
#[derive(Clone, Debug, PartialEq)]
pub enum Cellule {
    Vide,
    Texte(String),
    Liste(Vec<String>),
    Entier(i64),
    Nombre(f64),
    Date(String),
    Reponse(Reponse),
}

impl Cellule {
    pub fn texte(v: &Option<String>) -> Cellule {
        v.as_ref()
            .map_or(Cellule::Vide, |s| Cellule::Texte(s.clone()))
    }

    pub fn liste(v: &Option<Vec<String>>) -> Cellule {
        v.as_ref()
            .map_or(Cellule::Vide, |l| Cellule::Liste(l.clone()))
    }

    pub fn entier<N: Into<i64>>(v: Option<N>) -> Cellule {
        v.map_or(Cellule::Vide, |n| Cellule::Entier(n.into()))
    }

    /// A count of items (`usize`), as an integer cell.
    pub fn nombre_de(v: Option<usize>) -> Cellule {
        v.map_or(Cellule::Vide, |n| {
            Cellule::Entier(i64::try_from(n).unwrap_or(i64::MAX))
        })
    }

    pub fn nombre(v: Option<f64>) -> Cellule {
        v.map_or(Cellule::Vide, Cellule::Nombre)
    }

    /// A share in %, with one decimal at most.
    pub fn pourcentage(v: Option<f64>) -> Cellule {
        Cellule::nombre(v.map(|x| (x * 10.0).round() / 10.0))
    }

    pub fn date(v: &Option<String>) -> Cellule {
        v.as_ref()
            .map_or(Cellule::Vide, |s| Cellule::Date(s.clone()))
    }

    pub fn reponse(v: Option<Reponse>) -> Cellule {
        v.map_or(Cellule::Vide, Cellule::Reponse)
    }
}

/// What a column's values must satisfy, published in the Table Schema: a reuser's validator
/// (and the test suite's) checks every row against it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contraintes {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// A regular expression the whole value matches (`^\d{9}$` for a SIREN).
    pub motif: Option<&'static str>,
    /// The only values allowed: a controlled vocabulary, `oui`/`non`/`nc`.
    pub valeurs: Option<Vec<String>>,
    /// Table Schema `format` of a string: `email`, `uri`.
    pub format: Option<&'static str>,
}

/// A SIREN: nine digits.
pub const MOTIF_SIREN: &str = "^\\d{9}$";
/// A département's INSEE code: `01`–`95`, `2A`, `2B`, `971`–`976`.
pub const MOTIF_DEPARTEMENT: &str = "^(0[1-9]|[1-8]\\d|9[0-5]|2[AB]|97[1-6])$";

/// A column as the schema describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Colonne {
    pub nom: &'static str,
    pub type_: Type,
    pub description: &'static str,
    pub contraintes: Contraintes,
}

/// What a cell function sees: the record, its id and the site's address.
pub struct Contexte<'a, K> {
    pub id: &'a str,
    pub record: &'a K,
    /// The site's absolute address, ending with `/`.
    pub url_base: &'a str,
    /// The kind's folder (`crte`): where the record's page and PDF are.
    pub dossier: &'a str,
}

impl<K> Contexte<'_, K> {
    /// The absolute address of the record's page.
    pub fn url_page(&self) -> Cellule {
        Cellule::Texte(format!("{}{}/{}/", self.url_base, self.dossier, self.id))
    }

    /// The absolute address of the record's PDF.
    pub fn url_pdf(&self) -> Cellule {
        Cellule::Texte(format!("{}{}/{}.pdf", self.url_base, self.dossier, self.id))
    }

    pub fn identifiant(&self) -> Cellule {
        Cellule::Texte(self.id.to_string())
    }
}

/// A column of a table whose rows are `T`s derived from records `K`.
pub struct ColonneDe<K, T> {
    pub colonne: Colonne,
    pub valeur: fn(&Contexte<K>, &T) -> Cellule,
}

/// A column with the constraints its type implies (figures are never negative).
pub fn colonne<K, T>(
    nom: &'static str,
    type_: Type,
    description: &'static str,
    valeur: fn(&Contexte<K>, &T) -> Cellule,
) -> ColonneDe<K, T> {
    let minimum = matches!(type_, Type::Entier | Type::Nombre).then_some(0.0);
    let valeurs = (type_ == Type::Reponse).then(|| {
        [Reponse::Oui, Reponse::Non, Reponse::Nc]
            .iter()
            .map(|r| r.code().to_string())
            .collect()
    });
    ColonneDe {
        colonne: Colonne {
            nom,
            type_,
            description,
            contraintes: Contraintes {
                minimum,
                valeurs,
                ..Contraintes::default()
            },
        },
        valeur,
    }
}

impl<K, T> ColonneDe<K, T> {
    /// Values match `motif` ([`MOTIF_SIREN`], [`MOTIF_DEPARTEMENT`]).
    pub fn motif(mut self, motif: &'static str) -> Self {
        self.colonne.contraintes.motif = Some(motif);
        self
    }

    /// Values are among `valeurs` (a vocabulary).
    pub fn valeurs(mut self, valeurs: Vec<String>) -> Self {
        self.colonne.contraintes.valeurs = Some(valeurs);
        self
    }

    /// Values are e-mail addresses.
    pub fn email(mut self) -> Self {
        self.colonne.contraintes.format = Some("email");
        self
    }

    /// Values are addresses on the web.
    pub fn uri(mut self) -> Self {
        self.colonne.contraintes.format = Some("uri");
        self
    }

    /// A share in %: 0 to 100.
    pub fn pourcentage(mut self) -> Self {
        self.colonne.contraintes.maximum = Some(100.0);
        self
    }
}

/// The rows of a kind's main table: one per record, read from the record itself.
pub fn une_ligne<K>(_: &K) -> Vec<()> {
    vec![()]
}

/// A reference from columns of one table to the key of another (`departements-ftth.departement`
/// → `departements.code`): published as a Table Schema `foreignKeys`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CleEtrangere {
    pub colonnes: &'static [&'static str],
    /// The other table's name (`departements`).
    pub table: &'static str,
    pub vers: &'static [&'static str],
}

/// A table as its encoders see it: file name, title, key, columns.
#[derive(Clone, Debug)]
pub struct Schema {
    /// File name under `donnees/`, without extension: `crte`, `departements-ftth`.
    pub nom: &'static str,
    pub titre: &'static str,
    pub cle_primaire: &'static [&'static str],
    pub cles_etrangeres: &'static [CleEtrangere],
    pub colonnes: Vec<Colonne>,
}

/// A table a record kind publishes: which rows each record gives, and its columns.
pub struct Table<K: 'static, T: 'static = ()> {
    pub nom: &'static str,
    pub titre: &'static str,
    pub cle_primaire: &'static [&'static str],
    pub cles_etrangeres: &'static [CleEtrangere],
    /// The rows of one record: [`une_ligne`] for the kind's main table.
    pub lignes: fn(&K) -> Vec<T>,
    pub colonnes: Vec<ColonneDe<K, T>>,
}

/// A table of records `K`, whatever its row type.
pub trait TableDe<K>: Send + Sync {
    fn schema(&self) -> Schema;
    /// The cells of the rows one record gives, in column order.
    fn cellules(&self, c: &Contexte<K>) -> Vec<Vec<Cellule>>;
}

impl<K: Send + Sync, T> TableDe<K> for Table<K, T> {
    fn schema(&self) -> Schema {
        Schema {
            nom: self.nom,
            titre: self.titre,
            cle_primaire: self.cle_primaire,
            cles_etrangeres: self.cles_etrangeres,
            colonnes: self.colonnes.iter().map(|c| c.colonne.clone()).collect(),
        }
    }

    fn cellules(&self, c: &Contexte<K>) -> Vec<Vec<Cellule>> {
        (self.lignes)(c.record)
            .iter()
            .map(|row| {
                self.colonnes
                    .iter()
                    .map(|col| (col.valeur)(c, row))
                    .collect()
            })
            .collect()
    }
}

/// A table with its rows, ready to encode.
#[derive(Clone, Debug)]
pub struct Donnees {
    pub schema: Schema,
    pub lignes: Vec<Vec<Cellule>>,
}
