//! The normalised records every directory importer produces.
//!
//! Each parser reads one file, streaming, and hands its records one by one to
//! a sink; the service layer gathers them into a snapshot, diffs it against
//! the database and applies it. Records carry the source's own keys; nothing
//! here knows about database ids.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a directory file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// STS-web `STS_EDT` export (staff, classes, services).
    Sts,
    /// SIECLE / BEE exports (pupils, structures, nomenclatures).
    Siecle,
    /// The AAF `ficAlimMENESR` feed (the ENT feed).
    Aaf,
    /// ONDE / BE1D CSV extractions (primary schools).
    Onde,
}

impl Source {
    /// Every source, in the order the pages show them.
    pub const ALL: [Source; 4] = [Source::Sts, Source::Siecle, Source::Aaf, Source::Onde];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Sts => "sts",
            Source::Siecle => "siecle",
            Source::Aaf => "aaf",
            Source::Onde => "onde",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        match s {
            "sts" => Some(Source::Sts),
            "siecle" => Some(Source::Siecle),
            "aaf" => Some(Source::Aaf),
            "onde" => Some(Source::Onde),
            _ => None,
        }
    }
}

/// The precise kind of one file, found by [`super::detect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileKind {
    StsEmp,
    SiecleEleves,
    SiecleNomenclature,
    SiecleStructures,
    AafEtabEducNat,
    AafPersEducNat,
    AafEleve,
    AafPersRelEleve,
    AafMatiereEducNat,
    AafMefEducNat,
    OndeEleves,
    OndeEnseignants,
    OndeResponsables,
}

impl FileKind {
    pub fn source(self) -> Source {
        use FileKind::*;
        match self {
            StsEmp => Source::Sts,
            SiecleEleves | SiecleNomenclature | SiecleStructures => Source::Siecle,
            AafEtabEducNat | AafPersEducNat | AafEleve | AafPersRelEleve | AafMatiereEducNat
            | AafMefEducNat => Source::Aaf,
            OndeEleves | OndeEnseignants | OndeResponsables => Source::Onde,
        }
    }
}

/// What a file says about itself, known once it has been read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileMeta {
    /// The school the file is for, as written in it (STS `UAJ/@CODE`,
    /// SIECLE `PARAMETRES/UAJ`). Not validated here. `None` when the format
    /// does not say (AAF person files, ONDE).
    pub uai: Option<String>,
    /// First year of the school year (2017 for 2017-2018), when the file says.
    pub school_year: Option<i32>,
    /// Export date, when the file says (SIECLE `HORODATAGE`, AAF file name
    /// date `..._Complet_20130117_...`, STS `DATE_EXPORT`…).
    pub exported_on: Option<NaiveDate>,
    /// The encoding actually used to decode the file ("UTF-8", "ISO-8859-15"…).
    pub encoding: String,
    /// How many records were handed to the sink.
    pub records: u64,
    /// Things the referent should know that do not stop the import, in
    /// French (e.g. "fichier sans déclaration d'encodage lu en UTF-8").
    pub warnings: Vec<String>,
}

/// Division (a class) or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StructureKind {
    Division,
    Group,
}

/// Kinds of nomenclature entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NomenclatureKind {
    /// A subject (matière): STS `MATIERES`, SIECLE/AAF `MatiereEducNat`.
    Subject,
    /// A MEF (module élémentaire de formation).
    Mef,
    /// A mission (STS `TYPES_AHE`; 9162 is the digital referent's).
    Mission,
    /// A staff function (STS `FONCTIONS`…).
    Function,
}

/// A school described by the file itself (STS `UAJ`, AAF `EtabEducNat`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolRec {
    /// The UAI as written (not validated here).
    pub uai: String,
    pub name: String,
    /// AAF `ENTStructureJointure` (the id person records use in
    /// `ENTPersonStructRattach` / `ENTEleveStructRattachId`); `None` elsewhere.
    pub source_id: Option<String>,
    pub city: Option<String>,
    /// Kind as written (`LYC`, `CLG`, `LP`, AAF `ENTStructureTypeStruct`…).
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureRec {
    pub kind: StructureKind,
    /// The code ("3A", "4EUR1"): the key of a structure within a school.
    pub code: String,
    pub label: Option<String>,
    /// MEF codes of the division, when given.
    pub mefs: Vec<String>,
    /// For a group: the codes of the divisions it draws from, when given.
    pub divisions: Vec<String>,
    /// AAF: the struct id (`ENTStructureJointure`) the structure belongs to;
    /// STS/SIECLE: `None` (the file's school).
    pub school_source_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NomenclatureRec {
    pub kind: NomenclatureKind,
    pub code: String,
    pub short_label: Option<String>,
    pub label: String,
}

/// A member of staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRec {
    /// The source's own id (STS `INDIVIDU/@ID`, AAF `ENTPersonJointure`,
    /// ONDE: a key built from name and first name).
    pub key: String,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<NaiveDate>,
    pub email: Option<String>,
    /// Function codes or labels (STS `FONCTION`, AAF `ENTPersonFonctions`
    /// `struct$code$label…`, ONDE "Directeur" = "DIR").
    pub functions: Vec<String>,
    /// Discipline / subject codes (STS `DISCIPLINES`, AAF `ENTAuxEnsMatiereEnseignEtab`).
    pub disciplines: Vec<String>,
    /// Mission codes (STS `TYPES_AHE` of the person's hours, e.g. "9162").
    pub missions: Vec<String>,
    /// Structure codes the person teaches (STS services, AAF `ENTAuxEnsClasses`/`ENTAuxEnsGroupes`).
    pub structures: Vec<String>,
    /// AAF: struct ids the person is attached to (`ENTPersonStructRattach`); `None`/empty elsewhere.
    pub school_source_ids: Vec<String>,
}

