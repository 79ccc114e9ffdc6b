//! The directory parsers on the real samples of `shared/fixtures` and on
//! hostile inputs.
//!
//! Expected counts were computed independently of the parsers, from the
//! files themselves, with the commands given next to each.

use std::io::Cursor;

use chrono::NaiveDate;
use refnum_io::annuaire::{
    self, FileKind, FileMeta, Limits, NomenclatureKind, ParseError, PersonKind, PupilRec, Record,
    StaffRec, StructureKind,
};

macro_rules! fixture {
    ($p:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/", $p)
    };
}
macro_rules! data {
    ($p:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/", $p)
    };
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn detect_path(path: &str) -> FileKind {
    let bytes = read(path);
    let head = &bytes[..bytes.len().min(4096)];
    annuaire::detect(path, head).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse_bytes_with(
    kind: FileKind,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(FileMeta, Vec<Record>), ParseError> {
    let mut records = Vec::new();
    let meta = annuaire::parse(kind, Cursor::new(bytes), limits, &mut |r| {
        records.push(r);
        Ok(())
    })?;
    assert_eq!(meta.records, records.len() as u64);
    Ok((meta, records))
}

fn parse_bytes(kind: FileKind, bytes: &[u8]) -> Result<(FileMeta, Vec<Record>), ParseError> {
    parse_bytes_with(kind, bytes, &Limits::default())
}

fn parse_file(path: &str) -> (FileKind, FileMeta, Vec<Record>) {
    let kind = detect_path(path);
    let (meta, records) = parse_bytes(kind, &read(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    (kind, meta, records)
}

#[derive(Default, Debug, PartialEq)]
struct Counts {
    schools: usize,
    structures: usize,
    nomenclatures: usize,
    staff: usize,
    pupils: usize,
    guardians: usize,
    deletes: usize,
}

fn counts(records: &[Record]) -> Counts {
    let mut c = Counts::default();
    for r in records {
        match r {
            Record::School(_) => c.schools += 1,
            Record::Structure(_) => c.structures += 1,
            Record::Nomenclature(_) => c.nomenclatures += 1,
            Record::Staff(_) => c.staff += 1,
            Record::Pupil(_) => c.pupils += 1,
            Record::Guardian(_) => c.guardians += 1,
            Record::Delete { .. } => c.deletes += 1,
        }
    }
    c
}

fn staff<'a>(records: &'a [Record], key: &str) -> &'a StaffRec {
    records
        .iter()
        .find_map(|r| match r {
            Record::Staff(s) if s.key == key => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("staff {key} missing"))
}

fn pupil<'a>(records: &'a [Record], key: &str) -> &'a PupilRec {
    records
        .iter()
        .find_map(|r| match r {
            Record::Pupil(p) if p.key == key => Some(p),
            _ => None,
        })
        .unwrap_or_else(|| panic!("pupil {key} missing"))
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

// ---------------------------------------------------------------- STS-web

#[test]
fn sts_fixture_parses_with_its_staff_structures_and_missions() {
    let (kind, meta, records) = parse_file(fixture!("sts/sts_emp_0770935Y_2017.xml"));
    assert_eq!(kind, FileKind::StsEmp);
    assert_eq!(meta.uai.as_deref(), Some("0770935Y"));
    assert_eq!(meta.school_year, Some(2017));
    assert_eq!(meta.encoding, "ISO-8859-15");
    assert!(meta.warnings.is_empty(), "{:?}", meta.warnings);
    // grep -c '<INDIVIDU ID=' → 136, grep -c '<SUPPLEANT ID=' → 3;
    // grep -c '<TYPE_AHE CODE=' → 24, '<MATIERE CODE=' → 136, '<MEF CODE=' → 60;
    // grep -c '<DIVISION CODE=' → 58, '<GROUPE CODE=' → 168.
    assert_eq!(
        counts(&records),
        Counts {
            schools: 1,
            structures: 58 + 168,
            nomenclatures: 24 + 136 + 60,
            staff: 136 + 3,
            ..Counts::default()
        }
    );
    let Some(Record::School(school)) = records.first() else {
        panic!("the school comes first")
    };
    assert_eq!(school.uai, "0770935Y");
    assert_eq!(school.name, "LPO LYCEE DES METIERS JULES VERNES");
    assert_eq!(school.city.as_deref(), Some("CRETEIL"));
    assert_eq!(school.kind.as_deref(), Some("LYC"));

    let refnum = records
        .iter()
        .find_map(|r| match r {
            Record::Nomenclature(n) if n.kind == NomenclatureKind::Mission && n.code == "9162" => {
                Some(n)
            }
            _ => None,
        })
        .expect("mission 9162");
    assert_eq!(refnum.short_label.as_deref(), Some("REF.NUM"));
    // ISO-8859-15 accents intact.
    assert_eq!(refnum.label, "RÉFÉRENT RESSOURCES PÉDAGO NUMÉRIQUES");
    assert!(records.iter().any(|r| matches!(r,
        Record::Nomenclature(n) if n.kind == NomenclatureKind::Subject && n.code == "090100" && n.label == "Arts plastiques")));

    let felix = staff(&records, "7723");
    assert_eq!(felix.first_name, "FÉLIX");
    assert_eq!(felix.last_name, "MARTY");
    assert_eq!(felix.civility.as_deref(), Some("M."));
    assert_eq!(felix.birth_date, date(1958, 7, 18));
    assert_eq!(felix.functions, ["ENS"]);
    assert_eq!(felix.disciplines, ["L8010"]);
    assert_eq!(staff(&records, "192274").first_name, "ANAËL");
    // NOM_USAGE wins over NOM_PATRONYMIQUE (suppléant 186486: BOURQUIN / BOBENRIETHER).
    assert_eq!(staff(&records, "186486").last_name, "BOURQUIN");
    // Services: 9792 teaches in the division "1ES L" (first division of the file).
    assert!(
        staff(&records, "9792")
            .structures
            .iter()
            .any(|s| s == "1ES L")
    );
    let heads = records
        .iter()
        .filter(|r| matches!(r, Record::Staff(s) if s.functions == ["DIR"]))
        .count();
    assert_eq!(heads, 3); // grep -c '<FONCTION>DIR'
    // No person of this sample holds a mission in their hours.
    assert!(
        records
            .iter()
            .all(|r| !matches!(r, Record::Staff(s) if !s.missions.is_empty()))
    );

    let group = records
        .iter()
        .find_map(|r| match r {
            Record::Structure(s) if s.code == "1ALL2GR1" => Some(s),
            _ => None,
        })
        .expect("group 1ALL2GR1");
    assert_eq!(group.kind, StructureKind::Group);
    assert_eq!(group.divisions, ["1ES L", "1S"]);
    let division = records
        .iter()
        .find_map(|r| match r {
            Record::Structure(s) if s.code == "1ES L" => Some(s),
            _ => None,
        })
        .expect("division 1ES L");
    assert_eq!(division.kind, StructureKind::Division);
    assert_eq!(division.mefs.len(), 4);
}

#[test]
fn sts_mission_of_a_person_is_read_from_their_hours() {
    let (kind, meta, records) = parse_file(data!("sts_mission.xml"));
    assert_eq!(kind, FileKind::StsEmp);
    assert_eq!(meta.encoding, "UTF-8");
    let p = staff(&records, "4242");
    assert_eq!(p.missions, ["9162"]);
    assert_eq!(p.last_name, "LEFÈVRE");
    assert_eq!(p.first_name, "HÉLOÏSE");
    assert_eq!(p.structures, ["6A"]);
}

// ---------------------------------------------------------------- SIECLE

#[test]
fn siecle_eleves_fixture_parses_with_classes_and_groups() {
    let (kind, meta, records) = parse_file(fixture!(
        "siecle/siecle-two-valid-students-and-school-year.xml"
    ));
    assert_eq!(kind, FileKind::SiecleEleves);
    // Not a valid UAI: comes through as written, the service validates.
    assert_eq!(meta.uai.as_deref(), Some("123ABC"));
    assert_eq!(meta.school_year, Some(2016));
    assert_eq!(meta.encoding, "ISO-8859-15");
    // 2 × <ELEVE ELEVE_ID=; structures 4A (D) and 42 (G).
    assert_eq!(
        counts(&records),
        Counts {
            pupils: 2,
            structures: 2,
            ..Counts::default()
        }
    );
    let a = pupil(&records, "0001");
    assert_eq!(a.ine.as_deref(), Some("00000000123"));
    assert_eq!(a.last_name, "HANDMADE");
    assert_eq!(a.first_name, "Luciole");
    assert_eq!(a.birth_date, date(1994, 12, 31));
    assert_eq!(a.class.as_deref(), Some("4A"));
    assert!(a.groups.is_empty());
    assert_eq!(a.mef.as_deref(), Some("123456789"));
    let b = pupil(&records, "0002");
    assert_eq!(b.last_name, "COJAUNE"); // NOM_USAGE over NOM_DE_FAMILLE
    assert_eq!(b.class.as_deref(), Some("4A"));
    assert_eq!(b.groups, ["42"]);
    assert_eq!(b.birth_date, date(1994, 7, 1));
}

#[test]
fn siecle_pupils_wait_for_structures_in_either_order_and_keep_their_leaving_date() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BEE_ELEVES VERSION=\"3.0\"><PARAMETRES><UAJ>0141234X</UAJ><ANNEE_SCOLAIRE>2024</ANNEE_SCOLAIRE><HORODATAGE>03/09/2024 10:00:00</HORODATAGE></PARAMETRES><DONNEES>\
<STRUCTURES><STRUCTURES_ELEVE ELEVE_ID=\"7\"><STRUCTURE><CODE_STRUCTURE>5B</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE></STRUCTURES>\
<ELEVES><ELEVE ELEVE_ID=\"7\"><NOM_DE_FAMILLE>ÉLÈVE</NOM_DE_FAMILLE><PRENOM>Zoé</PRENOM><DATE_NAISS>05/05/2012</DATE_NAISS><DATE_SORTIE>30/06/2024</DATE_SORTIE></ELEVE>\
<ELEVE ELEVE_ID=\"8\"><NOM_DE_FAMILLE>SANS</NOM_DE_FAMILLE><PRENOM>Classe</PRENOM></ELEVE></ELEVES></DONNEES></BEE_ELEVES>";
    let (meta, records) = parse_bytes(FileKind::SiecleEleves, xml.as_bytes()).expect("parses");
    assert_eq!(meta.exported_on, date(2024, 9, 3));
    let z = pupil(&records, "7");
    assert_eq!(z.last_name, "ÉLÈVE");
    assert_eq!(z.class.as_deref(), Some("5B"));
    assert_eq!(z.left_on, date(2024, 6, 30));
    assert_eq!(pupil(&records, "8").class, None);
}

#[test]
fn siecle_nomenclature_and_structures_hand_written_files_parse() {
    let (kind, meta, records) = parse_file(data!("Nomenclature.xml"));
    assert_eq!(kind, FileKind::SiecleNomenclature);
    assert_eq!(meta.uai.as_deref(), Some("0141234X"));
    assert_eq!(meta.school_year, Some(2024));
    assert_eq!(meta.exported_on, date(2024, 9, 2));
    assert_eq!(meta.encoding, "ISO-8859-15");
    assert_eq!(
        counts(&records),
        Counts {
            nomenclatures: 5,
            ..Counts::default()
        }
    );
    assert!(records.iter().any(|r| matches!(r,
        Record::Nomenclature(n) if n.kind == NomenclatureKind::Subject && n.code == "100100"
            && n.label == "Éducation physique et sportive"
            && n.short_label.as_deref() == Some("ED.PHYSIQUE & SPORT."))));
    assert!(records.iter().any(|r| matches!(r,
        Record::Nomenclature(n) if n.kind == NomenclatureKind::Mef && n.code == "10010012110" && n.label == "6ème")));

    let (kind, _meta, records) = parse_file(data!("Structures.xml"));
    assert_eq!(kind, FileKind::SiecleStructures);
    assert_eq!(
        counts(&records),
        Counts {
            structures: 3,
            ..Counts::default()
        }
    );
    assert!(records.iter().any(|r| matches!(r,
        Record::Structure(s) if s.code == "6A" && s.kind == StructureKind::Division
            && s.label.as_deref() == Some("6ème A") && s.mefs == ["10010012110"])));
    assert!(records.iter().any(|r| matches!(r,
        Record::Structure(s) if s.code == "3LATIN" && s.kind == StructureKind::Group && s.divisions == ["3B"])));
}

// ---------------------------------------------------------------- AAF

#[test]
fn aaf_eleve_fixture_parses_642_pupils_with_classes_and_guardians() {
    let (kind, meta, records) = parse_file(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"
    ));
    assert_eq!(kind, FileKind::AafEleve);
    assert_eq!(meta.encoding, "UTF-8");
    assert_eq!(meta.uai, None);
    // No prolog: read as UTF-8, and said so.
    assert!(meta.warnings.iter().any(|w| w.contains("UTF-8")));
    // grep -c '<addRequest' → 642; distinct (struct, code) of ENTEleveClasses
    // and ENTEleveGroupes values counted with a regex script → 243.
    assert_eq!(
        counts(&records),
        Counts {
            pupils: 642,
            structures: 243,
            ..Counts::default()
        }
    );
    let ku = pupil(&records, "2605692");
    assert_eq!(ku.first_name, "Kù");
    assert_eq!(ku.last_name, "Long"); // sn, the name in use
    assert_eq!(ku.birth_date, date(1995, 9, 14));
    assert_eq!(ku.class.as_deref(), Some("RUS1TERM"));
    assert_eq!(ku.groups, ["206"]);
    assert_eq!(ku.mef.as_deref(), Some("24133610210"));
    // ENTPersonStructRattach (52006 = UAI 0059951P in EtabEducNat), not ENTEleveStructRattachId.
    assert_eq!(ku.school_source_id.as_deref(), Some("52006"));
    assert_eq!(ku.guardians.len(), 2);
    let mother = &ku.guardians[0];
    assert_eq!(mother.guardian_key, "2867253");
    assert_eq!(mother.relation.as_deref(), Some("mère"));
    assert!(mother.legal);
    assert!(records.iter().any(|r| matches!(r,
        Record::Structure(s) if s.code == "RUS1TERM" && s.kind == StructureKind::Division
            && s.school_source_id.as_deref() == Some("52006"))));
}

#[test]
fn aaf_person_files_parse() {
    // grep -c '<addRequest' on each file.
    let (_, _, r) = parse_file(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_PersEducNat_0000.xml"
    ));
    // 349 distinct (struct, code) of ENTAuxEnsClasses / ENTAuxEnsGroupes (regex script).
    assert_eq!(
        counts(&r),
        Counts {
            staff: 698,
            structures: 349,
            ..Counts::default()
        }
    );
    let s = staff(&r, "2397001");
    assert_eq!(s.first_name, "EISABETH");
    assert_eq!(s.civility.as_deref(), Some("Mme"));
    assert_eq!(s.birth_date, date(1975, 11, 12));
    assert_eq!(s.functions, ["ENS"]);
    assert_eq!(s.disciplines, ["L6510"]);
    assert_eq!(s.school_source_ids, ["52009"]);
    let teacher = staff(&r, "2397000");
    assert!(teacher.structures.iter().any(|c| c == "1S2"));
    assert!(teacher.structures.iter().any(|c| c == "211GP1"));

    let (_, _, r) = parse_file(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_PersEducNat_0001.xml"
    ));
    assert_eq!(
        counts(&r),
        Counts {
            staff: 3,
            structures: 10,
            ..Counts::default()
        }
    );

    for (path, n) in [
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0000.xml"),
            8,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0001.xml"),
            6,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0002.xml"),
            1,
        ),
    ] {
        let (kind, _, r) = parse_file(path);
        assert_eq!(kind, FileKind::AafPersRelEleve);
        assert_eq!(
            counts(&r),
            Counts {
                guardians: n,
                ..Counts::default()
            },
            "{path}"
        );
    }
    let (_, _, r) = parse_file(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0002.xml"
    ));
    let Record::Guardian(g) = &r[0] else {
        panic!("a guardian")
    };
    assert_eq!(g.key, "2033187");
    assert_eq!(g.first_name, "Sélène");
    assert_eq!(g.last_name, "Thompson");
}

