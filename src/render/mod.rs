//! Render stage: the three publications of one validated catalogue — the open datasets
//! ([`datasets`], and their DCAT catalogue, [`dcat`]), the PDF fiches ([`fiches`], through the typst engine of [`pdf`]) and the
//! website ([`site`], with its search index, [`recherche`]) — with the files of the site's
//! theme ([`theme`]). Renderers loop over the
//! catalogue's collections and never name a record kind.

pub mod datasets;
pub mod dcat;
pub mod fiches;
pub mod pdf;
pub mod recherche;
pub mod site;
pub mod theme;
