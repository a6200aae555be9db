//! View helper: markdown (legal pages, editorial texts) → safe HTML, and → structured blocks
//! for the PDF fiches ([`blocs`]).
//!
//! Record text is data: raw HTML in markdown is shown as text (never interpreted), and links
//! or images whose address uses a scheme other than http(s), mailto or tel, or a relative
//! address, are dropped (no `javascript:` or `data:` URLs). Headings are shifted one level down
//! so that the text's highest heading is an `<h2>`: the page template owns the `<h1>`.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

pub fn to_html(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    // The highest heading of the text becomes an <h2>: levels never skip one.
    let top = Parser::new_ext(text, options)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let lower = |level: HeadingLevel| {
        HeadingLevel::try_from((level as usize + 2 - top).min(6)).unwrap_or(HeadingLevel::H6)
    };
    let mut dropped_links = 0usize;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if safe_url(&dest_url) {
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            } else {
                dropped_links += 1;
                None
            }
        }
        Event::End(TagEnd::Link) if dropped_links > 0 => {
            dropped_links -= 1;
            None
        }
        Event::Start(Tag::Image { dest_url, .. }) if !safe_url(&dest_url) => {
            Some(Event::Text(CowStr::Borrowed("")))
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(lower(level)))),
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, autolinks(events));
    out
}

/// Bare web addresses in running text (`www.societenumerique.gouv.fr`,
/// `https://aides-territoires.beta.gouv.fr`) become links, as readers expect; text already
/// inside a link or code is left alone.
fn autolinks<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut in_link = 0usize;
    events.flat_map(move |event| {
        match &event {
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(text) if in_link == 0 => {
                let pieces = split_urls(text);
                if pieces.len() > 1 || pieces.first().is_some_and(|(_, url)| url.is_some()) {
                    return pieces
                        .into_iter()
                        .flat_map(|(shown, url)| match url {
                            None => vec![Event::Text(shown.into())],
                            Some(href) => vec![
                                Event::Start(Tag::Link {
                                    link_type: LinkType::Autolink,
                                    dest_url: href.into(),
                                    title: "".into(),
                                    id: "".into(),
                                }),
                                Event::Text(shown.into()),
                                Event::End(TagEnd::Link),
                            ],
                        })
                        .collect::<Vec<_>>();
                }
            }
            _ => {}
        }
        vec![event]
    })
}

/// A plain text as safe HTML, its web addresses made links: the paragraphs the views keep as
/// text (a fiche territoriale's sections).
pub fn liens_html(text: &str) -> String {
    split_urls(text)
        .into_iter()
        .map(|(shown, url)| match url {
            Some(href) => format!(
                "<a href=\"{}\">{}</a>",
                super::escape(&href),
                super::escape(&shown)
            ),
            None => super::escape(&shown),
        })
        .collect()
}

/// `text` cut into plain pieces and addresses: (what is shown, the link's target if any).
fn split_urls(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = ["https://", "http://", "www."]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        // An address starts a word.
        if start > 0 && !rest[..start].ends_with(|c: char| c.is_whitespace() || c == '(') {
            let skip = start + 1;
            out.push((rest[..skip].to_string(), None));
            rest = &rest[skip..];
            continue;
        }
        let len = rest[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '«' | '»'))
            .unwrap_or(rest.len() - start);
        // A sentence's closing punctuation is not part of the address.
        let url = rest[start..start + len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
        if url.len() <= "www.".len() || !url.contains('.') {
            out.push((rest[..start + url.len().max(1)].to_string(), None));
            rest = &rest[start + url.len().max(1)..];
            continue;
        }
        if start > 0 {
            out.push((rest[..start].to_string(), None));
        }
        let href = if url.starts_with("www.") {
            format!("https://{url}")
        } else {
            url.to_string()
        };
        out.push((url.to_string(), Some(href)));
        rest = &rest[start + url.len()..];
    }
    if !rest.is_empty() {
        out.push((rest.to_string(), None));
    }
    // Merge the plain pieces the scan left side by side.
    let mut merged: Vec<(String, Option<String>)> = Vec::new();
    for (shown, url) in out {
        match (merged.last_mut(), &url) {
            (Some((last, None)), None) => last.push_str(&shown),
            _ => merged.push((shown, url)),
        }
    }
    merged
}

