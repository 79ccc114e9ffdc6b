//! Assistance: tickets with their numbers, history, comments and
//! attachments; the unavailability periods of the equipment they concern;
//! in-app notifications; the throttle of the anonymous QR fault form.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Etablissements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ParcAssets {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ParcRooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    EtablissementId,
    Number,
    Kind,
    Title,
    Description,
    Category,
    AssetId,
    RoomId,
    Urgency,
    Impact,
    Priority,
    Unusable,
    Status,
    RequesterId,
    RequesterName,
    RequesterContact,
    Source,
    AssigneeId,
    AssignedOrgId,
    ExternalRef,
    CreatedAt,
    UpdatedAt,
    TakenAt,
    EscalatedAt,
    ResolvedAt,
    ClosedAt,
    ResponseDueAt,
    ResolutionDueAt,
    ResponseRemindedAt,
    ResolutionRemindedAt,
    SearchText,
}

#[derive(DeriveIden)]
enum TicketCounters {
    Table,
    EtablissementId,
    LastNumber,
}

#[derive(DeriveIden)]
enum TicketEvents {
    Table,
    Id,
    TicketId,
    EtablissementId,
    OccurredAt,
    ActorId,
    ActorName,
    Kind,
    From,
    To,
    Detail,
}

#[derive(DeriveIden)]
enum TicketComments {
    Table,
    Id,
    TicketId,
    AuthorId,
    AuthorName,
    Internal,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TicketAttachments {
    Table,
    Id,
    TicketId,
    CommentId,
    StoredName,
    OriginalName,
    ContentType,
    Size,
    Sha256,
    UploadedBy,
    UploadedByName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AssetUnavailability {
    Table,
    Id,
    EtablissementId,
    AssetId,
    TicketId,
    StartedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    TicketId,
    EtablissementId,
    Kind,
    Title,
    Link,
    CreatedAt,
    ReadAt,
    EmailedAt,
}

#[derive(DeriveIden)]
enum QrReportThrottle {
    Table,
    Key,
    Hits,
    WindowStartedAt,
}

fn uuid_pk<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().primary_key().to_owned()
}

fn uuid<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().to_owned()
}

fn uuid_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().null().to_owned()
}

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn s<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn s_null<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

fn text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
}

fn fk<T: IntoIden + 'static, U: IntoIden + 'static>(
    table: T,
    col: impl IntoIden,
    to: U,
    to_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(to, to_col)
        .on_delete(on_delete)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut ix = Index::create();
    ix.name(name).table(table);
    for c in cols {
        ix.col(c);
    }
    if unique {
        ix.unique();
    }
    manager.create_index(ix.to_owned()).await
}

