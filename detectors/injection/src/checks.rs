//! Rules that are checks in code rather than regexes: hidden text, encoded
//! payloads and rendering beacons.

use crate::family::Family;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    UnicodeTags,
    VariationSelectors,
    ZeroWidthRun,
    ZeroWidthBinary,
    ZeroWidthInterleaved,
    SplitKeywords,
    Homoglyph,
    BidiOverride,
    BidiIsolate,
    AnsiConceal,
    AnsiCursor,
    AnsiOsc,
    AnsiClipboard,
    HtmlComment,
    MarkdownComment,
    CssHidden,
    Base64,
    Hex,
    Percent,
    Rot13,
    Reversed,
    Leetspeak,
    ImagePlaceholder,
    ImageDataParam,
    ImageLongQuery,
    LinkPlaceholder,
    HtmlImage,
}

impl Check {
    pub const ALL: [Check; 27] = [
        Check::UnicodeTags,
        Check::VariationSelectors,
        Check::ZeroWidthRun,
        Check::ZeroWidthBinary,
        Check::ZeroWidthInterleaved,
        Check::SplitKeywords,
        Check::Homoglyph,
        Check::BidiOverride,
        Check::BidiIsolate,
        Check::AnsiConceal,
        Check::AnsiCursor,
        Check::AnsiOsc,
        Check::AnsiClipboard,
        Check::HtmlComment,
        Check::MarkdownComment,
        Check::CssHidden,
        Check::Base64,
        Check::Hex,
        Check::Percent,
        Check::Rot13,
        Check::Reversed,
        Check::Leetspeak,
        Check::ImagePlaceholder,
        Check::ImageDataParam,
        Check::ImageLongQuery,
        Check::LinkPlaceholder,
        Check::HtmlImage,
    ];

    /// Rule id without the `injection.` prefix.
    pub fn id(self) -> &'static str {
        match self {
            Check::UnicodeTags => "hidden-unicode-tags",
            Check::VariationSelectors => "hidden-variation-selectors",
            Check::ZeroWidthRun => "hidden-zero-width-run",
            Check::ZeroWidthBinary => "hidden-zero-width-binary",
            Check::ZeroWidthInterleaved => "hidden-zero-width-interleaved",
            Check::SplitKeywords => "hidden-split-keywords",
            Check::Homoglyph => "hidden-homoglyph",
            Check::BidiOverride => "hidden-bidi-override",
            Check::BidiIsolate => "hidden-bidi-isolate",
            Check::AnsiConceal => "hidden-ansi-conceal",
            Check::AnsiCursor => "hidden-ansi-cursor",
            Check::AnsiOsc => "hidden-ansi-osc",
            Check::AnsiClipboard => "hidden-ansi-clipboard",
            Check::HtmlComment => "hidden-html-comment",
            Check::MarkdownComment => "hidden-markdown-comment",
            Check::CssHidden => "hidden-css",
            Check::Base64 => "encoded-base64",
            Check::Hex => "encoded-hex",
            Check::Percent => "encoded-percent",
            Check::Rot13 => "encoded-rot13",
            Check::Reversed => "encoded-reversed",
            Check::Leetspeak => "encoded-leetspeak",
            Check::ImagePlaceholder => "beacon-image-placeholder",
            Check::ImageDataParam => "beacon-image-data-param",
            Check::ImageLongQuery => "beacon-image-long-query",
            Check::LinkPlaceholder => "beacon-link-placeholder",
            Check::HtmlImage => "beacon-html-image",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Check::Base64
            | Check::Hex
            | Check::Percent
            | Check::Rot13
            | Check::Reversed
            | Check::Leetspeak => Family::Encoded,
            Check::ImagePlaceholder
            | Check::ImageDataParam
            | Check::ImageLongQuery
            | Check::LinkPlaceholder
            | Check::HtmlImage => Family::Beacon,
            _ => Family::Hidden,
        }
    }

    /// Base weight of the check on its own. Checks that carry decoded
    /// instructions are raised by the caller.
    pub fn weight(self) -> f32 {
        match self {
            Check::UnicodeTags => 0.75,
            Check::VariationSelectors => 0.55,
            Check::ZeroWidthRun => 0.45,
            Check::ZeroWidthBinary => 0.6,
            Check::ZeroWidthInterleaved => 0.4,
            Check::SplitKeywords => 0.65,
            Check::Homoglyph => 0.6,
            Check::BidiOverride => 0.45,
            Check::BidiIsolate => 0.3,
            Check::AnsiConceal => 0.5,
            Check::AnsiCursor => 0.25,
            Check::AnsiOsc => 0.3,
            Check::AnsiClipboard => 0.65,
            Check::HtmlComment => 0.55,
            Check::MarkdownComment => 0.55,
            Check::CssHidden => 0.6,
            Check::Base64 | Check::Hex => 0.75,
            Check::Percent | Check::Rot13 | Check::Reversed => 0.7,
            Check::Leetspeak => 0.6,
            Check::ImagePlaceholder => 0.75,
            Check::ImageDataParam => 0.55,
            Check::ImageLongQuery => 0.3,
            Check::LinkPlaceholder => 0.6,
            Check::HtmlImage => 0.7,
        }
    }
}