#[test]
fn aaf_school_and_nomenclature_files_parse() {
    let (kind, meta, r) = parse_file(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_EtabEducNat_0000.xml"
    ));
    assert_eq!(kind, FileKind::AafEtabEducNat);
    assert_eq!(
        counts(&r),
        Counts {
            schools: 10,
            ..Counts::default()
        }
    );
    // Ten schools: the file is for none in particular.
    assert_eq!(meta.uai, None);
    assert!(r.iter().any(|x| matches!(x,
        Record::School(s) if s.uai == "1004001V" && s.name == "Z.REMP-DIGNE-AIX_MARS."
            && s.source_id.as_deref() == Some("52000"))));

    let (kind, _, r) = parse_file(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_MatiereEducNat_0000.xml"
    ));
    assert_eq!(kind, FileKind::AafMatiereEducNat);
    assert_eq!(
        counts(&r),
        Counts {
            nomenclatures: 718,
            ..Counts::default()
        }
    );
    assert!(r.iter().any(|x| matches!(x,
        Record::Nomenclature(n) if n.kind == NomenclatureKind::Subject && n.code == "002400"
            && n.label == "ACCES EN AUTONOMIE AU LABO.INFORMATIQUE")));

    let (kind, _, r) = parse_file(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_MefEducNat_0000.xml"
    ));
    assert_eq!(kind, FileKind::AafMefEducNat);
    assert_eq!(
        counts(&r),
        Counts {
            nomenclatures: 2504,
            ..Counts::default()
        }
    );

    let (kind, meta, r) = parse_file(fixture!(
        "aaf/small/ENT_Complet_20200101_EtabEducNat_0000.xml"
    ));
    assert_eq!(kind, FileKind::AafEtabEducNat);
    assert_eq!(meta.encoding, "ISO-8859-15");
    assert_eq!(meta.uai.as_deref(), Some("0000000V"));
    let Record::School(s) = &r[0] else {
        panic!("a school")
    };
    assert_eq!(s.name, "NOM$STRUCTURE$COURANT");
    assert_eq!(s.city.as_deref(), Some("DOUAI"));
    assert_eq!(s.kind.as_deref(), Some("ECOLE"));

    let (kind, _, r) = parse_file(fixture!("aaf/small/ENT_Complet_20200101_Eleve_0000.xml"));
    assert_eq!(kind, FileKind::AafEleve);
    let p = pupil(&r, "2000000");
    assert_eq!(p.ine.as_deref(), Some("100000000AA"));
    assert_eq!(p.class.as_deref(), Some("1AQUA"));
    assert_eq!(p.guardians[0].relation.as_deref(), Some("père"));
    assert_eq!(p.guardians[1].relation.as_deref(), Some("mère"));
}

