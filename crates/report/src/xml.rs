//! A tiny XML well-formedness check for the SVG the charts write: one root element, every tag
//! closed in order, attribute values quoted, names well formed, only the five predefined
//! entities and numeric character references, no stray `<` or `&`, no `--` inside comments.
//!
//! It is not a validating parser (no DTDs, no namespaces beyond names with colons): it checks
//! what a browser's or resvg's XML parser would reject in markup that clout itself produces.

/// Checks that `doc` is a well-formed XML document (an optional declaration, comments, then
/// exactly one root element). Returns a description of the first problem with its byte offset.
pub fn check_well_formed(doc: &str) -> Result<(), String> {
    let bytes = doc.as_bytes();
    let mut i = 0;
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let err = |at: usize, what: &str| Err(format!("not well-formed at byte {at}: {what}"));
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = doc[i..].find('<').map_or(bytes.len(), |k| i + k);
            let text = &doc[i..end];
            if stack.is_empty() && !text.trim().is_empty() {
                return err(i, "text outside the root element");
            }
            check_text(text).map_err(|e| format!("not well-formed at byte {i}: {e}"))?;
            i = end;
            continue;
        }
        let rest = &doc[i..];
        if rest.starts_with("<?") {
            let Some(end) = rest.find("?>") else { return err(i, "unterminated declaration") };
            if i != 0 && !stack.is_empty() {
                return err(i, "processing instruction inside an element");
            }
            i += end + 2;
        } else if let Some(body) = rest.strip_prefix("<!--") {
            let Some(end) = body.find("-->") else { return err(i, "unterminated comment") };
            if body[..end].contains("--") {
                return err(i, "`--` inside a comment");
            }
            i += 4 + end + 3;
        } else if rest.starts_with("<![CDATA[") {
            if stack.is_empty() {
                return err(i, "CDATA outside the root element");
            }
            let Some(end) = rest.find("]]>") else { return err(i, "unterminated CDATA") };
            i += end + 3;
        } else if let Some(after) = rest.strip_prefix("</") {
            let Some(end) = after.find('>') else { return err(i, "unterminated end tag") };
            let name = after[..end].trim_end();
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => return err(i, &format!("</{name}> closes <{open}>")),
                None => return err(i, &format!("</{name}> without an open element")),
            }
            i += 2 + end + 1;
        } else {
            let (name, len, self_closing) =
                start_tag(&rest[1..]).map_err(|e| format!("not well-formed at byte {i}: {e}"))?;
            if stack.is_empty() {
                roots += 1;
                if roots > 1 {
                    return err(i, "a second root element");
                }
            }
            if !self_closing {
                stack.push(name);
            }
            i += 1 + len;
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("not well-formed: <{open}> is never closed"));
    }
    if roots == 0 {
        return Err("not well-formed: no root element".into());
    }
    Ok(())
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

/// Reads a name at the start of `s`; returns its length in bytes.
fn name_len(s: &str) -> Result<usize, String> {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_name_start(c) => {}
        _ => {
            return Err(format!("expected a name at `{}`", s.chars().take(12).collect::<String>()));
        }
    }
    Ok(chars.find(|&(_, c)| !is_name_char(c)).map_or(s.len(), |(k, _)| k))
}

/// Parses a start tag after its `<`: returns the element name, the bytes consumed (through the
/// closing `>`), and whether it was self-closing.
fn start_tag(s: &str) -> Result<(&str, usize, bool), String> {
    let nlen = name_len(s)?;
    let name = &s[..nlen];
    let mut i = nlen;
    let mut seen: Vec<&str> = Vec::new();
    loop {
        let ws = s[i..].len() - s[i..].trim_start().len();
        i += ws;
        let rest = &s[i..];
        if rest.starts_with("/>") {
            return Ok((name, i + 2, true));
        }
        if rest.starts_with('>') {
            return Ok((name, i + 1, false));
        }
        if rest.is_empty() {
            return Err(format!("unterminated start tag <{name}"));
        }
        if ws == 0 {
            return Err(format!("attributes of <{name}> must be separated by spaces"));
        }
        let alen = name_len(rest)?;
        let attr = &rest[..alen];
        if seen.contains(&attr) {
            return Err(format!("attribute {attr} repeated in <{name}>"));
        }
        seen.push(attr);
        i += alen;
        let after = s[i..].trim_start();
        i = s.len() - after.len();
        if !after.starts_with('=') {
            return Err(format!("attribute {attr} of <{name}> has no value"));
        }
        i += 1;
        let after = s[i..].trim_start();
        i = s.len() - after.len();
        let quote = match after.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => return Err(format!("attribute {attr} of <{name}> is not quoted")),
        };
        let Some(close) = after[1..].find(quote) else {
            return Err(format!("attribute {attr} of <{name}> is not closed"));
        };
        let value = &after[1..1 + close];
        if value.contains('<') {
            return Err(format!("`<` in attribute {attr} of <{name}>"));
        }
        check_text(value)?;
        i += close + 2;
    }
}

/// Character data: every `&` starts a predefined entity or a character reference.
fn check_text(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(k) = rest.find('&') {
        let after = &rest[k + 1..];
        let Some(semi) = after.find(';') else { return Err("`&` without `;`".into()) };
        let entity = &after[..semi];
        let ok = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || entity
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(format!("unknown entity `&{entity};`"));
        }
        rest = &after[semi + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_well_formed as wf;

    #[test]
    fn accepts_well_formed_documents() {
        wf("<svg/>").unwrap();
        wf("<?xml version=\"1.0\"?>\n<svg a=\"1\" b='2'><g><text>x &amp; y &#38; &#x26;</text></g></svg>\n")
            .unwrap();
        wf("<a><!-- note --><b c=\"d\"/></a>").unwrap();
    }

    #[test]
    fn rejects_each_kind_of_mistake() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<a x=1/>",
            "<a x=\"1\" x=\"2\"/>",
            "<a x=\"1\"y=\"2\"/>",
            "<a>&nbsp;</a>",
            "<a>a & b</a>",
            "<a x=\"<\"/>",
            "text<a/>",
            "<a><!-- a -- b --></a>",
            "<1a/>",
            "</a>",
        ] {
            assert!(wf(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