/// A pupil.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PupilRec {
    /// The source's own id (SIECLE `ELEVE_ID`, AAF `ENTPersonJointure`,
    /// ONDE: a key built from name, first name and birth date).
    pub key: String,
    /// National pupil id (SIECLE `ID_NATIONAL`, AAF `ENTEleveINE`), when given.
    pub ine: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<NaiveDate>,
    /// The division code, when known.
    pub class: Option<String>,
    /// Group codes.
    pub groups: Vec<String>,
    pub mef: Option<String>,
    /// Left the school on this date (SIECLE `DATE_SORTIE`), when given.
    pub left_on: Option<NaiveDate>,
    /// AAF: the struct id of the school (`ENTPersonStructRattach`, else
    /// `ENTEleveStructRattachId`).
    pub school_source_id: Option<String>,
    /// AAF: every struct id the record names as its school (feeds differ in
    /// which attribute carries the `EtabEducNat` jointure); empty elsewhere.
    pub school_source_ids: Vec<String>,
    /// Guardians as (guardian key, relation label or code, legal guardian).
    pub guardians: Vec<GuardianLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianLink {
    pub guardian_key: String,
    /// "père", "mère", "tuteur", a source code… as known.
    pub relation: Option<String>,
    pub legal: bool,
}

/// A pupil's guardian: only what loan conventions need (names, link).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardianRec {
    pub key: String,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: String,
    /// Pupils as links (pupil key, relation, legal), when the file gives
    /// them from this side (ONDE responsables, AAF `ENTAuxPersRelEleveEleve`).
    pub pupils: Vec<PupilLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilLink {
    /// The pupil's key; ONDE guardians cannot know it (the responsables file
    /// gives no birth date): there it is a link key `NOM|PRÉNOM|classe=CLASSE`,
    /// see `annuaire::guardian_link_key` and `annuaire::link_key_of_pupil`.
    pub pupil_key: String,
    pub relation: Option<String>,
    pub legal: bool,
}

/// The kind of person a deletion applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonKind {
    Staff,
    Pupil,
    Guardian,
}

/// One record of a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Record {
    School(SchoolRec),
    Structure(StructureRec),
    Nomenclature(NomenclatureRec),
    Staff(StaffRec),
    Pupil(PupilRec),
    Guardian(GuardianRec),
    /// AAF `deleteRequest`: the person with this source key leaves.
    Delete {
        kind: PersonKind,
        key: String,
    },
}

/// Where a parser stopped, and why. Every message is in French, for the
/// referent, and names the place: line (1-based), and the element or field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{message}{}{}", line.map(|l| format!(" (ligne {l})")).unwrap_or_default(), element.as_ref().map(|e| format!(" [{e}]")).unwrap_or_default())]
pub struct ParseError {
    pub line: Option<u64>,
    /// The XML element path (`STS_EDT/DONNEES/INDIVIDUS/INDIVIDU`) or CSV column.
    pub element: Option<String>,
    pub message: String,
}

/// A file system error said in French, with what to do (the system's own
/// message is in English).
pub fn io_error_fr(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "fichier introuvable : vérifiez son chemin",
        std::io::ErrorKind::PermissionDenied => {
            "lecture refusée par le système : vérifiez les droits du fichier"
        }
        std::io::ErrorKind::UnexpectedEof => "fichier incomplet : exportez-le à nouveau",
        std::io::ErrorKind::InvalidData => {
            "octets invalides pour l'encodage du fichier : exportez-le à nouveau"
        }
        std::io::ErrorKind::IsADirectory => "c'est un dossier, pas un fichier",
        _ => "erreur de lecture du disque : réessayez, ou copiez le fichier ailleurs",
    }
}
