//! Render stage, everything typst: PDF fiches with the embedded typst compiler. No other
//! module names typst.
//!
//! A [`PdfEngine`] is built once per build and holds what is expensive and shared: the typst
//! standard library, the parsed fonts with their [`FontBook`], and a cache of the theme's files.
//! Each [`PdfEngine::render`] puts a short-lived `FicheWorld` on top of it, which adds the
//! record's JSON as the virtual file `/data.json`, compiles the template and exports a tagged
//! PDF/UA-1 document. [`PdfEngine::compile`] lays a fiche out without exporting it, to find a
//! template's errors (`territoires check`).
//!
//! Messages are in French; what typst itself says (`unknown variable: x`) stays as typst
//! wrote it, behind the file, line and column of the template.
//!
//! The world is a sandbox: it serves only regular files inside the theme's typst folder, or the
//! default theme's for a template the theme does not redefine (no `..`, no symbolic links),
//! `/data.json` and the loaded fonts. Packages, system fonts and the network
//! are unavailable, and both `datetime.today()` and the PDF creation date come from the build
//! timestamp, so identical input gives identical bytes.
//!
//! Theme files are read lazily, on first use, and then kept for the whole build: a build renders
//! hundreds of fiches from the same few templates, while a theme folder may hold files (images,
//! other fiche types) that a given build never uses. Each file has its own once-cell, so parallel
//! renders never read a file twice and never wait on each other except for that first read.
//!
//! Templates see the families of the theme's and the publisher's fonts as `sys.inputs.polices`
//! (an array of names), so they can prefer Marianne when a publisher provides it without a
//! warning when it is absent, and the inputs the caller gives (`sys.inputs.non_renseigne`).
//! After those fonts come free fallback fonts embedded in the binary (`fonts/`), which typst
//! takes for any character the others lack; [`Couverture`] is the same list, for `check`.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult, PackageError, Severity, SourceDiagnostic, Warned};
use typst::foundations::{Array, Bytes, Datetime, Dict, Duration, IntoValue, Smart, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, Lang, Locale};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// The virtual path under which a render's data is served to the template.
const DATA_PATH: &str = "/data.json";
/// The `/Creator` of every PDF (a fixed string: no version, for reproducible bytes).
const CREATOR: &str = "territoires";
/// Memoised typst results unused during this many renders are evicted after each render, so that
/// a national build does not keep every fiche's layout in memory.
const CACHE_MAX_AGE: usize = 10;
/// Extensions of the font files loaded from the font folders.
const FONT_EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];

/// The typst compiler set up for one build: standard library, fonts and theme files.
pub struct PdfEngine {
    /// The folders files are served from, searched in order: the theme's typst folder, then
    /// its fallbacks. Every served file is inside one of them.
    roots: Vec<Root>,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Theme files, read on first use (see the module documentation).
    files: Mutex<HashMap<FileId, Arc<FileSlot>>>,
}

/// Metadata of one PDF fiche.
#[derive(Debug, Clone)]
pub struct PdfMeta {
    /// Used as the PDF title when the template sets none.
    pub title: String,
    /// Language of the document (`"fr"`), used when the template sets none.
    pub lang: String,
    /// A stable identifier of the record (e.g. `crte/lozere`), hashed into the PDF identifier.
    pub ident: String,
    /// Creation time in Unix seconds (from `SOURCE_DATE_EPOCH`); also what `today()` returns.
    pub timestamp: i64,
}

/// A failed PDF render: typst's errors about the template (file, line, column, hints), or the
/// I/O operation that failed.
#[derive(Debug)]
pub struct PdfError {
    message: String,
    source: Option<io::Error>,
    typst: Vec<Message>,
}

impl PdfError {
    fn new(message: impl Into<String>) -> Self {
        PdfError {
            message: message.into(),
            source: None,
            typst: Vec::new(),
        }
    }

    fn io(message: impl Into<String>, source: io::Error) -> Self {
        PdfError {
            message: message.into(),
            source: Some(source),
            typst: Vec::new(),
        }
    }

    /// typst's errors, when typst refused the template.
    pub fn messages(&self) -> &[Message] {
        &self.typst
    }

    /// The same error with each file named by `montre` (relative to the site root).
    pub fn montre_fichiers(mut self, montre: impl Fn(&str) -> String) -> PdfError {
        for m in &mut self.typst {
            if let Some(f) = &m.fichier {
                m.fichier = Some(montre(f));
            }
        }
        self
    }
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.typst.is_empty() {
            let lines: Vec<String> = self.typst.iter().map(ToString::to_string).collect();
            return f.write_str(&lines.join("\n"));
        }
        match &self.source {
            Some(source) => write!(f, "{} : {}", self.message, crate::error::io_message(source)),
            None => f.write_str(&self.message),
        }
    }
}