fn cols<const N: usize>(c: [DynIden; N]) -> Vec<DynIden> {
    c.into_iter().collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(TicketCounters::Table)
                    .col(uuid_pk(TicketCounters::EtablissementId))
                    .col(
                        ColumnDef::new(TicketCounters::LastNumber)
                            .big_integer()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        TicketCounters::Table,
                        TicketCounters::EtablissementId,
                        Etablissements::Table,
                        Etablissements::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tickets::Table)
                    .col(uuid_pk(Tickets::Id))
                    .col(uuid(Tickets::EtablissementId))
                    .col(ColumnDef::new(Tickets::Number).big_integer().not_null())
                    .col(s(Tickets::Kind, 16))
                    .col(s(Tickets::Title, 200))
                    .col(text(Tickets::Description))
                    .col(s(Tickets::Category, 32))
                    .col(uuid_null(Tickets::AssetId))
                    .col(uuid_null(Tickets::RoomId))
                    .col(s(Tickets::Urgency, 8))
                    .col(s(Tickets::Impact, 8))
                    .col(s(Tickets::Priority, 4))
                    .col(ColumnDef::new(Tickets::Unusable).boolean().not_null())
                    .col(s(Tickets::Status, 16))
                    .col(uuid_null(Tickets::RequesterId))
                    .col(s(Tickets::RequesterName, 200))
                    .col(s_null(Tickets::RequesterContact, 200))
                    .col(s(Tickets::Source, 8))
                    .col(uuid_null(Tickets::AssigneeId))
                    .col(uuid_null(Tickets::AssignedOrgId))
                    .col(s_null(Tickets::ExternalRef, 100))
                    .col(ts(Tickets::CreatedAt))
                    .col(ts(Tickets::UpdatedAt))
                    .col(ts_null(Tickets::TakenAt))
                    .col(ts_null(Tickets::EscalatedAt))
                    .col(ts_null(Tickets::ResolvedAt))
                    .col(ts_null(Tickets::ClosedAt))
                    .col(ts_null(Tickets::ResponseDueAt))
                    .col(ts_null(Tickets::ResolutionDueAt))
                    .col(ts_null(Tickets::ResponseRemindedAt))
                    .col(ts_null(Tickets::ResolutionRemindedAt))
                    .col(text(Tickets::SearchText))
                    .foreign_key(&mut fk(
                        Tickets::Table,
                        Tickets::EtablissementId,
                        Etablissements::Table,
                        Etablissements::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Tickets::Table,
                        Tickets::AssetId,
                        ParcAssets::Table,
                        ParcAssets::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Tickets::Table,
                        Tickets::RoomId,
                        ParcRooms::Table,
                        ParcRooms::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Tickets::Table,
                        Tickets::RequesterId,
                        Accounts::Table,
                        Accounts::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Tickets::Table,
                        Tickets::AssigneeId,
                        Accounts::Table,
                        Accounts::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Tickets::Table,
                        Tickets::AssignedOrgId,
                        Organisations::Table,
                        Organisations::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        use Tickets as T;
        index(
            manager,
            "ux_tickets_etab_number",
            T::Table,
            cols([T::EtablissementId.into_iden(), T::Number.into_iden()]),
            true,
        )
        .await?;
        index(
            manager,
            "ix_tickets_etab_status_created",
            T::Table,
            cols([
                T::EtablissementId.into_iden(),
                T::Status.into_iden(),
                T::CreatedAt.into_iden(),
            ]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_tickets_org_status",
            T::Table,
            cols([T::AssignedOrgId.into_iden(), T::Status.into_iden()]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_tickets_requester",
            T::Table,
            cols([T::RequesterId.into_iden()]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_tickets_assignee",
            T::Table,
            cols([T::AssigneeId.into_iden()]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_tickets_asset",
            T::Table,
            cols([T::AssetId.into_iden()]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_tickets_status_resolution_due",
            T::Table,
            cols([T::Status.into_iden(), T::ResolutionDueAt.into_iden()]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_tickets_status_created",
            T::Table,
            cols([T::Status.into_iden(), T::CreatedAt.into_iden()]),
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TicketEvents::Table)
                    .col(uuid_pk(TicketEvents::Id))
                    .col(uuid(TicketEvents::TicketId))
                    .col(uuid(TicketEvents::EtablissementId))
                    .col(ts(TicketEvents::OccurredAt))
                    .col(uuid_null(TicketEvents::ActorId))
                    .col(s(TicketEvents::ActorName, 200))
                    .col(s(TicketEvents::Kind, 16))
                    .col(s_null(TicketEvents::From, 200))
                    .col(s_null(TicketEvents::To, 200))
                    .col(ColumnDef::new(TicketEvents::Detail).text().null())
                    .foreign_key(&mut fk(
                        TicketEvents::Table,
                        TicketEvents::TicketId,
                        Tickets::Table,
                        Tickets::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        TicketEvents::Table,
                        TicketEvents::EtablissementId,
                        Etablissements::Table,
                        Etablissements::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_ticket_events_ticket",
            TicketEvents::Table,
            cols([
                TicketEvents::TicketId.into_iden(),
                TicketEvents::OccurredAt.into_iden(),
            ]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_ticket_events_etab_occurred",
            TicketEvents::Table,
            cols([
                TicketEvents::EtablissementId.into_iden(),
                TicketEvents::OccurredAt.into_iden(),
            ]),
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TicketComments::Table)
                    .col(uuid_pk(TicketComments::Id))
                    .col(uuid(TicketComments::TicketId))
                    .col(uuid_null(TicketComments::AuthorId))
                    .col(s(TicketComments::AuthorName, 200))
                    .col(
                        ColumnDef::new(TicketComments::Internal)
                            .boolean()
                            .not_null(),
                    )
                    .col(text(TicketComments::Body))
                    .col(ts(TicketComments::CreatedAt))
                    .foreign_key(&mut fk(
                        TicketComments::Table,
                        TicketComments::TicketId,
                        Tickets::Table,
                        Tickets::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        TicketComments::Table,
                        TicketComments::AuthorId,
                        Accounts::Table,
                        Accounts::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_ticket_comments_ticket",
            TicketComments::Table,
            cols([
                TicketComments::TicketId.into_iden(),
                TicketComments::CreatedAt.into_iden(),
            ]),
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TicketAttachments::Table)
                    .col(uuid_pk(TicketAttachments::Id))
                    .col(uuid(TicketAttachments::TicketId))
                    .col(uuid_null(TicketAttachments::CommentId))
                    .col(s(TicketAttachments::StoredName, 64))
                    .col(s(TicketAttachments::OriginalName, 255))
                    .col(s(TicketAttachments::ContentType, 100))
                    .col(
                        ColumnDef::new(TicketAttachments::Size)
                            .big_integer()
                            .not_null(),
                    )
                    .col(s(TicketAttachments::Sha256, 64))
                    .col(uuid_null(TicketAttachments::UploadedBy))
                    .col(s(TicketAttachments::UploadedByName, 200))
                    .col(ts(TicketAttachments::CreatedAt))
                    .foreign_key(&mut fk(
                        TicketAttachments::Table,
                        TicketAttachments::TicketId,
                        Tickets::Table,
                        Tickets::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        TicketAttachments::Table,
                        TicketAttachments::CommentId,
                        TicketComments::Table,
                        TicketComments::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        TicketAttachments::Table,
                        TicketAttachments::UploadedBy,
                        Accounts::Table,
                        Accounts::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_ticket_attachments_ticket",
            TicketAttachments::Table,
            cols([TicketAttachments::TicketId.into_iden()]),
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AssetUnavailability::Table)
                    .col(uuid_pk(AssetUnavailability::Id))
                    .col(uuid(AssetUnavailability::EtablissementId))
                    .col(uuid(AssetUnavailability::AssetId))
                    .col(uuid(AssetUnavailability::TicketId))
                    .col(ts(AssetUnavailability::StartedAt))
                    .col(ts_null(AssetUnavailability::EndedAt))
                    .foreign_key(&mut fk(
                        AssetUnavailability::Table,
                        AssetUnavailability::EtablissementId,
                        Etablissements::Table,
                        Etablissements::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        AssetUnavailability::Table,
                        AssetUnavailability::AssetId,
                        ParcAssets::Table,
                        ParcAssets::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        AssetUnavailability::Table,
                        AssetUnavailability::TicketId,
                        Tickets::Table,
                        Tickets::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_asset_unavailability_etab_started",
            AssetUnavailability::Table,
            cols([
                AssetUnavailability::EtablissementId.into_iden(),
                AssetUnavailability::StartedAt.into_iden(),
            ]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_asset_unavailability_ticket",
            AssetUnavailability::Table,
            cols([
                AssetUnavailability::TicketId.into_iden(),
                AssetUnavailability::EndedAt.into_iden(),
            ]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_asset_unavailability_asset",
            AssetUnavailability::Table,
            cols([AssetUnavailability::AssetId.into_iden()]),
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid_pk(Notifications::Id))
                    .col(uuid(Notifications::AccountId))
                    .col(uuid_null(Notifications::TicketId))
                    .col(uuid_null(Notifications::EtablissementId))
                    .col(s(Notifications::Kind, 32))
                    .col(s(Notifications::Title, 300))
                    .col(s(Notifications::Link, 300))
                    .col(ts(Notifications::CreatedAt))
                    .col(ts_null(Notifications::ReadAt))
                    .col(ts_null(Notifications::EmailedAt))
                    .foreign_key(&mut fk(
                        Notifications::Table,
                        Notifications::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Notifications::Table,
                        Notifications::TicketId,
                        Tickets::Table,
                        Tickets::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Notifications::Table,
                        Notifications::EtablissementId,
                        Etablissements::Table,
                        Etablissements::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_notifications_account_created",
            Notifications::Table,
            cols([
                Notifications::AccountId.into_iden(),
                Notifications::CreatedAt.into_iden(),
            ]),
            false,
        )
        .await?;
        index(
            manager,
            "ix_notifications_emailed",
            Notifications::Table,
            cols([Notifications::EmailedAt.into_iden()]),
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(QrReportThrottle::Table)
                    .col(
                        ColumnDef::new(QrReportThrottle::Key)
                            .string_len(128)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(QrReportThrottle::Hits).integer().not_null())
                    .col(ts(QrReportThrottle::WindowStartedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
