//! Load stage, characters: every text of the content is one the fiches can print. A control
//! character (pasted from a spreadsheet or a PDF) or a character no font has (a recent emoji, an
//! Indian script) would stop the PDF export of the whole publication; here it is an error at its
//! line, the same in `check` and in `build`.

use super::Source;
use super::yaml::{Node, NodeKind};
use crate::diagnostics::{Diagnostic, Severity, is_bidi_control};

/// Reports, in each of `sources`, the texts holding a character that is invisible and
/// unprintable (controls, direction overrides) or that `imprime` (the fonts' coverage) lacks.
pub fn verifier(sources: &[&Source], imprime: &dyn Fn(char) -> bool, diags: &mut Vec<Diagnostic>) {
    for source in sources {
        walk(source, &source.root, String::new(), imprime, diags);
    }
}

fn walk(
    source: &Source,
    node: &Node,
    path: String,
    imprime: &dyn Fn(char) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    match &node.kind {
        NodeKind::Scalar(text) => {
            if let Some((message, hint)) = probleme(text, imprime) {
                diags.push(
                    Diagnostic::at(
                        Severity::Error,
                        &source.display,
                        &source.text,
                        node.pos,
                        node.width,
                        message,
                    )
                    .with_field(path)
                    .with_hint(hint),
                );
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(source, item, format!("{path}[{i}]"), imprime, diags);
            }
        }
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                let here = if path.is_empty() {
                    key.name.clone()
                } else {
                    format!("{path}.{}", key.name)
                };
                walk(source, value, here, imprime, diags);
            }
        }
        NodeKind::Null => {}
    }
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
