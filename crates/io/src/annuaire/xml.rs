//! A secure, streaming XML reader shared by the STS, SIECLE and AAF parsers.
//!
//! - Never fetches anything: quick-xml does not resolve DTDs; a `DOCTYPE`
//!   whose internal subset declares an entity (`<!ENTITY`: billion laughs,
//!   external entities) is refused, and so is any reference to an entity
//!   other than the five predefined ones.
//! - Decodes text itself, with the encoding of the prolog (or the BOM),
//!   refusing bytes that are invalid for it (never a silent U+FFFD).
//! - Counts lines and bytes as quick-xml consumes them (streaming), to name
//!   the line where something broke and to enforce the size limits; also
//!   enforces the depth limit and the value length limit.

use std::borrow::Cow;
use std::io::{self, BufRead, Chain, Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Limits, ParseError};

/// What stopped the byte counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tripped {
    TooBig,
    ChunkTooLong,
}

/// A buffered reader that counts the bytes and the lines consumed, and
/// refuses to go past the limits.
pub(crate) struct Counting<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    consumed: u64,
    newlines: u64,
    max_bytes: u64,
    mark: u64,
    /// Most bytes one XML event (or one CSV record) may span; 0 = no limit.
    max_chunk: u64,
    tripped: Option<Tripped>,
    /// Offsets of the newlines read but not yet asked about by
    /// [`Counting::line_at`] (CSV: the csv reader reads ahead).
    nl_log: Option<std::collections::VecDeque<u64>>,
    nl_before: u64,
}

impl<R: Read> Counting<R> {
    pub(crate) fn new(inner: R, max_bytes: u64, max_chunk: u64) -> Self {
        Counting {
            inner,
            buf: vec![0u8; 64 * 1024].into_boxed_slice(),
            pos: 0,
            filled: 0,
            consumed: 0,
            newlines: 0,
            max_bytes,
            mark: 0,
            max_chunk,
            tripped: None,
            nl_log: None,
            nl_before: 0,
        }
    }
    /// Keeps the offsets of newlines so that [`Counting::line_at`] can tell
    /// the line of a byte offset behind the read position.
    pub(crate) fn log_newlines(&mut self) {
        self.nl_log = Some(std::collections::VecDeque::new());
    }
    /// 1-based line of a record starting at `offset` (from the start of the
    /// input; a newline at `offset` itself ends the previous line: the csv
    /// reader starts a record after `\r` of a CRLF).
    /// Offsets must be asked in increasing order.
    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        if let Some(log) = &mut self.nl_log {
            while log.front().is_some_and(|&o| o <= offset) {
                log.pop_front();
                self.nl_before += 1;
            }
        }
        self.nl_before + 1
    }
    /// 1-based line of the next byte to be consumed.
    pub(crate) fn line(&self) -> u64 {
        self.newlines + 1
    }
    /// Starts a new event: the chunk limit counts from here.
    pub(crate) fn mark(&mut self) {
        self.mark = self.consumed;
    }
    pub(crate) fn tripped(&self) -> Option<Tripped> {
        self.tripped
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.consumed > self.max_bytes {
            self.tripped = Some(Tripped::TooBig);
            return Err(io::Error::other("limite de taille atteinte"));
        }
        if self.max_chunk > 0 && self.consumed - self.mark > self.max_chunk {
            self.tripped = Some(Tripped::ChunkTooLong);
            return Err(io::Error::other("élément trop long"));
        }
        if self.pos >= self.filled {
            self.pos = 0;
            self.filled = 0;
            loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => {
                        self.filled = n;
                        break;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.filled - self.pos);
        let taken = &self.buf[self.pos..self.pos + amt];
        self.newlines += count_newlines(taken);
        if let Some(log) = &mut self.nl_log {
            let base = self.consumed;
            log.extend(
                taken
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| base + i as u64),
            );
        }
        self.pos += amt;
        self.consumed += amt as u64;
    }
}