/// The plain text of each paragraph, list item and heading of a markdown text, for outputs
/// that lay text out themselves (the PDF fiches).
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for event in Parser::new_ext(text, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                let p = current.trim().to_string();
                if !p.is_empty() {
                    out.push(p);
                }
                current.clear();
            }
            _ => {}
        }
    }
    let p = current.trim();
    if !p.is_empty() {
        out.push(p.to_string());
    }
    out
}

/// A one-line text with inline markdown (`**gras**`), ready for every output: safe HTML
/// without the enclosing paragraph, plain text, and runs of plain or bold text for the PDF.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Inline {
    pub html: String,
    pub texte: String,
    pub segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Segment {
    pub texte: String,
    pub gras: bool,
}

pub fn inline(text: &str) -> Inline {
    let html = to_html(text);
    let trimmed = html.trim_end();
    let html = match trimmed
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    };
    let mut segments: Vec<Segment> = Vec::new();
    let mut bold = 0usize;
    for event in Parser::new_ext(text, Options::ENABLE_SMART_PUNCTUATION) {
        let piece = match event {
            Event::Start(Tag::Strong) => {
                bold += 1;
                continue;
            }
            Event::End(TagEnd::Strong) => {
                bold = bold.saturating_sub(1);
                continue;
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                t.to_string()
            }
            Event::SoftBreak | Event::HardBreak => " ".to_string(),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => " ".to_string(),
            _ => continue,
        };
        match segments.last_mut() {
            Some(last) if last.gras == (bold > 0) => last.texte.push_str(&piece),
            _ => segments.push(Segment {
                texte: piece,
                gras: bold > 0,
            }),
        }
    }
    if let Some(last) = segments.last_mut() {
        last.texte = last.texte.trim_end().to_string();
    }
    segments.retain(|s| !s.texte.is_empty());
    let texte = segments.iter().map(|s| s.texte.as_str()).collect();
    Inline {
        html,
        texte,
        segments,
    }
}

/// A markdown text as blocks, for outputs that lay text out themselves (the PDF fiches): the
/// text keeps its form (paragraphs, bulleted and numbered lists, bold, italics, links) and
/// stays data — every piece of text is a string the template prints as it is, never markup it
/// interprets. A heading of the text is a paragraph in bold (the fiche owns its headings); raw
/// HTML is text, as on the page; a link keeps its address only when it is absolute (http(s),
/// mailto, tel).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Bloc {
    Paragraphe {
        fragments: Vec<Fragment>,
    },
    /// A list: each element is its own blocks (usually one paragraph; a nested list follows it).
    Liste {
        numerotee: bool,
        debut: u64,
        elements: Vec<Vec<Bloc>>,
    },
    Citation {
        blocs: Vec<Bloc>,
    },
}

/// A run of text with one style. A hard line break is a `\n` in `texte`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Fragment {
    pub texte: String,
    pub gras: bool,
    pub italique: bool,
    pub lien: Option<String>,
}

/// What [`blocs`] is building: the blocks of the text, of a list element, of a quotation, or
/// the elements of a list.
enum Cadre {
    Blocs(Vec<Bloc>),
    Liste {
        numerotee: bool,
        debut: u64,
        elements: Vec<Vec<Bloc>>,
    },
    Citation(Vec<Bloc>),
}

struct Construction {
    pile: Vec<Cadre>,
    /// The paragraph being gathered.
    fragments: Vec<Fragment>,
    gras: usize,
    italique: usize,
    /// Addresses of the links the text is in (`None`: a link without a usable address).
    liens: Vec<Option<String>>,
    /// Inside a heading of the text: its text is bold.
    titre: bool,
}

impl Construction {
    fn texte(&mut self, texte: &str) {
        if texte.is_empty() {
            return;
        }
        let (gras, italique) = (self.gras > 0 || self.titre, self.italique > 0);
        let lien = self.liens.iter().rev().find_map(Clone::clone);
        match self.fragments.last_mut() {
            Some(f) if f.gras == gras && f.italique == italique && f.lien == lien => {
                f.texte.push_str(texte)
            }
            _ => self.fragments.push(Fragment {
                texte: texte.to_string(),
                gras,
                italique,
                lien,
            }),
        }
    }

