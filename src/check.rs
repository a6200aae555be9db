//! Validate stage, shared checks: what every record kind checks the same way (identifiers,
//! dates, e-mails, département codes, vocabulary terms), each reported at the line of the
//! offending value through the record's positioned tree.

use crate::diagnostics::{Diagnostic, Severity};
use crate::officiel::{self, Lookup};
use crate::source::Source;
use crate::view::format::Date;
use crate::view::table::Cellule;

/// Collects the diagnostics of one record, positioned through the record's YAML tree.
pub struct Checker<'a> {
    pub source: &'a Source,
    pub out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub fn new(source: &'a Source) -> Self {
        Checker {
            source,
            out: Vec::new(),
        }
    }

    fn push(&mut self, severity: Severity, path: &str, message: String, hint: Option<String>) {
        let node = self.source.root.closest(path);
        let mut d = Diagnostic::at(
            severity,
            &self.source.display,
            &self.source.text,
            node.pos,
            node.width,
            message,
        )
        .with_field(path);
        d.hint = hint;
        self.out.push(d);
    }

    /// An error about a key itself (a key a free-form section does not allow), underlined
    /// on the key rather than on its value.
    pub fn key_error(
        &mut self,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        let Some(key) = self.source.root.key(path) else {
            return self.error(path, message, hint);
        };
        let mut d = Diagnostic::at(
            Severity::Error,
            &self.source.display,
            &self.source.text,
            key.pos,
            key.name.chars().count(),
            message,
        )
        .with_field(path);
        d.hint = hint.into();
        self.out.push(d);
    }

    pub fn error(
        &mut self,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        self.push(Severity::Error, path, message.into(), hint.into());
    }

    pub fn warning(
        &mut self,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        self.push(Severity::Warning, path, message.into(), hint.into());
    }

    /// An ISO date, or an error; returns the checked date.
    pub fn date(&mut self, path: &str, value: &Option<String>) -> Option<Date> {
        let s = value.as_deref()?;
        let d = Date::parse_iso(s);
        if d.is_none() {
            self.error(
                path,
                format!("date invalide `{s}`"),
                crate::view::format::date_hint(s, "écrivez la date au format AAAA-MM-JJ, par exemple `2021-12-29` pour le 29 décembre 2021"),
            );
        }
        d
    }

    pub fn email(&mut self, path: &str, value: &Option<String>) {
        let Some(s) = value.as_deref() else { return };
        let ok = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
            }
            None => false,
        };
        if !ok {
            self.error(
                path,
                format!("adresse e-mail invalide `{s}`"),
                "écrivez une seule adresse, de la forme `prenom.nom@service.gouv.fr`".to_string(),
            );
        }
    }

    /// A SIREN: 9 digits and a valid Luhn key. A département or région INSEE code written
    /// where a SIREN belongs is the frequent case: a warning that names it.
    /// `nature` (`region`, `departement`…) tells which list an INSEE code comes from.
    pub fn siren(&mut self, path: &str, value: &Option<String>, nature: Option<&str>) {
        let Some(s) = value.as_deref() else { return };
        let Some(problem) = officiel::siren_problem(s) else {
            return;
        };
        let r = officiel::get();
        let region = r.region(s).filter(|_| nature == Some("region"));
        let hint = if let Some(reg) = region {
            format!(
                "`{s}` est le code INSEE de la région {} ; le SIREN de la Région a 9 chiffres (annuaire : recherche-entreprises.api.gouv.fr)",
                reg.nom
            )
        } else if let Some(d) = r.departement(s) {
            let de = d.de_nom();
            format!(
                "`{s}` est le code INSEE {de} ; le SIREN du Département {de} a 9 chiffres (annuaire : recherche-entreprises.api.gouv.fr)"
            )
        } else if let Some(reg) = r.region(s) {
            format!(
                "`{s}` est le code INSEE de la région {} ; le SIREN de la Région a 9 chiffres",
                reg.nom
            )
        } else {
            "le SIREN a 9 chiffres, sans espace ; retirez la ligne s'il n'est pas connu".to_string()
        };
        self.warning(path, problem, hint);
    }

    /// A term of a controlled vocabulary: returns the canonical value (code or label).
    /// Typographic variants pass silently, aliases with a warning, unknown terms are errors.
    pub fn term(&mut self, vocabulary: &str, path: &str, written: &str) -> String {
        let v = officiel::get().vocabulary(vocabulary);
        match v.lookup(written) {
            Lookup::Exact(t) => t.value().to_string(),
            Lookup::Alias(t) => {
                self.warning(
                    path,
                    format!("`{written}` normalisé en `{}`", t.value()),
                    format!("écrivez `{}`, l'intitulé officiel", t.value()),
                );
                t.value().to_string()
            }
            Lookup::Unknown(best) => {
                let hint = match best {
                    Some(t) => format!(
                        "vouliez-vous dire `{}` ? (liste : referentiels/vocabulaires.yaml, `{vocabulary}`)",
                        t.value()
                    ),
                    None if v.terms.len() <= 20 => format!(
                        "termes possibles : {}",
                        v.terms
                            .iter()
                            .map(|t| t.value())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => format!(
                        "les termes possibles sont dans referentiels/vocabulaires.yaml, liste `{vocabulary}`"
                    ),
                };
                self.error(path, format!("terme inconnu `{written}`"), hint);
                written.to_string()
            }
        }
    }

    /// Every term of a list, normalised in place.
    pub fn terms(&mut self, vocabulary: &str, path: &str, list: &mut Option<Vec<String>>) {
        for (i, item) in list.iter_mut().flatten().enumerate() {
            *item = self.term(vocabulary, &format!("{path}[{i}]"), item);
        }
    }

    /// A département code from the official list.
    pub fn departement(&mut self, path: &str, code: &Option<String>) {
        let Some(code) = code.as_deref() else { return };
        if officiel::get().departement(code).is_none() {
            let hint = if code.len() == 1 {
                format!("les codes ont au moins deux caractères : écrivez `\"0{code}\"`")
            } else {
                "code INSEE du département : `48`, `2A`, `971`… (entre guillemets s'il commence par 0)".to_string()
            };
            self.error(path, format!("code de département inconnu `{code}`"), hint);
        }
    }

    pub fn required(&mut self, path: &str, present: bool, hint: &str) {
        if !present {
            self.error(
                path,
                format!("champ obligatoire `{path}` absent"),
                hint.to_string(),
            );
        }
    }
}

/// A SIREN cell: the SIREN if it is one, else empty — a value that would fail its own schema
/// is never published as if it were valid (the build warns about it at its line).
pub fn siren_publie(siren: &Option<String>) -> Cellule {
    match siren {
        Some(s) if officiel::siren_problem(s).is_none() => Cellule::Texte(s.clone()),
        _ => Cellule::Vide,
    }
}