/// The newlines in `bytes`, counted in blocks of at most 255 bytes with a
/// byte-wide counter, a loop the compiler turns into vector instructions
/// (a plain `filter().count()` was a tenth of the XML reader's time).
fn count_newlines(bytes: &[u8]) -> u64 {
    bytes
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b'\n'))) as u64
        })
        .sum()
}

/// A text encoding we can decode without loss and without guessing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Enc {
    Utf8,
    /// ISO-8859-1, byte for byte (not windows-1252).
    Latin1,
    /// Another single-byte encoding (ISO-8859-15, windows-1252…).
    Single(&'static encoding_rs::Encoding),
}

impl Enc {
    /// Decodes, or says how many bytes were valid before the first bad one.
    pub(crate) fn decode<'a>(&self, bytes: &'a [u8]) -> Result<Cow<'a, str>, usize> {
        match self {
            Enc::Utf8 => std::str::from_utf8(bytes)
                .map(Cow::Borrowed)
                .map_err(|e| e.valid_up_to()),
            Enc::Latin1 => {
                if bytes.is_ascii() {
                    // ASCII is valid UTF-8.
                    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|_| 0)
                } else {
                    Ok(Cow::Owned(bytes.iter().map(|&b| b as char).collect()))
                }
            }
            Enc::Single(enc) => enc
                .decode_without_bom_handling_and_without_replacement(bytes)
                .ok_or(0),
        }
    }

    /// Finds an encoding from a label of an XML prolog.
    pub(crate) fn from_label(label: &str) -> Option<(Enc, String)> {
        let up = label.trim().to_ascii_uppercase();
        match up.as_str() {
            "UTF-8" | "UTF8" => Some((Enc::Utf8, "UTF-8".into())),
            // ASCII is a subset of UTF-8: non-ASCII bytes must then be valid UTF-8.
            "US-ASCII" | "ASCII" => Some((Enc::Utf8, "US-ASCII".into())),
            "ISO-8859-1" | "ISO8859-1" | "ISO_8859-1" | "LATIN1" | "LATIN-1" | "L1" => {
                Some((Enc::Latin1, "ISO-8859-1".into()))
            }
            _ => {
                let enc = encoding_rs::Encoding::for_label(up.as_bytes())?;
                if enc.is_single_byte() {
                    Some((Enc::Single(enc), enc.name().to_string()))
                } else if enc == encoding_rs::UTF_8 {
                    Some((Enc::Utf8, "UTF-8".into()))
                } else {
                    None
                }
            }
        }
    }
}

/// What [`XmlStream::next`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XEvent {
    /// An element opens: its name is [`XmlStream::name`], its attributes
    /// [`XmlStream::attr`]; the path includes it.
    Start,
    /// An element closes: the path still includes it; its direct text is
    /// [`XmlStream::text`].
    End,
    Eof,
}

type Input<R> = Counting<Chain<Cursor<Vec<u8>>, R>>;

/// The streaming reader.
pub(crate) struct XmlStream<R: BufRead> {
    reader: Reader<Input<R>>,
    buf: Vec<u8>,
    enc: Enc,
    /// The encoding used, for `FileMeta.encoding`.
    pub(crate) encoding: String,
    /// Warnings met while reading (encoding), in French.
    pub(crate) warnings: Vec<String>,
    undeclared: bool,
    /// The open elements are `path[..depth]`; the strings beyond are kept
    /// to be reused (no allocation per element once warmed up).
    path: Vec<String>,
    depth: usize,
    text: String,
    /// The attributes of the element just opened are `attrs[..n_attrs]`;
    /// the strings beyond are kept to be reused.
    attrs: Vec<(String, String)>,
    n_attrs: usize,
    limits: Limits,
    pending_end: bool,
    pop_next: bool,
    root_seen: bool,
    event_line: u64,
}

