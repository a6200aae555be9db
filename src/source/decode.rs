//! Parse stage, part 2: node tree → typed record, through serde, without stopping at the
//! first problem.
//!
//! The record types are plain `#[derive(Deserialize)]` structs. This deserializer walks the
//! positioned tree and, instead of failing, *records* each problem (unknown key with a "did you
//! mean", wrong shape, bad number, value outside a closed list) with its file, line, column and
//! field path, then hands serde a placeholder so decoding continues. A record decodes cleanly
//! only when no problem was recorded.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::yaml::{Node, NodeKind};
use crate::diagnostics::{Diagnostic, Severity, did_you_mean};

/// Decodes `root` into `T`, returning the value only if no problem was found.
pub fn decode<T: DeserializeOwned>(
    file: &str,
    text: &str,
    root: &Node,
) -> Result<T, Vec<Diagnostic>> {
    let (value, problems) = decode_partial(file, text, root);
    match value {
        Some(value) if problems.is_empty() => Ok(value),
        _ => Err(problems),
    }
}

/// Decodes `root` into `T` and returns every problem found. The value is there even when
/// problems were (each faulty field holds a placeholder), so that the record's checks can
/// still run on its other fields and one run lists every problem of the file; it is absent
/// only when serde could not build the record at all.
pub fn decode_partial<T: DeserializeOwned>(
    file: &str,
    text: &str,
    root: &Node,
) -> (Option<T>, Vec<Diagnostic>) {
    let sink = Sink {
        file,
        text,
        problems: RefCell::new(Vec::new()),
    };
    let result = T::deserialize(NodeDe {
        node: root,
        path: String::new(),
        sink: &sink,
    });
    let mut problems = sink.problems.into_inner();
    match result {
        Ok(value) => (Some(value), problems),
        Err(e) => {
            // A problem serde could not step over (should not happen with our record types):
            // keep it, positioned where it was raised.
            let path = e.at.unwrap_or_default();
            let node = root.closest(&path);
            problems.push(
                Diagnostic::at(Severity::Error, file, text, node.pos, node.width, e.message)
                    .with_field(path),
            );
            (None, problems)
        }
    }
}

struct Sink<'a> {
    file: &'a str,
    text: &'a str,
    problems: RefCell<Vec<Diagnostic>>,
}

impl Sink<'_> {
    fn report(&self, node: &Node, path: &str, message: String, hint: Option<String>) {
        let mut d = Diagnostic::at(
            Severity::Error,
            self.file,
            self.text,
            node.pos,
            node.width,
            message,
        )
        .with_field(path);
        d.hint = hint;
        self.problems.borrow_mut().push(d);
    }
}

/// An error serde itself raised (e.g. a custom `Deserialize` impl), with where it happened.
#[derive(Debug)]
pub struct Error {
    message: String,
    at: Option<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            at: None,
        }
    }
}

struct NodeDe<'n, 's> {
    node: &'n Node,
    path: String,
    sink: &'s Sink<'s>,
}

impl<'n, 's> NodeDe<'n, 's> {
    fn child(&self, node: &'n Node, seg: impl fmt::Display, index: bool) -> NodeDe<'n, 's> {
        let path = match (index, self.path.is_empty()) {
            (true, _) => format!("{}[{seg}]", self.path),
            (false, true) => seg.to_string(),
            (false, false) => format!("{}.{seg}", self.path),
        };
        NodeDe {
            node,
            path,
            sink: self.sink,
        }
    }

    fn report(&self, message: impl Into<String>, hint: Option<String>) {
        self.sink
            .report(self.node, &self.path, message.into(), hint);
    }

    /// Positions an error raised further down the first time it passes through here.
    fn locate<T>(&self, r: Result<T, Error>) -> Result<T, Error> {
        r.map_err(|mut e| {
            if e.at.is_none() {
                e.at = Some(self.path.clone());
            }
            e
        })
    }

    fn scalar(&self) -> Option<&'n str> {
        match &self.node.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    fn expected(&self, what: &str, hint: &str) {
        self.report(
            format!("il faut ici {what}, pas {}", self.node.describe()),
            Some(hint.to_string()),
        );
    }

