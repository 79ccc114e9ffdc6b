//! CAS 2.0 / 3.0: the service ticket validation response and the
//! single-logout request, parsed with quick-xml (no DTD is ever fetched or
//! honoured: a document that declares one is refused).

use quick_xml::Reader;
use quick_xml::events::Event;

/// What `serviceValidate` / `p3/serviceValidate` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CasResponse {
    Success {
        user: String,
        /// Attributes in document order; a multi-valued one appears several times.
        attributes: Vec<(String, String)>,
    },
    Failure {
        /// `INVALID_TICKET`, `INVALID_SERVICE`, …
        code: String,
    },
}

const MAX_DEPTH: usize = 16;
const MAX_DOC: usize = 256 * 1024;

fn local(name: &[u8]) -> String {
    let n = match name.iter().position(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(n).into_owned()
}

/// Walks a small XML document and calls `on_text(path, text)` for each
/// element's text content, `on_start(path, attrs)` for each element.
fn walk(
    xml: &str,
    mut on_start: impl FnMut(&[String], &[(String, String)]),
    mut on_text: impl FnMut(&[String], &str),
) -> Result<(), String> {
    if xml.len() > MAX_DOC {
        return Err("document too large".into());
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut path: Vec<String> = vec![];
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Err(e) => return Err(format!("XML error at {}: {e}", reader.buffer_position())),
            Ok(Event::Eof) => break,
            Ok(Event::DocType(_)) => return Err("document type declaration refused".into()),
            Ok(Event::Start(e)) => {
                if path.len() >= MAX_DEPTH {
                    return Err("document too deep".into());
                }
                path.push(local(e.name().as_ref()));
                let mut attrs = vec![];
                for a in e.attributes() {
                    let a = a.map_err(|e| format!("XML attribute: {e}"))?;
                    let v = a
                        .decode_and_unescape_value(reader.decoder())
                        .map_err(|e| format!("XML attribute: {e}"))?;
                    attrs.push((local(a.key.as_ref()), v.into_owned()));
                }
                on_start(&path, &attrs);
                text.clear();
            }
            Ok(Event::End(_)) => {
                let t = text.trim();
                if !t.is_empty() {
                    on_text(&path, t);
                }
                text.clear();
                path.pop();
            }
            Ok(Event::Text(t)) => {
                text.push_str(&t.decode().map_err(|e| format!("XML text: {e}"))?);
            }
            Ok(Event::CData(t)) => {
                text.push_str(&t.decode().map_err(|e| format!("XML text: {e}"))?);
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| format!("XML: {e}"))? {
                    text.push(c);
                } else {
                    let name = r.decode().map_err(|e| format!("XML: {e}"))?;
                    let c = match name.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => return Err(format!("unknown entity &{name};")),
                    };
                    text.push(c);
                }
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Parses a `cas:serviceResponse`.
pub fn parse_service_response(xml: &str) -> Result<CasResponse, String> {
    let mut user = None;
    let mut attributes = vec![];
    let mut failure = None;
    let mut root_ok = false;
    walk(
        xml,
        |path, attrs| {
            if path.len() == 1 && path[0] == "serviceResponse" {
                root_ok = true;
            }
            if path.len() == 2 && path[1] == "authenticationFailure" {
                failure = Some(
                    attrs
                        .iter()
                        .find(|(k, _)| k == "code")
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| "UNKNOWN".into()),
                );
            }
        },
        |path, text| {
            if path.len() == 3 && path[1] == "authenticationSuccess" && path[2] == "user" {
                user = Some(text.to_string());
            }
            if path.len() == 4 && path[1] == "authenticationSuccess" && path[2] == "attributes" {
                attributes.push((path[3].clone(), text.to_string()));
            }
        },
    )?;
    if !root_ok {
        return Err("not a CAS serviceResponse".into());
    }
    if let Some(code) = failure {
        return Ok(CasResponse::Failure { code });
    }
    match user {
        Some(user) if !user.is_empty() => Ok(CasResponse::Success { user, attributes }),
        _ => Err("CAS response without user".into()),
    }
}

/// The `SessionIndex` (the service ticket) of a SAML `LogoutRequest`.
pub fn parse_logout_request(xml: &str) -> Result<String, String> {
    let mut index = None;
    let mut root_ok = false;
    walk(
        xml,
        |path, _| {
            if path.len() == 1 && path[0] == "LogoutRequest" {
                root_ok = true;
            }
        },
        |path, text| {
            if path.len() == 2 && path[1] == "SessionIndex" {
                index = Some(text.to_string());
            }
        },
    )?;
    match index {
        Some(i) if root_ok => Ok(i),
        _ => Err("not a LogoutRequest with a SessionIndex".into()),
    }
}

/// A service ticket as CAS issues them: `ST-…`, printable, not too long.
pub fn ticket_looks_valid(t: &str) -> bool {
    (t.starts_with("ST-") || t.starts_with("PT-"))
        && t.len() <= 256
        && t.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_with_attributes() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>elodie.caron</cas:user>
    <cas:attributes>
      <cas:mail>elodie.caron@ac-normandie.test</cas:mail>
      <cas:displayName>&#201;lodie Caron &amp; co</cas:displayName>
      <cas:authnContextClass><![CDATA[mfa]]></cas:authnContextClass>
      <cas:groups>a</cas:groups><cas:groups>b</cas:groups>
    </cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>"#;
        let r = parse_service_response(xml).expect("parsed");
        let CasResponse::Success { user, attributes } = r else {
            panic!("not a success: {r:?}");
        };
        assert_eq!(user, "elodie.caron");
        assert!(attributes.contains(&("displayName".into(), "Élodie Caron & co".into())));
        assert!(attributes.contains(&("authnContextClass".into(), "mfa".into())));
        assert_eq!(attributes.iter().filter(|(k, _)| k == "groups").count(), 2);
    }

    #[test]
    fn failure_and_refusals() {
        let xml = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
 <cas:authenticationFailure code="INVALID_SERVICE">Ticket for another service</cas:authenticationFailure>
</cas:serviceResponse>"#;
        assert_eq!(
            parse_service_response(xml).expect("parsed"),
            CasResponse::Failure {
                code: "INVALID_SERVICE".into()
            }
        );
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>&e;</cas:user></cas:authenticationSuccess></cas:serviceResponse>"#;
        assert!(parse_service_response(dtd).is_err());
        assert!(parse_service_response("<html>nope</html>").is_err());
        assert!(
            parse_service_response("<cas:serviceResponse><cas:authenticationSuccess>").is_err()
        );
    }

    #[test]
    fn logout_request() {
        let xml = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="x" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">
<saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>ST-1-abc</samlp:SessionIndex></samlp:LogoutRequest>"#;
        assert_eq!(parse_logout_request(xml).expect("parsed"), "ST-1-abc");
        assert!(ticket_looks_valid("ST-1-abc"));
        assert!(!ticket_looks_valid("ST-1 abc"));
        assert!(!ticket_looks_valid("XX-1"));
    }
}
