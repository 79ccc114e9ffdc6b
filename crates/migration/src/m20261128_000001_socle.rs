use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Academies {
    Table,
    Id,
    Code,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Collectivites {
    Table,
    Id,
    Kind,
    Name,
    AcademieId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Etablissements {
    Table,
    Id,
    Uai,
    Name,
    Kind,
    City,
    AcademieId,
    CollectiviteId,
    PupilCount,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrganisationEtablissements {
    Table,
    OrganisationId,
    EtablissementId,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Disabled,
    Locale,
    DisplayPrefs,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    AccountId,
    Role,
    ScopeKey,
    EtablissementId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdHash,
    AccountId,
    CsrfToken,
    EtablissementId,
    CreatedAt,
    LastSeenAt,
    AuthenticatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    AccountId,
    Name,
    TokenHash,
    Prefix,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStartedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Seq,
    OccurredAt,
    ActorAccountId,
    ActorLabel,
    Action,
    Target,
    EtablissementId,
    Outcome,
    Details,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}

fn uuid_pk<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().primary_key().to_owned()
}

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Academies::Table)
                    .col(uuid_pk(Academies::Id))
                    .col(
                        ColumnDef::new(Academies::Code)
                            .string_len(32)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Academies::Name).string_len(200).not_null())
                    .col(ts(Academies::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Collectivites::Table)
                    .col(uuid_pk(Collectivites::Id))
                    .col(
                        ColumnDef::new(Collectivites::Kind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Collectivites::Name)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Collectivites::AcademieId).uuid().null())
                    .col(ts(Collectivites::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Collectivites::Table, Collectivites::AcademieId)
                            .to(Academies::Table, Academies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_collectivites_kind_name")
                    .table(Collectivites::Table)
                    .col(Collectivites::Kind)
                    .col(Collectivites::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Etablissements::Table)
                    .col(uuid_pk(Etablissements::Id))
                    .col(ColumnDef::new(Etablissements::Uai).string_len(8).not_null())
                    .col(
                        ColumnDef::new(Etablissements::Name)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Etablissements::Kind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Etablissements::City)
                            .string_len(120)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Etablissements::AcademieId).uuid().not_null())
                    .col(ColumnDef::new(Etablissements::CollectiviteId).uuid().null())
                    .col(
                        ColumnDef::new(Etablissements::PupilCount)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Etablissements::SearchText)
                            .string_len(600)
                            .not_null(),
                    )
                    .col(ts(Etablissements::CreatedAt))
                    .col(ts(Etablissements::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Etablissements::Table, Etablissements::AcademieId)
                            .to(Academies::Table, Academies::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Etablissements::Table, Etablissements::CollectiviteId)
                            .to(Collectivites::Table, Collectivites::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_etablissements_uai")
                    .table(Etablissements::Table)
                    .col(Etablissements::Uai)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(uuid_pk(Organisations::Id))
                    .col(
                        ColumnDef::new(Organisations::Name)
                            .string_len(200)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ts(Organisations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganisationEtablissements::Table)
                    .col(
                        ColumnDef::new(OrganisationEtablissements::OrganisationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganisationEtablissements::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(OrganisationEtablissements::OrganisationId)
                            .col(OrganisationEtablissements::EtablissementId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganisationEtablissements::Table,
                                OrganisationEtablissements::OrganisationId,
                            )
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganisationEtablissements::Table,
                                OrganisationEtablissements::EtablissementId,
                            )
                            .to(Etablissements::Table, Etablissements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(uuid_pk(Accounts::Id))
                    .col(ColumnDef::new(Accounts::Email).string_len(254).not_null())
                    .col(
                        ColumnDef::new(Accounts::DisplayName)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Accounts::PasswordHash)
                            .string_len(255)
                            .null(),
                    )
                    .col(ColumnDef::new(Accounts::Disabled).boolean().not_null())
                    .col(ColumnDef::new(Accounts::Locale).string_len(8).not_null())
                    .col(
                        ColumnDef::new(Accounts::DisplayPrefs)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Accounts::SearchText)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(ts(Accounts::CreatedAt))
                    .col(ts(Accounts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_accounts_email")
                    .table(Accounts::Table)
                    .col(Accounts::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(uuid_pk(Memberships::Id))
                    .col(ColumnDef::new(Memberships::AccountId).uuid().not_null())
                    .col(ColumnDef::new(Memberships::Role).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Memberships::ScopeKey)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Memberships::EtablissementId).uuid().null())
                    .col(ts(Memberships::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::EtablissementId)
                            .to(Etablissements::Table, Etablissements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_memberships_account_role_scope")
                    .table(Memberships::Table)
                    .col(Memberships::AccountId)
                    .col(Memberships::Role)
                    .col(Memberships::ScopeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_memberships_etablissement")
                    .table(Memberships::Table)
                    .col(Memberships::EtablissementId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(
                        ColumnDef::new(Sessions::IdHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Sessions::AccountId).uuid().null())
                    .col(
                        ColumnDef::new(Sessions::CsrfToken)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Sessions::EtablissementId).uuid().null())
                    .col(ts(Sessions::CreatedAt))
                    .col(ts(Sessions::LastSeenAt))
                    .col(
                        ColumnDef::new(Sessions::AuthenticatedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_account")
                    .table(Sessions::Table)
                    .col(Sessions::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(uuid_pk(ApiTokens::Id))
                    .col(ColumnDef::new(ApiTokens::AccountId).uuid().not_null())
                    .col(ColumnDef::new(ApiTokens::Name).string_len(100).not_null())
                    .col(
                        ColumnDef::new(ApiTokens::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ApiTokens::Prefix).string_len(16).not_null())
                    .col(ts(ApiTokens::CreatedAt))
                    .col(
                        ColumnDef::new(ApiTokens::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ApiTokens::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(
                        ColumnDef::new(LoginThrottle::Key)
                            .string_len(128)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LoginThrottle::Failures).integer().not_null())
                    .col(ts(LoginThrottle::WindowStartedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(
                        ColumnDef::new(AuditEvents::Seq)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ts(AuditEvents::OccurredAt))
                    .col(ColumnDef::new(AuditEvents::ActorAccountId).uuid().null())
                    .col(
                        ColumnDef::new(AuditEvents::ActorLabel)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::Action)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::Target)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::EtablissementId).uuid().null())
                    .col(
                        ColumnDef::new(AuditEvents::Outcome)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::Details).text().not_null())
                    .col(
                        ColumnDef::new(AuditEvents::PrevHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::Hash).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_etab_seq")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::EtablissementId)
                    .col(AuditEvents::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(
                        ColumnDef::new(AuditHead::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AuditHead::Seq).big_integer().not_null())
                    .col(ColumnDef::new(AuditHead::Hash).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Settings::Table)
                    .col(
                        ColumnDef::new(Settings::Key)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Settings::Value).string_len(255).not_null())
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO audit_head (id, seq, hash) VALUES \
             (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO settings (key, value) VALUES ('audit_retention_days', '365')",
        )
        .await?;

        // The audit log is append-only, enforced by the database itself: no
        // UPDATE ever, and DELETE only of rows older than the retention
        // horizon that the purge task records in `settings`.
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events \
                     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events \
                     WHEN OLD.seq > COALESCE((SELECT CAST(value AS INTEGER) FROM settings \
                     WHERE key = 'audit_purged_through_seq'), 0) \
                     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;",
                )
                .await?;
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$ \
                     BEGIN \
                       IF TG_OP = 'DELETE' AND OLD.seq <= COALESCE((SELECT CAST(value AS BIGINT) \
                          FROM settings WHERE key = 'audit_purged_through_seq'), 0) THEN \
                         RETURN OLD; \
                       END IF; \
                       RAISE EXCEPTION 'audit_events is append-only'; \
                     END; $$ LANGUAGE plpgsql;",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events \
                     FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events \
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();",
                )
                .await?;
            }
            other => {
                return Err(DbErr::Migration(format!("unsupported backend {other:?}")));
            }
        }
        Ok(())
    }
}