/// A typst message about a template: where, what, and typst's hints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The template file as the build was told it (`themes/dsfr/typst/crte.typ`), or
    /// `/data.json`; `None` when typst gives no place.
    pub fichier: Option<String>,
    /// 1-based line and column (in characters).
    pub position: Option<(usize, usize)>,
    /// How many characters the message is about, from `position` (at least one).
    pub largeur: usize,
    /// The line of the file at `position`.
    pub ligne_source: Option<String>,
    pub texte: String,
    pub avertissement: bool,
    /// typst's hints, then the trace of the calls that led there, each with its place.
    pub aides: Vec<String>,
}

impl fmt::Display for Message {
    /// `typst : themes/dsfr/typst/crte.typ:3:5 : unknown variable: x`, then the hints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("typst : ")?;
        if let Some(file) = &self.fichier {
            f.write_str(file)?;
            if let Some((line, col)) = self.position {
                write!(f, ":{line}:{col}")?;
            }
            f.write_str(" : ")?;
        }
        if self.avertissement {
            f.write_str("avertissement : ")?;
        }
        f.write_str(&self.texte)?;
        for aide in &self.aides {
            write!(f, "\n  {aide}")?;
        }
        Ok(())
    }
}

/// A rendered fiche: its bytes and typst's warnings.
#[derive(Debug)]
pub struct Rendu {
    pub pdf: Vec<u8>,
    pub avertissements: Vec<Message>,
}

impl std::error::Error for PdfError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// A typst folder files are served from.
struct Root {
    /// Canonical path.
    real: PathBuf,
    /// The folder as the caller named it, for messages.
    shown: PathBuf,
}

impl Root {
    fn open(dir: &Path) -> Result<Root, PdfError> {
        let real = dir.canonicalize().map_err(|e| {
            PdfError::io(
                format!("impossible d'ouvrir le dossier typst `{}`", dir.display()),
                e,
            )
        })?;
        if !real.is_dir() {
            return Err(PdfError::new(format!(
                "`{}` n'est pas un dossier",
                dir.display()
            )));
        }
        Ok(Root {
            real,
            shown: dir.to_path_buf(),
        })
    }
}

/// One theme file, read at most once.
#[derive(Default)]
struct FileSlot {
    bytes: OnceLock<FileResult<Bytes>>,
    source: OnceLock<FileResult<Source>>,
}

impl PdfEngine {
    /// `typst_dirs`: the theme's typst folder (templates, images), then the folders where the
    /// files it lacks are looked for (the default theme's: a theme may keep only its own
    /// `commun.typ` and take the fiche templates of the default theme, which then import that
    /// `commun.typ`). `font_dirs`: folders of .ttf/.otf to load (the theme's committed fonts
    /// first, then optionally publisher-provided Marianne); a font folder that does not exist
    /// is skipped, an unreadable one is an error. `inputs` are given to every template as
    /// `sys.inputs`.
    pub fn new(
        typst_dirs: &[PathBuf],
        font_dirs: &[PathBuf],
        inputs: &[(&str, &str)],
    ) -> Result<PdfEngine, PdfError> {
        let roots = typst_dirs
            .iter()
            .map(|d| Root::open(d))
            .collect::<Result<Vec<_>, _>>()?;
        if roots.is_empty() {
            return Err(PdfError::new("aucun dossier typst dans le thème"));
        }

        let mut fonts = load_fonts(font_dirs)?;
        // The theme's and the publisher's families: what a template may choose.
        let families: Array = FontBook::from_fonts(&fonts)
            .families()
            .map(|(family, _)| family.into_value())
            .collect();
        fonts.extend(secours());
        let book = FontBook::from_fonts(&fonts);
        let mut dict = Dict::new();
        dict.insert("polices".into(), Value::Array(families));
        for (key, value) in inputs {
            dict.insert((*key).into(), (*value).into_value());
        }
        let library = Library::builder().with_inputs(dict).build();

        Ok(PdfEngine {
            roots,
            library: LazyHash::new(library),
            book: LazyHash::new(book),
            fonts,
            files: Mutex::new(HashMap::new()),
        })
    }

