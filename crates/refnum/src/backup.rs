//! Backups: a consistent online copy of the SQLite database (VACUUM INTO,
//! safe while RefNum serves) and the attachments, in one tar archive.

use crate::config::Settings;
use anyhow::{Context, Result, bail};
use std::fs::File;
use std::path::Path;

pub async fn backup(settings: &Settings, out: &Path) -> Result<()> {
    if !settings.is_sqlite() {
        bail!(
            "refnum backup copies the SQLite database. For PostgreSQL, use pg_dump \
             (e.g. `pg_dump --format=custom --file refnum.dump DBNAME`) and copy the files directory {}.",
            settings.data_dir.join("files").display()
        );
    }
    let db = crate::open(settings).await?;
    let tmp = std::env::temp_dir().join(format!("refnum-backup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&tmp)?;
    let db_copy = tmp.join("refnum.db");
    db.sqlite_backup_into(&db_copy.to_string_lossy())
        .await
        .context("the online copy of the database failed")?;
    let file = File::create(out).with_context(|| format!("cannot write {}", out.display()))?;
    let mut tar = tar::Builder::new(file);
    tar.append_path_with_name(&db_copy, "refnum.db")?;
    let files = settings.data_dir.join("files");
    if files.exists() {
        tar.append_dir_all("files", &files)?;
    }
    tar.finish()?;
    std::fs::remove_dir_all(&tmp).ok();
    println!("Backup written to {}", out.display());
    Ok(())
}

/// The folder a backup is unpacked into, removed however the restore ends
/// (a truncated archive, a missing database, an error while swapping).
struct Staging(std::path::PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        if self.0.exists() {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }
}

pub async fn restore(settings: &Settings, from: &Path, force: bool) -> Result<()> {
    if !settings.is_sqlite() {
        bail!("refnum restore restores a SQLite backup. For PostgreSQL, use pg_restore.");
    }
    let target = settings.data_dir.join("refnum.db");
    if target.exists() && !force {
        bail!(
            "{} already exists: stop RefNum, then run restore again with --force to replace it",
            target.display()
        );
    }
    std::fs::create_dir_all(&settings.data_dir)?;
    // Unpack next to the data, check, then swap.
    let guard = Staging(
        settings
            .data_dir
            .join(format!(".restore-{}", uuid::Uuid::now_v7())),
    );
    std::fs::create_dir_all(&guard.0)?;
    let staging = &guard.0;
    let mut archive = tar::Archive::new(
        File::open(from).with_context(|| format!("cannot read {}", from.display()))?,
    );
    archive
        .unpack(staging)
        .context("the archive is not a complete RefNum backup (a tar file cut short or another file); nothing was changed")?;
    let db_file = staging.join("refnum.db");
    if !db_file.exists() {
        bail!("the archive holds no refnum.db; nothing was changed");
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = settings.data_dir.join(format!("refnum.db{suffix}"));
        if p.exists() {
            std::fs::remove_file(&p)?;
        }
    }
    std::fs::rename(&db_file, &target)?;
    let files = settings.data_dir.join("files");
    if staging.join("files").exists() {
        if files.exists() {
            std::fs::remove_dir_all(&files)?;
        }
        std::fs::rename(staging.join("files"), &files)?;
    }
    let db = crate::open(settings).await?;
    match refnum_services::audit::verify(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        refnum_services::audit::VerifyOutcome::Intact { events } => {
            println!(
                "Restored into {} ({events} audit events verified).",
                settings.data_dir.display()
            );
        }
        refnum_services::audit::VerifyOutcome::Broken { seq, reason } => {
            println!("Restored, but the audit chain is broken at event #{seq} ({reason}).");
        }
    }
    Ok(())
}
