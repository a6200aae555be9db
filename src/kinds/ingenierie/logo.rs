//! Validate stage, logos: the image file an actor's record names, read once and made safe to
//! publish. A PNG or JPEG must decode (what typst does when it prints it) within a size a fiche
//! can afford; an SVG is parsed and written back with its drawing only, so that a script, an
//! event handler or a reference to another file (`file:///etc/passwd`, a tracker's address)
//! never reaches the site or the PDF.

use std::path::{Component, Path};
use std::sync::Arc;

/// Largest logo file accepted.
pub const MAX_LOGO_SIZE: u64 = 1024 * 1024;
/// Largest side of a raster logo, in pixels: decoded, it stays under 64 MiB.
const MAX_COTE: u32 = 4096;

/// A logo ready to publish: its bytes (an SVG cleaned) and extension (`png`, `jpg`, `svg`).
pub struct Logo {
    pub bytes: Vec<u8>,
    pub ext: String,
    /// What cleaning the SVG removed, for a warning at the record's `logo:` line.
    pub retire: Vec<&'static str>,
}

/// Reads the logo `written` next to `record`: a relative path under the record's folder, a
/// regular file (no symbolic link), a known image type, at most [`MAX_LOGO_SIZE`], that
/// decodes.
pub fn lire(record: &Path, written: &str) -> Result<Logo, String> {
    let rel = Path::new(written);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!(
            "logo `{written}` : le chemin doit rester dans le dossier de la fiche"
        ));
    }
    let ext = rel
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let ext = match ext.as_str() {
        "png" | "svg" => ext,
        "jpg" | "jpeg" => "jpg".to_string(),
        _ => {
            return Err(format!(
                "logo `{written}` : format non accepté (PNG, JPEG ou SVG)"
            ));
        }
    };
    let path = record.parent().unwrap_or(Path::new(".")).join(rel);
    let meta =
        std::fs::symlink_metadata(&path).map_err(|_| format!("logo `{written}` introuvable"))?;
    if !meta.is_file() {
        return Err(format!(
            "logo `{written}` : ce n'est pas un fichier (les liens symboliques sont refusés)"
        ));
    }
    if meta.len() > MAX_LOGO_SIZE {
        return Err(format!("logo `{written}` trop volumineux (maximum 1 Mo)"));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("logo `{written}` illisible : {e}"))?;
    if ext == "svg" {
        let (bytes, retire) = nettoyer(&bytes).map_err(|e| format!("logo `{written}` : {e}"))?;
        return Ok(Logo { bytes, ext, retire });
    }
    decoder(&bytes, &ext).map_err(|e| format!("logo `{written}` : {e}"))?;
    Ok(Logo {
        bytes,
        ext,
        retire: Vec::new(),
    })
}

/// Checks that a PNG or JPEG is one, of a printable size, and decodes to the end.
fn decoder(bytes: &[u8], ext: &str) -> Result<(), String> {
    let attendu = if ext == "png" {
        image::ImageFormat::Png
    } else {
        image::ImageFormat::Jpeg
    };
    let nom = if ext == "png" { "PNG" } else { "JPEG" };
    let format = image::guess_format(bytes).ok();
    if format != Some(attendu) {
        return Err(format!(
            "ce fichier n'est pas une image {nom} (vérifiez son format, pas seulement son extension)"
        ));
    }
    let reader = || image::ImageReader::with_format(std::io::Cursor::new(bytes), attendu);
    let (w, h) = reader()
        .into_dimensions()
        .map_err(|e| format!("image {nom} illisible : {e}"))?;
    if w > MAX_COTE || h > MAX_COTE {
        return Err(format!(
            "image de {w} × {h} pixels : un logo a au plus {MAX_COTE} pixels de côté"
        ));
    }
    reader()
        .decode()
        .map_err(|e| format!("image {nom} illisible : {e}"))?;
    Ok(())
}