    /// Compiles `template` (a file name inside the typst folders, e.g. "crte.typ") with
    /// `data_json` served as the virtual file "/data.json", and `files` (virtual absolute paths
    /// such as `/logos/x.png`, with their bytes: the record's own files, never read from disk
    /// by typst), and exports a tagged PDF.
    pub fn render(
        &self,
        template: &str,
        data_json: &str,
        meta: &PdfMeta,
        files: &[(String, Vec<u8>)],
    ) -> Result<Rendu, PdfError> {
        let world = self.world(template, data_json, meta, files)?;
        let now = utc_datetime(meta.timestamp).expect("checked by world()");

        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let result = output
            .map_err(|errors| world.error(&errors))
            .and_then(|mut document| {
                fill_metadata(&mut document, meta);
                let options = PdfOptions {
                    ident: Smart::Custom(meta.ident.clone()),
                    creator: Smart::Custom(Some(CREATOR.to_owned())),
                    timestamp: Some(Timestamp::new_utc(now)),
                    page_ranges: None,
                    standards: PdfStandards::new(&[PdfStandard::Ua_1])
                        .map_err(|e| PdfError::new(format!("typst : {}", e.message())))?,
                    tagged: true,
                    pretty: false,
                };
                typst_pdf::pdf(&document, &options).map_err(|errors| world.error(&errors))
            });
        let avertissements = warnings.iter().map(|w| world.message(w)).collect();
        typst::comemo::evict(CACHE_MAX_AGE);
        result.map(|pdf| Rendu {
            pdf,
            avertissements,
        })
    }

    /// Lays `template` out with `data_json` without exporting it: its errors, or its warnings.
    pub fn compile(
        &self,
        template: &str,
        data_json: &str,
        meta: &PdfMeta,
        files: &[(String, Vec<u8>)],
    ) -> Result<Vec<Message>, PdfError> {
        let world = self.world(template, data_json, meta, files)?;
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let result = output
            .map_err(|errors| world.error(&errors))
            .map(|_| warnings.iter().map(|w| world.message(w)).collect());
        typst::comemo::evict(CACHE_MAX_AGE);
        result
    }

    /// The world of one render.
    fn world<'a>(
        &'a self,
        template: &str,
        data_json: &str,
        meta: &PdfMeta,
        files: &[(String, Vec<u8>)],
    ) -> Result<FicheWorld<'a>, PdfError> {
        let main_path = VirtualPath::new(template)
            .map_err(|e| PdfError::new(format!("nom de gabarit invalide `{template}` : {e}")))?;
        if main_path.get_with_slash() == DATA_PATH || main_path.is_root() {
            return Err(PdfError::new(format!(
                "nom de gabarit invalide `{template}`"
            )));
        }
        if utc_datetime(meta.timestamp).is_none() {
            return Err(PdfError::new(format!(
                "date de construction hors limites ({} s depuis 1970)",
                meta.timestamp
            )));
        }
        Ok(FicheWorld {
            engine: self,
            main: project_file(main_path),
            data_id: project_file(VirtualPath::new(DATA_PATH).expect("valid virtual path")),
            data: Bytes::from_string(data_json.to_owned()),
            extra: files
                .iter()
                .map(|(name, bytes)| {
                    let vpath = VirtualPath::new(name).map_err(|e| {
                        PdfError::new(format!("nom de fichier invalide `{name}` : {e}"))
                    })?;
                    Ok((project_file(vpath), Bytes::new(bytes.clone())))
                })
                .collect::<Result<_, PdfError>>()?,
            timestamp: meta.timestamp,
        })
    }

    /// The slot of a theme file, created empty on first request.
    fn slot(&self, id: FileId) -> Arc<FileSlot> {
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(files.entry(id).or_default())
    }

    /// The bytes of a theme file, read once.
    fn theme_file(&self, id: FileId) -> FileResult<Bytes> {
        self.slot(id)
            .bytes
            .get_or_init(|| self.read(id.vpath()))
            .clone()
    }

    /// A theme file as typst source, parsed once.
    fn theme_source(&self, id: FileId) -> FileResult<Source> {
        let slot = self.slot(id);
        slot.source
            .get_or_init(|| {
                let bytes = slot.bytes.get_or_init(|| self.read(id.vpath())).clone()?;
                let text = std::str::from_utf8(&bytes)?;
                Ok(Source::new(
                    id,
                    text.trim_start_matches('\u{feff}').to_owned(),
                ))
            })
            .clone()
    }

    /// Reads a regular file of the first typst folder that has it.
    fn read(&self, vpath: &VirtualPath) -> FileResult<Bytes> {
        let mut first_error = None;
        for root in &self.roots {
            match read_in(root, vpath) {
                Err(e @ FileError::NotFound(_)) => {
                    first_error.get_or_insert(e);
                }
                other => return other,
            }
        }
        Err(first_error.unwrap_or(FileError::AccessDenied))
    }

    /// Where a file is shown to come from in messages: the folder that has it.
    fn shown(&self, vpath: &VirtualPath) -> PathBuf {
        let relative = vpath.get_without_slash();
        let root = self
            .roots
            .iter()
            .find(|r| fs::symlink_metadata(r.real.join(relative)).is_ok())
            .unwrap_or(&self.roots[0]);
        root.shown.join(relative)
    }
}

