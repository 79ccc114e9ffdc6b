//! Single sign-on (CAS, OpenID Connect): identities linked to accounts, the
//! pending authorisation requests (state, nonce, PKCE verifier), the CAS
//! tickets already used, and which session came from which identity.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdHash,
}

#[derive(DeriveIden)]
enum SsoIdentities {
    Table,
    Id,
    Provider,
    Subject,
    AccountId,
    CreatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum SsoAuthRequests {
    Table,
    StateHash,
    Provider,
    SessionHash,
    NonceHash,
    PkceVerifier,
    ReturnTo,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SsoUsedTickets {
    Table,
    TicketHash,
    Provider,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SsoSessions {
    Table,
    SessionHash,
    IdentityId,
    Provider,
    TicketHash,
    CreatedAt,
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
                    .table(SsoIdentities::Table)
                    .col(
                        ColumnDef::new(SsoIdentities::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SsoIdentities::Provider)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SsoIdentities::Subject)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SsoIdentities::AccountId).uuid().not_null())
                    .col(ts(SsoIdentities::CreatedAt))
                    .col(ts(SsoIdentities::LastLoginAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SsoIdentities::Table, SsoIdentities::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sso_identities_provider_subject")
                    .table(SsoIdentities::Table)
                    .col(SsoIdentities::Provider)
                    .col(SsoIdentities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sso_identities_account")
                    .table(SsoIdentities::Table)
                    .col(SsoIdentities::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoAuthRequests::Table)
                    .col(
                        ColumnDef::new(SsoAuthRequests::StateHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SsoAuthRequests::Provider)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SsoAuthRequests::SessionHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SsoAuthRequests::NonceHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SsoAuthRequests::PkceVerifier)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SsoAuthRequests::ReturnTo)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(ts(SsoAuthRequests::CreatedAt))
                    .col(ts(SsoAuthRequests::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoUsedTickets::Table)
                    .col(
                        ColumnDef::new(SsoUsedTickets::TicketHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SsoUsedTickets::Provider)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ts(SsoUsedTickets::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoSessions::Table)
                    .col(
                        ColumnDef::new(SsoSessions::SessionHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SsoSessions::IdentityId).uuid().not_null())
                    .col(
                        ColumnDef::new(SsoSessions::Provider)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SsoSessions::TicketHash)
                            .string_len(64)
                            .null(),
                    )
                    .col(ts(SsoSessions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SsoSessions::Table, SsoSessions::SessionHash)
                            .to(Sessions::Table, Sessions::IdHash)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SsoSessions::Table, SsoSessions::IdentityId)
                            .to(SsoIdentities::Table, SsoIdentities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sso_sessions_ticket")
                    .table(SsoSessions::Table)
                    .col(SsoSessions::Provider)
                    .col(SsoSessions::TicketHash)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
