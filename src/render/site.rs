//! Render stage: the website. Every page is a view built in Rust (the home page, then for each
//! record kind its list page and its record pages, the data page, the legal pages) rendered
//! with the theme's minijinja templates: strict undefined, HTML escaping for every template.
//!
//! minijinja rather than tera: it reports template errors with file and line, its strict mode
//! catches a misspelt variable, its escaping can be forced for every file name (tera and
//! minijinja's defaults key it on the `.html` extension), and it has far fewer dependencies.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::datasets::Jeu;
use super::recherche;
use super::theme::Theme;
use crate::catalog::{Catalog, Recherche};
use crate::config::{DateVue, LEGAL_PAGES};
use crate::error::{GabaritError, OpError};
use crate::output::Sink;
use crate::view::{NON_RENSEIGNE, escape, format, markdown};

/// The templates every theme must resolve (its own or the default theme's), besides those of
/// the record kinds.
pub const GABARITS_COMMUNS: [&str; 9] = [
    "base.html",
    "index.html",
    "donnees.html",
    "page.html",
    "plan.html",
    "recherche.html",
    "404.html",
    "sitemap.xml",
    "flux.xml",
];

/// The site map page, linked from every footer.
const PLAN: (&str, &str) = ("plan-du-site", "Plan du site");
/// The search page, where every page's search box leads.
const RECHERCHE: &str = "recherche/";
/// A kind's records are listed one by one on the site map page up to this many; beyond, the
/// map links to the kind's list page.
const PLAN_MAX_FICHES: usize = 100;
/// Records in the Atom feed, the latest first.
const FLUX_MAX: usize = 100;

/// The theme's templates, loaded and compiled once.
pub struct Templates {
    env: Environment<'static>,
    /// Each template's file and text, to name the file and quote the expression in messages.
    sources: BTreeMap<String, (PathBuf, String)>,
    theme: Theme,
}

impl Templates {
    /// Loads and compiles every template of the theme: a syntax error is reported here, with
    /// its file and line.
    pub fn load(theme: Theme) -> Result<Templates, OpError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Every template escapes, whatever its extension (.xml, .txt included).
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        // The default HTML escape also writes `/` as `&#x2f;`: valid, but it garbles every
        // address in the pages' source. Escaping `& < > " '` is what HTML needs.
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == AutoEscape::Html
                && !value.is_safe()
                && !value.is_undefined()
                && !value.is_none()
            {
                out.write_str(&escape(&value.to_string()))
                    .map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        // `{{ texte|liens }}`: a plain text with its web addresses made links.
        env.add_filter("liens", |text: &str| {
            minijinja::Value::from_safe_string(crate::view::markdown::liens_html(text))
        });
        // What an absent value prints is the views' word, never a template's.
        env.add_global("non_renseigne", NON_RENSEIGNE);
        let mut sources = BTreeMap::new();
        for (name, path) in theme.fichiers("templates")? {
            let text = std::fs::read_to_string(&path).map_err(|e| OpError::io("lire", &path, e))?;
            sources.insert(name, (path, text));
        }
        let mut templates = Templates {
            env,
            sources,
            theme,
        };
        for (name, (_, text)) in &templates.sources {
            let added = templates.env.add_template_owned(name.clone(), text.clone());
            added.map_err(|e| templates.error(&e, None))?;
        }
        Ok(templates)
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Renders `name` with `ctx`, and `fichiers` ([`Fichiers`]) beside it.
    fn render(
        &self,
        name: &str,
        ctx: &Value,
        fichiers: &minijinja::Value,
        page: &str,
    ) -> Result<String, OpError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| self.error(&e, Some(page)))?;
        let ctx = minijinja::context! {
            fichiers => fichiers.clone(),
            ..minijinja::Value::from(minijinja::value::Serde(ctx))
        };
        template.render(ctx).map_err(|e| self.error(&e, Some(page)))
    }

    /// A template error with its file, its line, what failed in French and the expression.
    fn error(&self, e: &minijinja::Error, page: Option<&str>) -> OpError {
        let name = e.name().unwrap_or_default();
        let source = self.sources.get(name);
        let fichier = source.map_or_else(
            || PathBuf::from(format!("themes/{}/templates/{name}", self.theme.nom)),
            |(path, _)| PathBuf::from(self.theme.montre(path)),
        );
        let expression = match (e.range(), source) {
            (Some(r), Some((_, text))) => text.get(r).map(|s| s.trim().to_string()),
            _ => None,
        }
        .filter(|s| !s.is_empty() && s.len() <= 200);
        let probleme = match e.kind() {
            ErrorKind::SyntaxError => "erreur de syntaxe",
            ErrorKind::UndefinedError => "valeur indéfinie",
            ErrorKind::TemplateNotFound => "gabarit introuvable",
            ErrorKind::UnknownFilter => "filtre inconnu",
            ErrorKind::UnknownTest => "test inconnu",
            ErrorKind::UnknownFunction => "fonction inconnue",
            ErrorKind::UnknownMethod => "méthode inconnue",
            ErrorKind::MissingArgument => "argument manquant",
            ErrorKind::TooManyArguments => "trop d'arguments",
            ErrorKind::InvalidOperation => "opération impossible",
            ErrorKind::BadInclude => "inclusion impossible",
            ErrorKind::WriteFailure => "écriture impossible",
            _ => "erreur",
        }
        .to_string();
        // The template engine's own words stay as it wrote them, said to be its.
        let detail = e
            .detail()
            .map(str::to_string)
            .or_else(|| (probleme == "erreur").then(|| e.kind().to_string()))
            .map(|d| format!("minijinja : {d}"));
        OpError::Gabarit(Box::new(GabaritError {
            fichier,
            ligne: e.line(),
            probleme,
            expression,
            detail,
            page: page.map(str::to_string),
        }))
    }
}

