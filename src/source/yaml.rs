//! Parse stage, part 1: YAML text → a tree of nodes that remember their line and column.
//!
//! Built on the event parser `granit-parser` rather than a serde YAML crate, so that:
//! - every scalar stays the text the editor typed (`01`, `2A`, `0612` and SIRENs are never
//!   turned into numbers, `yes`/`no` are never booleans): types are decided by the record schema;
//! - duplicate keys, anchors/aliases (the "billion laughs" bomb), several documents and deep
//!   nesting are refused with a positioned diagnostic instead of being silently accepted;
//! - later stages can point at any value by its field path (`signataires[3].siren`).

use granit_parser::{Event, Parser, ScalarStyle};

use crate::diagnostics::{Diagnostic, Pos, Severity};

/// Deeper nesting than this is refused: no record needs it and it guards against stack abuse.
pub const MAX_DEPTH: usize = 32;

/// A YAML value with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    /// Width in characters of the value on its first line (for the caret under it).
    pub width: usize,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `~`, `null`, or nothing after the colon.
    Null,
    /// Any scalar, as written (after YAML escapes and folding).
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its own position (unknown-key diagnostics point at the key).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl Node {
    /// The node at `path` (`strategie.programmes_anct[2]`), if present.
    pub fn lookup(&self, path: &str) -> Option<&Node> {
        let mut node = self;
        for seg in parse_path(path) {
            node = match (&node.kind, seg) {
                (NodeKind::Map(entries), Seg::Key(k)) => entries
                    .iter()
                    .find(|(key, _)| key.name == k)
                    .map(|(_, v)| v)?,
                (NodeKind::Seq(items), Seg::Index(i)) => items.get(i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The key that holds the value at `path` (`interventions.financier`), if the path ends
    /// with a key: a diagnostic about the key itself points at it.
    pub fn key(&self, path: &str) -> Option<&Key> {
        let (parent, last) = match path.rsplit_once('.') {
            Some((parent, last)) => (self.lookup(parent)?, last),
            None => (self, path),
        };
        match &parent.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.name == last).map(|(k, _)| k),
            _ => None,
        }
    }

    /// The deepest existing node along `path`: a diagnostic about a missing field points at
    /// its parent rather than nowhere.
    pub fn closest(&self, path: &str) -> &Node {
        let mut node = self;
        for seg in parse_path(path) {
            let next = match (&node.kind, seg) {
                (NodeKind::Map(entries), Seg::Key(k)) => entries
                    .iter()
                    .find(|(key, _)| key.name == k)
                    .map(|(_, v)| v),
                (NodeKind::Seq(items), Seg::Index(i)) => items.get(i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    pub fn describe(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "une valeur vide",
            NodeKind::Scalar(_) => "un texte",
            NodeKind::Seq(_) => "une liste",
            NodeKind::Map(_) => "une section (clé: valeur)",
        }
    }
}

/// Splits `a.b[2].c` into its steps.
pub fn parse_path(path: &str) -> impl Iterator<Item = Seg<'_>> {
    path.split('.').filter(|s| !s.is_empty()).flat_map(|part| {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        let key = (!name.is_empty()).then_some(Seg::Key(name));
        let indexes = rest
            .split('[')
            .filter_map(|i| i.trim_end_matches(']').parse().ok())
            .map(Seg::Index);
        key.into_iter().chain(indexes)
    })
}

fn pos_of(m: &granit_parser::Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
    }
}

/// Parses one YAML document. On failure returns the diagnostics (syntax errors stop at the
/// first one: the rest of a broken file cannot be trusted).
pub fn parse(file: &str, text: &str) -> Result<Node, Vec<Diagnostic>> {
    let mut builder = Builder {
        file,
        text,
        stack: Vec::new(),
        root: None,
        problems: Vec::new(),
    };
    let options = granit_parser::options! { emit_anchor_events: false };
    let mut documents = 0;
    for item in Parser::new_from_str_with_options(text, options) {
        let (event, span) = match item {
            Ok(pair) => pair,
            Err(e) => return Err(vec![syntax_error(file, text, &e)]),
        };
        let pos = pos_of(&span.start);
        let width = if span.end.line() == span.start.line() {
            span.end.col().saturating_sub(span.start.col())
        } else {
            text.lines()
                .nth(pos.line - 1)
                .map_or(1, |l| l.chars().count() + 1 - pos.col)
        };
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(vec![Diagnostic::at(
                        Severity::Error,
                        file,
                        text,
                        pos,
                        3,
                        "un fichier ne peut contenir qu'un seul document YAML",
                    )
                    .with_hint("retirez la ligne `---` et ce qui suit, ou placez cet enregistrement dans un autre fichier")]);
                }
            }
            Event::Alias(_) | Event::UnresolvedAlias(_) => {
                return Err(vec![alias_error(file, text, pos, width)]);
            }
            Event::Scalar(value, style, anchor, _) => {
                if anchor != 0 {
                    return Err(vec![alias_error(file, text, pos, width)]);
                }
                let kind = if style == ScalarStyle::Plain && is_null(&value) {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar(value.into_owned())
                };
                builder.push_value(Node { pos, width, kind })?;
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                if anchor != 0 {
                    return Err(vec![alias_error(file, text, pos, width.min(1))]);
                }
                if builder.stack.len() >= MAX_DEPTH {
                    return Err(vec![Diagnostic::at(
                        Severity::Error,
                        file,
                        text,
                        pos,
                        1,
                        format!("imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"),
                    )
                    .with_hint("un enregistrement n'a jamais besoin d'autant de niveaux : vérifiez l'indentation")]);
                }
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    NodeKind::Seq(Vec::new())
                } else {
                    NodeKind::Map(Vec::new())
                };
                builder.stack.push(Open {
                    node: Node {
                        pos,
                        width: 1,
                        kind,
                    },
                    pending_key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let open = builder
                    .stack
                    .pop()
                    .expect("parser balances start and end events");
                builder.push_value(open.node)?;
            }
            _ => {}
        }
    }
    if !builder.problems.is_empty() {
        return Err(builder.problems);
    }
    builder.root.ok_or_else(|| {
        vec![
            Diagnostic::file_level(Severity::Error, file, "le fichier est vide")
                .with_hint("un enregistrement commence par ses champs, par exemple `titre: …`"),
        ]
    })
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn alias_error(file: &str, text: &str, pos: Pos, width: usize) -> Diagnostic {
    Diagnostic::at(
        Severity::Error,
        file,
        text,
        pos,
        width,
        "les ancres et alias YAML (`&nom`, `*nom`) ne sont pas acceptés",
    )
    .with_hint("écrivez la valeur en entier à chaque endroit où elle sert")
}

/// Turns a scanner error into a French diagnostic with a hint for the frequent cases.
fn syntax_error(file: &str, text: &str, e: &granit_parser::ScanError) -> Diagnostic {
    use granit_parser::ErrorKind as K;
    let mut pos = pos_of(e.marker());
    const GUILLEMETS: &str = "une valeur qui contient `: `, ` #` ou commence par `[`, `{`, `*`, `&`, `!`, `|`, `>`, `%` ou `@` s'écrit entre guillemets, par exemple `nom: \"Lozère : Terres de vie\"`";
    let (message, hint) = match e.kind() {
        K::TabNotAllowed
        | K::TabInBlockIndentation
        | K::TabInIndentation
        | K::TabInPlainScalar
        | K::TabAtBlockScalarStart => {
            // The scanner stops after the tab, sometimes a line later: point at the tab itself.
            if let Some(tab) = first_tab_from_line(text, pos.line) {
                pos = tab;
            }
            (
                "tabulation dans l'indentation".to_string(),
                "YAML n'accepte que des espaces pour indenter : remplacez la tabulation par des espaces",
            )
        }
        K::InvalidIndentation
        | K::ExpectedBlockMappingKey
        | K::ExpectedBlockSequenceEntry
        | K::InvalidBlockScalarIndent
        | K::InvalidQuotedScalarIndent
        | K::InvalidFlowScalarIndent => (
            "indentation incohérente".to_string(),
            "alignez les champs d'une même section sur la même colonne, avec des espaces",
        ),
        K::SimpleKeyExpected
        | K::InvalidSimpleKey
        | K::MappingValueNotAllowed
        | K::InvalidColonPlacement
        | K::MappingKeyNotAllowed => ("deux-points mal placé".to_string(), GUILLEMETS),
        K::UnclosedQuotedScalar | K::DocumentIndicatorInQuotedScalar => (
            "guillemet non refermé".to_string(),
            "refermez le texte avec le même guillemet qu'à son début (`\"` ou `'`)",
        ),
        K::InvalidTrailingSingleQuotedScalar | K::InvalidTrailingDoubleQuotedScalar => (
            "texte après le guillemet fermant".to_string(),
            "mettez toute la valeur entre les guillemets, ou retirez ce qui suit le guillemet fermant",
        ),
        K::UnknownQuotedScalarEscape
        | K::InvalidQuotedScalarHexEscape
        | K::InvalidLowSurrogateHexEscape
        | K::InvalidLowSurrogate
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate
        | K::InvalidUnicodeEscape => (
            "barre oblique inverse `\\` invalide entre guillemets doubles".to_string(),
            "entre guillemets doubles, `\\` annonce un caractère spécial : écrivez `\\\\`, ou utilisez des guillemets simples",
        ),
        K::UnexpectedEof
        | K::UnexpectedEofFlowSequence
        | K::UnexpectedEofFlowMapping
        | K::UnexpectedEofImplicitFlowMapping
        | K::UnexpectedEofBlockSequence
        | K::UnexpectedEofBlockMapping => (
            "fin de fichier inattendue".to_string(),
            "un guillemet, un crochet `[` ou une accolade `{` n'est pas refermé",
        ),
        K::UnclosedFlowCollection { open } => (
            format!("`{open}` non refermé"),
            "refermez la liste (`[a, b]`), ou mettez la valeur entre guillemets si elle commence par ce signe",
        ),
        K::MisplacedFlowCollectionEnd
        | K::MismatchedFlowCollectionEnd { .. }
        | K::ExpectedFlowMappingSeparator
        | K::ExpectedFlowSequenceSeparator
        | K::FlowMappingValueAdjacentCollection => (
            "crochets ou accolades mal appariés".to_string(),
            "une liste sur une ligne s'écrit `[a, b]` ; sinon mettez la valeur entre guillemets",
        ),
        K::CommentInterceptedScalar | K::CommentNotSeparated => (
            "commentaire mal placé".to_string(),
            "un commentaire commence par ` #` après une espace ; un `#` dans une valeur s'écrit entre guillemets",
        ),
        K::UnknownAnchor
        | K::MissingAnchorOrAliasName
        | K::ExpectedTagBang
        | K::ExpectedTagDirectiveBang
        | K::InvalidGlobalTagCharacter
        | K::UndeclaredTagHandle
        | K::InvalidTagTerminator
        | K::MissingTagUri
        | K::UnclosedVerbatimTag => (
            "caractère spécial de YAML en début de valeur".to_string(),
            GUILLEMETS,
        ),
        K::RecursionLimitExceeded => (
            "imbrication trop profonde".to_string(),
            "un enregistrement a quelques niveaux de sections : vérifiez l'indentation",
        ),
        _ => (
            "syntaxe YAML invalide".to_string(),
            "vérifiez l'indentation et les guillemets de cette ligne",
        ),
    };
    Diagnostic::at(Severity::Error, file, text, pos, 1, message).with_hint(hint)
}

/// The position of the first tab on line `line` (1-based) or after it.
fn first_tab_from_line(text: &str, line: usize) -> Option<Pos> {
    text.split('\n')
        .enumerate()
        .skip(line.saturating_sub(1))
        .find_map(|(i, l)| {
            l.chars().position(|c| c == '\t').map(|col| Pos {
                line: i + 1,
                col: col + 1,
            })
        })
}

struct Open {
    node: Node,
    pending_key: Option<Key>,
}

struct Builder<'a> {
    file: &'a str,
    text: &'a str,
    stack: Vec<Open>,
    root: Option<Node>,
    problems: Vec<Diagnostic>,
}

impl Builder<'_> {
    /// Places a finished value in its parent: a sequence item, a mapping key, or a mapping value.
    fn push_value(&mut self, value: Node) -> Result<(), Vec<Diagnostic>> {
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        match &mut open.node.kind {
            NodeKind::Seq(items) => items.push(value),
            NodeKind::Map(entries) => match open.pending_key.take() {
                None => {
                    let name =
                        match value.kind {
                            NodeKind::Scalar(s) => s,
                            NodeKind::Null => String::new(),
                            _ => {
                                return Err(vec![Diagnostic::at(
                                Severity::Error,
                                self.file,
                                self.text,
                                value.pos,
                                1,
                                "une clé doit être un simple mot, pas une liste ou une section",
                            )
                            .with_hint("écrivez `nom_du_champ: valeur`")]);
                            }
                        };
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == name) {
                        self.problems.push(
                            Diagnostic::at(
                                Severity::Error,
                                self.file,
                                self.text,
                                value.pos,
                                name.chars().count(),
                                format!("clé `{name}` en double"),
                            )
                            .with_hint(format!(
                                "elle est déjà définie ligne {} ; gardez une seule des deux",
                                first.pos.line
                            )),
                        );
                    }
                    open.pending_key = Some(Key {
                        name,
                        pos: value.pos,
                    });
                }
                Some(key) => entries.push((key, value)),
            },
            _ => unreachable!("only collections are pushed on the stack"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node {
        parse("t.yaml", text).unwrap()
    }

    fn err(text: &str) -> String {
        parse("t.yaml", text)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn keeps_scalars_as_written() {
        let n = ok("code: 01\nsiren: 200006930\nok: yes\nx: 2A\nvide:\n");
        let s = |p| match &n.lookup(p).unwrap().kind {
            NodeKind::Scalar(s) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(s("code"), "01");
        assert_eq!(s("ok"), "yes");
        assert_eq!(s("x"), "2A");
        assert_eq!(n.lookup("vide").unwrap().kind, NodeKind::Null);
        assert_eq!(n.lookup("siren").unwrap().pos, Pos { line: 2, col: 8 });
    }

    #[test]
    fn looks_up_paths() {
        let n = ok("a:\n  - x: 1\n  - x: 2\n    y: [3, 4]\n");
        assert_eq!(n.lookup("a[1].y[1]").unwrap().pos, Pos { line: 4, col: 12 });
        assert!(n.lookup("a[2]").is_none());
        assert_eq!(n.closest("a[1].z").pos, Pos { line: 3, col: 5 });
    }

    #[test]
    fn refuses_duplicates_aliases_tabs_and_depth() {
        assert!(err("a: 1\nb: 2\na: 3\n").contains("clé `a` en double"));
        assert!(err("a: &x [1]\nb: *x\n").contains("ancres et alias"));
        assert!(err("a:\n\t- 1\n").contains("tabulation"));
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(err(&deep).contains("imbrication trop profonde"));
        assert!(err("").contains("le fichier est vide"));
        assert!(err("a: 1\n---\nb: 2\n").contains("un seul document"));
    }
}
