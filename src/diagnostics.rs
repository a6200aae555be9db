//! Diagnostics (all stages): content problems as data, rendered like a compiler would.
//!
//! A content problem never stops the run: every stage pushes [`Diagnostic`]s into a list and
//! the build decides at the end (any error → exit code 1). Each diagnostic carries the file,
//! line, column, the field path inside the record, a message, a hint, and a copy of the source
//! line so it can be shown with a caret.

use std::fmt;

/// How serious a problem is: errors stop the build, warnings are shown and the build goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One problem found in the content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path of the file as the user wrote it, relative to the site root (`content/crte/x.yaml`).
    pub file: String,
    /// Position of the problem; `None` when the problem is about the whole file.
    pub pos: Option<Pos>,
    /// Number of characters to underline from `pos` (at least one).
    pub width: usize,
    /// Field path inside the record (`signataires[3].siren`), empty for file-level problems.
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
    /// The source line at `pos`, kept so rendering needs no file access.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem about a whole file (unreadable, too large, not UTF-8…).
    pub fn file_level(severity: Severity, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.to_string(),
            pos: None,
            width: 1,
            field: String::new(),
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// A problem at a position of a source text.
    pub fn at(
        severity: Severity,
        file: &str,
        text: &str,
        pos: Pos,
        width: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            file: file.to_string(),
            pos: Some(pos),
            width: width.max(1),
            field: String::new(),
            message: message.into(),
            hint: None,
            source_line: text
                .lines()
                .nth(pos.line.saturating_sub(1))
                .map(str::to_string),
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// ```text
    /// erreur: clé inconnue `sigantaires`
    ///   ——▶ content/crte/lozere.yaml:12:1
    ///    |
    /// 12 | sigantaires:
    ///    | ^^^^^^^^^^^
    ///    = champ : sigantaires
    ///    = aide : vouliez-vous dire `signataires` ?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
        };
        let message = visible(&self.message);
        let file = visible(&self.file);
        writeln!(f, "{label}: {message}")?;
        let gutter = self.pos.map_or(1, |p| p.line.to_string().len());
        let pad = " ".repeat(gutter);
        match self.pos {
            Some(p) => writeln!(f, "{pad} ——▶ {file}:{}:{}", p.line, p.col)?,
            None => writeln!(f, "{pad} ——▶ {file}")?,
        }
        if let (Some(p), Some(line)) = (self.pos, &self.source_line) {
            let shown = visible(&line.replace('\t', "→")).into_owned();
            let before = " ".repeat(p.col.saturating_sub(1));
            let available = shown
                .chars()
                .count()
                .saturating_sub(p.col.saturating_sub(1));
            let carets = "^".repeat(self.width.min(available.max(1)));
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {shown}", p.line)?;
            writeln!(f, "{pad} | {before}{carets}")?;
        }
        if !self.field.is_empty() {
            writeln!(f, "{pad} = champ : {}", visible(&self.field))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = aide : {}", visible(hint))?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// The diagnostic as a GitHub Actions annotation, shown on the file's line in a pull
    /// request: `::error file=content/crte/x.yaml,line=12,col=5,title=territoires::message`.
    pub fn github(&self) -> String {
        // The workflow command syntax: `%`, CR and LF escaped everywhere, `:` and `,` in
        // properties too.
        let data = |s: &str| {
            s.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", property(&self.file));
        if let Some(p) = self.pos {
            props.push_str(&format!(",line={},col={}", p.line, p.col));
        }
        let mut text = self.message.clone();
        if !self.field.is_empty() {
            text.push_str(&format!(" (champ : {})", self.field));
        }
        if let Some(hint) = &self.hint {
            text.push_str(&format!("\naide : {hint}"));
        }
        format!(
            "::{level} {props},title=territoires::{}",
            data(&visible(&text))
        )
    }

    /// The diagnostic as data: what `--format json` lists.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "gravite": match self.severity {
                Severity::Error => "erreur",
                Severity::Warning => "avertissement",
            },
            "fichier": self.file,
            "ligne": self.pos.map(|p| p.line),
            "colonne": self.pos.map(|p| p.col),
            "champ": (!self.field.is_empty()).then_some(&self.field),
            "message": self.message,
            "aide": self.hint,
        })
    }
}

/// `text` safe to print on a terminal: a control character taken from the content (ESC, BEL…)
/// would otherwise drive the terminal (retitle it, rewrite lines), so each shows as its
/// picture (`␛`, one column wide, so carets stay aligned), and a direction override as `�`.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || is_bidi_control(c);
    if !text.chars().any(|c| unsafe_char(c) && c != '\n') {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            '\n' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if unsafe_char(c) => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// The invisible characters that reorder text on display (U+202A–U+202E, U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The diagnostics of a run, kept sorted by file then position so output is stable.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Sorts by file, position, then message: the order of a report never depends on threads.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            (&a.file, a.pos, &a.message, &a.field).cmp(&(&b.file, b.pos, &b.message, &b.field))
        });
        self.diagnostics.dedup();
    }

    /// One closing line: `2 erreurs et 1 avertissement dans 2 fichiers`.
    pub fn summary(&self) -> String {
        let mut files: Vec<&str> = self.diagnostics.iter().map(|d| d.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let n = files.len();
        format!(
            "{} et {} dans {} fichier{}",
            plural(self.errors(), "erreur", "erreurs"),
            plural(self.warnings(), "avertissement", "avertissements"),
            n,
            if n > 1 { "s" } else { "" }
        )
    }
}

/// `1 erreur`, `0 erreur`, `2 erreurs` (French: 0 and 1 take the singular).
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// The closest candidate to `word` if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lc = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word_lc, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance in characters (small strings only: keys and vocabulary terms).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_caret_field_and_hint() {
        let text = "titre: x\nsigantaires:\n  - a\n";
        let d = Diagnostic::at(
            Severity::Error,
            "content/crte/a.yaml",
            text,
            Pos { line: 2, col: 1 },
            11,
            "clé inconnue `sigantaires`",
        )
        .with_field("sigantaires")
        .with_hint("vouliez-vous dire `signataires` ?");
        assert_eq!(
            d.to_string(),
            "erreur: clé inconnue `sigantaires`\n  ——▶ content/crte/a.yaml:2:1\n  |\n2 | sigantaires:\n  | ^^^^^^^^^^^\n  = champ : sigantaires\n  = aide : vouliez-vous dire `signataires` ?\n"
        );
    }

    #[test]
    fn control_characters_from_the_content_never_reach_the_terminal() {
        let mut d = Diagnostic::file_level(
            Severity::Error,
            "content/crte/a.yaml",
            "clé inconnue `cle\u{1b}]0;PWNED\u{7}`",
        );
        d.hint = Some("\u{1b}[2J".into());
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("clé inconnue `cle␛]0;PWNED␇`"), "{shown}");
        assert!(shown.contains("aide : ␛[2J"), "{shown}");
        assert_eq!(visible("a\u{202e}b"), "a\u{fffd}b");
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["signataires", "strategie", "plan_action"];
        assert_eq!(did_you_mean("sigantaires", keys), Some("signataires"));
        assert_eq!(did_you_mean("budget", keys), None);
    }

    #[test]
    fn summary_uses_french_plurals() {
        let mut r = Report::default();
        r.push(Diagnostic::file_level(Severity::Error, "a", "x"));
        r.push(Diagnostic::file_level(Severity::Warning, "b", "y"));
        r.push(Diagnostic::file_level(Severity::Warning, "b", "z"));
        assert_eq!(r.summary(), "1 erreur et 2 avertissements dans 2 fichiers");
    }
}