#[derive(Serialize)]
struct Lien {
    titre: String,
    url: String,
}

#[derive(Serialize)]
struct NavItem {
    titre: &'static str,
    url: String,
    actif: bool,
}

/// One page to render: its folder path (`crte/x/`, `` for the home), template and view.
struct PageSpec {
    chemin: String,
    template: &'static str,
    titre: String,
    description: String,
    /// Ancestors as (title, path from the root).
    ancetres: Vec<(&'static str, String)>,
    /// The menu entry this page belongs to (`crte/`).
    rubrique: String,
    vue: Value,
    /// A markdown page's HTML.
    contenu_html: Option<String>,
    /// When what the page shows last changed (a record's page, a list), in seconds since 1970.
    date: Option<i64>,
    /// What the search knows of a record kind's page besides its title.
    recherche: Option<Recherche>,
    /// The pages the data links this one to (`voir_aussi`), set once every page is known.
    voir_aussi: Value,
}

impl PageSpec {
    /// The menu entry of the kind whose page this is (`CRTE`): a record's page, or a page the
    /// kind publishes besides (a département's); `None` for the list pages and the others.
    fn genre(&self) -> Option<&'static str> {
        self.ancetres.get(1).map(|(menu, _)| *menu)
    }
}

/// `../../` for `crte/x/`.
fn racine(chemin: &str) -> String {
    "../".repeat(chemin.matches('/').count())
}

/// The menu: the home page, each record kind that publishes something (or always does), the
/// data page.
fn menu(catalog: &Catalog) -> Vec<(&'static str, String)> {
    let mut items = vec![("Accueil", String::new())];
    for c in &catalog.collections {
        let info = c.info();
        if !c.is_empty() || info.toujours_au_menu {
            items.push((info.menu, format!("{}/", info.dossier)));
        }
    }
    items.push(("Données", "donnees/".into()));
    items
}

/// What a download link says of its file, for the templates: `fichiers["crte/x.pdf"]` is
/// `PDF – 61,9 Ko` (DSFR's `fr-link__detail`), or only `PDF` when the file's size is not known
/// (`check` writes nothing).
#[derive(Debug)]
struct Fichiers(std::collections::HashMap<String, u64>);

impl minijinja::value::Object for Fichiers {
    fn get_value(self: &std::sync::Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let chemin = key.as_str()?;
        let format = chemin
            .rsplit_once('.')
            .map_or(String::new(), |(_, ext)| ext.to_uppercase());
        Some(
            match self.0.get(chemin) {
                Some(&octets) => format!("{format} – {}", crate::view::format::taille(octets)),
                None => format,
            }
            .into(),
        )
    }
}