#[test]
fn aaf_modify_and_delete_requests() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">
<ficAlimMENESR>
<modifyRequest>
<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
<identifier><id>900</id></identifier>
<modifications>
<modification name="ENTPersonJointure" operation="replace"><value>900</value></modification>
<modification name="sn" operation="replace"><value>Dupré</value></modification>
<modification name="givenName" operation="replace"><value>Anaïs</value></modification>
<modification name="ENTEleveClasses" operation="replace"><value>77$3C</value></modification>
</modifications>
</modifyRequest>
<deleteRequest>
<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
<identifier><id>901</id></identifier>
</deleteRequest>
<deleteRequest>
<operationalAttributes><attr name="categoriePersonne"><value>PersRelEleve</value></attr></operationalAttributes>
<identifier><id>902</id></identifier>
</deleteRequest>
</ficAlimMENESR>
"#;
    let (_, r) = parse_bytes(FileKind::AafEleve, xml.as_bytes()).expect("parses");
    let p = pupil(&r, "900");
    assert_eq!(p.last_name, "Dupré");
    assert_eq!(p.first_name, "Anaïs");
    assert_eq!(p.class.as_deref(), Some("3C"));
    assert!(r.contains(&Record::Delete {
        kind: PersonKind::Pupil,
        key: "901".into()
    }));
    assert!(r.contains(&Record::Delete {
        kind: PersonKind::Guardian,
        key: "902".into()
    }));
}

