//! Write stage: the one writer every renderer goes through.
//!
//! A build writes into a staging folder next to the output folder and swaps it in only at the
//! end, so a failed or interrupted build leaves the previous `output/` exactly as it was. Paths
//! are checked before any write: nothing lands outside the staging folder.
//!
//! - **One build at a time**: an advisory lock on `.<output>.verrou`, next to the output, held
//!   for the whole build; a second build refuses at once with a clear message. The system
//!   releases the lock of a killed build: it never blocks for ever.
//! - **The swap is one step**: on Linux the staging folder and the output are exchanged by one
//!   `renameat2(RENAME_EXCHANGE)`, so after a kill at any moment `output/` is the previous site
//!   or the new one, whole. Where the filesystem lacks the exchange (some network filesystems),
//!   it falls back to two renames, the previous site kept aside until the new one is in place.
//! - **Only its own folders**: the staging folder carries the tool's marker file; a folder of
//!   that name without it is the user's and is never deleted.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

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
    /// The size in bytes of every file written so far, by path: pages announce their
    /// downloads' sizes. Nothing when nothing is written.
    fn tailles(&self) -> HashMap<String, u64> {
        HashMap::new()
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
    /// The files written and their sizes.
    written: Mutex<HashMap<String, u64>>,
    committed: bool,
    /// Held until the build ends: no other build writes into the same output meanwhile.
    _verrou: fs::File,
}

impl Output {
    /// Takes the output's lock and prepares an empty staging folder for `target`.
    pub fn begin(target: &Path) -> Result<Output, OpError> {
        let name = target.file_name().ok_or_else(|| {
            OpError::new(format!("dossier de sortie invalide `{}`", target.display()))
        })?;
        let name = name.to_string_lossy();
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| OpError::io("créer", parent, e))?;
        }
        let verrou_path = target.with_file_name(format!(".{name}.verrou"));
        let verrou = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&verrou_path)
            .map_err(|e| OpError::io("créer", &verrou_path, e))?;
        if verrou.try_lock().is_err() {
            return Err(OpError::new(format!(
                "une autre construction écrit déjà dans `{}` (verrou `{}`) : attendez qu'elle finisse, puis relancez",
                target.display(),
                verrou_path.display()
            )));
        }
        if target.exists() && !target.is_dir() {
            return Err(OpError::new(format!(
                "`{}` est un fichier, pas un dossier : choisissez un autre --output",
                target.display()
            )));
        }
        if target.is_dir()
            && !target.join(MARKER).exists()
            && fs::read_dir(target).is_ok_and(|mut d| d.next().is_some())
        {
            return Err(OpError::new(format!(
                "le dossier de sortie `{}` existe, n'est pas vide et n'a pas été créé par territoires : il ne sera pas remplacé (choisissez un autre --output, ou videz-le)",
                target.display()
            )));
        }
        // The previous site is removed after the swap: every folder of it must be ours to empty,
        // or the swap would install the new site and then fail, leaving the old one behind.
        if target.is_dir()
            && let Some(dir) = non_modifiable(target)
        {
            return Err(OpError::new(format!(
                "le dossier `{}` n'est pas modifiable (permission refusée) : rien n'a été construit ni remplacé",
                dir.display()
            )));
        }
        let staging = target.with_file_name(format!(".{name}.en-cours"));
        if staging.exists() {
            // Left by an interrupted build — or a folder of the user's: only ours is removed.
            if !staging.join(MARKER).exists() {
                return Err(OpError::new(format!(
                    "`{}` existe et n'a pas été créé par territoires : il ne sera pas supprimé (renommez-le, ou choisissez un autre --output)",
                    staging.display()
                )));
            }
            fs::remove_dir_all(&staging).map_err(|e| OpError::io("supprimer", &staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| OpError::io("créer", &staging, e))?;
        let out = Output {
            target: target.to_path_buf(),
            staging,
            written: Mutex::new(HashMap::new()),
            committed: false,
            _verrou: verrou,
        };
        out.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(out)
    }

    fn resolve(&self, rel: &str) -> Result<PathBuf, OpError> {
        Ok(self.staging.join(check_rel(rel)?))
    }

    /// Puts the staging folder in place of the target, in one step where the system can.
    pub fn commit(mut self) -> Result<usize, OpError> {
        if self.target.exists() {
            match echanger(&self.staging, &self.target) {
                Ok(()) => {
                    // The staging path now holds the previous site.
                    self.committed = true;
                    fs::remove_dir_all(&self.staging)
                        .map_err(|e| OpError::io("supprimer", &self.staging, e))?;
                }
                Err(_) => self.commit_in_two_steps()?,
            }
        } else {
            fs::rename(&self.staging, &self.target)
                .map_err(|e| OpError::io("installer", &self.target, e))?;
            self.committed = true;
        }
        Ok(self.written.lock().expect("no writer panics").len())
    }

    /// Where the filesystem cannot exchange two folders: the previous site aside, the new one
    /// in, the previous one removed (a kill between the two renames leaves it aside).
    fn commit_in_two_steps(&mut self) -> Result<(), OpError> {
        let name = self
            .target
            .file_name()
            .expect("checked in begin")
            .to_string_lossy()
            .into_owned();
        let old = self.target.with_file_name(format!(".{name}.ancien"));
        if old.exists() && old.join(MARKER).exists() {
            fs::remove_dir_all(&old).map_err(|e| OpError::io("supprimer", &old, e))?;
        }
        fs::rename(&self.target, &old).map_err(|e| OpError::io("déplacer", &self.target, e))?;
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            let _ = fs::rename(&old, &self.target);
            return Err(OpError::io("installer", &self.target, e));
        }
        self.committed = true;
        fs::remove_dir_all(&old).map_err(|e| OpError::io("supprimer", &old, e))
    }
}

