//! Where a string leaf sits in a listing: which tool, prompt or resource it
//! belongs to, and which field of it.

/// The kind of a listed definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Tool,
    Prompt,
    Resource,
    ResourceTemplate,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Tool => "tool",
            Kind::Prompt => "prompt",
            Kind::Resource => "resource",
            Kind::ResourceTemplate => "resource template",
        }
    }
}

/// A leaf's place: `/result/tools/3/inputSchema/properties/x/description` is
/// tool 3, field `inputSchema/properties/x/description`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location<'a> {
    pub kind: Kind,
    pub index: usize,
    /// The pointer below the definition, without its leading `/` (may be empty).
    pub field: &'a str,
}

pub fn locate(pointer: &str) -> Option<Location<'_>> {
    let rest = pointer.strip_prefix("/result/")?;
    let (list, rest) = rest.split_once('/')?;
    let kind = match list {
        "tools" => Kind::Tool,
        "prompts" => Kind::Prompt,
        "resources" => Kind::Resource,
        "resourceTemplates" => Kind::ResourceTemplate,
        _ => return None,
    };
    let (index, field) = rest.split_once('/').unwrap_or((rest, ""));
    Some(Location {
        kind,
        index: index.parse().ok()?,
        field,
    })
}

/// Fields whose values are identifiers or formats, not prose: the text rules skip them.
pub fn is_prose(field: &str) -> bool {
    let mut tokens = field.rsplit('/');
    let last = tokens.next().unwrap_or("");
    let parent = tokens.next().unwrap_or("");
    if parent == "required" {
        return false;
    }
    !matches!(
        last,
        "name"
            | "type"
            | "uri"
            | "uriTemplate"
            | "mimeType"
            | "$schema"
            | "$ref"
            | "$id"
            | "format"
            | "pattern"
            | ""
    )
}

/// True for an entry of a schema's `required` list (a parameter name).
pub fn is_required_entry(field: &str) -> bool {
    field.rsplit('/').nth(1) == Some("required")
}

/// The parameter a field documents: `inputSchema/properties/x/description` → `x`
/// (only for a parameter's own description or title).
pub fn documented_param(field: &str) -> Option<String> {
    let (path, last) = field.rsplit_once('/')?;
    if last != "description" && last != "title" {
        return None;
    }
    let (parent, name) = path.rsplit_once('/')?;
    (parent.ends_with("properties")).then(|| unescape(name))
}

/// Every parameter name in a field's path (`.../properties/x/...` → `x`).
pub fn params_in(field: &str) -> impl Iterator<Item = String> + '_ {
    let tokens: Vec<&str> = field.split('/').collect();
    let names: Vec<String> = tokens
        .windows(2)
        .filter(|w| w[0] == "properties")
        .map(|w| unescape(w[1]))
        .collect();
    names.into_iter()
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A parameter name reduced for comparison: lower case, no `_`, `-` or spaces.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_leaves() {
        let l = locate("/result/tools/3/inputSchema/properties/x/description").unwrap();
        assert_eq!(
            (l.kind, l.index, l.field),
            (Kind::Tool, 3, "inputSchema/properties/x/description")
        );
        assert_eq!(
            locate("/result/prompts/0/description").map(|l| l.kind),
            Some(Kind::Prompt)
        );
        assert_eq!(locate("/result/tools/0").map(|l| l.field), Some(""));
        assert_eq!(locate("/result/nextCursor"), None);
        assert_eq!(locate("/result/tools/x/description"), None);
        assert_eq!(locate("/params/arguments/a"), None);
    }

    #[test]
    fn prose_fields() {
        assert!(is_prose("description"));
        assert!(is_prose("inputSchema/properties/x/description"));
        assert!(is_prose("inputSchema/properties/x/enum/2"));
        assert!(is_prose("annotations/title"));
        assert!(!is_prose("name"));
        assert!(!is_prose("inputSchema/type"));
        assert!(!is_prose("inputSchema/required/0"));
        assert!(!is_prose("arguments/1/name"));
    }

    #[test]
    fn parameters() {
        assert_eq!(
            documented_param("inputSchema/properties/side~1note/description").as_deref(),
            Some("side/note")
        );
        assert_eq!(
            documented_param("inputSchema/properties/x/items/description"),
            None
        );
        assert_eq!(documented_param("description"), None);
        let names: Vec<String> = params_in("inputSchema/properties/a/properties/b/type").collect();
        assert_eq!(names, vec!["a", "b"]);
        assert_eq!(normalize("Side_Note"), "sidenote");
    }
}
