//! Attachments: the type is detected from the content (never from the
//! name), the size is limited, the file is stored under a generated name
//! and served only after the policy allowed it.

use super::comments::{CommentInput, FileStore};
use super::load;
use crate::Ctx;
use crate::error::{Result, ServiceError};
use refnum_db::Db;
use refnum_db::assistance as q;
use refnum_db::entities::assistance::ticket_attachment as attachment;
use refnum_domain::policy::TicketAction;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Default largest attachment: 10 MiB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Content types accepted, as detected from the bytes.
pub const ALLOWED: [&str; 6] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
];

/// A file received from a form or the API.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The content type of a file, from its content; `None` when it is not one
/// of the accepted types (an HTML page or a program named `.png` included).
pub fn detect(bytes: &[u8]) -> Option<&'static str> {
    if bytes.is_empty() {
        return None;
    }
    if let Some(kind) = infer::get(bytes) {
        return ALLOWED.iter().copied().find(|a| *a == kind.mime_type());
    }
    // Plain text: UTF-8, no control characters but layout ones, and nothing
    // a browser would take for markup or a script.
    let text = std::str::from_utf8(bytes).ok()?;
    let plain = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    let head = text.trim_start().to_ascii_lowercase();
    let markup = head.starts_with('<')
        || infer::text::is_html(bytes)
        || infer::text::is_xml(bytes)
        || infer::text::is_shellscript(bytes);
    (plain && !markup).then_some("text/plain")
}

/// The name shown and offered on download: the user's, without path nor
/// control characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        "fichier".to_string()
    } else {
        cleaned
    }
}

/// Where a stored attachment lives.
pub fn path_of(files_dir: &Path, a: &attachment::Model) -> PathBuf {
    files_dir
        .join("tickets")
        .join(a.ticket_id.to_string())
        .join(&a.stored_name)
}

/// A checked file, written to disk, ready for its row.
pub(crate) struct Stored {
    pub row: attachment::Model,
    pub path: PathBuf,
}

/// Checks type and size, writes the file under a generated name. The row
/// is inserted by the caller in its transaction; on failure it removes the
/// file.
pub(crate) async fn store(
    files_dir: &Path,
    max_bytes: usize,
    ticket_id: Uuid,
    comment_id: Option<Uuid>,
    by: &super::Actor,
    up: &Upload,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Stored> {
    if up.bytes.len() > max_bytes {
        return Err(ServiceError::field("file", "ticket-error-file-too-big"));
    }
    let Some(content_type) = detect(&up.bytes) else {
        return Err(ServiceError::field("file", "ticket-error-file-type"));
    };
    let id = Uuid::now_v7();
    let row = attachment::Model {
        id,
        ticket_id,
        comment_id,
        stored_name: id.simple().to_string(),
        original_name: clean_name(&up.file_name),
        content_type: content_type.to_string(),
        size: up.bytes.len() as i64,
        sha256: hex::encode(Sha256::digest(&up.bytes)),
        uploaded_by: by.id,
        uploaded_by_name: by.name.clone(),
        created_at: now,
    };
    let path = path_of(files_dir, &row);
    let dir = path
        .parent()
        .ok_or_else(|| ServiceError::Internal("attachment path".into()))?;
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| ServiceError::Internal(format!("attachment directory: {e}")))?;
    tokio::fs::write(&path, &up.bytes)
        .await
        .map_err(|e| ServiceError::Internal(format!("attachment write: {e}")))?;
    Ok(Stored { row, path })
}

/// An attachment the caller may download, and where it is.
pub struct Download {
    pub row: attachment::Model,
    pub path: PathBuf,
}

/// Asks the policy for a download: `View` on its ticket, and `Internal`
/// when it came with an internal comment.
pub async fn download(db: &Db, ctx: &Ctx, files_dir: &Path, id: Uuid) -> Result<Download> {
    let Some(row) = q::get_attachment(&db.conn, id).await? else {
        return Err(ServiceError::NotFound);
    };
    let l = load(db, ctx, row.ticket_id, TicketAction::View).await?;
    if let Some(cid) = row.comment_id {
        let internal = q::get_comment(&db.conn, cid)
            .await?
            .is_some_and(|c| c.internal);
        if internal && !l.may(ctx, TicketAction::Internal) {
            return Err(ServiceError::NotFound);
        }
    }
    let path = path_of(files_dir, &row);
    Ok(Download { row, path })
}

/// An attachment of this ticket the caller may download: 404 for another
/// ticket's, as for one the caller may not see.
pub async fn download_of_ticket(
    db: &Db,
    ctx: &Ctx,
    files_dir: &Path,
    ticket_id: Uuid,
    id: Uuid,
) -> Result<Download> {
    let d = download(db, ctx, files_dir, id).await?;
    if d.row.ticket_id != ticket_id {
        return Err(ServiceError::NotFound);
    }
    Ok(d)
}

/// Adds a file to a ticket, with an optional comment (`Comment`, or
/// `Internal` for an internal one): the same checks as the comment form's
/// attachment (type from the content, size). A file is required.
pub async fn upload(
    db: &Db,
    ctx: &Ctx,
    store: FileStore<'_>,
    ticket_id: Uuid,
    file: Upload,
    comment: String,
    internal: bool,
) -> Result<attachment::Model> {
    if file.bytes.is_empty() {
        // Still a 404 outside the caller's scope.
        load(db, ctx, ticket_id, TicketAction::View).await?;
        return Err(ServiceError::field("file", "error-required"));
    }
    let (_, row) = super::comments::add_with_attachment(
        db,
        ctx,
        store,
        ticket_id,
        CommentInput {
            body: comment,
            internal,
            file: Some(file),
        },
    )
    .await?;
    row.ok_or_else(|| ServiceError::Internal("attachment not stored".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        assert_eq!(detect(&png), Some("image/png"));
        assert_eq!(detect(b"%PDF-1.4\n..."), Some("application/pdf"));
        assert_eq!(
            detect("Le vidéoprojecteur clignote.\n".as_bytes()),
            Some("text/plain")
        );
        assert_eq!(detect(b"<html><script>alert(1)</script></html>"), None);
        assert_eq!(detect(b"<!DOCTYPE html><p>x"), None);
        assert_eq!(detect(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"), None);
        assert_eq!(detect(b"#!/bin/sh\nrm -rf /"), None);
        assert_eq!(detect(b""), None);
        assert_eq!(clean_name("C:\\photos\\pro\"jo.png"), "projo.png");
        assert_eq!(clean_name("../../"), "fichier");
    }
}
