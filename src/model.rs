//! Values every record kind's schema shares: the tri-state answer of the official fiches.

use serde::{Deserialize, Serialize};

/// A yes/no answer of a fiche, with « non communiqué ».
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Reponse {
    Oui,
    Non,
    Nc,
}

impl Reponse {
    /// As the fiches print it: `Oui`, `Non`, `Non communiqué`.
    pub fn label(self) -> &'static str {
        match self {
            Reponse::Oui => "Oui",
            Reponse::Non => "Non",
            Reponse::Nc => "Non communiqué",
        }
    }

    /// As the datasets write it: `oui`, `non`, `nc`.
    pub fn code(self) -> &'static str {
        match self {
            Reponse::Oui => "oui",
            Reponse::Non => "non",
            Reponse::Nc => "nc",
        }
    }
}