    fn number<T: Number>(&self, what: &str) -> T {
        // Rust also reads `inf`, `NaN` and `1e999` (infinite) as floats: not figures of a fiche.
        let parsed = self.scalar().map(|s| {
            let t = s.trim();
            t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
                .then(|| t.parse::<T>().ok())
                .flatten()
                .filter(Number::finite)
                .ok_or(s)
        });
        match parsed {
            Some(Ok(v)) if !v.sensible() => {
                self.report(
                    format!("`{}` est hors des limites d'une fiche", self.scalar().unwrap_or_default().trim()),
                    Some("écrivez une valeur de moins de 16 chiffres avant la virgule et d'au plus 6 décimales".to_string()),
                );
                T::default()
            }
            Some(Ok(v)) => v,
            Some(Err(s)) => {
                let hint = match written_number(s) {
                    Some(n) if n.euros => format!(
                        "écrivez `{}` : le montant en euros, en chiffres, sans unité ni espace",
                        n.value
                    ),
                    Some(n) => format!(
                        "écrivez `{}` : les chiffres seuls, sans espace, avec un point décimal",
                        n.value
                    ),
                    None => "écrivez un nombre, par exemple `12` ou `40.5`".to_string(),
                };
                self.report(format!("`{s}` n'est pas {what}"), Some(hint));
                T::default()
            }
            None => {
                self.expected(
                    what,
                    "écrivez un nombre, ou retirez la ligne si la valeur n'est pas connue",
                );
                T::default()
            }
        }
    }
}

/// A number as people write it in French documents (`40,89 M€`, `12 940 000 €`, `1,5 k€`,
/// `3,5 millions d'euros`, `40,89`), read exactly: the figure a record field wants.
#[derive(Debug, PartialEq)]
struct Written {
    /// Decimal digits with a `.` (`40890000`, `40.89`).
    value: String,
    /// A currency or a multiplier was written: the value is a whole amount in euros.
    euros: bool,
}

fn written_number(s: &str) -> Option<Written> {
    let compact: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect::<String>()
        .to_lowercase();
    let end = compact
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == '-'))
        .unwrap_or(compact.len());
    let (figure, unit) = compact.split_at(end);
    // The powers of ten a unit multiplies by; `None` for a word that is not a unit.
    let shift = match unit.trim_end_matches("d'euros").trim_end_matches("deuros") {
        "" => 0,
        "€" | "eur" | "euro" | "euros" => 0,
        "k€" | "keur" | "milliers" | "millier" => 3,
        "m€" | "meur" | "million" | "millions" | "millions€" => 6,
        "md€" | "mds€" | "mrd€" | "milliard" | "milliards" | "milliards€" => 9,
        _ => return None,
    };
    // `12.940.000,5`: dots group thousands when a comma marks the decimals.
    let figure = if figure.contains(',') {
        figure.replace('.', "").replace(',', ".")
    } else {
        figure.to_string()
    };
    let negative = figure.starts_with('-');
    let digits = figure.trim_start_matches('-');
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut all = format!("{int}{frac}");
    let point = int.len() + shift;
    while all.len() < point {
        all.push('0');
    }
    let (int, frac) = all.split_at(point);
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let mut value = if int.is_empty() {
        "0".to_string()
    } else {
        int.to_string()
    };
    if !frac.is_empty() {
        value = format!("{value}.{frac}");
    }
    if negative {
        value.insert(0, '-');
    }
    Some(Written {
        value,
        euros: !unit.is_empty(),
    })
}

/// Figures a fiche can print: below 10¹⁵ (a `1e308` would print as 309 digits) and, when not
/// zero, not below 10⁻⁶ (a `1e-320` as a 322-character cell).
const LARGEST: f64 = 1e15;
const SMALLEST: f64 = 1e-6;

/// The number types a record field may have.
trait Number: std::str::FromStr + Default {
    fn finite(&self) -> bool;
    fn sensible(&self) -> bool;
}

macro_rules! integers {
    ($($ty:ty)*) => {$(
        impl Number for $ty {
            fn finite(&self) -> bool {
                true
            }
            fn sensible(&self) -> bool {
                (*self as f64).abs() < LARGEST
            }
        }
    )*};
}
integers!(i8 i16 i32 i64 u8 u16 u32 u64);

impl Number for f32 {
    fn finite(&self) -> bool {
        self.is_finite()
    }
    fn sensible(&self) -> bool {
        f64::from(*self).sensible()
    }
}
impl Number for f64 {
    fn finite(&self) -> bool {
        self.is_finite()
    }
    fn sensible(&self) -> bool {
        *self == 0.0 || (SMALLEST..LARGEST).contains(&self.abs())
    }
}