    /// Ends the paragraph being gathered, if any, in the innermost block container.
    fn paragraphe(&mut self) {
        let mut fragments = std::mem::take(&mut self.fragments);
        if let Some(f) = fragments.first_mut() {
            f.texte = f.texte.trim_start().to_string();
        }
        if let Some(f) = fragments.last_mut() {
            f.texte = f.texte.trim_end().to_string();
        }
        fragments.retain(|f| !f.texte.is_empty());
        if !fragments.is_empty() {
            self.bloc(Bloc::Paragraphe { fragments });
        }
    }

    fn bloc(&mut self, bloc: Bloc) {
        match self.pile.last_mut() {
            Some(Cadre::Blocs(blocs) | Cadre::Citation(blocs)) => blocs.push(bloc),
            // Text straight inside a list (never produced by the parser): a new element.
            Some(Cadre::Liste { elements, .. }) => elements.push(vec![bloc]),
            None => self.pile.push(Cadre::Blocs(vec![bloc])),
        }
    }
}

pub fn blocs(text: &str) -> Vec<Bloc> {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut b = Construction {
        pile: vec![Cadre::Blocs(Vec::new())],
        fragments: Vec::new(),
        gras: 0,
        italique: 0,
        liens: Vec::new(),
        titre: false,
    };
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                b.paragraphe();
                b.titre = true;
            }
            Event::End(TagEnd::Heading(_)) => {
                b.paragraphe();
                b.titre = false;
            }
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_)) => b.paragraphe(),
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock) => b.paragraphe(),
            Event::Start(Tag::List(first)) => {
                b.paragraphe();
                b.pile.push(Cadre::Liste {
                    numerotee: first.is_some(),
                    debut: first.unwrap_or(1),
                    elements: Vec::new(),
                });
            }
            Event::End(TagEnd::List(_)) => {
                b.paragraphe();
                if let Some(Cadre::Liste {
                    numerotee,
                    debut,
                    elements,
                }) = b.pile.pop()
                {
                    b.bloc(Bloc::Liste {
                        numerotee,
                        debut,
                        elements,
                    });
                }
            }
            Event::Start(Tag::Item) => {
                b.paragraphe();
                b.pile.push(Cadre::Blocs(Vec::new()));
            }
            Event::End(TagEnd::Item) => {
                b.paragraphe();
                if let Some(Cadre::Blocs(element)) = b.pile.pop() {
                    match b.pile.last_mut() {
                        Some(Cadre::Liste { elements, .. }) => elements.push(element),
                        _ => {
                            for bloc in element {
                                b.bloc(bloc);
                            }
                        }
                    }
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                b.paragraphe();
                b.pile.push(Cadre::Citation(Vec::new()));
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                b.paragraphe();
                if let Some(Cadre::Citation(blocs)) = b.pile.pop() {
                    b.bloc(Bloc::Citation { blocs });
                }
            }
            Event::Start(Tag::Strong) => b.gras += 1,
            Event::End(TagEnd::Strong) => b.gras = b.gras.saturating_sub(1),
            Event::Start(Tag::Emphasis) => b.italique += 1,
            Event::End(TagEnd::Emphasis) => b.italique = b.italique.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => b
                .liens
                .push(absolute_url(&dest_url).then(|| dest_url.to_string())),
            Event::End(TagEnd::Link) => {
                b.liens.pop();
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => b.texte(&t),
            Event::SoftBreak => b.texte(" "),
            Event::HardBreak => b.texte("\n"),
            Event::End(TagEnd::TableCell) => b.texte(" "),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => b.paragraphe(),
            _ => {}
        }
    }
    b.paragraphe();
    // Close what the parser left open (it never does), innermost first.
    while b.pile.len() > 1 {
        match b.pile.pop() {
            Some(Cadre::Blocs(blocs)) | Some(Cadre::Citation(blocs)) => {
                for bloc in blocs {
                    b.bloc(bloc);
                }
            }
            Some(Cadre::Liste {
                numerotee,
                debut,
                elements,
            }) => b.bloc(Bloc::Liste {
                numerotee,
                debut,
                elements,
            }),
            None => {}
        }
    }
    match b.pile.pop() {
        Some(Cadre::Blocs(blocs)) => blocs,
        _ => Vec::new(),
    }
}

/// Addresses a PDF may point to: absolute web, e-mail and phone addresses.
fn absolute_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p))
        && !url.contains(char::is_whitespace)
}

