//! Write stage: the one writer every renderer goes through.
//!
//! A build writes into a staging folder next to the output folder and swaps it in only at the
//! end, so a failed or interrupted build leaves the previous `output/` exactly as it was. Paths
//! are checked before any write: nothing lands outside the staging folder.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::OpError;

/// Written at the root of every output folder: an existing folder without it is not ours and
/// is never replaced (a mistyped `--output ~/Documents` must not delete anything).
pub const MARKER: &str = ".territoires";
const MARKER_TEXT: &str =
    "Dossier généré par territoires : il est remplacé à chaque construction.\n";

/// Where the renderers write: the staging folder of a build, or nowhere (`check` renders
/// every page to find template errors, and writes nothing).
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OpError>;
    /// Copies a file into the output.
    fn copy(&self, rel: &str, from: &Path) -> Result<(), OpError>;
    /// The size in bytes of the file written at `rel` in this build, if the sink keeps files
    /// (pages show the size of a PDF next to its link).
    fn taille(&self, _rel: &str) -> Option<u64> {
        None
    }
}

/// A [`Sink`] that checks each path and keeps nothing.
pub struct Nowhere;

impl Sink for Nowhere {
    fn write(&self, rel: &str, _bytes: &[u8]) -> Result<(), OpError> {
        check_rel(rel).map(|_| ())
    }

    fn copy(&self, rel: &str, _from: &Path) -> Result<(), OpError> {
        check_rel(rel).map(|_| ())
    }
}

/// `rel` as a relative path that stays inside the output.
fn check_rel(rel: &str) -> Result<&Path, OpError> {
    let p = Path::new(rel);
    let safe = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(OpError::new(format!(
            "chemin de sortie refusé `{rel}` : il sortirait du dossier de sortie"
        )));
    }
    Ok(p)
}

pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    /// How many files were written (for the stage line).
    written: AtomicUsize,
    committed: bool,
}

impl Output {
    /// Prepares an empty staging folder for `target`.
    pub fn begin(target: &Path) -> Result<Output, OpError> {
        let name = target.file_name().ok_or_else(|| {
            OpError::new(format!("dossier de sortie invalide `{}`", target.display()))
        })?;
        if target.exists()
            && !target.join(MARKER).exists()
            && fs::read_dir(target).is_ok_and(|mut d| d.next().is_some())
        {
            return Err(OpError::new(format!(
                "le dossier de sortie `{}` existe, n'est pas vide et n'a pas été créé par territoires : il ne sera pas remplacé (choisissez un autre --output, ou videz-le)",
                target.display()
            )));
        }
        let staging = target.with_file_name(format!(".{}.en-cours", name.to_string_lossy()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| OpError::io("supprimer", &staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| OpError::io("créer", &staging, e))?;
        let out = Output {
            target: target.to_path_buf(),
            staging,
            written: AtomicUsize::new(0),
            committed: false,
        };
        out.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(out)
    }

    fn resolve(&self, rel: &str) -> Result<PathBuf, OpError> {
        Ok(self.staging.join(check_rel(rel)?))
    }

    /// Swaps the staging folder in place of the target.
    pub fn commit(mut self) -> Result<usize, OpError> {
        let old = self.target.with_file_name(format!(
            ".{}.ancien",
            self.target
                .file_name()
                .expect("checked in begin")
                .to_string_lossy()
        ));
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| OpError::io("supprimer", &old, e))?;
        }
        if self.target.exists() {
            fs::rename(&self.target, &old).map_err(|e| OpError::io("déplacer", &self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            // Put the previous output back before reporting.
            let _ = fs::rename(&old, &self.target);
            return Err(OpError::io("installer", &self.target, e));
        }
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| OpError::io("supprimer", &old, e))?;
        }
        Ok(self.written.load(Ordering::Relaxed))
    }
}

impl Sink for Output {
    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OpError> {
        let path = self.resolve(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| OpError::io("créer", parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| OpError::io("écrire", &path, e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Copies a file into the output.
    fn copy(&self, rel: &str, from: &Path) -> Result<(), OpError> {
        let bytes = fs::read(from).map_err(|e| OpError::io("lire", from, e))?;
        self.write(rel, &bytes)
    }

    fn taille(&self, rel: &str) -> Option<u64> {
        fs::metadata(self.resolve(rel).ok()?).ok().map(|m| m.len())
    }
}

impl Drop for Output {
    /// A build that did not reach `commit` leaves no trace.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::begin(&dir.path().join("output")).unwrap();
        assert!(out.write("../evil", b"x").is_err());
        assert!(out.write("/etc/passwd", b"x").is_err());
        assert!(out.write("a/../../b", b"x").is_err());
        out.write("crte/a/index.html", b"ok").unwrap();
        out.commit().unwrap();
        assert_eq!(
            fs::read(dir.path().join("output/crte/a/index.html")).unwrap(),
            b"ok"
        );
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn unfinished_build_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("output");
        let first = Output::begin(&target).unwrap();
        first.write("index.html", b"v1").unwrap();
        first.commit().unwrap();
        let second = Output::begin(&target).unwrap();
        second.write("index.html", b"v2").unwrap();
        drop(second);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"v1");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging folder left behind"
        );
    }

    #[test]
    fn never_replaces_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), b"x").unwrap();
        let err = Output::begin(dir.path()).err().unwrap();
        assert!(err.to_string().contains("n'a pas été créé par territoires"));
    }
}
