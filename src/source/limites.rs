//! Load stage, limits: what a text of the content may hold, and how long it and a list may be.
//!
//! A control character (pasted from a spreadsheet or a PDF) or a character no font has (a recent
//! emoji, an Indian script) would stop the PDF export of the whole publication; a name of
//! 100 000 characters or an actor with 2 000 contacts would cost a build gigabytes. Each is an
//! error at its line, the same in `check` and in `build`. The limits are far above what the
//! records hold (the longest real name has 93 characters, the longest list 35 entries): they
//! stop accidents and abuse, not writing.

use super::Source;
use super::yaml::{Node, NodeKind};
use crate::diagnostics::{Diagnostic, Severity, is_bidi_control};

/// Longest text of a field, in characters, by the field's name; any other text: [`TEXTE_MAX`].
const TEXTES: &[(&str, usize)] = &[
    ("nom", 200),
    ("titre", 200),
    ("sous_titre", 200),
    ("intertitre", 200),
    ("nom_structure_porteuse", 200),
    ("groupe", 200),
    ("libelle", 300),
    ("sigle", 50),
    ("email", 254),
    ("email_contact", 254),
    ("telephone", 30),
    ("fax", 30),
    ("site_web", 500),
    ("formulaire", 500),
    ("presentation", 10_000),
    ("modalites", 10_000),
];
const TEXTE_MAX: usize = 5_000;
/// Longest entry of a list of texts (`contrats`, `communes`).
const ENTREE_MAX: usize = 500;
/// Most entries of a list, by the field's name; any other list: [`LISTE_MAX`].
const LISTES: &[(&str, usize)] = &[
    ("contacts", 30),
    ("offres", 20),
    ("exemples", 50),
    ("partenaires", 20),
    ("public", 20),
    ("adresse", 6),
    ("axes", 12),
    ("lignes", 20),
    ("orientations", 30),
    ("actions", 20),
    ("calendrier", 8),
    ("etapes", 5),
    ("edito", 4),
    ("fonctions", 5),
    ("zones", 20),
    ("projets", 200),
    ("departements_associes", 20),
];
const LISTE_MAX: usize = 150;
/// A list of texts is one cell of the datasets, its entries joined, and a spreadsheet cell
/// holds 32 767 characters at most.
const LISTE_TEXTE_MAX: usize = 30_000;
/// Web addresses in one text: each becomes a link of the PDF.
const ADRESSES_MAX: usize = 200;

/// Reports, in each of `sources`, the texts holding a character that is invisible and
/// unprintable (controls, direction overrides) or that `imprime` (the fonts' coverage) lacks,
/// and the texts and lists longer than their limit.
pub fn verifier(sources: &[&Source], imprime: &dyn Fn(char) -> bool, diags: &mut Vec<Diagnostic>) {
    for source in sources {
        let mut walk = Walk {
            source,
            imprime,
            diags: &mut *diags,
        };
        walk.node(&source.root, String::new(), "", false);
    }
}

struct Walk<'a> {
    source: &'a Source,
    imprime: &'a dyn Fn(char) -> bool,
    diags: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    fn error(&mut self, node: &Node, path: String, (message, hint): (String, String)) {
        let s = self.source;
        self.diags.push(
            Diagnostic::at(
                Severity::Error,
                &s.display,
                &s.text,
                node.pos,
                node.width,
                message,
            )
            .with_field(path)
            .with_hint(hint),
        );
    }

    /// `node` at `path`, the value of the field `key` or, with `entry`, one of its entries.
    fn node(&mut self, node: &Node, path: String, key: &str, entry: bool) {
        match &node.kind {
            NodeKind::Scalar(text) => {
                let limite = if entry {
                    ENTREE_MAX
                } else {
                    TEXTES
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map_or(TEXTE_MAX, |(_, n)| *n)
                };
                if let Some(problem) =
                    probleme(text, self.imprime).or_else(|| trop_long(text, limite))
                {
                    self.error(node, path, problem);
                }
            }
            NodeKind::Seq(items) => {
                if let Some(problem) = liste_trop_longue(items, key) {
                    self.error(node, path, problem);
                    return;
                }
                for (i, item) in items.iter().enumerate() {
                    self.node(item, format!("{path}[{i}]"), key, true);
                }
            }
            NodeKind::Map(entries) => {
                for (k, value) in entries {
                    let here = if path.is_empty() {
                        k.name.clone()
                    } else {
                        format!("{path}.{}", k.name)
                    };
                    self.node(value, here, &k.name, false);
                }
            }
            NodeKind::Null => {}
        }
    }
}

/// A list of the field `key` with more entries than its limit, or whose texts together would
/// not fit one spreadsheet cell.
fn liste_trop_longue(items: &[Node], key: &str) -> Option<(String, String)> {
    let limite = LISTES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(LISTE_MAX, |(_, n)| *n);
    if items.len() > limite {
        return Some((
            format!("liste trop longue : {} entrées (au plus {limite})", items.len()),
            "une fiche imprime la liste entière : gardez l'essentiel, et publiez le reste sur un site dont vous donnez l'adresse".to_string(),
        ));
    }
    let total: usize = items
        .iter()
        .map(|i| match &i.kind {
            // Joined by « | » in the datasets.
            NodeKind::Scalar(t) => t.chars().count() + 3,
            _ => 0,
        })
        .sum();
    (total > LISTE_TEXTE_MAX).then(|| {
        (
            format!("liste trop longue : {total} caractères en tout (au plus {LISTE_TEXTE_MAX})"),
            "les jeux de données la publient dans une seule cellule, qu'un tableur limite : raccourcissez les entrées".to_string(),
        )
    })
}

