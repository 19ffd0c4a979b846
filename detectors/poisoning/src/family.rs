//! Rule families: the unit of configuration (`families: {hidden-blocks: false}`).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `<IMPORTANT>` / `<system>` blocks, HTML comments, "call this tool first".
    HiddenBlocks,
    /// Mentions and reads of SSH keys, cloud credentials, MCP configs, `.env`, cookies.
    SensitiveFiles,
    /// Smuggling data out through tool parameters (`sidenote`, conversation history).
    ParameterSmuggling,
    /// Orders about other tools: avoid X, use this instead, when X is used do Y.
    ToolSteering,
    /// Hiding actions from the user, deceiving them, skipping confirmation.
    Concealment,
    /// Endpoints, e-mail addresses and commands that data should be sent to.
    Exfiltration,
    /// Prompt-injection override phrases inside a description.
    Override,
    /// Unicode tags, zero-width and bidi characters, padding, encoded payloads.
    HiddenCharacters,
    /// Very long descriptions dense with second-person orders.
    LongDescriptions,
    /// The same tool name on two servers; descriptions naming another server's tools.
    Shadowing,
    /// A sentence that gives an order and touches several sensitive concerns at once.
    Intent,
}

impl Family {
    pub const ALL: [Family; 11] = [
        Family::HiddenBlocks,
        Family::SensitiveFiles,
        Family::ParameterSmuggling,
        Family::ToolSteering,
        Family::Concealment,
        Family::Exfiltration,
        Family::Override,
        Family::HiddenCharacters,
        Family::LongDescriptions,
        Family::Shadowing,
        Family::Intent,
    ];

    /// The name used in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::HiddenBlocks => "hidden-blocks",
            Family::SensitiveFiles => "sensitive-files",
            Family::ParameterSmuggling => "parameter-smuggling",
            Family::ToolSteering => "tool-steering",
            Family::Concealment => "concealment",
            Family::Exfiltration => "exfiltration",
            Family::Override => "override",
            Family::HiddenCharacters => "hidden-characters",
            Family::LongDescriptions => "long-descriptions",
            Family::Shadowing => "shadowing",
            Family::Intent => "intent",
        }
    }

    pub fn parse(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == name)
    }
}