/// The SVG's drawing written back by usvg, which keeps only what it draws: shapes, paths,
/// gradients, text, images embedded as `data:`; never a script, an event attribute, HTML
/// (`foreignObject`) or a file it would fetch. Returns it with what was there to remove.
fn nettoyer(bytes: &[u8]) -> Result<(Vec<u8>, Vec<&'static str>), String> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err("SVG compressé (svgz) refusé : enregistrez-le en SVG simple".to_string());
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| "le SVG n'est pas encodé en UTF-8".to_string())?;
    let mut fontdb = usvg::fontdb::Database::new();
    for font in crate::fonts::SECOURS {
        fontdb.load_font_source(usvg::fontdb::Source::Binary(Arc::new(font)));
    }
    // usvg falls back to the serif family for a font it does not have (Marianne): ours.
    fontdb.set_serif_family(crate::fonts::FAMILLE);
    fontdb.set_sans_serif_family(crate::fonts::FAMILLE);
    let options = usvg::Options {
        resources_dir: None,
        font_family: crate::fonts::FAMILLE.to_string(),
        fontdb: Arc::new(fontdb),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            // No file, no address: only images embedded in the SVG itself.
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(text, &options).map_err(|e| format!("SVG illisible : {e}"))?;
    let propre = tree.to_string(&usvg::WriteOptions {
        preserve_text: true,
        ..usvg::WriteOptions::default()
    });
    Ok((propre.into_bytes(), dangers(text)))
}

/// What an SVG holds that cleaning removes, as a user would name it.
fn dangers(svg: &str) -> Vec<&'static str> {
    let lower = svg.to_ascii_lowercase();
    let mut out = Vec::new();
    if lower.contains("<script") {
        out.push("script");
    }
    let evenement = lower.match_indices(" on").any(|(i, _)| {
        let rest = &lower[i + 3..];
        let name = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        name > 0 && rest[name..].trim_start().starts_with('=')
    });
    if evenement {
        out.push("attribut d'événement (onload, onclick…)");
    }
    if lower.contains("<foreignobject") {
        out.push("contenu HTML (foreignObject)");
    }
    let externe = lower.match_indices("href").any(|(i, _)| {
        let rest = lower[i + 4..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            return false;
        };
        let value = value.trim_start().trim_start_matches(['"', '\'']);
        !(value.starts_with('#') || value.starts_with("data:"))
    }) || lower.contains("url(http")
        || lower.contains("@import");
    if externe {
        out.push("référence à un autre fichier ou à une autre adresse");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_keeps_its_drawing_and_loses_what_acts() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" onload="alert(1)">
<script>alert(document.cookie)</script>
<rect width="40" height="20" fill="#000091" onclick="x()"/>
<image xlink:href="file:///etc/passwd" width="10" height="10"/>
<foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>
<text x="2" y="15" font-family="Marianne">ANCT</text>
</svg>"##;
        let (propre, retire) = nettoyer(svg.as_bytes()).unwrap();
        let propre = String::from_utf8(propre).unwrap();
        for gone in [
            "script",
            "alert",
            "onload",
            "onclick",
            "passwd",
            "foreignObject",
            "<image",
        ] {
            assert!(!propre.contains(gone), "{gone}: {propre}");
        }
        assert!(
            propre.contains("#000091") && propre.contains("ANCT"),
            "{propre}"
        );
        assert_eq!(
            retire,
            [
                "script",
                "attribut d'événement (onload, onclick…)",
                "contenu HTML (foreignObject)",
                "référence à un autre fichier ou à une autre adresse"
            ]
        );
        let (_, retire) = nettoyer(propre.as_bytes()).unwrap();
        assert!(retire.is_empty(), "{retire:?}");
    }

    #[test]
    fn an_image_must_be_what_its_name_says_and_decode() {
        assert_eq!(
            decoder(b"<html>not a png</html>", "png").unwrap_err(),
            "ce fichier n'est pas une image PNG (vérifiez son format, pas seulement son extension)"
        );
        let mut png = Vec::new();
        image::RgbImage::new(8000, 1)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(
            decoder(&png, "png").unwrap_err(),
            "image de 8000 × 1 pixels : un logo a au plus 4096 pixels de côté"
        );
        let mut png = Vec::new();
        image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([(x * 4) as u8, (y * 4) as u8, 7]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(decoder(&png, "png").is_ok());
        let truncated = &png[..png.len() / 2];
        assert!(
            decoder(truncated, "png")
                .unwrap_err()
                .starts_with("image PNG illisible")
        );
    }
}