/// Addresses a published page may point to.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _))
            if !scheme.contains('/') && !scheme.contains('?') && !scheme.contains('#') =>
        {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text_and_bad_links_are_dropped() {
        let html = to_html(
            "# Titre\n\n<script>alert(1)</script>\n\n[clic](javascript:alert(1)) [ok](https://www.etalab.gouv.fr/) [rel](../crte/)\n",
        );
        assert!(html.contains("<h2>Titre</h2>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("clic"), "{html}");
        assert!(
            html.contains(r#"<a href="https://www.etalab.gouv.fr/">ok</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="../crte/">rel</a>"#), "{html}");
        assert_eq!(
            paragraphs("Un **texte**\nsur deux lignes.\n\n- point\n"),
            ["Un texte sur deux lignes.", "point"]
        );
        assert!(to_html("## A\n\n### B\n").contains("<h2>A</h2>\n<h3>B</h3>"));
        assert_eq!(
            to_html("Candidatez sur www.societenumerique.gouv.fr.\n"),
            "<p>Candidatez sur <a href=\"https://www.societenumerique.gouv.fr\">www.societenumerique.gouv.fr</a>.</p>\n"
        );
        assert_eq!(
            liens_html("Voir www.a.gouv.fr & <b>"),
            "Voir <a href=\"https://www.a.gouv.fr\">www.a.gouv.fr</a> &amp; &lt;b&gt;"
        );
        assert_eq!(
            to_html(
                "[le site](https://a.gouv.fr) et (https://b.gouv.fr/x?y=1), mais pas swww.x ni `www.y.fr`\n"
            ),
            "<p><a href=\"https://a.gouv.fr\">le site</a> et (<a href=\"https://b.gouv.fr/x?y=1\">https://b.gouv.fr/x?y=1</a>), mais pas swww.x ni <code>www.y.fr</code></p>\n"
        );
        let i = inline("Développer l'**Economie de la fonctionnalité** <b>x</b>");
        assert_eq!(
            i.html,
            "Développer l’<strong>Economie de la fonctionnalité</strong> &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(
            i.texte,
            "Développer l’Economie de la fonctionnalité <b>x</b>"
        );
        assert_eq!(i.segments.len(), 3);
        assert!(i.segments[1].gras);
    }

    fn texte(fragments: &[Fragment]) -> String {
        fragments.iter().map(|f| f.texte.as_str()).collect()
    }

    #[test]
    fn blocks_keep_lists_bold_and_links_and_stay_text() {
        let b = blocs(
            "Trois **lots** :\n\n- **Lot 1** — diagnostics\n- Lot 2\n  1. a\n  2. b\n\n## Titre\n\n[site](https://aides-territoires.beta.gouv.fr) [x](javascript:alert(1)) #[x] $y$ <b>z</b>\n",
        );
        assert_eq!(b.len(), 4, "{b:#?}");
        let Bloc::Paragraphe { fragments } = &b[0] else {
            panic!("{b:#?}")
        };
        assert_eq!(texte(fragments), "Trois lots :");
        assert!(fragments[1].gras && !fragments[0].gras);
        let Bloc::Liste {
            numerotee: false,
            elements,
            ..
        } = &b[1]
        else {
            panic!("{b:#?}")
        };
        assert_eq!(elements.len(), 2);
        let Bloc::Paragraphe { fragments } = &elements[0][0] else {
            panic!()
        };
        assert_eq!(fragments[0].texte, "Lot 1");
        assert!(fragments[0].gras);
        assert_eq!(fragments[1].texte, " — diagnostics");
        assert!(matches!(
            &elements[1][1],
            Bloc::Liste { numerotee: true, debut: 1, elements } if elements.len() == 2
        ));
        let Bloc::Paragraphe { fragments } = &b[2] else {
            panic!()
        };
        assert!(fragments[0].gras, "a heading of the text is bold");
        let Bloc::Paragraphe { fragments } = &b[3] else {
            panic!()
        };
        assert_eq!(
            fragments[0].lien.as_deref(),
            Some("https://aides-territoires.beta.gouv.fr")
        );
        assert_eq!(texte(fragments), "site x #[x] $y$ <b>z</b>");
        assert!(fragments.iter().skip(1).all(|f| f.lien.is_none()));
    }
}