/// Renders every page of the site and writes them; returns the paths for the sitemap.
pub fn render(
    catalog: &Catalog,
    templates: &Templates,
    jeux: &[Jeu],
    out: &dyn Sink,
) -> Result<Vec<String>, OpError> {
    let site = serde_json::to_value(catalog.vue_site()).expect("views serialise");
    // Pages come last: every download they offer is written, with its size.
    let fichiers = minijinja::Value::from_object(Fichiers(out.tailles()));
    let menu = menu(catalog);
    let accueil = ("Accueil", String::new());
    let mut pages = Vec::new();

    let genres: Map<String, Value> = catalog
        .collections
        .iter()
        .map(|c| (c.info().dossier.to_string(), c.accueil(catalog)))
        .collect();
    pages.push(PageSpec {
        chemin: String::new(),
        template: "index.html",
        titre: "Accueil".into(),
        description: catalog.config.description.clone().unwrap_or_default(),
        ancetres: vec![],
        rubrique: String::new(),
        vue: json!({ "genres": genres }),
        contenu_html: None,
        date: None,
        recherche: None,
        voir_aussi: Value::Null,
    });
    for c in &catalog.collections {
        let info = c.info();
        if c.is_empty() && !info.toujours_au_menu {
            continue;
        }
        let rubrique = format!("{}/", info.dossier);
        let liste = c.liste(catalog);
        pages.push(PageSpec {
            chemin: liste.chemin,
            template: info.gabarit_liste,
            titre: liste.titre,
            description: liste.description,
            ancetres: vec![accueil.clone()],
            rubrique: rubrique.clone(),
            vue: liste.vue,
            contenu_html: None,
            date: liste.date,
            recherche: None,
            voir_aussi: Value::Null,
        });
        for p in c.pages(catalog) {
            pages.push(PageSpec {
                chemin: p.chemin,
                template: info.gabarit_page,
                titre: p.titre,
                description: p.description,
                ancetres: vec![accueil.clone(), (info.menu, rubrique.clone())],
                rubrique: rubrique.clone(),
                vue: p.vue,
                contenu_html: None,
                date: p.date,
                recherche: p.recherche,
                voir_aussi: Value::Null,
            });
        }
    }
    pages.push(PageSpec {
        chemin: "donnees/".into(),
        template: "donnees.html",
        titre: "Données ouvertes".into(),
        description: "Les jeux de données du site, sous Licence Ouverte 2.0.".into(),
        ancetres: vec![accueil.clone()],
        rubrique: "donnees/".into(),
        vue: json!({ "jeux": jeux, "jsonld": super::datasets::schema_org(catalog, jeux) }),
        contenu_html: None,
        date: None,
        recherche: None,
        voir_aussi: Value::Null,
    });
    let titre_site = catalog.config.titre.clone().unwrap_or_default();
    for p in &catalog.pages {
        let titre = LEGAL_PAGES
            .iter()
            .find(|(s, _)| *s == p.slug)
            .map_or_else(|| title_of(&p.text, &p.slug), |(_, t)| t.to_string());
        pages.push(PageSpec {
            chemin: format!("{}/", p.slug),
            template: "page.html",
            description: format!("{titre} — {titre_site}"),
            titre,
            ancetres: vec![accueil.clone()],
            rubrique: String::new(),
            vue: Value::Null,
            contenu_html: Some(markdown::to_html(&p.text)),
            date: None,
            recherche: None,
            voir_aussi: Value::Null,
        });
    }
    voir_aussi(&mut pages);
    let documents: Vec<recherche::Document> = pages
        .iter()
        .map(|p| recherche::Document {
            titre: &p.titre,
            chemin: &p.chemin,
            genre: p.genre().unwrap_or(""),
            recherche: p.recherche.as_ref(),
        })
        .collect();
    recherche::write(&documents, out)?;
    let plan = plan(&pages, PLAN_MAX_FICHES);
    pages.push(PageSpec {
        chemin: format!("{}/", PLAN.0),
        template: "plan.html",
        titre: PLAN.1.into(),
        description: format!("Toutes les rubriques et les pages de {titre_site}."),
        ancetres: vec![accueil.clone()],
        rubrique: String::new(),
        vue: plan.clone(),
        contenu_html: None,
        date: None,
        recherche: None,
        voir_aussi: Value::Null,
    });
    // Without JavaScript, the search page is the site map.
    pages.push(PageSpec {
        chemin: RECHERCHE.into(),
        template: "recherche.html",
        titre: "Rechercher".into(),
        description: format!("Rechercher dans les fiches de {titre_site}."),
        ancetres: vec![accueil.clone()],
        rubrique: String::new(),
        vue: plan,
        contenu_html: None,
        date: None,
        recherche: None,
        voir_aussi: Value::Null,
    });

    pages
        .par_iter()
        .map(|p| {
            let chemin = format!("{}index.html", p.chemin);
            let ctx = context(&site, &menu, p, &racine(&p.chemin));
            let html = templates.render(p.template, &ctx, &fichiers, &chemin)?;
            out.write(&chemin, html.as_bytes())
        })
        .collect::<Vec<Result<(), OpError>>>()
        // The first failure in page order, whichever thread met it first.
        .into_iter()
        .collect::<Result<(), OpError>>()?;

    // The 404 page is served for any missing address, at any depth: its links start from the
    // site's own absolute path.
    let not_found = PageSpec {
        chemin: String::new(),
        template: "404.html",
        titre: "Page non trouvée".into(),
        description: "Cette page n'existe pas.".into(),
        ancetres: vec![],
        rubrique: String::new(),
        vue: Value::Null,
        contenu_html: None,
        date: None,
        recherche: None,
        voir_aussi: Value::Null,
    };
    let base_path = base_path(catalog.config.url_base());
    let html = templates.render(
        "404.html",
        &context(&site, &menu, &not_found, &base_path),
        &fichiers,
        "404.html",
    )?;
    out.write("404.html", html.as_bytes())?;

    let base = catalog.config.url_base();
    let urls: Vec<Value> = pages
        .iter()
        .map(|p| {
            let lastmod = p
                .date
                .or(catalog.date)
                .map(|d| format::date_from_unix(d).iso());
            json!({ "loc": format!("{base}{}", p.chemin), "lastmod": lastmod })
        })
        .collect();
    let sitemap = templates.render(
        "sitemap.xml",
        &json!({ "urls": urls }),
        &fichiers,
        "sitemap.xml",
    )?;
    out.write("sitemap.xml", sitemap.as_bytes())?;
    let flux = templates.render(
        "flux.xml",
        &flux(&site, &pages, catalog.date),
        &fichiers,
        "flux.xml",
    )?;
    out.write("flux.xml", flux.as_bytes())?;
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    out.write("robots.txt", robots.as_bytes())?;
    Ok(pages.into_iter().map(|p| p.chemin).collect())
}

