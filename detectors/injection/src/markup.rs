//! Parts of a document a reader does not see: HTML comments, markdown
//! comments and elements hidden by CSS.

use std::ops::Range;

use crate::checks::Check;
use crate::re::Re;

pub struct Markup {
    css_hidden: Re,
    md_comment: Re,
}

impl Markup {
    pub fn new() -> Result<Markup, String> {
        Ok(Markup {
            css_hidden: Re::new(
                r#"(?i)<([a-z][a-z0-9]*)\b[^>]{0,400}?(?:\bstyle\s*=\s*["'][^"']{0,300}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:[;"'!]|$)|opacity\s*:\s*0(?:\.0+)?\s*[;"'!]|color\s*:\s*(?:white|#fff(?:fff)?\b|rgba?\(\s*255\s*,\s*255\s*,\s*255)|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|(?:height|width|max-height)\s*:\s*0(?:px)?\s*;[^"']{0,100}overflow\s*:\s*hidden|clip\s*:\s*rect\(\s*0|transform\s*:\s*scale\(\s*0\s*\))|\shidden(?:\s|>|=|/))"#,
            )?,
            md_comment: Re::new(
                r#"(?m)^[ \t]{0,3}\[(?://|comment|_|#)\]:[ \t]*(?:#[ \t]*)?[(\x22'].*$"#,
            )?,
        })
    }

    /// Hidden regions of `text`, with the check that names each kind.
    pub fn regions(
        &self,
        text: &str,
        html_comment: bool,
        md_comment: bool,
        css: bool,
    ) -> Vec<(Check, Range<usize>)> {
        let mut out = Vec::new();
        if html_comment {
            let mut from = 0;
            while let Some(open) = text[from..].find("<!--").map(|i| from + i) {
                let close = text[open + 4..]
                    .find("-->")
                    .map_or(text.len(), |i| open + 4 + i + 3);
                out.push((Check::HtmlComment, open..close));
                from = close;
                if out.len() >= 64 {
                    break;
                }
            }
        }
        if md_comment {
            out.extend(
                self.md_comment
                    .within(text, 0..text.len())
                    .take(64)
                    .map(|m| (Check::MarkdownComment, m)),
            );
        }
        if css {
            for all in self.css_hidden.within(text, 0..text.len()).take(64) {
                let tag: String = text[all.start + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let close = format!("</{}", tag.to_ascii_lowercase());
                let rest = &text[all.end..];
                let end = find_ascii_ci(rest, &close).map_or_else(
                    || crate::text::floor_boundary(text, all.end.saturating_add(2000)),
                    |i| all.end + i,
                );
                out.push((Check::CssHidden, all.start..end));
            }
        }
        out
    }
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hidden_regions() {
        let m = Markup::new().unwrap();
        let t = "a <!-- secret --> b <div style=\"display:none\">hidden</div> c\n[//]: # (note)\n";
        let r = m.regions(t, true, true, true);
        let kinds: Vec<Check> = r.iter().map(|x| x.0).collect();
        assert_eq!(
            kinds,
            [Check::HtmlComment, Check::MarkdownComment, Check::CssHidden]
        );
        assert_eq!(&t[r[0].1.clone()], "<!-- secret -->");
        assert!(t[r[2].1.clone()].ends_with("hidden"));
        assert!(
            m.regions("<p style=\"color:red\">x</p>", false, false, true)
                .is_empty()
        );
        assert!(m.regions("<!-- unterminated", true, false, false).len() == 1);
    }
}