macro_rules! numbers {
    ($($method:ident $visit:ident $ty:ty, $what:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            let n: $ty = self.number($what);
            self.locate(v.$visit(n))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Null => v.visit_unit(),
            NodeKind::Scalar(s) => self.locate(v.visit_str(s)),
            NodeKind::Seq(_) => self.deserialize_seq(v),
            NodeKind::Map(_) => self.deserialize_map(v),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let b = match self.scalar() {
            Some("true") => true,
            Some("false") => false,
            _ => {
                self.report("`true` ou `false` attendu", None);
                false
            }
        };
        v.visit_bool(b)
    }

    numbers! {
        deserialize_i8 visit_i8 i8, "un nombre entier";
        deserialize_i16 visit_i16 i16, "un nombre entier";
        deserialize_i32 visit_i32 i32, "un nombre entier";
        deserialize_i64 visit_i64 i64, "un nombre entier";
        deserialize_u8 visit_u8 u8, "un nombre entier positif";
        deserialize_u16 visit_u16 u16, "un nombre entier positif";
        deserialize_u32 visit_u32 u32, "un nombre entier positif";
        deserialize_u64 visit_u64 u64, "un nombre entier positif";
        deserialize_f32 visit_f32 f32, "un nombre";
        deserialize_f64 visit_f64 f64, "un nombre";
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let s = match self.scalar() {
            Some(s) => s,
            None => {
                self.expected("un texte", "écrivez la valeur sur la même ligne que la clé");
                ""
            }
        };
        self.locate(v.visit_str(s))
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let items: &[Node] = match &self.node.kind {
            NodeKind::Seq(items) => items,
            _ => {
                self.expected(
                    "une liste",
                    "écrivez chaque élément sur sa propre ligne, commençant par `- `",
                );
                &[]
            }
        };
        let de = &self;
        let r = v.visit_seq(SeqAccess {
            items: items.iter().enumerate(),
            parent: de,
        });
        self.locate(r)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_struct("", &[], v)
    }

    /// Unknown keys are reported (with the closest known field) and skipped.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let entries: &[(super::yaml::Key, Node)] = match &self.node.kind {
            NodeKind::Map(entries) => entries,
            _ => {
                self.expected(
                    "une section (clé: valeur)",
                    "écrivez les champs de cette section en dessous, indentés",
                );
                &[]
            }
        };
        let de = &self;
        let mut known = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            if fields.is_empty() || fields.contains(&key.name.as_str()) {
                known.push((key, value));
                continue;
            }
            let path = de.child(value, &key.name, false).path;
            let hint = match did_you_mean(&key.name, fields.iter().copied()) {
                Some(best) => format!("vouliez-vous dire `{best}` ?"),
                None => format!("champs possibles ici : {}", fields.join(", ")),
            };
            let key_node = Node {
                pos: key.pos,
                width: key.name.chars().count(),
                kind: NodeKind::Null,
            };
            self.sink.report(
                &key_node,
                &path,
                format!("clé inconnue `{}`", key.name),
                Some(hint),
            );
        }
        let r = v.visit_map(MapAccess {
            entries: known.into_iter(),
            value: None,
            parent: de,
        });
        self.locate(r)
    }

    /// A closed list of words (e.g. `oui`/`non`/`nc`); case does not matter.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let written = self.scalar().unwrap_or_default();
        let chosen = match variants
            .iter()
            .find(|name| name.eq_ignore_ascii_case(written.trim()))
        {
            Some(name) => name,
            None => {
                let allowed = variants.join(", ");
                // An answer written in English or as a boolean: its French word.
                let french = match written.trim().to_lowercase().as_str() {
                    "yes" | "y" | "true" | "vrai" | "o" => Some("oui"),
                    "no" | "n" | "false" | "faux" => Some("non"),
                    _ => None,
                }
                .filter(|w| variants.contains(w));
                let hint = match french.or_else(|| did_you_mean(written, variants.iter().copied()))
                {
                    Some(best) => {
                        format!("vouliez-vous dire `{best}` ? valeurs possibles : {allowed}")
                    }
                    None => format!("valeurs possibles : {allowed}"),
                };
                let what = match self.scalar() {
                    Some(_) => format!("`{written}`"),
                    None => self.node.describe().to_string(),
                };
                self.report(format!("valeur {what} non reconnue"), Some(hint));
                variants.first().copied().unwrap_or_default()
            }
        };
        let de: de::value::StrDeserializer<'_, Error> = chosen.into_deserializer();
        self.locate(v.visit_enum(de))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
}

struct SeqAccess<'a, 'n, 's, I> {
    items: I,
    parent: &'a NodeDe<'n, 's>,
}

impl<'de, 'n: 'a, 'a, 's, I: Iterator<Item = (usize, &'n Node)>> de::SeqAccess<'de>
    for SeqAccess<'a, 'n, 's, I>
{
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some((i, node)) => seed.deserialize(self.parent.child(node, i, true)).map(Some),
            None => Ok(None),
        }
    }
}