/// Exchanges two paths in one system call (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn echanger(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths, relative to the current directory.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere, no exchange: the two-step swap is used.
#[cfg(not(target_os = "linux"))]
fn echanger(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

impl Sink for Output {
    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OpError> {
        let path = self.resolve(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| OpError::io("créer", parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| OpError::io("écrire", &path, e))?;
        self.written
            .lock()
            .expect("no writer panics")
            .insert(rel.to_string(), bytes.len() as u64);
        Ok(())
    }

    /// Copies a file into the output.
    fn copy(&self, rel: &str, from: &Path) -> Result<(), OpError> {
        let bytes = fs::read(from).map_err(|e| OpError::io("lire", from, e))?;
        self.write(rel, &bytes)
    }

    fn tailles(&self) -> HashMap<String, u64> {
        self.written.lock().expect("no writer panics").clone()
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

/// The first folder of `dir` (itself included) this process may not write in, if any.
fn non_modifiable(dir: &Path) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .find(|path| {
            let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
                return true;
            };
            // SAFETY: `c` is a valid NUL-terminated path; access(2) only reads it.
            unsafe { libc::access(c.as_ptr(), libc::W_OK) != 0 }
        })
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
        // The output and its lock file (kept: removing it could let two builds lock two files).
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no staging folder left behind"
        );
    }

    #[test]
    fn one_build_at_a_time_and_only_our_folders() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("output");
        let first = Output::begin(&target).unwrap();
        let second = Output::begin(&target).err().unwrap();
        assert!(
            second
                .to_string()
                .contains("une autre construction écrit déjà dans"),
            "{second}"
        );
        drop(first);
        let again = Output::begin(&target).unwrap();
        again.write("index.html", b"v1").unwrap();
        again.commit().unwrap();
        let entries: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            entries
                .iter()
                .all(|e| e == "output" || e == ".output.verrou"),
            "{entries:?}"
        );

        // A folder of the user's named like our staging folder is never deleted.
        let staging = dir.path().join(".output.en-cours");
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("precieux.txt"), b"x").unwrap();
        let err = Output::begin(&target).err().unwrap();
        assert!(err.to_string().contains("n'a pas été créé par territoires"));
        assert!(staging.join("precieux.txt").exists());

        // An output path that is a file is refused, the file untouched.
        let file = dir.path().join("fichier");
        fs::write(&file, b"x").unwrap();
        let err = Output::begin(&file).err().unwrap();
        assert!(err.to_string().contains("est un fichier, pas un dossier"));
        assert_eq!(fs::read(&file).unwrap(), b"x");
    }

    #[test]
    fn the_swap_is_one_exchange() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("output");
        for v in ["v1", "v2", "v3"] {
            let out = Output::begin(&target).unwrap();
            out.write("index.html", v.as_bytes()).unwrap();
            out.commit().unwrap();
            assert_eq!(fs::read(target.join("index.html")).unwrap(), v.as_bytes());
        }
        assert!(!dir.path().join(".output.en-cours").exists());
        assert!(!dir.path().join(".output.ancien").exists());
    }

    #[test]
    fn never_replaces_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), b"x").unwrap();
        let err = Output::begin(dir.path()).err().unwrap();
        assert!(err.to_string().contains("n'a pas été créé par territoires"));
    }
}
