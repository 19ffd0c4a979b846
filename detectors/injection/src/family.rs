//! Rule families: the unit of configuration and of reporting (one finding per text and family).

/// A family of related rules. Findings are grouped by family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// "Ignore previous instructions", "from now on you are", in several languages.
    Override,
    /// Impersonating the system prompt, the developer or an administrator.
    Role,
    /// Fake conversation turns and chat-template tokens.
    FakeTurn,
    /// Directives telling the agent to call tools or run commands.
    ToolDirective,
    /// Hiding actions from the user.
    Concealment,
    /// Instructions to send data somewhere or reveal the system prompt.
    Exfiltration,
    /// Jailbreak personas and safety-bypass prompts.
    Jailbreak,
    /// Invisible or hidden text: Unicode tags, zero-width, bidi, ANSI, HTML comments, CSS.
    Hidden,
    /// Instructions hidden in base64, hex, percent-encoding, ROT13, reversed or leetspeak text.
    Encoded,
    /// Markdown/HTML images and links that would leak data when rendered.
    Beacon,
}

impl Family {
    pub const ALL: [Family; 10] = [
        Family::Override,
        Family::Role,
        Family::FakeTurn,
        Family::ToolDirective,
        Family::Concealment,
        Family::Exfiltration,
        Family::Jailbreak,
        Family::Hidden,
        Family::Encoded,
        Family::Beacon,
    ];

    /// The name used in configuration (`tool-directive`).
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Override => "override",
            Family::Role => "role",
            Family::FakeTurn => "fake-turn",
            Family::ToolDirective => "tool-directive",
            Family::Concealment => "concealment",
            Family::Exfiltration => "exfiltration",
            Family::Jailbreak => "jailbreak",
            Family::Hidden => "hidden",
            Family::Encoded => "encoded",
            Family::Beacon => "beacon",
        }
    }

    pub fn parse(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// What the family's findings say.
    pub fn describe(self) -> &'static str {
        match self {
            Family::Override => "instruction-override phrase",
            Family::Role => "system/developer role impersonation",
            Family::FakeTurn => "fake conversation turn or chat-template token",
            Family::ToolDirective => "directive to invoke a tool or run a command",
            Family::Concealment => "instruction to hide actions from the user",
            Family::Exfiltration => "instruction to exfiltrate data or reveal the prompt",
            Family::Jailbreak => "jailbreak persona or safety-bypass prompt",
            Family::Hidden => "hidden or invisible text",
            Family::Encoded => "instructions hidden in an encoded payload",
            Family::Beacon => "markdown/HTML beacon that would leak data when rendered",
        }
    }

    /// Families whose rules express an instruction (as opposed to a carrier such as hidden text).
    pub fn is_instruction(self) -> bool {
        !matches!(self, Family::Hidden | Family::Encoded | Family::Beacon)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}