#[test]
fn aaf_dates_come_from_file_names() {
    assert_eq!(
        annuaire::date_from_file_name("FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"),
        date(2013, 1, 17)
    );
    assert_eq!(
        annuaire::date_from_file_name("/x/y/ENT_Complet_20200101_EtabEducNat_0000.xml"),
        date(2020, 1, 1)
    );
    assert_eq!(
        annuaire::date_from_file_name("ENT_Complet_Eleve_0000.xml"),
        None
    );
    assert_eq!(
        annuaire::date_from_file_name("ENT_Complet_20201399_Eleve.xml"),
        None
    );
}

// ---------------------------------------------------------------- ONDE

#[test]
fn onde_files_parse_with_accents_and_link_guardians_to_pupils() {
    let (kind, meta, pupils) = parse_file(fixture!("be1d/CSVExtraction-eleves.csv"));
    assert_eq!(kind, FileKind::OndeEleves);
    assert_eq!(meta.encoding, "windows-1252");
    assert!(meta.warnings.is_empty(), "{:?}", meta.warnings);
    // 248 CSV records (awk -F';' on the iconv'd file) minus the header;
    // 10 distinct values in the "Classe" column.
    assert_eq!(
        counts(&pupils),
        Counts {
            pupils: 247,
            structures: 10,
            ..Counts::default()
        }
    );
    let lea = pupil(&pupils, "MATHIEU|LEA|2009-12-03");
    assert_eq!(lea.first_name, "Léa");
    assert_eq!(lea.class.as_deref(), Some("MS"));
    assert_eq!(lea.birth_date, date(2009, 12, 3));
    assert!(
        pupils
            .iter()
            .any(|r| matches!(r, Record::Pupil(p) if p.last_name == "ROZÉE"))
    );

    let (kind, _, teachers) = parse_file(fixture!("be1d/CSVExtraction-enseignants.csv"));
    assert_eq!(kind, FileKind::OndeEnseignants);
    // 15 lines minus the header; classes TPS…CM2, CLIS: 10.
    assert_eq!(
        counts(&teachers),
        Counts {
            staff: 14,
            structures: 10,
            ..Counts::default()
        }
    );
    let head = staff(&teachers, "PALLISE|MARTINE");
    assert_eq!(head.functions, ["ENS", "DIR"]);
    assert_eq!(head.structures, ["CM2"]);
    assert_eq!(staff(&teachers, "LE COQ|HELENE").functions, ["ENS"]);

    let (kind, meta, guardians) = parse_file(fixture!("be1d/CSVExtraction-responsables.csv"));
    assert_eq!(kind, FileKind::OndeResponsables);
    assert_eq!(meta.encoding, "windows-1252");
    // wc -l → 470 lines, header included.
    assert_eq!(
        counts(&guardians),
        Counts {
            guardians: 469,
            structures: 10,
            ..Counts::default()
        }
    );
    let g = guardians
        .iter()
        .find_map(|r| match r {
            Record::Guardian(g) if g.last_name == "ADJIBEL" => Some(g),
            _ => None,
        })
        .expect("ADJIBEL");
    assert_eq!(g.first_name, "Corinne");
    assert_eq!(g.pupils.len(), 3);
    // Every link designates a pupil of the eleves file through its link key.
    let link_keys: std::collections::HashSet<String> = pupils
        .iter()
        .filter_map(|r| match r {
            Record::Pupil(p) => annuaire::link_key_of_pupil(p),
            _ => None,
        })
        .collect();
    for link in &g.pupils {
        assert!(link_keys.contains(&link.pupil_key), "{}", link.pupil_key);
    }
    // Two guardians named BEAUMONT Muriel, told apart by their first child.
    let beaumont: Vec<_> = guardians
        .iter()
        .filter_map(|r| match r {
            Record::Guardian(g) if g.last_name == "BEAUMONT" && g.first_name == "Muriel" => {
                Some(g.key.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(beaumont.len(), 2);
    assert_ne!(beaumont[0], beaumont[1]);
}

#[test]
fn onde_csv_in_utf8_is_read_as_utf8_with_a_warning_or_silently_with_a_bom() {
    let csv = "\"Nom Elève\";\"Prénom Elève\";\"Date naissance\";\"Classe\"\r\n\"ÉLOI\";\"Zoé\";\"2015-02-03\";\"CP\"\r\n";
    let (meta, r) = parse_bytes(FileKind::OndeEleves, csv.as_bytes()).expect("parses");
    assert_eq!(meta.encoding, "UTF-8");
    assert_eq!(meta.warnings.len(), 1, "{:?}", meta.warnings);
    assert_eq!(pupil(&r, "ELOI|ZOE|2015-02-03").first_name, "Zoé");

    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(csv.as_bytes());
    let (meta, r) = parse_bytes(FileKind::OndeEleves, &with_bom).expect("parses");
    assert_eq!(meta.encoding, "UTF-8");
    assert!(meta.warnings.is_empty());
    assert_eq!(pupil(&r, "ELOI|ZOE|2015-02-03").last_name, "ÉLOI");
}

#[test]
fn onde_malformed_csv_names_line_and_column() {
    let csv = "Nom Elève;Prénom Elève;Date naissance;Classe\nA;B;2015-01-01;CP\nC;D;2015-01-01\n";
    let e = parse_bytes(FileKind::OndeEleves, csv.as_bytes()).expect_err("short row");
    assert_eq!(e.line, Some(3));
    assert_eq!(e.element.as_deref(), Some("colonne « Classe » absente"));

    let csv = "Nom Elève;Prénom Elève;Classe\nA;B;CP\n";
    let e = parse_bytes(FileKind::OndeEleves, csv.as_bytes()).expect_err("no birth date column");
    assert_eq!(e.line, Some(1));
    assert_eq!(e.element.as_deref(), Some("Date naissance"));
    assert!(e.message.contains("absente"), "{e}");

    let csv = "Nom Elève;Prénom Elève;Date naissance;Classe\nA;B;31/02/2015;CP\n";
    let e = parse_bytes(FileKind::OndeEleves, csv.as_bytes()).expect_err("bad date");
    assert_eq!(e.line, Some(2));
    assert_eq!(e.element.as_deref(), Some("Date naissance"));
}

// ---------------------------------------------------------------- detect

#[test]
fn detect_recognises_every_fixture() {
    for (path, kind) in [
        (fixture!("sts/sts_emp_0770935Y_2017.xml"), FileKind::StsEmp),
        (
            fixture!("siecle/siecle-two-valid-students-and-school-year.xml"),
            FileKind::SiecleEleves,
        ),
        (data!("Nomenclature.xml"), FileKind::SiecleNomenclature),
        (data!("Structures.xml"), FileKind::SiecleStructures),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"),
            FileKind::AafEleve,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_EtabEducNat_0000.xml"),
            FileKind::AafEtabEducNat,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_MatiereEducNat_0000.xml"),
            FileKind::AafMatiereEducNat,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_MefEducNat_0000.xml"),
            FileKind::AafMefEducNat,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_PersEducNat_0000.xml"),
            FileKind::AafPersEducNat,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_PersEducNat_0001.xml"),
            FileKind::AafPersEducNat,
        ),
        (
            fixture!("aaf/FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0000.xml"),
            FileKind::AafPersRelEleve,
        ),
        (
            fixture!("aaf/small/ENT_Complet_20200101_Eleve_0000.xml"),
            FileKind::AafEleve,
        ),
        (
            fixture!("aaf/small/ENT_Complet_20200101_EtabEducNat_0000.xml"),
            FileKind::AafEtabEducNat,
        ),
        (
            fixture!("be1d/CSVExtraction-eleves.csv"),
            FileKind::OndeEleves,
        ),
        (
            fixture!("be1d/CSVExtraction-enseignants.csv"),
            FileKind::OndeEnseignants,
        ),
        (
            fixture!("be1d/CSVExtraction-responsables.csv"),
            FileKind::OndeResponsables,
        ),
    ] {
        assert_eq!(detect_path(path), kind, "{path}");
    }
    // Renamed AAF file: the content tells.
    let bytes = read(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0000.xml"
    ));
    assert_eq!(
        annuaire::detect("export.xml", &bytes[..4096.min(bytes.len())]).expect("detected"),
        FileKind::AafPersRelEleve
    );
    let e = annuaire::detect("x.xml", b"<?xml version=\"1.0\"?><html/>").expect_err("unknown");
    assert!(e.message.contains("html"), "{e}");
    assert!(annuaire::detect("notes.txt", b"hello").is_err());
}

// ---------------------------------------------------------------- hostile input

const LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<BEE_ELEVES><PARAMETRES><UAJ>&lol3;</UAJ></PARAMETRES></BEE_ELEVES>"#;

#[test]
fn entity_declarations_and_unknown_entities_are_refused() {
    let e = parse_bytes(FileKind::SiecleEleves, LAUGHS.as_bytes()).expect_err("bomb");
    assert!(e.message.contains("ENTITY"), "{e}");

    let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE ficAlimMENESR [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<ficAlimMENESR><addRequest><identifier><id>&xxe;</id></identifier></addRequest></ficAlimMENESR>"#;
    let e = parse_bytes(FileKind::AafEleve, xxe.as_bytes()).expect_err("external entity");
    assert!(e.message.contains("ENTITY"), "{e}");
    assert_eq!(e.line, Some(2));

    let unknown = "<BEE_ELEVES><PARAMETRES>\n<UAJ>&passwd;</UAJ></PARAMETRES></BEE_ELEVES>";
    let e = parse_bytes(FileKind::SiecleEleves, unknown.as_bytes()).expect_err("unknown entity");
    assert!(e.message.contains("&passwd;"), "{e}");
    assert_eq!(e.line, Some(2));
    assert_eq!(e.element.as_deref(), Some("BEE_ELEVES/PARAMETRES/UAJ"));

    let in_attr =
        "<BEE_ELEVES><DONNEES><ELEVES><ELEVE ELEVE_ID=\"&x;\"/></ELEVES></DONNEES></BEE_ELEVES>";
    let e = parse_bytes(FileKind::SiecleEleves, in_attr.as_bytes()).expect_err("unknown entity");
    assert!(e.message.contains("entité"), "{e}");

    // The predefined entities and character references are fine.
    let fine = "<BEE_ELEVES><PARAMETRES><UAJ>A&amp;B&#233;</UAJ></PARAMETRES></BEE_ELEVES>";
    let (meta, _) = parse_bytes(FileKind::SiecleEleves, fine.as_bytes()).expect("parses");
    assert_eq!(meta.uai.as_deref(), Some("A&Bé"));
}

#[test]
fn the_dtd_of_aaf_files_is_never_read() {
    // A DOCTYPE naming a file that does not exist (and an URL) parses.
    let xml = "<!DOCTYPE ficAlimMENESR SYSTEM \"http://127.0.0.1:9/none.dtd\">\n<ficAlimMENESR></ficAlimMENESR>";
    let (_, r) = parse_bytes(FileKind::AafEleve, xml.as_bytes()).expect("parses");
    assert!(r.is_empty());
}

#[test]
fn limits_on_depth_value_length_and_size_are_enforced() {
    let deep = format!(
        "<STS_EDT>{}{}</STS_EDT>",
        "<A>".repeat(20),
        "</A>".repeat(20)
    );
    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    let e = parse_bytes_with(FileKind::StsEmp, deep.as_bytes(), &limits).expect_err("too deep");
    assert!(e.message.contains("profonde"), "{e}");

    let long = format!(
        "<BEE_ELEVES><PARAMETRES><UAJ>{}</UAJ></PARAMETRES></BEE_ELEVES>",
        "x".repeat(500)
    );
    let limits = Limits {
        max_value_len: 100,
        ..Limits::default()
    };
    let e = parse_bytes_with(FileKind::SiecleEleves, long.as_bytes(), &limits).expect_err("long");
    assert!(e.message.contains("trop longue"), "{e}");
    let long_attr = format!(
        "<BEE_ELEVES><DONNEES><ELEVES><ELEVE ELEVE_ID=\"{}\"/></ELEVES></DONNEES></BEE_ELEVES>",
        "1".repeat(500)
    );
    let e = parse_bytes_with(FileKind::SiecleEleves, long_attr.as_bytes(), &limits)
        .expect_err("long attribute");
    assert!(e.message.contains("trop longue"), "{e}");
    let csv = format!(
        "Nom Elève;Prénom Elève;Date naissance;Classe\n{};B;2015-01-01;CP\n",
        "N".repeat(500)
    );
    let e = parse_bytes_with(FileKind::OndeEleves, csv.as_bytes(), &limits).expect_err("long");
    assert_eq!(e.line, Some(2));

    let bytes = read(fixture!("sts/sts_emp_0770935Y_2017.xml"));
    let limits = Limits {
        max_bytes: 100_000,
        ..Limits::default()
    };
    let e = parse_bytes_with(FileKind::StsEmp, &bytes, &limits).expect_err("too big");
    assert!(e.message.contains("trop volumineux"), "{e}");
    let csv = read(fixture!("be1d/CSVExtraction-responsables.csv"));
    let limits = Limits {
        max_bytes: 10_000,
        ..Limits::default()
    };
    let e = parse_bytes_with(FileKind::OndeResponsables, &csv, &limits).expect_err("too big");
    assert!(e.message.contains("trop volumineux"), "{e}");
}

#[test]
fn a_truncated_file_names_the_line_and_the_element_where_it_broke() {
    let bytes = read(fixture!("sts/sts_emp_0770935Y_2017.xml"));
    let cut = &bytes[..bytes.len() / 2];
    let e = parse_bytes(FileKind::StsEmp, cut).expect_err("truncated");
    assert!(e.message.contains("tronqué"), "{e}");
    let lines = cut.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    assert_eq!(e.line, Some(lines));
    let element = e.element.expect("element path");
    assert!(
        element.starts_with("STS_EDT/DONNEES/STRUCTURE/DIVISIONS/DIVISION"),
        "{element}"
    );

    // Cut in the middle of a tag.
    let aaf = read(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0001.xml"
    ));
    let at = aaf
        .windows(11)
        .position(|w| w == b"<attr name=")
        .expect("an attr")
        + 5;
    let e = parse_bytes(FileKind::AafPersRelEleve, &aaf[..at]).expect_err("truncated");
    assert!(e.message.contains("tronqué"), "{e}");
    assert!(e.line.is_some());
    assert!(e.element.is_some());
}

#[test]
fn bytes_invalid_for_the_declared_encoding_are_refused_with_their_line() {
    // Latin-1 bytes in a file that declares UTF-8.
    let mut xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BEE_ELEVES><DONNEES><ELEVES>\n<ELEVE ELEVE_ID=\"1\"><NOM_DE_FAMILLE>".to_vec();
    xml.extend_from_slice(b"L\xE9a");
    xml.extend_from_slice(b"</NOM_DE_FAMILLE></ELEVE></ELEVES></DONNEES></BEE_ELEVES>");
    let e = parse_bytes(FileKind::SiecleEleves, &xml).expect_err("invalid UTF-8");
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("UTF-8"), "{e}");
    assert_eq!(
        e.element.as_deref(),
        Some("BEE_ELEVES/DONNEES/ELEVES/ELEVE/NOM_DE_FAMILLE")
    );

    // The same bytes declared as ISO-8859-1 are fine.
    let mut latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BEE_ELEVES><DONNEES><ELEVES>\n<ELEVE ELEVE_ID=\"1\"><NOM_DE_FAMILLE>".to_vec();
    latin.extend_from_slice(b"L\xE9a");
    latin.extend_from_slice(b"</NOM_DE_FAMILLE></ELEVE></ELEVES></DONNEES></BEE_ELEVES>");
    let (meta, r) = parse_bytes(FileKind::SiecleEleves, &latin).expect("latin-1");
    assert_eq!(meta.encoding, "ISO-8859-1");
    assert_eq!(pupil(&r, "1").last_name, "Léa");

    // windows-1252: 0x80 is the euro sign.
    let w = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><BEE_ELEVES><PARAMETRES><UAJ>\x80</UAJ></PARAMETRES></BEE_ELEVES>";
    let (meta, _) = parse_bytes(FileKind::SiecleEleves, w).expect("windows-1252");
    assert_eq!(meta.uai.as_deref(), Some("€"));

    // A UTF-8 BOM is honoured, without warning.
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(
        "<BEE_ELEVES><PARAMETRES><UAJ>Élève</UAJ></PARAMETRES></BEE_ELEVES>".as_bytes(),
    );
    let (meta, _) = parse_bytes(FileKind::SiecleEleves, &bom).expect("BOM");
    assert_eq!(meta.encoding, "UTF-8");
    assert_eq!(meta.uai.as_deref(), Some("Élève"));
    assert!(meta.warnings.is_empty());

    // UTF-16 and unknown encodings are refused.
    let e = parse_bytes(FileKind::SiecleEleves, &[0xFF, 0xFE, b'<', 0]).expect_err("UTF-16");
    assert!(e.message.contains("UTF-16"), "{e}");
    let e = parse_bytes(
        FileKind::SiecleEleves,
        b"<?xml version=\"1.0\" encoding=\"EBCDIC-XYZ\"?><BEE_ELEVES/>",
    )
    .expect_err("unknown encoding");
    assert!(e.message.contains("EBCDIC-XYZ"), "{e}");
}

#[test]
fn malformed_xml_and_wrong_files_are_refused() {
    let e = parse_bytes(FileKind::StsEmp, b"<STS_EDT><A></B></STS_EDT>").expect_err("mismatch");
    assert_eq!(e.line, Some(1));
    let e = parse_bytes(FileKind::StsEmp, b"").expect_err("empty");
    assert!(e.message.contains("vide"), "{e}");
    let bytes = read(fixture!(
        "siecle/siecle-two-valid-students-and-school-year.xml"
    ));
    let e = parse_bytes(FileKind::StsEmp, &bytes).expect_err("not STS");
    assert!(e.message.contains("STS"), "{e}");
    let e = parse_bytes(FileKind::AafEleve, &bytes).expect_err("not AAF");
    assert!(e.message.contains("AAF"), "{e}");
}

#[test]
fn a_sink_error_stops_the_parse_and_is_returned_as_is() {
    let bytes = read(fixture!(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"
    ));
    let stop = ParseError {
        line: None,
        element: None,
        message: "arrêt demandé".into(),
    };
    let mut seen = 0;
    let e = annuaire::parse(
        FileKind::AafEleve,
        Cursor::new(&bytes),
        &Limits::default(),
        &mut |_| {
            seen += 1;
            if seen == 10 {
                Err(stop.clone())
            } else {
                Ok(())
            }
        },
    )
    .expect_err("stopped");
    assert_eq!(e, stop);
    assert_eq!(seen, 10);
}

#[test]
fn csv_errors_name_the_right_line_with_crlf_and_lf_line_ends() {
    for eol in ["\r\n", "\n"] {
        let text = [
            "\"Nom Elève\";\"Prénom Elève\";\"Date naissance\";\"Classe\"",
            "\"A\";\"B\";\"2010-01-01\";\"CP\"",
            "\"E\";\"F\";\"2010-01-02\";\"CP\"",
            "\"C\";\"D\"",
        ]
        .join(eol);
        let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let e = parse_bytes(FileKind::OndeEleves, &latin1).expect_err("short row");
        assert_eq!(e.line, Some(4), "{eol:?}: {e}");
    }
}

/// The SIECLE sample with one pupil named `CŒURDELION`, in its own
/// ISO-8859-15, or re-saved in UTF-8 (or windows-1252) by an editor that
/// kept the ISO-8859-15 declaration.
fn siecle_with_oe(encoding: &'static encoding_rs::Encoding) -> Vec<u8> {
    let latin = read(fixture!(
        "siecle/siecle-two-valid-students-and-school-year.xml"
    ));
    let (text, _, bad) = encoding_rs::ISO_8859_15.decode(&latin);
    assert!(!bad);
    let text = text.replace("HANDMADE", "CŒURDELION");
    let (bytes, _, bad) = encoding.encode(&text);
    assert!(!bad);
    bytes.into_owned()
}

#[test]
fn text_re_saved_in_another_encoding_than_declared_is_refused_with_how() {
    // As exported: read, Œ intact.
    let (meta, r) = parse_bytes(
        FileKind::SiecleEleves,
        &siecle_with_oe(encoding_rs::ISO_8859_15),
    )
    .expect("ISO-8859-15 as declared");
    assert_eq!(meta.encoding, "ISO-8859-15");
    assert_eq!(pupil(&r, "0001").last_name, "CŒURDELION");

    // Re-saved as UTF-8 without a BOM, declaration unchanged: refused, the
    // line named, and what happened said.
    let e = parse_bytes(FileKind::SiecleEleves, &siecle_with_oe(encoding_rs::UTF_8))
        .expect_err("UTF-8 under an ISO-8859-15 declaration");
    assert!(
        e.message.contains("ISO-8859-15")
            && e.message.contains("UTF-8")
            && e.message.contains("réenregistré"),
        "{e}"
    );
    assert!(e.line.is_some(), "{e}");
    assert!(!e.message.contains('Å'), "{e}");

    // Re-saved as windows-1252 (Œ is 0x8C there, a control character in
    // ISO-8859-15): refused too.
    let e = parse_bytes(
        FileKind::SiecleEleves,
        &siecle_with_oe(encoding_rs::WINDOWS_1252),
    )
    .expect_err("windows-1252 under an ISO-8859-15 declaration");
    assert!(e.message.contains("windows-1252"), "{e}");
}

#[test]
fn empty_files_and_garbage_are_refused_in_french_saying_what_to_do() {
    for empty in [&b""[..], b"   \n\r\n", b"\xEF\xBB\xBF"] {
        let e = annuaire::detect("ElevesSansAdresses.xml", empty).expect_err("empty");
        assert!(
            e.message.contains("est vide") && e.message.contains("exportez-le à nouveau"),
            "{e}"
        );
    }
    // An STS header followed by garbage: the parser's own English words
    // never reach the user.
    let mut bytes = read(fixture!("sts/sts_emp_0770935Y_2017.xml"));
    bytes.truncate(600);
    bytes.extend_from_slice(b"</PARAMETRES><<<>>> &&& </DONNEES> garbage ]]> <//>");
    let e = parse_bytes(FileKind::StsEmp, &bytes).expect_err("garbage");
    let text = e.to_string();
    for english in [
        "expected",
        "found",
        "unexpected",
        "error",
        "invalid",
        "tag",
        "end of",
        "syntax",
    ] {
        assert!(
            !text.to_lowercase().contains(english),
            "English word {english:?} in {text}"
        );
    }
    assert!(
        text.contains("XML mal formé") || text.contains("fichier tronqué"),
        "{text}"
    );
    assert!(e.line.is_some(), "{text}");
    for (bad, what) in [
        (&b"<STS_EDT><A></B></STS_EDT>"[..], "</B>"),
        (b"<STS_EDT><A x=1/></STS_EDT>", "attribut"),
        (b"<STS_EDT></A></STS_EDT>", "</A>"),
    ] {
        let e = parse_bytes(FileKind::StsEmp, bad).expect_err("malformed");
        assert!(e.message.contains(what), "{e}");
        assert!(!e.message.to_lowercase().contains("expected"), "{e}");
    }
}