/// Reads a regular file inside one typst folder, refusing symbolic links on the way.
fn read_in(root: &Root, vpath: &VirtualPath) -> FileResult<Bytes> {
    let relative = vpath.get_without_slash();
    let shown = root.shown.join(relative);
    if relative.is_empty() {
        return Err(FileError::IsDirectory);
    }
    let real = vpath.realize(&root.real)?;
    let inner = real
        .strip_prefix(&root.real)
        .map_err(|_| FileError::AccessDenied)?;

    let mut path = root.real.clone();
    let mut metadata = None;
    for component in inner.components() {
        let std::path::Component::Normal(name) = component else {
            return Err(FileError::AccessDenied);
        };
        path.push(name);
        let meta = fs::symlink_metadata(&path).map_err(|e| FileError::from_io(e, &shown))?;
        if meta.file_type().is_symlink() {
            return Err(FileError::Other(Some(
                format!(
                    "`{}` est un lien symbolique, refusé dans un thème",
                    shown.display()
                )
                .into(),
            )));
        }
        metadata = Some(meta);
    }
    match metadata {
        Some(meta) if meta.is_file() => {}
        Some(meta) if meta.is_dir() => return Err(FileError::IsDirectory),
        _ => return Err(FileError::AccessDenied),
    }
    fs::read(&path)
        .map(Bytes::new)
        .map_err(|e| FileError::from_io(e, &shown))
}

/// Sets the document title and language from `meta` where the template left them unset.
fn fill_metadata(document: &mut PagedDocument, meta: &PdfMeta) {
    let info = document.info_mut();
    if info.title.is_none() && !meta.title.is_empty() {
        info.title = Some(meta.title.as_str().into());
    }
    if info.locale.is_auto()
        && let Ok(lang) = meta.lang.parse::<Lang>()
    {
        info.locale = Smart::Custom(Locale::new(lang, None));
    }
}

/// Interns a path of the project root (the theme's typst folder).
fn project_file(vpath: VirtualPath) -> FileId {
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Loads every font file of `dirs`, folder by folder, in file-name order.
fn load_fonts(dirs: &[PathBuf]) -> Result<Vec<Font>, PdfError> {
    let mut fonts = Vec::new();
    for dir in dirs {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(PdfError::io(
                    format!(
                        "impossible de lire le dossier de polices `{}`",
                        dir.display()
                    ),
                    e,
                ));
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                PdfError::io(
                    format!(
                        "impossible de lire le dossier de polices `{}`",
                        dir.display()
                    ),
                    e,
                )
            })?;
            let path = entry.path();
            let is_font = path
                .extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| FONT_EXTENSIONS.iter().any(|f| ext.eq_ignore_ascii_case(f)));
            if is_font {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            fonts.extend(load_font_file(&path)?);
        }
    }
    Ok(fonts)
}

/// The faces of the free fonts loaded after the theme's and the publisher's, for the
/// characters those lack: typst falls back to them by itself, and [`Couverture`] tests records
/// against the same list.
fn secours() -> impl Iterator<Item = Font> {
    crate::fonts::SECOURS
        .into_iter()
        .flat_map(|bytes| Font::iter(Bytes::new(bytes)))
}

/// The characters the fiches can print: those of at least one loaded font (the theme's, the
/// publisher's, the fallbacks), and those typst lays out without a glyph (line breaks, the
/// invisible joiners and selectors). A character outside it would stop the PDF/UA export, so
/// `check` refuses it at its line.
pub struct Couverture {
    infos: Vec<typst::text::FontInfo>,
}

impl Couverture {
    /// The coverage of the fonts of `font_dirs` and of the fallbacks, as [`PdfEngine::new`]
    /// loads them.
    pub fn new(font_dirs: &[PathBuf]) -> Result<Couverture, PdfError> {
        let infos = load_fonts(font_dirs)?
            .into_iter()
            .chain(secours())
            .map(|f| f.info().clone())
            .collect();
        Ok(Couverture { infos })
    }

