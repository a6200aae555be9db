//! Render stage, themes: where each file of the site's theme comes from.
//!
//! A theme is layered on the default theme (`dsfr`): it holds only the files it changes
//! (`templates/`, `static/`, `typst/`, `fonts/`), and every file it lacks is the default
//! theme's. A theme may also leave out files of the default theme it must not publish, in its
//! `theme.yaml` (the neutral theme does not publish the State's design system):
//!
//! ```yaml
//! sans:
//!   - static/dsfr
//!   - static/territoires.css
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::OpError;
use crate::source::{decode::decode, display, yaml};

/// The theme other themes are layered on.
pub const DEFAULT_THEME: &str = "dsfr";

/// The optional `theme.yaml` of a theme.
#[derive(Debug, Default, Deserialize)]
struct Manifeste {
    /// Files or folders of the default theme (`static/dsfr`) this theme does not publish.
    sans: Option<Vec<String>>,
}

/// A theme and the default theme under it.
#[derive(Debug)]
pub struct Theme {
    pub nom: String,
    /// The theme's folder, then the default theme's when they differ: a file is taken from
    /// the first that has it.
    couches: Vec<PathBuf>,
    /// Paths of the default theme's files this theme leaves out (`static/dsfr`).
    sans: Vec<String>,
    /// The site root, for the paths shown in messages.
    root: PathBuf,
}

impl Theme {
    /// The theme `nom` of the site at `root` (`root/themes/nom`), on the default theme.
    pub fn open(root: &Path, nom: &str) -> Result<Theme, OpError> {
        let dir = root.join("themes").join(nom);
        if !dir.is_dir() {
            return Err(OpError::new(format!(
                "thème `{nom}` introuvable : dossier `{}` absent",
                dir.display()
            )));
        }
        let mut couches = vec![dir.clone()];
        let defaut = root.join("themes").join(DEFAULT_THEME);
        if nom != DEFAULT_THEME && defaut.is_dir() {
            couches.push(defaut);
        }
        for couche in &couches {
            refuse_links(root, couche)?;
        }
        let manifeste = dir.join("theme.yaml");
        let sans = if manifeste.is_file() {
            read_manifest(root, &manifeste)?.sans.unwrap_or_default()
        } else {
            Vec::new()
        };
        Ok(Theme {
            nom: nom.to_string(),
            couches,
            sans,
            root: root.to_path_buf(),
        })
    }

    /// Every file under `sous` (`templates`, `static`, `typst`) with its path inside that
    /// folder (`dsfr/dsfr.min.css`), sorted: the theme's own, then those of the default theme
    /// it neither redefines nor leaves out.
    pub fn fichiers(&self, sous: &str) -> Result<Vec<(String, PathBuf)>, OpError> {
        let mut out: BTreeMap<String, PathBuf> = BTreeMap::new();
        for (rang, couche) in self.couches.iter().enumerate() {
            let dir = couche.join(sous);
            if !dir.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.map_err(|e| OpError::parcours(&dir, e))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = display(&dir, entry.path());
                let herite = rang > 0;
                if herite && self.laisse(&format!("{sous}/{rel}")) {
                    continue;
                }
                out.entry(rel).or_insert_with(|| entry.into_path());
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The file `sous/rel` of the theme, or of the default theme.
    pub fn fichier(&self, sous: &str, rel: &str) -> Option<PathBuf> {
        self.couches.iter().enumerate().find_map(|(rang, couche)| {
            let path = couche.join(sous).join(rel);
            let herite = rang > 0;
            (path.is_file() && !(herite && self.laisse(&format!("{sous}/{rel}")))).then_some(path)
        })
    }

    /// The folders `sous` of the layers that have one, the theme's first.
    pub fn dossiers(&self, sous: &str) -> Vec<PathBuf> {
        self.couches
            .iter()
            .map(|c| c.join(sous))
            .filter(|d| d.is_dir())
            .collect()
    }

    /// Whether the theme leaves out the default theme's `path` (a file, or a folder of it).
    fn laisse(&self, path: &str) -> bool {
        self.sans.iter().any(|s| {
            let s = s.trim_end_matches('/');
            path == s || path.starts_with(&format!("{s}/"))
        })
    }

    /// `path` as users see it: relative to the site root.
    pub fn montre(&self, path: &Path) -> String {
        display(&self.root, path)
    }
}

/// A theme is published as it is: a symbolic link anywhere in it (the theme itself, its
/// `static/`, one file) would publish files from elsewhere on the machine, so it is refused.
fn refuse_links(root: &Path, dir: &Path) -> Result<(), OpError> {
    let themes = dir.parent().unwrap_or(dir);
    for path in [themes, dir] {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(lien(root, path));
        }
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| OpError::parcours(dir, e))?;
        if entry.path_is_symlink() {
            return Err(lien(root, entry.path()));
        }
    }
    Ok(())
}

