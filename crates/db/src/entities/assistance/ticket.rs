use sea_orm::entity::prelude::*;

/// A helpdesk ticket: an incident or a request of one school.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// Human number, unique in its school.
    pub number: i64,
    /// `incident` or `request`.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// `refnum_domain::ticket::TicketCategory` code.
    pub category: String,
    pub asset_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    /// `low`, `medium`, `high`.
    pub urgency: String,
    pub impact: String,
    /// `p1` … `p4`.
    pub priority: String,
    pub unusable: bool,
    /// `refnum_domain::ticket::TicketStatus` code.
    pub status: String,
    /// None for an anonymous QR report.
    pub requester_id: Option<Uuid>,
    pub requester_name: String,
    pub requester_contact: Option<String>,
    /// `web`, `qr`, `api`.
    pub source: String,
    pub assignee_id: Option<Uuid>,
    pub assigned_org_id: Option<Uuid>,
    /// The support organisation's own reference.
    pub external_ref: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// First response.
    pub taken_at: Option<DateTimeUtc>,
    pub escalated_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub response_due_at: Option<DateTimeUtc>,
    pub resolution_due_at: Option<DateTimeUtc>,
    pub response_reminded_at: Option<DateTimeUtc>,
    pub resolution_reminded_at: Option<DateTimeUtc>,
    /// Lower-cased, accent-free number, title and description for the search.
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
