//! Record kinds: one module per kind, each implementing [`Kind`], listed once in [`KINDS`].
//! The validate stage, the site, the PDFs and the datasets loop over that list.

pub mod cot;
pub mod crte;
pub mod departement;
pub mod ingenierie;
mod kind;

pub use kind::{De, EnTete, Genre, Kind, decode_and_check, id_problem};

/// Every record kind, in the order of the menu, the data page and the sitemap.
pub static KINDS: &[&dyn Genre] = &[
    &De::<departement::FicheTerritoriale>::new(),
    &De::<crte::Crte>::new(),
    &De::<ingenierie::Acteur>::new(),
    &De::<cot::Cot>::new(),
];
