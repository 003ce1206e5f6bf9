//! Rich text from publishers, cleaned on the server before it is stored (docs/decisions/0026-rich-text-sanitizer.md):
//! `ammonia`'s allow-list (html5ever parses it as a browser would) keeps ordinary formatting — paragraphs,
//! headings, lists, tables, emphasis, links, images — and drops everything else: scripts, event handlers,
//! `style`, `javascript:` and `data:` URLs, SVG and MathML. Images are kept only when they are the portal's
//! own files (`/api/portal/files/{id}`), so nothing the page loads comes from elsewhere.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Where the portal serves its public files; the only source an image may have.
pub const FILE_URL_PREFIX: &str = "/api/portal/files/";

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote",
        "pre", "code", "hr", "a", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span", "div",
    ]
    .into_iter()
    .collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect::<HashSet<_>>()),
                ("img", ["src", "alt", "width", "height"].into_iter().collect()),
                ("td", ["colspan", "rowspan"].into_iter().collect()),
                ("th", ["colspan", "rowspan"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Images only from the portal's own files: no tracking pixels, no data: or remote sources.
            ("img", "src") => {
                let v = value.trim();
                (v.starts_with(FILE_URL_PREFIX) && v[FILE_URL_PREFIX.len()..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then(|| v.to_owned().into())
            }
            _ => Some(value.into()),
        });
    b
});

/// The publisher's HTML with only the allowed formatting left.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The text of cleaned HTML (for the search index and summaries): tags dropped, block ends as spaces,
/// the entities ammonia writes decoded.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file ids of the images the cleaned HTML shows.
pub fn image_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(FILE_URL_PREFIX) {
        rest = &rest[i + FILE_URL_PREFIX.len()..];
        let id: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        if !id.is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_stays_and_scripts_go() {
        assert_eq!(clean("<p>一<strong>二</strong></p><script>alert(1)</script>"), "<p>一<strong>二</strong></p>");
        assert_eq!(clean("<img src=x onerror=alert(1)>"), "<img>");
        assert_eq!(text_of("<p>甲 &amp; 乙</p><p>丙</p>"), "甲 & 乙 丙");
        assert_eq!(image_ids("<img src=\"/api/portal/files/abc-1\"><img src=\"/api/portal/files/abc-1\">"), vec!["abc-1"]);
    }
}
