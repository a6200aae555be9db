//! Parse stage, for editors: the JSON Schema of a record type, derived (`schemars`) from the
//! type [`super::decode`] fills, so what an editor accepts while typing and what the decoder
//! accepts never differ. The list of schemas is in `crate::schemas`.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::{Value, json};

/// The JSON Schema of `T`, for files of `titre`. Strict like the decoder: a key the type
/// does not have is an error. Descriptions are left out: the types' comments are written for
/// developers, not for the people who fill in the records.
pub fn schema_de<T: JsonSchema>(titre: &str) -> Value {
    let settings =
        SchemaSettings::draft2020_12().with_transform(RecursiveTransform(|s: &mut Schema| {
            if let Some(object) = s.as_object_mut() {
                object.remove("description");
                if object.contains_key("properties") && !object.contains_key("additionalProperties")
                {
                    object.insert("additionalProperties".into(), false.into());
                }
            }
        }));
    let mut schema = settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    schema["title"] = json!(titre);
    schema
}