/// Links each record's page to the pages its data points to, whatever their kinds: its
/// département's page, the records of the other kinds in the same département (a CRTE and the
/// ingénierie actors that serve its territory), and the records that name one of its SIREN (a
/// signatory of a CRTE that is the collectivité of a COT).
fn voir_aussi(pages: &mut [PageSpec]) {
    let lien = |p: &PageSpec| json!({ "titre": p.titre, "chemin": p.chemin });
    let mut territoires: HashMap<&str, usize> = HashMap::new();
    let mut par_departement: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut par_siren: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let Some(r) = &p.recherche else { continue };
        if let Some(d) = r.departement.as_deref() {
            if r.territoire {
                territoires.insert(d, i);
            } else {
                par_departement.entry(d).or_default().push(i);
            }
        }
        let mut sirens: Vec<&str> = r
            .codes
            .iter()
            .map(String::as_str)
            .filter(|c| c.len() == 9 && c.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        sirens.sort_unstable();
        sirens.dedup();
        for siren in sirens {
            par_siren.entry(siren).or_default().push(i);
        }
    }
    let mut liens: Vec<(usize, Value)> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let Some(r) = p.recherche.as_ref().filter(|r| !r.territoire) else {
            continue;
        };
        let genre = |j: usize| pages[j].genre().unwrap_or("");
        let departement = r.departement.as_deref();
        let territoire = departement
            .and_then(|d| territoires.get(d))
            .map(|&j| lien(&pages[j]));
        // The other kinds' records of the département, grouped by kind in the menu's order.
        let mut voisins: Vec<(&str, Vec<Value>)> = Vec::new();
        for &j in departement
            .and_then(|d| par_departement.get(d))
            .into_iter()
            .flatten()
        {
            if genre(j) == genre(i) {
                continue;
            }
            match voisins.iter_mut().find(|(g, _)| *g == genre(j)) {
                Some((_, l)) => l.push(lien(&pages[j])),
                None => voisins.push((genre(j), vec![lien(&pages[j])])),
            }
        }
        let mut memes_siren: Vec<Value> = Vec::new();
        for siren in r
            .codes
            .iter()
            .filter(|c| par_siren.contains_key(c.as_str()))
        {
            for &j in &par_siren[siren.as_str()] {
                let deja = memes_siren.iter().any(|l| l["chemin"] == pages[j].chemin);
                if j != i && !deja {
                    memes_siren.push(json!({ "titre": pages[j].titre, "chemin": pages[j].chemin, "siren": siren }));
                }
            }
        }
        if territoire.is_some() || !voisins.is_empty() || !memes_siren.is_empty() {
            let voisins: Vec<Value> = voisins
                .into_iter()
                .map(|(genre, pages)| json!({ "genre": genre, "pages": pages }))
                .collect();
            liens.push((
                i,
                json!({ "departement": territoire, "voisins": voisins, "siren": memes_siren }),
            ));
        }
    }
    for (i, v) in liens {
        pages[i].voir_aussi = v;
    }
}