/// The XML parser's error, said in French (its own messages are English).
fn xml_error_fr(e: &quick_xml::Error) -> String {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match e {
        quick_xml::Error::Io(_) => "lecture du fichier interrompue".into(),
        quick_xml::Error::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => "balise « <! » inconnue".into(),
            SyntaxError::UnclosedPIOrXmlDecl => "instruction « <? » non terminée".into(),
            SyntaxError::UnclosedComment => "commentaire non terminé".into(),
            SyntaxError::UnclosedDoctype => "DOCTYPE non terminé".into(),
            SyntaxError::UnclosedCData => "section CDATA non terminée".into(),
            SyntaxError::UnclosedTag => "balise non terminée".into(),
        },
        quick_xml::Error::IllFormed(i) => match i {
            IllFormedError::MissingDeclVersion(_) => {
                "déclaration XML sans numéro de version".into()
            }
            IllFormedError::MissingDoctypeName => "DOCTYPE sans nom".into(),
            IllFormedError::MissingEndTag(n) => format!("la balise <{n}> n'est pas fermée"),
            IllFormedError::UnmatchedEndTag(n) => {
                format!("balise fermante </{n}> sans balise ouvrante")
            }
            IllFormedError::MismatchedEndTag { expected, found } => {
                format!("balise fermante </{found}> alors que </{expected}> était attendue")
            }
            IllFormedError::DoubleHyphenInComment => "« -- » dans un commentaire".into(),
            _ => "structure XML incorrecte".into(),
        },
        quick_xml::Error::InvalidAttr(_) => "attribut mal écrit".into(),
        quick_xml::Error::Encoding(_) => "octets invalides pour l'encodage du fichier".into(),
        quick_xml::Error::Escape(_) => "référence d'entité ou de caractère incorrecte".into(),
        quick_xml::Error::Namespace(_) => "espace de noms XML incorrect".into(),
    }
}

fn perr(line: Option<u64>, element: Option<String>, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        element,
        message: message.into(),
    }
}

/// Reads the prolog to find the encoding (BOM first, then the declaration).
fn sniff_encoding(head: &[u8]) -> Result<(Enc, String, bool), ParseError> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok((Enc::Utf8, "UTF-8".into(), false));
    }
    if head.starts_with(&[0xFE, 0xFF])
        || head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0, b'<'])
        || head.starts_with(&[b'<', 0])
    {
        return Err(perr(
            Some(1),
            None,
            "encodage UTF-16 non pris en charge : enregistrez le fichier en UTF-8 ou ISO-8859-15",
        ));
    }
    if head.starts_with(b"<?xml") {
        let end = head
            .windows(2)
            .position(|w| w == b"?>")
            .unwrap_or(head.len());
        let decl = String::from_utf8_lossy(&head[..end]);
        if let Some(i) = decl.find("encoding") {
            let rest = decl[i + "encoding".len()..].trim_start();
            let rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
            let quote = rest.chars().next().unwrap_or('"');
            let label: String = rest.chars().skip(1).take_while(|&c| c != quote).collect();
            return match Enc::from_label(&label) {
                Some((enc, name)) => Ok((enc, name, false)),
                None => Err(perr(
                    Some(1),
                    None,
                    format!(
                        "encodage « {label} » non pris en charge (UTF-8, ISO-8859-1, ISO-8859-15 ou windows-1252 attendus)"
                    ),
                )),
            };
        }
    }
    Ok((Enc::Utf8, "UTF-8".into(), true))
}

impl<R: BufRead> XmlStream<R> {
    pub(crate) fn new(mut input: R, limits: &Limits) -> Result<Self, ParseError> {
        let mut head = Vec::with_capacity(1024);
        (&mut input)
            .take(1024)
            .read_to_end(&mut head)
            .map_err(|e| {
                perr(
                    Some(1),
                    None,
                    format!("lecture impossible : {}", super::io_error_fr(&e)),
                )
            })?;
        let (enc, encoding, undeclared) = sniff_encoding(&head)?;
        let max_chunk = (limits.max_value_len as u64)
            .saturating_mul(4)
            .saturating_add(64 * 1024);
        let counting = Counting::new(Cursor::new(head).chain(input), limits.max_bytes, max_chunk);
        let mut reader = Reader::from_reader(counting);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Ok(XmlStream {
            reader,
            buf: Vec::with_capacity(4096),
            enc,
            encoding,
            warnings: Vec::new(),
            undeclared,
            path: Vec::with_capacity(16),
            depth: 0,
            text: String::new(),
            attrs: Vec::new(),
            n_attrs: 0,
            limits: limits.clone(),
            pending_end: false,
            pop_next: false,
            root_seen: false,
            event_line: 1,
        })
    }