struct MapAccess<'a, 'n, 's, I> {
    entries: I,
    value: Option<(&'n super::yaml::Key, &'n Node)>,
    parent: &'a NodeDe<'n, 's>,
}

impl<'de, 'n: 'a, 'a, 's, I> de::MapAccess<'de> for MapAccess<'a, 'n, 's, I>
where
    I: Iterator<Item = (&'n super::yaml::Key, &'n Node)>,
{
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some((key, value));
                let de: de::value::StrDeserializer<'_, Error> =
                    key.name.as_str().into_deserializer();
                seed.deserialize(de).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, node) = self
            .value
            .take()
            .expect("serde asks for a value after its key");
        seed.deserialize(self.parent.child(node, &key.name, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Tri {
        Oui,
        Non,
        Nc,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        nom: Option<String>,
        siren: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Rec {
        titre: Option<String>,
        nombre: Option<u32>,
        montant: Option<f64>,
        reponse: Option<Tri>,
        liste: Option<Vec<Inner>>,
    }

    fn run(text: &str) -> Result<Rec, Vec<String>> {
        let node = crate::source::yaml::parse("r.yaml", text).unwrap();
        decode::<Rec>("r.yaml", text, &node).map_err(|ds| {
            ds.iter()
                .map(|d| format!("{}|{}|{}", d.pos.unwrap().line, d.field, d.message))
                .collect()
        })
    }

    #[test]
    fn decodes_a_clean_record() {
        let r = run("titre: 01\nnombre: 19\nmontant: 40890000\nreponse: NC\nliste:\n  - nom: a\n    siren: 200006930\n").unwrap();
        assert_eq!(r.titre.as_deref(), Some("01"));
        assert_eq!(r.montant, Some(40_890_000.0));
        assert_eq!(r.reponse, Some(Tri::Nc));
        assert_eq!(r.liste.unwrap()[0].siren.as_deref(), Some("200006930"));
    }

    #[test]
    fn infinite_and_not_a_number_are_refused() {
        for text in ["inf", "-infinity", "NaN", "1e999"] {
            let errs = run(&format!("montant: {text}\n")).unwrap_err();
            assert_eq!(errs, [format!("1|montant|`{text}` n'est pas un nombre")]);
        }
        assert_eq!(run("montant: 1.5e3\n").unwrap().montant, Some(1500.0));
    }

    #[test]
    fn numbers_written_the_french_way_get_their_exact_figure() {
        let read = |s| written_number(s).map(|w| (w.value, w.euros));
        let euros = |v: &str| Some((v.to_string(), true));
        assert_eq!(read("40,89 M€"), euros("40890000"));
        assert_eq!(read("12 940 000 €"), euros("12940000"));
        assert_eq!(read("1,5 k€"), euros("1500"));
        assert_eq!(read("3,5 millions d'euros"), euros("3500000"));
        assert_eq!(read("2 Md€"), euros("2000000000"));
        assert_eq!(read("12.940.000,50 €"), euros("12940000.5"));
        assert_eq!(read("0,1234 k€"), euros("123.4"));
        assert_eq!(read("40,89"), Some(("40.89".to_string(), false)));
        assert_eq!(read("12\u{202f}940"), Some(("12940".to_string(), false)));
        assert_eq!(read("35 fiches"), None);
        assert_eq!(read("douze"), None);
        assert_eq!(read("€"), None);
    }

    #[test]
    fn an_amount_with_its_unit_gets_the_figure_in_euros_as_its_only_hint() {
        let text = "montant: 40,89 M€\n";
        let node = crate::source::yaml::parse("r.yaml", text).unwrap();
        let errs = decode::<Rec>("r.yaml", text, &node).unwrap_err();
        assert_eq!(
            errs[0].hint.as_deref(),
            Some("écrivez `40890000` : le montant en euros, en chiffres, sans unité ni espace")
        );
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let errs = run("titr: x\nnombre: douze\nmontant: 40,89\nreponse: yes\nliste:\n  - nom: a\n    sirne: 1\n  - [x]\n").unwrap_err();
        assert_eq!(
            errs,
            vec![
                "1|titr|clé inconnue `titr`",
                "2|nombre|`douze` n'est pas un nombre entier positif",
                "3|montant|`40,89` n'est pas un nombre",
                "4|reponse|valeur `yes` non reconnue",
                "7|liste[0].sirne|clé inconnue `sirne`",
                "8|liste[1]|il faut ici une section (clé: valeur), pas une liste",
            ]
        );
    }
}
