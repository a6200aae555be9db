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
    assert_eq!(urls.len(), 122, "every page but the 404");
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

/// A record's date is its `mise_a_jour:`, else the last commit of its file: on its page, in
/// the sitemap and the feed, the same for the same commit.
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