    pub fn imprime(&self, c: char) -> bool {
        // Shaping drops the default-ignorable characters (ZWJ, variation selectors, soft hyphen).
        matches!(c, '\n' | '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
            || self.infos.iter().any(|i| i.coverage.contains(c as u32))
    }
}

/// Parses the faces of one font file.
fn load_font_file(path: &Path) -> Result<Vec<Font>, PdfError> {
    let context = || format!("impossible de lire la police `{}`", path.display());
    let meta = fs::symlink_metadata(path).map_err(|e| PdfError::io(context(), e))?;
    if meta.file_type().is_symlink() {
        return Err(PdfError::new(format!(
            "{} : les liens symboliques sont refusés",
            context()
        )));
    }
    if !meta.is_file() {
        return Err(PdfError::new(format!(
            "{} : ce n'est pas un fichier",
            context()
        )));
    }
    let data = fs::read(path).map_err(|e| PdfError::io(context(), e))?;
    let faces: Vec<Font> = Font::iter(Bytes::new(data)).collect();
    if faces.is_empty() {
        return Err(PdfError::new(format!(
            "{} : ce n'est pas une police TrueType ou OpenType",
            context()
        )));
    }
    Ok(faces)
}

/// The world of one render: the engine's files and fonts plus the record's data.
struct FicheWorld<'a> {
    engine: &'a PdfEngine,
    main: FileId,
    data_id: FileId,
    data: Bytes,
    /// Record files served next to `/data.json` (an actor's logo: `/logo.png`).
    extra: Vec<(FileId, Bytes)>,
    timestamp: i64,
}

impl World for FicheWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.data_id {
            let text = std::str::from_utf8(&self.data)?;
            return Ok(Source::new(id, text.to_owned()));
        }
        self.check_root(id)?;
        self.engine.theme_source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if let Some((_, bytes)) = self.extra.iter().find(|(f, _)| *f == id) {
            return Ok(bytes.clone());
        }
        self.check_root(id)?;
        self.engine.theme_file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        let offset = match offset {
            None => 0,
            Some(offset) => {
                let seconds = offset.seconds().trunc();
                if !seconds.is_finite() || seconds.abs() > 48.0 * 3600.0 {
                    return None;
                }
                seconds as i64
            }
        };
        let datetime = utc_datetime(self.timestamp.checked_add(offset)?)?;
        Datetime::from_ymd(datetime.year()?, datetime.month()?, datetime.day()?)
    }
}

impl FicheWorld<'_> {
    /// Refuses files of packages: templates may only use the theme's own files.
    fn check_root(&self, id: FileId) -> FileResult<()> {
        match id.root() {
            VirtualRoot::Project => Ok(()),
            VirtualRoot::Package(spec) => Err(FileError::Package(PackageError::Other(Some(
                format!(
                    "`{spec}` : les paquets typst sont désactivés, un gabarit n'importe que les fichiers de son thème"
                )
                .into(),
            )))),
        }
    }

    /// All diagnostics of a failed compile or export.
    fn error(&self, diagnostics: &[SourceDiagnostic]) -> PdfError {
        PdfError {
            message: String::new(),
            source: None,
            typst: diagnostics.iter().map(|d| self.message(d)).collect(),
        }
    }

    /// A diagnostic with its place, its hints and its trace.
    fn message(&self, diagnostic: &SourceDiagnostic) -> Message {
        let at = |span: typst::syntax::DiagSpan| {
            self.locate(span)
                .map_or(String::new(), |l| match l.position {
                    Some((line, col)) => format!("{}:{line}:{col} : ", l.fichier),
                    None => format!("{} : ", l.fichier),
                })
        };
        // typst's hints about command-line flags (`--root`) do not apply here.
        let mut aides: Vec<String> = diagnostic
            .hints
            .iter()
            .filter(|h| !h.v.contains("`--"))
            .map(|h| format!("aide : {}{}", at(h.span), h.v))
            .collect();
        aides.extend(
            diagnostic
                .trace
                .iter()
                .map(|p| format!("trace : {}{}", at(p.span.into()), p.v)),
        );
        let (fichier, position, largeur, ligne_source) = match self.locate(diagnostic.span) {
            Some(l) => (Some(l.fichier), l.position, l.largeur, l.ligne),
            None => (None, None, 1, None),
        };
        Message {
            fichier,
            position,
            largeur,
            ligne_source,
            texte: diagnostic.message.to_string(),
            avertissement: diagnostic.severity == Severity::Warning,
            aides,
        }
    }

    /// Where a span is: its file, its line and column, and that line.
    fn locate(&self, span: impl Into<typst::syntax::DiagSpan>) -> Option<Lieu> {
        let span = span.into();
        let id = span.id()?;
        let name = if id == self.data_id {
            DATA_PATH.to_owned()
        } else {
            match id.root() {
                VirtualRoot::Project => self.engine.shown(id.vpath()).display().to_string(),
                VirtualRoot::Package(spec) => format!("{spec}{}", id.vpath().get_with_slash()),
            }
        };
        let place = (|| {
            let range = self.range(span)?;
            let bytes = self.file(id).ok()?;
            let text = std::str::from_utf8(&bytes).ok()?;
            let before = text.get(..range.start.min(text.len()))?;
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            // The span's characters on its first line.
            let largeur = text
                .get(range.start.min(text.len())..range.end.min(text.len()))
                .map_or(1, |t| t.split('\n').next().unwrap_or("").chars().count());
            Some((
                (line, column),
                largeur.max(1),
                text.lines().nth(line - 1).map(str::to_string),
            ))
        })();
        Some(match place {
            Some((position, largeur, ligne)) => Lieu {
                fichier: name,
                position: Some(position),
                largeur,
                ligne,
            },
            None => Lieu {
                fichier: name,
                position: None,
                largeur: 1,
                ligne: None,
            },
        })
    }
}

