//! Global object IDs: base64 of `Type:id`, e.g. `Battle:12` is
//! `QmF0dGxlOjEy`. The numbers are the dataset's own IDs, so a global ID
//! stays the same across restarts and across databases.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::Error;

/// The object types that have global IDs; the ID names the type as GraphQL does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
pub enum NodeType {
    Battle,
    Commander,
    Force,
    Belligerent,
    Phase,
    Place,
    Event,
}

impl NodeType {
    pub fn name(self) -> &'static str {
        self.into()
    }
}

pub fn encode(node_type: NodeType, id: i32) -> ID {
    ID(STANDARD.encode(format!("{}:{id}", node_type.name())))
}

/// The type and number behind a global ID, or `None` when it is not one of
/// ours (not base64, not `Type:number`, or an unknown type).
pub fn decode(id: &str) -> Option<(NodeType, i32)> {
    let bytes = STANDARD.decode(id).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (type_name, number) = text.split_once(':')?;
    let node_type: NodeType = type_name.parse().ok()?;
    // Only the canonical spelling: "+1" or "01" would give two IDs one object.
    let id: i32 = number
        .parse()
        .ok()
        .filter(|n: &i32| *n > 0 && n.to_string() == number)?;
    Some((node_type, id))
}

/// The number behind a global ID that must be of `expected` type, for
/// arguments such as `filter.phaseId`: anything else is the client's error.
pub fn decode_as(id: &ID, expected: NodeType, argument: &str) -> Result<i32, Error> {
    match decode(id) {
        Some((node_type, number)) if node_type == expected => Ok(number),
        Some((node_type, _)) => Err(Error::bad_input(format!(
            "{argument}: expected the ID of a {}, got the ID of a {}",
            expected.name(),
            node_type.name()
        ))),
        None => Err(Error::bad_input(format!(
            "{argument}: {:?} is not a valid ID",
            id.as_str()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let id = encode(NodeType::Battle, 12);
        assert_eq!(id.as_str(), "QmF0dGxlOjEy");
        assert_eq!(decode(&id), Some((NodeType::Battle, 12)));
    }

    #[test]
    fn rejects_what_is_not_ours() {
        for bad in [
            "",
            "!!!",
            "QmF0dGxl",
            &STANDARD.encode("Cake:1"),
            &STANDARD.encode("Battle:01"),
            &STANDARD.encode("Battle:-1"),
            &STANDARD.encode("Battle:x"),
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
