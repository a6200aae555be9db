//! Errors of a run (every stage). The content's problems are a report of diagnostics (exit
//! code 1); everything else is an [`OpError`] that keeps its cause — the file and what was
//! done to it, the template with its line and the missing name, the typst messages — and says
//! it in French (exit code 2).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Report;

/// Why a run failed.
#[derive(Debug)]
pub enum Error {
    /// The content has errors (exit code 1); the report holds every diagnostic.
    Content(Report),
    /// Something outside the content went wrong (exit code 2).
    Operational(OpError),
}

impl From<OpError> for Error {
    fn from(e: OpError) -> Self {
        Error::Operational(e)
    }
}

/// A failure that is not the content's fault. Exit code 2.
#[derive(Debug)]
pub enum OpError {
    /// A file operation failed: `impossible de lire `content/crte/x.yaml` : permission refusée`.
    Io {
        /// What was being done, as a French infinitive: `lire`, `créer`, `écrire`.
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// A template of the theme cannot be loaded or rendered.
    Gabarit(Box<GabaritError>),
    /// The PDF fiche of a record cannot be rendered: typst's messages, or the failure that
    /// stopped the engine (the PDF engine's own error type, kept whole).
    Pdf {
        /// The record's file (`content/crte/x.yaml`), or the collection's folder.
        source_fiche: String,
        error: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Anything else, already said in French.
    Message(String),
}

impl OpError {
    pub fn new(message: impl Into<String>) -> Self {
        OpError::Message(message.into())
    }

    pub fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        OpError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// A folder that cannot be walked through.
    pub fn parcours(dir: &Path, e: walkdir::Error) -> Self {
        let path = e.path().unwrap_or(dir).to_path_buf();
        match e.into_io_error() {
            Some(source) => OpError::io("parcourir", &path, source),
            None => OpError::new(format!(
                "impossible de parcourir `{}` : les liens symboliques y forment une boucle",
                path.display()
            )),
        }
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpError::Io {
                action,
                path,
                source,
            } => write!(
                f,
                "impossible {} `{}` : {}",
                de(action),
                path.display(),
                io_message(source)
            ),
            OpError::Gabarit(e) => e.fmt(f),
            OpError::Pdf {
                source_fiche,
                error,
            } => write!(f, "fiche PDF de `{source_fiche}` : {error}"),
            OpError::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for OpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OpError::Io { source, .. } => Some(source),
            OpError::Pdf { error, .. } => Some(error.as_ref()),
            OpError::Gabarit(_) | OpError::Message(_) => None,
        }
    }
}

/// The French words for the I/O failures a user meets; the system's text otherwise.
/// « de lire », « d'écrire »: the preposition before an infinitive, elided before a vowel.
fn de(action: &str) -> String {
    if action.starts_with(['a', 'e', 'é', 'ê', 'i', 'o', 'u', 'h']) {
        format!("d'{action}")
    } else {
        format!("de {action}")
    }
}

pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "fichier ou dossier introuvable".to_string(),
        io::ErrorKind::PermissionDenied => "permission refusée".to_string(),
        io::ErrorKind::AlreadyExists => "existe déjà".to_string(),
        io::ErrorKind::StorageFull => "disque plein".to_string(),
        io::ErrorKind::ReadOnlyFilesystem => "système de fichiers en lecture seule".to_string(),
        io::ErrorKind::IsADirectory => "c'est un dossier".to_string(),
        io::ErrorKind::NotADirectory => "ce n'est pas un dossier".to_string(),
        io::ErrorKind::DirectoryNotEmpty => "dossier non vide".to_string(),
        _ => e.to_string(),
    }
}

/// A template that cannot be loaded or rendered: its file, its line, what failed and, for a
/// value that does not exist, the expression that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GabaritError {
    /// The template file (`themes/dsfr/templates/crte.html`).
    pub fichier: PathBuf,
    pub ligne: Option<usize>,
    /// What failed, in French (`valeur indéfinie`, `erreur de syntaxe`…).
    pub probleme: String,
    /// The expression at fault, as written in the template (`page.titr`), when known.
    pub expression: Option<String>,
    /// The template engine's own detail, when it adds something.
    pub detail: Option<String>,
    /// The page being rendered (`crte/lozere/index.html`), when the error came from a render.
    pub page: Option<String>,
}

impl fmt::Display for GabaritError {
    /// `gabarit themes/dsfr/templates/crte.html, ligne 4 : valeur indéfinie `page.titr``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gabarit {}", self.fichier.display())?;
        if let Some(line) = self.ligne {
            write!(f, ", ligne {line}")?;
        }
        write!(f, " : {}", self.probleme)?;
        if let Some(expr) = &self.expression {
            write!(f, " `{expr}`")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        if let Some(page) = &self.page {
            write!(f, " ; page {page}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preposition_is_elided_before_a_vowel() {
        let e = |action| {
            let source = io::Error::from(io::ErrorKind::PermissionDenied);
            OpError::io(action, Path::new("output/a.pdf"), source).to_string()
        };
        assert_eq!(
            e("écrire"),
            "impossible d'écrire `output/a.pdf` : permission refusée"
        );
        assert_eq!(
            e("lire"),
            "impossible de lire `output/a.pdf` : permission refusée"
        );
    }
}
