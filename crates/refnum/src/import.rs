//! `refnum import` and `refnum annuaire`: directory files from the command line.
//! Their messages are in French, like the refusals of the files they read
//! (one language per message): the people who run them are the school's
//! referent or the académie's operators.

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
        "Année scolaire {}-{}. Modifications : {} (+ ajoutés, ~ modifiés, - partis, = inchangés)",
        s.school_year,
        s.school_year + 1,
        s.total_changes()
    );
    for f in &s.files {
        println!(
            "  fichier {} ({:?}, {}, {} enregistrements, {} octets)",
            f.name, f.kind, f.encoding, f.records, f.size
        );
    }
    println!("{}", counts_line("personnels", &s.staff));
    println!("{}", counts_line("élèves", &s.pupils));
    println!("{}", counts_line("responsables", &s.guardians));
    println!("{}", counts_line("structures", &s.structures));
    println!("{}", counts_line("nomenclatures", &s.nomenclatures));
    if s.archived_previous_years > 0 {
        println!(
            "  rentrée : {} classes et groupes des années précédentes archivés",
            s.archived_previous_years
        );
    }
    if s.creates_school {
        println!("  l'établissement sera créé d'après le fichier");
    }
    for w in warnings {
        println!("attention : {w}");
    }
}

async fn academie_of(
    db: &refnum_db::Db,
    code: Option<&str>,
) -> Result<refnum_db::entities::academie::Model> {
    let academies = refnum_db::orgs::list_academies(&db.conn).await?;
    match code {
        Some(code) => {
            let known: Vec<String> = academies.iter().map(|a| a.code.clone()).collect();
            academies
                .into_iter()
                .find(|a| a.code == code.trim().to_lowercase())
                .ok_or_else(|| {
                    anyhow!(
                        "aucune académie de code « {code} » (codes connus : {})",
                        known.join(", ")
                    )
                })
        }
        None if academies.len() == 1 => academies
            .into_iter()
            .next()
            .ok_or_else(|| anyhow!("aucune académie : créez-en une d'abord")),
        None => Err(anyhow!(
            "l'instance a {} académies : indiquez laquelle avec --academie CODE",
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
        let bytes = std::fs::read(path).map_err(|e| {
            anyhow!(
                "{} : lecture impossible ({})",
                path.display(),
                refnum_io::annuaire::io_error_fr(&e)
            )
        })?;
        let (rows, encoding) = refnum_io::school_list::parse_school_list(&bytes)
            .map_err(|e| anyhow!("import refusé, rien n'a changé : {} : {e}", path.display()))?;
        let summary =
            refnum_services::school_list::import(&db, &who, academie.id, &rows, !args.dry_run)
                .await
                .map_err(|e| anyhow!("{e}"))?
                .map_err(|e| {
                    anyhow!("import refusé, rien n'a changé : {} : {e}", path.display())
                })?;
        println!(
            "{} ({encoding}, {} établissements) dans {} : {} créés, {} modifiés, {} inchangés",
            path.display(),
            rows.len(),
            academie.name,
            summary.created,
            summary.updated,
            summary.unchanged
        );
        for w in &summary.warnings {
            println!("attention : {w}");
        }
    }
    if args.dry_run {
        println!("Simulation : rien n'a changé.");
    }
    Ok(())
}

pub async fn import(settings: &Settings, args: &ImportArgs) -> Result<()> {
    if args.source == "etablissements" {
        return import_school_list(settings, args).await;
    }
    let Some(uai) = args.etablissement.as_deref() else {
        return Err(anyhow!(
            "--etablissement UAI est obligatoire : l'établissement auquel les fichiers sont destinés"
        ));
    };
    let db = crate::open(settings).await?;
    let uai = uai.trim().to_uppercase();
    let etab = annuaire::etab_by_uai(&db, &uai)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if etab.is_none() && !args.create_etablissement {
        return Err(anyhow!(
            "aucun établissement d'UAI {uai} dans RefNum : créez-le d'abord (page Administration \
             › Établissements), ou ajoutez --create-etablissement pour le créer d'après la \
             description que donne le fichier"
        ));
    }
    let mut files = vec![];
    for p in &args.files {
        if !p.is_file() {
            return Err(anyhow!(
                "{} : fichier introuvable, vérifiez son chemin",
                p.display()
            ));
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
        Err(refusal) => return Err(anyhow!("import refusé, rien n'a changé : {refusal}")),
    };
    if prepared.source.as_str() != args.source {
        return Err(anyhow!(
            "import refusé, rien n'a changé : ce sont des fichiers {}, pas {} ; relancez avec \
             `refnum import {} …`",
            prepared.source.as_str(),
            args.source,
            prepared.source.as_str()
        ));
    }
    print_summary(&prepared.summary, &prepared.warnings);
    if args.dry_run {
        println!("Simulation : rien n'a changé.");
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
            println!("Appliqué : {} modifications.", s.total_changes());
            Ok(())
        }
        Err(refusal) => Err(anyhow!("import refusé, rien n'a changé : {refusal}")),
    }
}

pub async fn annuaire_cmd(settings: &Settings, cmd: &AnnuaireCmd) -> Result<()> {
    let db = crate::open(settings).await?;
    match cmd {
        AnnuaireCmd::Purge(_) => {
            let n = annuaire::purge_departed(&db)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("{n} fiches de personnes parties supprimées de l'annuaire.");
        }
        AnnuaireCmd::Rollover(r) => {
            let etab = annuaire::etab_by_uai(&db, &r.etablissement)
                .await
                .map_err(|e| anyhow!("{e}"))?
                .ok_or_else(|| anyhow!("aucun établissement d'UAI {}", r.etablissement))?;
            let n = annuaire::rollover(&db, &Who::system("cli"), &etab, r.year)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!(
                "Année scolaire {}-{} : {n} classes et groupes des années précédentes archivés.",
                r.year,
                r.year + 1
            );
        }
    }
    Ok(())
}
