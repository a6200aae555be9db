//! Finding one's way: every internal link resolves, the site map page, the sitemap and the
//! Atom feed list what is published, and each record carries the date it last changed.

use std::fs;
use std::process::Command;

use crate::support::*;

#[test]
fn every_internal_link_and_anchor_of_the_example_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let broken = broken_links(&out, "/territoires/");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn the_checker_finds_a_broken_link_and_a_missing_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    fs::create_dir_all(out.join("a")).unwrap();
    fs::write(out.join("a/index.html"), r##"<a href="../b/">b</a><a href="#haut">x</a><a href="../c.pdf">c</a><a href="https://ailleurs.fr/">y</a><p id="bas"></p>"##).unwrap();
    fs::create_dir_all(out.join("b")).unwrap();
    fs::write(
        out.join("b/index.html"),
        r#"<a href="../a/#bas">a</a><img src="/territoires/a/index.html" alt="">"#,
    )
    .unwrap();
    assert_eq!(
        broken_links(out, "/territoires/"),
        [
            "a/index.html: #haut (no element #haut)",
            "a/index.html: ../c.pdf"
        ]
    );
}

/// The sitemap and the feed, read as XML: every address in them is a page of the output.
#[test]
fn sitemap_and_feed_list_pages_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let base = "https://agence-cohesion-territoires.gouv.fr/territoires/";
    let exists = |url: &str| {
        let rel = url
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{url} is not under {base}"));
        let path = out.join(rel);
        path.is_file() || path.join("index.html").is_file()
    };

    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    assert_eq!(urls.len(), 123, "every page but the 404");
    for url in &urls {
        let child = |name| {
            url.children()
                .find(|c| c.has_tag_name(name))
                .and_then(|c| c.text())
        };
        let loc = child("loc").unwrap();
        assert!(exists(loc), "{loc}");
        let lastmod = child("lastmod").unwrap_or_else(|| panic!("{loc}: no lastmod"));
        assert!(
            lastmod.len() == 10 && lastmod.as_bytes()[4] == b'-',
            "{lastmod}"
        );
    }

    let feed = fs::read_to_string(out.join("flux.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let atom = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", name)))
            .and_then(|c| c.text().map(str::to_string))
    };
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 11, "one entry per record");
    let mut previous = String::from("9999");
    for e in entries {
        let id = atom(e, "id").unwrap();
        assert!(exists(&id), "{id}");
        let updated = atom(e, "updated").unwrap();
        assert!(
            updated <= previous,
            "latest first: {updated} after {previous}"
        );
        assert!(updated.ends_with('Z') && updated.len() == 20, "{updated}");
        previous = updated;
        assert!(atom(e, "title").is_some_and(|t| !t.is_empty()));
    }

    // Every page links the site map page and announces the feed.
    let page = fs::read_to_string(out.join("crte/audomarois/index.html")).unwrap();
    assert!(page.contains(
        r#"<a class="fr-footer__bottom-link" href="../../plan-du-site/">Plan du site</a>"#
    ));
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" title="Fiches territoriales de l&#39;ANCT : fiches ajoutées ou modifiées" href="../../flux.xml">"#));
    assert!(page.contains(r#"<meta property="og:url" content="https://agence-cohesion-territoires.gouv.fr/territoires/crte/audomarois/">"#));
    let plan = html_text(&fs::read_to_string(out.join("plan-du-site/index.html")).unwrap());
    for title in [
        "Départements (101 pages)",
        "CRTE Pôle métropolitain Audomarois",
        "Contrat d'objectif territorial — CCPAL",
        "Données ouvertes",
        "Mentions légales",
    ] {
        assert!(plan.contains(title), "{title}\n{plan}");
    }
}

/// A record's date is its `mise_a_jour:`, else the last commit of its file: on its page, in its
/// PDF, in the sitemap and the feed, the same for the same commit.
#[test]
fn each_record_carries_the_date_it_last_changed() {
    let site = Site::scratch()
        .example_file("content/crte/audomarois.yaml")
        .example_file("content/crte/lozere-terres-de-vie.yaml");
    let git = |args: &[&str], date: &str| {
        let status = Command::new("git")
            .arg("-C")
            .arg(site.path())
            .args([
                "-c",
                "user.name=Éditeur",
                "-c",
                "user.email=editeur@example.gouv.fr",
            ])
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"], "");
    git(&["add", "."], "");
    git(
        &["commit", "-qm", "Première publication"],
        "2024-03-01T10:00:00Z",
    );
    site.edit(
        "content/crte/audomarois.yaml",
        "Pôle métropolitain Audomarois",
        "Pôle métropolitain de l'Audomarois",
    );
    git(&["commit", "-qam", "Audomarois"], "2025-06-15T08:30:00Z");
    site.write(
        "content/crte/lozere-terres-de-vie.yaml",
        fs::read_to_string(site.path().join("content/crte/lozere-terres-de-vie.yaml")).unwrap()
            + "mise_a_jour: 2025-09-02\n",
    );

    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.output();
    let page = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    assert!(
        page("crte/audomarois/index.html")
            .contains(r#"Mis à jour le <time datetime="2025-06-15">15 juin 2025</time>"#)
    );
    assert!(
        page("crte/lozere-terres-de-vie/index.html")
            .contains(r#"Mis à jour le <time datetime="2025-09-02">2 septembre 2025</time>"#)
    );
    // The fiche says it at the foot of each page.
    let pdf = plain_spaces(&pdf_text(&out.join("crte/audomarois.pdf")));
    assert!(pdf.contains("— mis à jour le 15 juin 2025"), "{pdf}");
    let sitemap = page("sitemap.xml");
    assert!(
        sitemap.contains("crte/audomarois/</loc>\n    <lastmod>2025-06-15</lastmod>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("crte/</loc>\n    <lastmod>2025-09-02</lastmod>"),
        "{sitemap}"
    );
    let feed = page("flux.xml");
    let lozere = feed
        .find("<updated>2025-09-02T00:00:00Z</updated>")
        .expect("Lozère's date");
    let audomarois = feed
        .find("<updated>2025-06-15T08:30:00Z</updated>")
        .expect("Audomarois' date");
    assert!(lozere < audomarois, "latest first");

    site.edit(
        "content/crte/lozere-terres-de-vie.yaml",
        "mise_a_jour: 2025-09-02",
        "mise_a_jour: 2025-02-30",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    assert!(
        run.diagnostics
            .starts_with("erreur: date invalide `2025-02-30`"),
        "{}",
        run.diagnostics
    );
}

/// The search, typed in headless Chromium (`tests/browser/recherche.mjs`): from the header with
/// the keyboard only, accents, case and typographic apostrophes ignored, plurals found, a SIREN,
/// filters; nothing fetched from another host, under 150 KB for the first query.
#[test]
fn the_search_finds_records_by_name_code_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    // Expected titles are facts of content/: the Lozère CRTE and the département's page; the
    // Audomarois CRTE, whose structure is written « Audomarois » and whose first signatory's
    // SIREN is 200086874; the COT is a « contrat »; two CRTE, one in France services; one actor
    // for foncière ingénierie.
    browser_script(
        "recherche.mjs",
        &out,
        &[
            "--expect",
            "lozere=CRTE Terres de vie en Lozère|Lozère (48)",
            "--expect",
            "LOZÈRE=CRTE Terres de vie en Lozère|Lozère (48)",
            "--expect",
            "l’audomarois=CRTE Pôle métropolitain Audomarois",
            "--expect",
            "contrats=Contrat d'objectif territorial — CCPAL",
            "--expect",
            "200086874=CRTE Pôle métropolitain Audomarois",
            "--absent",
            "lozere=CRTE Pôle métropolitain Audomarois",
            "--filter",
            "genre=CRTE=2",
            "--filter",
            "programme=France services=1",
            "--filter",
            "type=Ingénierie foncière=1",
        ],
    );
}

/// Cross-links computed from the data: a record links its département's page and the other
/// kinds' records there; the département's page situates it on the map, lists its CRTE, COT
/// plans and actors, and offers its rows of each table; two records that name the same SIREN
/// link each other.
#[test]
fn records_link_their_departement_and_what_shares_their_siren() {
    let site = Site::example_copy();
    // The Audomarois CRTE's first signatory is also the collectivité of the COT plan.
    site.edit(
        "content/cot/ccpal.yaml",
        "siren: \"200040624\"",
        "siren: \"200086874\"",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.output();
    let page = |p: &str| fs::read_to_string(out.join(p)).unwrap();

    let crte = page("crte/audomarois/index.html");
    assert!(crte.contains(r#"<p>Le département&nbsp;: <a href="../../departements/62/">Pas-de-Calais (62)</a></p>"#), "{crte}");
    assert!(crte.contains(r#"<h3>Fiches qui nomment un même SIREN</h3>"#));
    assert!(crte.contains(r#"<li><a href="../../cot/ccpal/">Contrat d&#39;objectif territorial — CCPAL</a> (SIREN 200086874)</li>"#), "{crte}");
    let cot = page("cot/ccpal/index.html");
    assert!(cot.contains(r#"<li><a href="../../crte/audomarois/">CRTE Pôle métropolitain Audomarois</a> (SIREN 200086874)</li>"#), "{cot}");

    // An actor of the Manche and its département: both ways.
    let acteur = page("ingenierie/ddtm-50/index.html");
    assert!(acteur.contains(r#"<a href="../../departements/50/">Manche (50)</a>"#));
    let manche = html_text(&page("departements/50/index.html"));
    assert!(
        manche.contains(
            "Ingénierie locale Les acteurs du catalogue de l’ingénierie locale dans ce département."
        ),
        "{manche}"
    );
    assert!(
        manche.contains(
            "Direction Départementale des Territoires et de la Mer de la Manche (DDTM 50) — État"
        ),
        "{manche}"
    );
    assert!(
        manche.contains("Publié sur ce site&nbsp;: 7 acteurs de l'ingénierie locale."),
        "{manche}"
    );
    let pas_de_calais = html_text(&page("departements/62/index.html"));
    assert!(
        pas_de_calais.contains("Publié sur ce site&nbsp;: 1 CRTE."),
        "{pas_de_calais}"
    );
    assert!(
        pas_de_calais.contains("1 CRTE dans le département Pôle métropolitain Audomarois"),
        "{pas_de_calais}"
    );
    // The département's page situates it on the map of France: one map for the site, the
    // page naming its shape.
    assert!(page("departements/62/index.html").contains(r#"<img class="territoires-situation__carte" src="../../static/carte-situation.svg#d-62" alt="Pas-de-Calais sur la carte de France""#));
    let carte = page("static/carte-situation.svg");
    assert!(
        carte.contains(r#"<path id="d-62" d=""#) && carte.contains("path:target{fill:#000091}")
    );
    // The département's page offers its rows of each table.
    let (header, rows) = read_csv(&out.join("donnees/territoires/62/crte.csv"));
    assert_eq!(header[0], "identifiant");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "audomarois");
    let (_, signataires) = read_csv(&out.join("donnees/territoires/62/crte-signataires.csv"));
    assert!(signataires.iter().all(|r| r[0] == "audomarois") && !signataires.is_empty());
    assert!(page("departements/62/index.html").contains(r#"href="../../donnees/territoires/62/crte.csv" download>Les lignes du département : Tableau des CRTE"#));
    assert!(broken_links(&out, "/territoires/").is_empty());
}

/// The départements list shows those with something published in a table sortable from the
/// keyboard (`tests/browser/tri.mjs`); the others are one click away, in a plain list.
#[test]
fn the_departements_list_keeps_what_is_published_first_and_sorts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_example(&out);
    let list = fs::read_to_string(out.join("departements/index.html")).unwrap();
    // Lozère (a fiche), Pas-de-Calais (a CRTE), Manche (actors), Vaucluse (a COT).
    assert!(
        list.contains("<caption>Départements où quelque chose est publié (4)</caption>"),
        "{list}"
    );
    assert!(list.contains("<summary>Les 97 autres départements, sans fiche publiée</summary>"));
    assert!(list.contains(r#"<li><a href="../departements/976/">Mayotte</a> (976, Mayotte)</li>"#));
    browser_script(
        "tri.mjs",
        &out,
        &[
            "--page",
            "departements/",
            "--column",
            "Acteurs de l’ingénierie",
        ],
    );

    // A list of more than 10 rows can be filtered as one types: 12 CRTE, one in the Lozère.
    let site = Site::example_copy();
    let crte = fs::read_to_string(site.path().join("content/crte/audomarois.yaml")).unwrap();
    for code in ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"] {
        site.write(
            &format!("content/crte/crte-{code}.yaml"),
            crte.replace("departement: \"62\"", &format!("departement: \"{code}\"")),
        );
    }
    assert_eq!(site.build().code, 0);
    browser_script(
        "tri.mjs",
        &site.output(),
        &[
            "--page",
            "crte/",
            "--column",
            "Signataires",
            "--filter",
            "lozère=1",
        ],
    );
}
