//! Load stage: find the content files, read each once (size-capped, UTF-8 checked, no
//! symlinks), and parse the YAML ones into positioned trees ([`yaml`]), in parallel. The
//! [`decode`] part of the stage turns a tree into a typed record.

pub mod decode;
pub mod limites;
pub mod schema;
pub mod yaml;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Pos, Severity};
use crate::error::OpError;
use yaml::Node;

/// Larger content files are refused before being read: a record is a few kilobytes.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// One parsed YAML file.
#[derive(Debug)]
pub struct Source {
    /// Path shown to users, relative to the site root, with `/` separators.
    pub display: String,
    /// The file name without extension: the default record id.
    pub stem: String,
    pub text: String,
    pub root: Node,
    /// The file on disk: files a record names (an actor's logo) are found next to it.
    pub path: PathBuf,
    /// The time of the last commit that changed the file, in a git site, when it has no change
    /// since: the same commit always gives the same date.
    pub date: Option<i64>,
}

/// A markdown page of `content/pages/`.
#[derive(Debug)]
pub struct Page {
    pub display: String,
    pub slug: String,
    pub text: String,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub site: Option<Source>,
    /// Record files per kind, in file-name order.
    pub records: Vec<(&'static str, Vec<Source>)>,
    pub pages: Vec<Page>,
    /// The theme folders found under `themes/`.
    pub themes: Vec<String>,
    /// Publisher-provided static files (fonts, logos) under `content/static/`: (relative path, absolute path).
    pub static_files: Vec<(String, PathBuf)>,
}

impl Content {
    pub fn records(&self, kind: &str) -> &[Source] {
        self.records
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// Reads the content under `root/content`: the site's settings, the records of each of
/// `folders` (one per record kind), the pages. Content problems go to `diags`; I/O failures
/// (a folder that cannot be listed, a file that cannot be opened) are operational errors.
pub fn load(
    root: &Path,
    folders: &[&'static str],
    diags: &mut Vec<Diagnostic>,
) -> Result<Content, OpError> {
    let content = root.join("content");
    let before = diags.len();
    if !real_dir(root, &content, diags) {
        if diags.len() > before {
            return Ok(Content::default());
        }
        return Err(OpError::new(format!(
            "dossier `{}` introuvable : lancez la commande à la racine du site ou indiquez-la avec --root",
            content.display()
        )));
    }
    let mut out = Content::default();

    let site = content.join("site.yaml");
    if fs::symlink_metadata(&site).is_ok() {
        match read_yaml(root, &site)? {
            Ok(s) => out.site = Some(s),
            Err(mut d) => diags.append(&mut d),
        }
    } else {
        diags.push(
            Diagnostic::file_level(Severity::Error, "content/site.yaml", "fichier de configuration du site absent")
                .with_hint("créez content/site.yaml avec au moins `titre`, `url_base` et `editeur` (voir le README)"),
        );
    }

    let dates = dates_des_fichiers(root);
    for kind in folders {
        let files = list(root, &content.join(kind), &["yaml", "yml"], diags)?;
        let parsed: Vec<Result<Result<Source, Vec<Diagnostic>>, OpError>> =
            files.par_iter().map(|p| read_yaml(root, p)).collect();
        let mut sources = Vec::new();
        for r in parsed {
            match r? {
                Ok(mut s) => {
                    s.date = dates.get(&s.display).copied();
                    sources.push(s);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
        out.records.push((*kind, sources));
    }

    for path in list(root, &content.join("pages"), &["md"], diags)? {
        let display = display(root, &path);
        if let Some(text) = read_text(&path, &display, diags)? {
            let slug = stem(&path);
            out.pages.push(Page {
                display,
                slug,
                text,
            });
        }
    }

    if let Ok(entries) = fs::read_dir(root.join("themes")) {
        out.themes = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("templates").is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        out.themes.sort();
    }

    let statics = content.join("static");
    if real_dir(root, &statics, diags) {
        for entry in walkdir::WalkDir::new(&statics).sort_by_file_name() {
            let entry = entry.map_err(|e| OpError::parcours(&statics, e))?;
            if entry.path_is_symlink() {
                diags.push(lien_refuse(&display(root, entry.path())));
            } else if entry.file_type().is_file() {
                let rel = display(&statics, entry.path());
                out.static_files.push((rel, entry.into_path()));
            }
        }
    }
    Ok(out)
}

/// The date of the content, in Unix seconds, when the site is a git repository: the time of
/// the last commit that touched `content/` (the same commit always gives the same date, so
/// the same bytes). `None` outside a repository, or when `git` is not installed.
pub fn date_du_contenu(root: &Path) -> Option<i64> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "-1", "--format=%ct", "--", "content"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

/// The time of the last commit that changed each file of `content/`, by path relative to
/// `root` (`content/crte/x.yaml`), when the site is a git repository; empty otherwise. One
/// `git log` for all files: newest commits first, so a file's first mention is its last change.
fn dates_des_fichiers(root: &Path) -> std::collections::HashMap<String, i64> {
    let mut dates = std::collections::HashMap::new();
    let Ok(out) = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--format=@%ct",
            "--name-only",
            "--relative",
            "--no-renames",
            "--",
            "content",
        ])
        .stderr(std::process::Stdio::null())
        .output()
    else {
        return dates;
    };
    if !out.status.success() {
        return dates;
    }
    let mut current = None;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(time) = line.strip_prefix('@') {
            current = time.parse::<i64>().ok();
        } else if let Some(time) = current.filter(|_| !line.is_empty()) {
            dates.entry(line.to_string()).or_insert(time);
        }
    }
    dates
}

/// The files of `dir` with one of `exts`, sorted; anything else there is reported.
fn list(
    root: &Path,
    dir: &Path,
    exts: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<PathBuf>, OpError> {
    if !real_dir(root, dir, diags) {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| OpError::parcours(dir, e))?;
        let path = entry.path();
        let shown = display(root, path);
        let name = entry.file_name().to_string_lossy();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if entry.path_is_symlink() {
            diags.push(lien_refuse(&shown));
        } else if name.starts_with('.') {
            // Editors' and systems' own files (`.lozere.yaml.swp`, `.DS_Store`) are not
            // records, but a record renamed by mistake would vanish without a word.
            if entry.file_type().is_file() {
                diags.push(
                    Diagnostic::file_level(Severity::Warning, &shown, "fichier caché ignoré")
                        .with_hint("un nom qui commence par un point n'est pas lu : retirez le point s'il s'agit d'un enregistrement"),
                );
            }
        } else if entry.file_type().is_file() && exts.contains(&ext) {
            files.push(path.to_path_buf());
        } else if entry.file_type().is_dir() {
            // Sub-folders hold the files records name (an actor's `logos/`).
        } else {
            diags.push(
                Diagnostic::file_level(Severity::Warning, &shown, "fichier ignoré").with_hint(
                    format!(
                        "seuls les fichiers .{} de ce dossier sont lus",
                        exts.join(", .")
                    ),
                ),
            );
        }
    }
    Ok(files)
}

/// Whether `dir` is a folder of the site itself: a symbolic link there would publish files
/// from elsewhere on the machine, so it is refused (an error) and not followed.
fn real_dir(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> bool {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            diags.push(lien_refuse(&display(root, dir)));
            false
        }
        Ok(meta) => meta.is_dir(),
        Err(_) => false,
    }
}

fn lien_refuse(shown: &str) -> Diagnostic {
    Diagnostic::file_level(Severity::Error, shown, "lien symbolique refusé").with_hint(
        "placez le fichier ou le dossier lui-même dans le site : un lien ferait publier des fichiers d'ailleurs",
    )
}

/// `path` relative to `root`, with `/` separators whatever the platform.
pub fn display(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a text file with the size cap and the UTF-8 check; `None` when it was reported.
fn read_text(
    path: &Path,
    shown: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<String>, OpError> {
    let meta = fs::symlink_metadata(path).map_err(|e| OpError::io("lire", path, e))?;
    if meta.file_type().is_symlink() {
        diags.push(lien_refuse(shown));
        return Ok(None);
    }
    if meta.len() > MAX_FILE_SIZE {
        diags.push(
            Diagnostic::file_level(
                Severity::Error,
                shown,
                format!(
                    "fichier trop volumineux ({} Mo ; maximum {} Mo)",
                    crate::view::format::number(meta.len() as f64 / 1_048_576.0),
                    MAX_FILE_SIZE / 1_048_576
                ),
            )
            .with_hint("un enregistrement tient en quelques kilo-octets : vérifiez qu'il s'agit du bon fichier"),
        );
        return Ok(None);
    }
    let bytes = fs::read(path).map_err(|e| OpError::io("lire", path, e))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(
            text.strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text),
        )),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let before = String::from_utf8_lossy(good);
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let mut d = Diagnostic::file_level(
                Severity::Error,
                shown,
                format!("le fichier n'est pas encodé en UTF-8 (octet 0x{:02X})", e.as_bytes()[good.len()]),
            )
            .with_hint("enregistrez-le en UTF-8 depuis votre éditeur (LibreOffice, Notepad++ : « Encodage UTF-8 »)");
            d.pos = Some(Pos { line, col });
            diags.push(d);
            Ok(None)
        }
    }
}

fn read_yaml(root: &Path, path: &Path) -> Result<Result<Source, Vec<Diagnostic>>, OpError> {
    let shown = display(root, path);
    let mut diags = Vec::new();
    let Some(text) = read_text(path, &shown, &mut diags)? else {
        return Ok(Err(diags));
    };
    Ok(match yaml::parse(&shown, &text) {
        Ok(root) => Ok(Source {
            display: shown,
            stem: stem(path),
            text,
            root,
            path: path.to_path_buf(),
            date: None,
        }),
        Err(d) => Err(d),
    })
}