    /// The current element's name (the last of the path).
    pub(crate) fn name(&self) -> &str {
        self.path().last().map(String::as_str).unwrap_or("")
    }

    /// The path of open elements.
    pub(crate) fn path(&self) -> &[String] {
        &self.path[..self.depth]
    }

    /// True when the path ends with these names.
    pub(crate) fn ends(&self, suffix: &[&str]) -> bool {
        let path = self.path();
        path.len() >= suffix.len()
            && path[path.len() - suffix.len()..]
                .iter()
                .zip(suffix)
                .all(|(a, b)| a == b)
    }

    /// True when an element of this name is open (anywhere in the path).
    pub(crate) fn within(&self, name: &str) -> bool {
        self.path().iter().any(|p| p == name)
    }

    /// An attribute of the element that has just opened.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs[..self.n_attrs]
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The direct text of the element that has just closed, trimmed.
    pub(crate) fn text(&self) -> &str {
        self.text.trim()
    }

    /// The line where the current event started.
    pub(crate) fn line(&self) -> u64 {
        self.event_line
    }

    /// An error at the current place.
    pub(crate) fn error(&self, message: impl Into<String>) -> ParseError {
        perr(Some(self.event_line), self.element_path(), message)
    }

    fn element_path(&self) -> Option<String> {
        if self.depth == 0 {
            None
        } else {
            Some(self.path().join("/"))
        }
    }