/// A text longer than `limite` characters, or with more web addresses than a PDF can link.
fn trop_long(text: &str, limite: usize) -> Option<(String, String)> {
    let n = text.chars().count();
    if n > limite {
        let hint = if limite <= 300 {
            "un nom ou un titre tient en une ou deux lignes : raccourcissez-le"
        } else {
            "une fiche imprime le texte entier : raccourcissez-le, et publiez le détail sur un site dont vous donnez l'adresse"
        };
        return Some((
            format!("texte trop long : {n} caractères (au plus {limite})"),
            hint.to_string(),
        ));
    }
    let adresses = ["http://", "https://", "www."]
        .iter()
        .map(|a| text.matches(a).count())
        .sum::<usize>();
    (adresses > ADRESSES_MAX).then(|| {
        (
            format!("trop d'adresses web dans ce texte : {adresses} (au plus {ADRESSES_MAX})"),
            "chaque adresse devient un lien de la fiche PDF : gardez les principales".to_string(),
        )
    })
}

/// What is wrong with `text`, if anything: the message and the hint.
fn probleme(text: &str, imprime: &dyn Fn(char) -> bool) -> Option<(String, String)> {
    if let Some(c) = text
        .chars()
        .find(|c| (c.is_control() && *c != '\n') || is_bidi_control(*c))
    {
        let hint = if c == '\t' {
            "remplacez la tabulation par une espace".to_string()
        } else {
            "retirez ce caractère invisible, souvent collé depuis un tableur ou un PDF : il ne s'imprime pas".to_string()
        };
        return Some((
            format!("caractère de contrôle U+{:04X} dans le texte", c as u32),
            hint,
        ));
    }
    let c = text.chars().find(|c| !imprime(*c))?;
    let manquants: std::collections::BTreeSet<char> =
        text.chars().filter(|c| !imprime(*c)).collect();
    let autres = match manquants.len() {
        1 => String::new(),
        n => format!(" (et {} autre{})", n - 1, if n > 2 { "s" } else { "" }),
    };
    Some((
        format!("caractère `{c}` (U+{:04X}){autres} impossible à imprimer dans les fiches PDF", c as u32),
        "aucune police des fiches ne le contient : remplacez-le, ou déposez dans content/static/fonts/ une police qui le contient".to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<String> {
        let root = super::super::yaml::parse("content/crte/a.yaml", yaml).unwrap();
        let source = Source {
            display: "content/crte/a.yaml".into(),
            stem: "a".into(),
            text: yaml.into(),
            root,
            path: "content/crte/a.yaml".into(),
            date: None,
        };
        let mut diags = Vec::new();
        let ascii_et_accents = |c: char| (c as u32) < 0x250;
        verifier(&[&source], &ascii_et_accents, &mut diags);
        diags
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} [{}]",
                    d.pos.unwrap().line,
                    d.pos.unwrap().col,
                    d.message,
                    d.field
                )
            })
            .collect()
    }

    #[test]
    fn texts_and_lists_longer_than_their_limit_are_refused_at_their_line() {
        let nom = "x".repeat(201);
        let contacts = "  - nom: a\n".repeat(31);
        let communes = vec!["y".repeat(400); 100].join(", ");
        let yaml = format!("nom: {nom}\ncontacts:\n{contacts}communes: [{communes}]\n");
        assert_eq!(
            problems(&yaml),
            [
                "1:6 texte trop long : 201 caractères (au plus 200) [nom]",
                "3:3 liste trop longue : 31 entrées (au plus 30) [contacts]",
                "34:11 liste trop longue : 40300 caractères en tout (au plus 30000) [communes]",
            ]
        );
    }

    #[test]
    fn controls_and_unprintable_characters_are_refused_at_their_line() {
        let yaml = "nom: Lozère\nsignataires:\n  - nom: \"CC\\u0007 Aubrac\"\n  - nom: \"a\\tb\"\nstrategie:\n  texte: \"😀 et 😀, 🥰\"\n  ligne: |\n    deux\n    lignes\n";
        assert_eq!(
            problems(yaml),
            [
                "3:10 caractère de contrôle U+0007 dans le texte [signataires[0].nom]",
                "4:10 caractère de contrôle U+0009 dans le texte [signataires[1].nom]",
                "6:10 caractère `😀` (U+1F600) (et 1 autre) impossible à imprimer dans les fiches PDF [strategie.texte]",
            ]
        );
        assert_eq!(
            problems("nom: \"a\\u202Eb\"\n"),
            ["1:6 caractère de contrôle U+202E dans le texte [nom]"]
        );
    }
}
