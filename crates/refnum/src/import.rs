//! `refnum import` and `refnum annuaire`: directory files from the command line.

use crate::cli::{AnnuaireCmd, ImportArgs};
use crate::config::Settings;
use anyhow::{Result, anyhow};
use refnum_services::annuaire::{self, CreateSchool, diff::Summary, snapshot::InputFile};
use refnum_services::audit::Who;

fn counts_line(label: &str, c: &annuaire::diff::Counts) -> String {
    format!(
        "  {label:<14} +{:<6} ~{:<6} -{:<6} ={}",
        c.add, c.change, c.deactivate, c.unchanged
    )
}

pub fn print_summary(s: &Summary, warnings: &[String]) {
    println!(
        "School year {}-{}. Changes: {} (+ added, ~ changed, - deactivated, = unchanged)",
        s.school_year,
        s.school_year + 1,
        s.total_changes()
    );
    for f in &s.files {
        println!(
            "  file {} ({:?}, {}, {} records, {} bytes)",
            f.name, f.kind, f.encoding, f.records, f.size
        );
    }
    println!("{}", counts_line("staff", &s.staff));
    println!("{}", counts_line("pupils", &s.pupils));
    println!("{}", counts_line("guardians", &s.guardians));
    println!("{}", counts_line("structures", &s.structures));
    println!("{}", counts_line("nomenclatures", &s.nomenclatures));
    if s.archived_previous_years > 0 {
        println!(
            "  rollover: {} classes and groups of earlier years archived",
            s.archived_previous_years
        );
    }
    if s.creates_school {
        println!("  the school is created from the file");
    }
    for w in warnings {
        println!("warning: {w}");
    }
}

async fn academie_of(
    db: &refnum_db::Db,
    code: Option<&str>,
) -> Result<refnum_db::entities::academie::Model> {
    let academies = refnum_db::orgs::list_academies(&db.conn).await?;
    match code {
        Some(code) => academies
            .into_iter()
            .find(|a| a.code == code.trim().to_lowercase())
            .ok_or_else(|| anyhow!("no académie with code {code}")),
        None if academies.len() == 1 => academies
            .into_iter()
            .next()
            .ok_or_else(|| anyhow!("no académie")),
        None => Err(anyhow!(
            "the instance has {} académies: say which one with --academie CODE",
            academies.len()
        )),
    }
}

/// `refnum import etablissements FILE… --academie CODE`.
async fn import_school_list(settings: &Settings, args: &ImportArgs) -> Result<()> {
    let db = crate::open(settings).await?;
    let academie = academie_of(&db, args.academie.as_deref()).await?;
    let who = Who::system("cli");
    for path in &args.files {
        let bytes =
            std::fs::read(path).map_err(|e| anyhow!("{}: cannot read ({e})", path.display()))?;
        let (rows, encoding) = refnum_io::school_list::parse_school_list(&bytes)
            .map_err(|e| anyhow!("import refused, nothing changed: {}: {e}", path.display()))?;
        let summary =
            refnum_services::school_list::import(&db, &who, academie.id, &rows, !args.dry_run)
                .await
                .map_err(|e| anyhow!("{e}"))?
                .map_err(|e| anyhow!("import refused, nothing changed: {}: {e}", path.display()))?;
        println!(
            "{} ({encoding}, {} schools) into {}: {} created, {} updated, {} unchanged",
            path.display(),
            rows.len(),
            academie.name,
            summary.created,
            summary.updated,
            summary.unchanged
        );
        for w in &summary.warnings {
            println!("warning: {w}");
        }
    }
    if args.dry_run {
        println!("Dry run: nothing changed.");
    }
    Ok(())
}

pub async fn import(settings: &Settings, args: &ImportArgs) -> Result<()> {
    if args.source == "etablissements" {
        return import_school_list(settings, args).await;
    }
    let Some(uai) = args.etablissement.as_deref() else {
        return Err(anyhow!(
            "--etablissement UAI is required: the school the files are for"
        ));
    };
    let db = crate::open(settings).await?;
    let uai = uai.trim().to_uppercase();
    let etab = annuaire::etab_by_uai(&db, &uai)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if etab.is_none() && !args.create_etablissement {
        return Err(anyhow!(
            "no school with UAI {uai} in RefNum: create it first (admin page or `refnum` demo), \
             or pass --create-etablissement to create it from the file's own description"
        ));
    }
    let mut files = vec![];
    for p in &args.files {
        if !p.is_file() {
            return Err(anyhow!("{}: no such file", p.display()));
        }
        files.push(InputFile {
            name: p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            path: p.clone(),
        });
    }
    let prepared = match annuaire::prepare(&db, files, &uai, etab.as_ref())
        .await
        .map_err(|e| anyhow!("{e}"))?
    {
        Ok(p) => p,
        Err(refusal) => return Err(anyhow!("import refused, nothing changed: {refusal}")),
    };
    if prepared.source.as_str() != args.source {
        return Err(anyhow!(
            "import refused, nothing changed: these are {} files, not {}",
            prepared.source.as_str(),
            args.source
        ));
    }
    print_summary(&prepared.summary, &prepared.warnings);
    if args.dry_run {
        println!("Dry run: nothing changed.");
        return Ok(());
    }
    let create = if etab.is_none() {
        let academie = academie_of(&db, args.academie.as_deref()).await?;
        Some(CreateSchool {
            academie_id: academie.id,
        })
    } else {
        None
    };
    let who = Who::system("cli");
    match annuaire::apply(&db, &who, prepared, etab, create, None)
        .await
        .map_err(|e| anyhow!("{e}"))?
    {
        Ok((_, s)) => {
            println!("Applied: {} changes.", s.total_changes());
            Ok(())
        }
        Err(refusal) => Err(anyhow!("import refused, nothing changed: {refusal}")),
    }
}

pub async fn annuaire_cmd(settings: &Settings, cmd: &AnnuaireCmd) -> Result<()> {
    let db = crate::open(settings).await?;
    match cmd {
        AnnuaireCmd::Purge(_) => {
            let n = annuaire::purge_departed(&db)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("Deleted {n} directory records of people who left.");
        }
        AnnuaireCmd::Rollover(r) => {
            let etab = annuaire::etab_by_uai(&db, &r.etablissement)
                .await
                .map_err(|e| anyhow!("{e}"))?
                .ok_or_else(|| anyhow!("no school with UAI {}", r.etablissement))?;
            let n = annuaire::rollover(&db, &Who::system("cli"), &etab, r.year)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!(
                "School year {}-{}: {n} classes and groups of earlier years archived.",
                r.year,
                r.year + 1
            );
        }
    }
    Ok(())
}