/// The site map page's view: each part of the site with its pages (a kind's records one by
/// one up to `max`, else a link to its list), then the pages outside the menu.
fn plan(pages: &[PageSpec], max: usize) -> Value {
    let mut rubriques: Vec<Value> = Vec::new();
    let mut autres: Vec<Value> = Vec::new();
    for p in pages {
        let lien = json!({ "titre": p.titre, "chemin": p.chemin });
        if p.chemin.is_empty() {
            continue;
        }
        if p.genre().is_some() {
            // A record's page: under its kind's list page, pushed just before.
            if let Some(Value::Array(fiches)) = rubriques.last_mut().map(|r| &mut r["pages"]) {
                fiches.push(lien);
            }
        } else if p.rubrique.is_empty() {
            autres.push(lien);
        } else {
            rubriques.push(json!({ "titre": p.titre, "chemin": p.chemin, "pages": [] }));
        }
    }
    for r in &mut rubriques {
        let n = r["pages"].as_array().map_or(0, Vec::len);
        r["nombre"] = n.into();
        if n > max {
            r["pages"] = json!([]);
        }
    }
    json!({ "rubriques": rubriques, "autres": autres })
}

/// The Atom feed's data: the records' pages, the latest changed first.
fn flux(site: &Value, pages: &[PageSpec], publication: Option<i64>) -> Value {
    let base = site["url_base"].as_str().unwrap_or_default();
    let mut fiches: Vec<&PageSpec> = pages
        .iter()
        .filter(|p| p.genre().is_some() && p.date.is_some())
        .collect();
    fiches.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.chemin.cmp(&b.chemin)));
    fiches.truncate(FLUX_MAX);
    let entrees: Vec<Value> = fiches
        .iter()
        .map(|p| {
            json!({
                "titre": p.titre,
                "url": format!("{base}{}", p.chemin),
                "date": p.date.map(format::rfc3339),
                "resume": p.description,
                "rubrique": p.genre(),
            })
        })
        .collect();
    let date = fiches
        .first()
        .and_then(|p| p.date)
        .or(publication)
        .map(format::rfc3339);
    json!({ "site": site, "date": date, "entrees": entrees })
}

/// The path part of the base URL: `/territoires/` for `https://x.gouv.fr/territoires/`.
pub fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// A markdown page's title: its first `# ` heading, else its file name.
fn title_of(text: &str, slug: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map_or_else(|| slug.replace('-', " "), |t| t.trim().to_string())
}