    fn decode_at<'b>(&mut self, bytes: &'b [u8], line: u64) -> Result<Cow<'b, str>, ParseError> {
        if let Some(why) = self.misdeclared(bytes) {
            return Err(perr(Some(line), self.element_path(), why));
        }
        match self.enc.decode(bytes) {
            Ok(s) => {
                if self.undeclared && !bytes.is_ascii() {
                    self.undeclared = false;
                    self.warnings
                        .push("fichier sans déclaration d'encodage : lu en UTF-8".to_string());
                }
                Ok(s)
            }
            Err(valid) => {
                let extra = bytes[..valid.min(bytes.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64;
                Err(perr(
                    Some(line + extra),
                    self.element_path(),
                    format!(
                        "octets invalides pour l'encodage {} (le fichier n'est pas dans l'encodage qu'il déclare)",
                        self.encoding
                    ),
                ))
            }
        }
    }

    /// Text that cannot be in the declared single-byte encoding: valid
    /// UTF-8 (the file was re-saved in UTF-8 by an editor that kept the
    /// old declaration; read as Latin, `Œ` would become `Å` and a control
    /// character), or control characters that ISO-8859-1/15 never holds in
    /// text (a windows-1252 file: its curly quotes and `œ` sit there).
    fn misdeclared(&self, bytes: &[u8]) -> Option<String> {
        if bytes.is_ascii() || matches!(self.enc, Enc::Utf8) {
            return None;
        }
        if std::str::from_utf8(bytes).is_ok() {
            return Some(format!(
                "le fichier déclare l'encodage {} mais son texte est en UTF-8 : il a sans doute \
                 été ouvert puis réenregistré en UTF-8 par un éditeur. Importez le fichier tel \
                 qu'exporté, sans l'ouvrir, ou corrigez sa première ligne en \
                 encoding=\"UTF-8\"",
                self.encoding
            ));
        }
        let c1 = matches!(self.enc, Enc::Latin1)
            || matches!(self.enc, Enc::Single(e) if e == encoding_rs::ISO_8859_15);
        if c1 && bytes.iter().any(|b| (0x80..=0x9F).contains(b)) {
            return Some(format!(
                "le fichier déclare l'encodage {} mais contient des caractères de contrôle \
                 (octets 0x80 à 0x9F) : il a sans doute été réenregistré en windows-1252 par un \
                 éditeur. Importez le fichier tel qu'exporté, sans l'ouvrir, ou corrigez sa \
                 première ligne en encoding=\"windows-1252\"",
                self.encoding
            ));
        }
        None
    }

    fn push_text(&mut self, s: &str) -> Result<(), ParseError> {
        if self.text.len() + s.len() > self.limits.max_value_len {
            return Err(self.error(format!(
                "valeur trop longue (plus de {} octets)",
                self.limits.max_value_len
            )));
        }
        self.text.push_str(s);
        Ok(())
    }

    fn io_error(&self, e: &dyn std::fmt::Display) -> ParseError {
        let line = Some(self.reader.get_ref().line());
        match self.reader.get_ref().tripped() {
            Some(Tripped::TooBig) => perr(
                line,
                self.element_path(),
                format!(
                    "fichier trop volumineux (plus de {} octets)",
                    self.limits.max_bytes
                ),
            ),
            Some(Tripped::ChunkTooLong) => perr(
                line,
                self.element_path(),
                format!(
                    "élément ou valeur trop long (plus de {} octets)",
                    self.limits.max_value_len
                ),
            ),
            None => perr(
                line,
                self.element_path(),
                format!(
                    "XML mal formé : {e}. Le fichier a sans doute été modifié ou abîmé : \
                     exportez-le à nouveau depuis l'application d'origine"
                ),
            ),
        }
    }

    fn open(&mut self, start: &BytesStart<'_>) -> Result<(), ParseError> {
        let qname = start.name();
        let name = std::str::from_utf8(qname.as_ref())
            .map_err(|_| self.error("nom d'élément illisible"))?;
        match self.path.get_mut(self.depth) {
            Some(slot) => {
                slot.clear();
                slot.push_str(name);
            }
            None => self.path.push(name.to_string()),
        }
        self.depth += 1;
        self.root_seen = true;
        if self.depth > self.limits.max_depth {
            return Err(self.error(format!(
                "imbrication trop profonde (plus de {} niveaux)",
                self.limits.max_depth
            )));
        }
        self.text.clear();
        self.n_attrs = 0;
        let line = self.event_line;
        for attr in start.attributes() {
            let attr = attr.map_err(|_| {
                self.error("attribut mal écrit (guillemets ou signe « = » manquant)")
            })?;
            let key = std::str::from_utf8(attr.key.as_ref())
                .map_err(|_| self.error("nom d'attribut illisible"))?;
            let raw = self.decode_at(&attr.value, line)?;
            let value = quick_xml::escape::unescape(&raw).map_err(|e| {
                self.error(format!(
                    "référence d'entité refusée dans l'attribut {key} ({})",
                    xml_error_fr(&e.into())
                ))
            })?;
            if value.len() > self.limits.max_value_len {
                return Err(self.error(format!(
                    "valeur trop longue (plus de {} octets) dans l'attribut {key}",
                    self.limits.max_value_len
                )));
            }
            match self.attrs.get_mut(self.n_attrs) {
                Some((k, v)) => {
                    k.clear();
                    k.push_str(key);
                    v.clear();
                    v.push_str(&value);
                }
                None => self.attrs.push((key.to_string(), value.into_owned())),
            }
            self.n_attrs += 1;
        }
        Ok(())
    }

    /// The next structural event; text is gathered on the way.
    pub(crate) fn next(&mut self) -> Result<XEvent, ParseError> {
        if self.pop_next {
            self.depth = self.depth.saturating_sub(1);
            self.pop_next = false;
            self.text.clear();
        }
        if self.pending_end {
            self.pending_end = false;
            self.pop_next = true;
            self.text.clear();
            return Ok(XEvent::End);
        }
        loop {
            self.buf.clear();
            self.reader.get_mut().mark();
            self.event_line = self.reader.get_ref().line();
            let mut buf = std::mem::take(&mut self.buf);
            let res = self.reader.read_event_into(&mut buf);
            let out = match res {
                Err(quick_xml::Error::Syntax(
                    quick_xml::errors::SyntaxError::UnclosedTag
                    | quick_xml::errors::SyntaxError::UnclosedComment
                    | quick_xml::errors::SyntaxError::UnclosedCData
                    | quick_xml::errors::SyntaxError::UnclosedDoctype
                    | quick_xml::errors::SyntaxError::UnclosedPIOrXmlDecl,
                )) => Err(perr(
                    Some(self.reader.get_ref().line()),
                    self.element_path(),
                    "fichier tronqué : balise non terminée en fin de fichier",
                )),
                Err(e) => Err(self.io_error(&xml_error_fr(&e))),
                Ok(Event::Start(s)) => self.open(&s).map(|()| Some(XEvent::Start)),
                Ok(Event::Empty(s)) => self.open(&s).map(|()| {
                    self.pending_end = true;
                    Some(XEvent::Start)
                }),
                Ok(Event::End(_)) => {
                    self.pop_next = true;
                    Ok(Some(XEvent::End))
                }
                Ok(Event::Text(t)) => {
                    if self.depth == 0 {
                        Ok(None)
                    } else {
                        let line = self.event_line;
                        self.decode_at(&t, line)
                            .and_then(|s| self.push_text(&s))
                            .map(|()| None)
                    }
                }
                Ok(Event::CData(t)) => {
                    let line = self.event_line;
                    self.decode_at(&t, line)
                        .and_then(|s| self.push_text(&s))
                        .map(|()| None)
                }
                Ok(Event::GeneralRef(r)) => {
                    let resolved = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => Ok(c),
                            _ => Err(self.error("référence de caractère invalide")),
                        }
                    } else {
                        match &*r {
                            b"lt" => Ok('<'),
                            b"gt" => Ok('>'),
                            b"amp" => Ok('&'),
                            b"apos" => Ok('\''),
                            b"quot" => Ok('"'),
                            other => Err(self.error(format!(
                                "référence à une entité inconnue « &{}; » refusée",
                                String::from_utf8_lossy(other)
                            ))),
                        }
                    };
                    resolved.and_then(|c| {
                        let mut tmp = [0u8; 4];
                        self.push_text(c.encode_utf8(&mut tmp)).map(|()| None)
                    })
                }
                Ok(Event::DocType(d)) => {
                    if d.windows(8).any(|w| w == b"<!ENTITY") {
                        Err(self.error(
                            "DOCTYPE refusé : il déclare des entités (<!ENTITY), ce qui permet des expansions en cascade ou la lecture de fichiers externes",
                        ))
                    } else {
                        Ok(None)
                    }
                }
                Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_)) => Ok(None),
                Ok(Event::Eof) => {
                    if self.depth != 0 {
                        Err(perr(
                            Some(self.reader.get_ref().line()),
                            self.element_path(),
                            format!(
                                "fichier tronqué : l'élément <{}> n'est pas fermé",
                                self.name()
                            ),
                        ))
                    } else if !self.root_seen {
                        Err(perr(
                            Some(self.reader.get_ref().line()),
                            None,
                            "fichier vide : aucun élément XML",
                        ))
                    } else {
                        Ok(Some(XEvent::Eof))
                    }
                }
            };
            self.buf = buf;
            match out {
                Err(e) => return Err(e),
                Ok(Some(ev)) => return Ok(ev),
                Ok(None) => continue,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count_newlines;

    #[test]
    fn newlines_are_counted_across_blocks() {
        let mut bytes = vec![b'a'; 1000];
        for i in (0..1000).step_by(3) {
            bytes[i] = b'\n';
        }
        let expected = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(count_newlines(&bytes), expected);
        assert_eq!(count_newlines(&[b'\n'; 600]), 600);
        assert_eq!(count_newlines(b""), 0);
    }
}