fn lien(root: &Path, path: &Path) -> OpError {
    OpError::new(format!(
        "`{}` est un lien symbolique, refusé dans un thème : placez-y le fichier ou le dossier lui-même",
        display(root, path)
    ))
}

fn read_manifest(root: &Path, path: &Path) -> Result<Manifeste, OpError> {
    let shown = display(root, path);
    let text = std::fs::read_to_string(path).map_err(|e| OpError::io("lire", path, e))?;
    let tree = yaml::parse(&shown, &text).map_err(|d| first(&d))?;
    decode::<Manifeste>(&shown, &text, &tree).map_err(|d| first(&d))
}

fn first(diags: &[crate::diagnostics::Diagnostic]) -> OpError {
    OpError::new(
        diags
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn a_theme_overrides_one_file_at_a_time_and_leaves_out_what_it_says() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        write(r, "themes/dsfr/templates/base.html", "dsfr base");
        write(r, "themes/dsfr/templates/crte.html", "dsfr crte");
        write(r, "themes/dsfr/static/dsfr/dsfr.min.css", "etat");
        write(r, "themes/dsfr/static/catalogue.js", "js");
        write(r, "themes/autre/templates/base.html", "autre base");
        write(r, "themes/autre/theme.yaml", "sans:\n  - static/dsfr\n");
        let theme = Theme::open(r, "autre").unwrap();
        let templates = theme.fichiers("templates").unwrap();
        let names: Vec<&str> = templates.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["base.html", "crte.html"]);
        assert!(templates[0].1.starts_with(r.join("themes/autre")));
        assert!(templates[1].1.starts_with(r.join("themes/dsfr")));
        let statics = theme.fichiers("static").unwrap();
        let names: Vec<&str> = statics.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["catalogue.js"]);
        assert!(theme.fichier("static", "dsfr/dsfr.min.css").is_none());
        assert!(theme.fichier("templates", "crte.html").is_some());
    }

    #[test]
    fn a_theme_with_a_symbolic_link_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.txt", "secret");
        let r = root.path();
        write(r, "themes/dsfr/templates/base.html", "");
        std::os::unix::fs::symlink(outside.path(), r.join("themes/dsfr/static")).unwrap();
        let e = Theme::open(r, "dsfr").unwrap_err().to_string();
        assert_eq!(
            e,
            "`themes/dsfr/static` est un lien symbolique, refusé dans un thème : placez-y le fichier ou le dossier lui-même"
        );
    }

    #[test]
    fn a_broken_manifest_is_reported_with_its_line() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        write(r, "themes/dsfr/templates/base.html", "");
        write(r, "themes/autre/theme.yaml", "san:\n  - static/dsfr\n");
        let e = Theme::open(r, "autre").unwrap_err().to_string();
        assert!(e.contains("themes/autre/theme.yaml:1:1"), "{e}");
        assert!(e.contains("`sans`"), "{e}");
    }
}