/// A place in a template: its file, line and column (1-based, columns in characters), and
/// that line.
struct Lieu {
    fichier: String,
    position: Option<(usize, usize)>,
    largeur: usize,
    ligne: Option<String>,
}

/// The UTC date and time of a Unix timestamp.
fn utc_datetime(timestamp: i64) -> Option<Datetime> {
    let days = timestamp.div_euclid(86_400);
    let seconds = timestamp.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days)?;
    Datetime::from_ymd_hms(
        year,
        month,
        day,
        (seconds / 3600) as u8,
        (seconds % 3600 / 60) as u8,
        (seconds % 60) as u8,
    )
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Option<(i32, u8, u8)> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Some((i32::try_from(year).ok()?, month as u8, day as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record's JSON the CRTE fixture's template attaches (`donnees` in the fixture).
    fn donnees() -> Vec<(String, Vec<u8>)> {
        vec![("/lozere-terres-de-vie.json".to_string(), b"{}\n".to_vec())]
    }

    /// What a build gives every template.
    const INPUTS: &[(&str, &str)] = &[("non_renseigne", crate::view::NON_RENSEIGNE)];

    fn fonts() -> Vec<PathBuf> {
        vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/dsfr/fonts")]
    }

    fn meta() -> PdfMeta {
        PdfMeta {
            title: "Fiche sans titre".to_owned(),
            lang: "fr".to_owned(),
            ident: "test/essai".to_owned(),
            timestamp: 1_700_000_000, // 2023-11-14T22:13:20Z
        }
    }

    /// An engine on a temporary theme folder holding `files` (name, content).
    fn engine_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PdfEngine) {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
        let engine = PdfEngine::new(&[dir.path().to_path_buf()], &fonts(), &[]).unwrap();
        (dir, engine)
    }

    fn render_error(engine: &PdfEngine, template: &str) -> String {
        engine
            .render(template, "{}", &meta(), &[])
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<PdfEngine>();
    }

    #[test]
    fn crte_fiche_is_reproducible_and_warning_free() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let engine = PdfEngine::new(&[root.join("themes/dsfr/typst")], &fonts(), INPUTS).unwrap();
        let data = fs::read_to_string(root.join("tests/fixtures/pdf/crte-lozere.json")).unwrap();
        let meta = PdfMeta {
            ident: "crte/lozere-terres-de-vie".to_owned(),
            ..meta()
        };
        let rendu = engine.render("crte.typ", &data, &meta, &donnees()).unwrap();
        assert!(
            rendu.avertissements.is_empty(),
            "{:?}",
            rendu.avertissements
        );
        let first = rendu.pdf;
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(
            first,
            engine
                .render("crte.typ", &data, &meta, &donnees())
                .unwrap()
                .pdf
        );

        // A fresh engine (other caches) gives the same bytes too.
        let other = PdfEngine::new(&[root.join("themes/dsfr/typst")], &fonts(), INPUTS).unwrap();
        assert_eq!(
            first,
            other
                .render("crte.typ", &data, &meta, &donnees())
                .unwrap()
                .pdf
        );
    }

    #[test]
    fn parallel_renders_match_sequential_ones() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = fs::read_to_string(root.join("tests/fixtures/pdf/crte-lozere.json")).unwrap();
        let records: Vec<String> = (0..6)
            .map(|i| data.replace("Lozère (48)", &format!("Lozère (48) n°{i}")))
            .collect();
        let engine = PdfEngine::new(&[root.join("themes/dsfr/typst")], &fonts(), INPUTS).unwrap();
        let parallel: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let handles: Vec<_> = records
                .iter()
                .map(|record| {
                    scope.spawn(|| {
                        engine
                            .render("crte.typ", record, &meta(), &donnees())
                            .unwrap()
                            .pdf
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let sequential =
            PdfEngine::new(&[root.join("themes/dsfr/typst")], &fonts(), INPUTS).unwrap();
        for (record, pdf) in records.iter().zip(&parallel) {
            assert!(
                *pdf == sequential
                    .render("crte.typ", record, &meta(), &donnees())
                    .unwrap()
                    .pdf
            );
        }
    }

    #[test]
    fn serves_data_and_derives_today_from_the_timestamp() {
        let (_dir, engine) = engine_with(&[(
            "fiche.typ",
            "#let data = json(\"/data.json\")\n\
             #assert.eq(data.nom, \"Lozère\")\n\
             #assert.eq(sys.inputs.polices, (\"Liberation Sans\",))\n\
             #assert.eq(datetime.today(), datetime(year: 2023, month: 11, day: 14))\n\
             #assert.eq(datetime.today(offset: 2), datetime(year: 2023, month: 11, day: 15))\n\
             #data.nom",
        )]);
        let pdf = engine
            .render("fiche.typ", r#"{"nom": "Lozère"}"#, &meta(), &[])
            .unwrap()
            .pdf;
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let (dir, engine) = engine_with(&[("casse.typ", "= Titre\n\n#let x = (1, 2\nSuite")]);
        let message = render_error(&engine, "casse.typ");
        let expected = format!("typst : {}:3:", dir.path().join("casse.typ").display());
        assert!(message.starts_with(&expected), "{message}");
    }

    #[test]
    fn error_in_imported_file_is_located_there() {
        let (dir, engine) = engine_with(&[
            ("commun.typ", "#let f(x) = x.inconnu\n"),
            ("fiche.typ", "#import \"commun.typ\": f\n#f((a: 1))\n"),
        ]);
        let message = render_error(&engine, "fiche.typ");
        let expected = format!(
            "typst : {}:1:15 : ",
            dir.path().join("commun.typ").display()
        );
        assert!(message.starts_with(&expected), "{message}");
        assert!(message.contains("trace : "), "{message}");
    }

    #[test]
    fn a_template_the_theme_lacks_comes_from_the_fallback_with_the_themes_commun() {
        let (fallback, _) = engine_with(&[
            ("commun.typ", "#let titre = \"FALLBACK-COMMUN\"\n"),
            (
                "fiche.typ",
                "#import \"commun.typ\": titre\n#set document(title: titre)\n#titre\n",
            ),
            (
                "casse.typ",
                "#import \"commun.typ\": titre\n#titre.inconnu\n",
            ),
        ]);
        let (theme, _) = engine_with(&[("commun.typ", "#let titre = \"THEME-COMMUN\"\n")]);
        let engine = PdfEngine::new(
            &[theme.path().to_path_buf(), fallback.path().to_path_buf()],
            &fonts(),
            &[],
        )
        .unwrap();
        let pdf = engine.render("fiche.typ", "{}", &meta(), &[]).unwrap().pdf;
        let text = String::from_utf8_lossy(&pdf);
        // The title comes from the theme's `commun.typ`, not the fallback's.
        assert!(text.contains("THEME-COMMUN"), "no title from the theme");
        assert!(!text.contains("FALLBACK-COMMUN"));
        let message = render_error(&engine, "casse.typ");
        let expected = format!("typst : {}:2:", fallback.path().join("casse.typ").display());
        assert!(message.starts_with(&expected), "{message}");
        assert!(
            !message.contains(&theme.path().display().to_string()),
            "{message}"
        );
    }

    #[test]
    fn bad_data_json_is_located_in_data_json() {
        let (_dir, engine) = engine_with(&[("fiche.typ", "#json(\"/data.json\")")]);
        let message = engine
            .render("fiche.typ", "{\n  \"a\": 1,,\n}", &meta(), &[])
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("typst : /data.json:2:"), "{message}");
    }

    #[test]
    fn files_outside_the_theme_are_refused() {
        let (_dir, engine) = engine_with(&[
            ("parent.typ", "#read(\"../../etc/passwd\")"),
            ("absolu.typ", "#read(\"/etc/passwd\")"),
            ("sous/dossier.typ", "#read(\"../../../etc/hostname\")"),
        ]);
        for template in ["parent.typ", "absolu.typ", "sous/dossier.typ"] {
            let message = render_error(&engine, template);
            assert!(message.starts_with("typst : "), "{message}");
            assert!(
                message.contains("would escape") || message.contains("not found"),
                "{message}"
            );
            assert!(!message.contains("--root"), "{message}");
        }
        assert!(engine.render("../fiche.typ", "{}", &meta(), &[]).is_err());
        assert!(engine.render("/etc/passwd", "{}", &meta(), &[]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let (dir, engine) = engine_with(&[
            ("lien.typ", "#read(\"secret.txt\")"),
            ("dossier.typ", "#read(\"lien-dossier/secret.txt\")"),
        ]);
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("secret.txt"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("lien-dossier")).unwrap();
        for template in ["lien.typ", "dossier.typ"] {
            let message = render_error(&engine, template);
            assert!(message.contains("lien symbolique"), "{message}");
        }
    }

    #[test]
    fn packages_are_refused() {
        let (_dir, engine) = engine_with(&[("paquet.typ", "#import \"@preview/x:0.1.0\": *\n")]);
        let message = render_error(&engine, "paquet.typ");
        assert!(message.contains("paquet.typ:1:9 : "), "{message}");
        assert!(
            message.contains("paquets typst sont désactivés"),
            "{message}"
        );
    }

    #[test]
    fn missing_title_and_language_come_from_meta() {
        let (_dir, engine) = engine_with(&[("nu.typ", "Bonjour")]);
        let pdf = engine.render("nu.typ", "{}", &meta(), &[]).unwrap().pdf;
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("<rdf:li xml:lang=\"x-default\">Fiche sans titre</rdf:li>"));
        assert!(text.contains("/Lang(fr)"));
    }

    #[test]
    fn missing_template_is_reported() {
        let (_dir, engine) = engine_with(&[]);
        let message = render_error(&engine, "absent.typ");
        assert!(message.contains("not found"), "{message}");
    }

    #[test]
    fn bad_font_file_is_an_error() {
        let fonts = tempfile::tempdir().unwrap();
        fs::write(fonts.path().join("Faux.ttf"), "pas une police").unwrap();
        let theme = tempfile::tempdir().unwrap();
        let error = PdfEngine::new(
            &[theme.path().to_path_buf()],
            &[fonts.path().to_path_buf()],
            &[],
        )
        .err()
        .unwrap();
        let message = error.to_string();
        assert!(
            message.starts_with("impossible de lire la police `"),
            "{message}"
        );
        assert!(message.contains("Faux.ttf"), "{message}");
    }

    /// What the fallback fonts print and what `check` lets through agree: every character
    /// `Couverture` accepts is exported in a tagged PDF, and one it refuses stops the export.
    #[test]
    fn what_the_coverage_accepts_prints_and_nothing_else() {
        let template = "#set text(font: \"Liberation Sans\")\n#json(\"/data.json\").texte";
        let (_dir, engine) = engine_with(&[("t.typ", template)]);
        let couverture = Couverture::new(&fonts()).unwrap();
        let printable = [
            "Liberté, égalité, fraternité : « l’œuvre » — 12 000 € ± 5 % ½ ² µ №",
            "Ελληνικά Кириллица עברית محمد علي ✔ ✓ ✗ ⩾ ≤ ∞ √ ♻ Ⅳ → ⇒ ★ ⚠️ ℃",
            "😀 👍🏽 🌍 🎉 📄 🇫🇷 東京 北京市 한국 ０１２３ ＡＢＣ",
            "a\u{ad}b c\u{200d}d e\u{fe0f}",
        ];
        for text in printable {
            for c in text.chars().filter(|c| *c != ' ') {
                assert!(couverture.imprime(c), "{c:?} U+{:04X}", c as u32);
            }
            let data = serde_json::json!({ "texte": text }).to_string();
            engine
                .render("t.typ", &data, &meta(), &[])
                .unwrap_or_else(|e| panic!("{text}: {e}"));
        }
        for c in ['🥰', '\u{e000}', 'ऄ'] {
            assert!(!couverture.imprime(c), "{c:?}");
            let data = serde_json::json!({ "texte": format!("a{c}b") }).to_string();
            assert!(
                engine.render("t.typ", &data, &meta(), &[]).is_err(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn missing_font_folder_is_skipped() {
        let theme = tempfile::tempdir().unwrap();
        let mut dirs = fonts();
        dirs.push(theme.path().join("absent"));
        assert!(PdfEngine::new(&[theme.path().to_path_buf()], &dirs, &[]).is_ok());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), Some((1970, 1, 1)));
        assert_eq!(civil_from_days(19_675), Some((2023, 11, 14)));
        assert_eq!(civil_from_days(-1), Some((1969, 12, 31)));
        assert_eq!(civil_from_days(11_016), Some((2000, 2, 29)));
    }
}