/// What every template receives: `site`, `racine`, `page`, `nav`, `pied`, and the page's `vue`.
fn context(site: &Value, menu: &[(&'static str, String)], p: &PageSpec, racine: &str) -> Value {
    let link = |path: &str| {
        if path.is_empty() && racine.is_empty() {
            "./".to_string()
        } else {
            format!("{racine}{path}")
        }
    };
    let nav: Vec<NavItem> = menu
        .iter()
        .map(|(titre, path)| NavItem {
            titre,
            url: link(path),
            actif: if path.is_empty() {
                p.chemin.is_empty() && p.template == "index.html"
            } else {
                p.rubrique == *path
            },
        })
        .collect();
    let accessibilite = site["accessibilite"].as_str().unwrap_or_default();
    let pied: Vec<Lien> = std::iter::once(&PLAN)
        .chain(&LEGAL_PAGES)
        .map(|(slug, titre)| Lien {
            titre: if *slug == "accessibilite" {
                format!("{titre} : {accessibilite}")
            } else {
                titre.to_string()
            },
            url: link(&format!("{slug}/")),
        })
        .collect();
    let fil: Vec<Lien> = p
        .ancetres
        .iter()
        .map(|(titre, path)| Lien {
            titre: titre.to_string(),
            url: link(path),
        })
        .collect();
    json!({
        "site": site,
        "racine": racine,
        "vue": p.vue,
        "page": {
            "titre": p.titre,
            "description": p.description,
            "chemin": p.chemin,
            "canonical": format!("{}{}", site["url_base"].as_str().unwrap_or_default(), p.chemin),
            "fil_ariane": fil,
            "contenu_html": p.contenu_html,
            "mis_a_jour": p.date.map(DateVue::from_unix),
            "voir_aussi": p.voir_aussi,
        },
        "nav": nav,
        "pied": pied,
    })
}

/// Copies the theme's static files, the files records publish next to their pages (an
/// actor's logo), and the publisher's fonts when provided. Without the publisher's Marianne
/// files the DSFR's `@font-face` rules are removed, so pages fall back to the system fonts
/// instead of requesting files that do not exist.
pub fn copy_static(
    templates: &Templates,
    catalog: &Catalog,
    out: &dyn Sink,
) -> Result<(), OpError> {
    let fonts = catalog
        .static_files
        .iter()
        .any(|(rel, _)| rel.starts_with("fonts/") && rel.ends_with(".woff2"));
    let statics = templates.theme().fichiers("static")?;
    let dsfr = statics.iter().any(|(rel, _)| rel.starts_with("dsfr/"));
    for (rel, path) in &statics {
        let target = format!("static/{rel}");
        if rel.ends_with("dsfr.min.css") && !fonts {
            let css = std::fs::read_to_string(path).map_err(|e| OpError::io("lire", path, e))?;
            out.write(&target, strip_font_faces(&css).as_bytes())?;
        } else {
            out.copy(&target, path)?;
        }
    }
    // The map each département's page situates it on (`#d-48`).
    out.write(
        "static/carte-situation.svg",
        crate::view::carte::situation().as_bytes(),
    )?;
    for c in &catalog.collections {
        for (rel, bytes) in c.fichiers_site() {
            out.write(&rel, bytes)?;
        }
    }
    for (rel, path) in &catalog.static_files {
        let target = match rel.strip_prefix("fonts/") {
            // Next to the DSFR's css, whose `@font-face` rules point to `fonts/…`.
            Some(font) if dsfr => format!("static/dsfr/fonts/{font}"),
            _ => format!("static/{rel}"),
        };
        out.copy(&target, path)?;
    }
    Ok(())
}

/// Removes every `@font-face{…}` block from a stylesheet.
fn strip_font_faces(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("@font-face") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_roots_and_base_paths() {
        assert_eq!(racine(""), "");
        assert_eq!(racine("crte/"), "../");
        assert_eq!(racine("crte/lozere/"), "../../");
        assert_eq!(
            base_path("https://www.lozere.gouv.fr/territoires/"),
            "/territoires/"
        );
        assert_eq!(base_path("https://territoires.example.gouv.fr/"), "/");
    }

    #[test]
    fn font_faces_are_stripped() {
        let css =
            "a{b:c}@font-face{font-family:Marianne;src:url(fonts/M.woff2)}d{e:f}@font-face{x:y}";
        assert_eq!(strip_font_faces(css), "a{b:c}d{e:f}");
    }
}
