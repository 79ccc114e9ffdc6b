//! The one policy module: every permission of RefNum is decided here.
//!
//! Handlers and services ask [`decide`] (or [`decide_instance`]) and act on
//! the [`Decision`]; list queries take an [`EtabScope`] that only this module
//! can build, so a query that forgets the scope does not compile.
//!
//! Outside their scope, people get `NotFound` (they must not learn that a
//! record exists); inside it, a missing role gives `Forbidden`.

use crate::role::{Membership, Role, ScopeRef};
use uuid::Uuid;

/// The caller, as the policy sees it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: Uuid,
    pub memberships: Vec<Membership>,
}

/// What the policy needs to know of a school to decide about it.
#[derive(Debug, Clone)]
pub struct EtabFacts {
    pub id: Uuid,
    pub academie_id: Uuid,
    pub collectivite_id: Option<Uuid>,
    pub organisation_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Forbidden,
    NotFound,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Things done to or within one school.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtabAction {
    /// See the school's card (name, UAI, kind, counts).
    View,
    /// See the school's people (staff list with roles).
    ViewPeople,
    /// Add staff to the school and grant school roles.
    ManageStaff,
    /// Grant a given role inside the school.
    GrantRole(Role),
    /// Read the school's audit log.
    ReadAudit,
    /// Edit the school's own record (name, pupil count).
    Edit,
    /// See the school's directory: classes, groups, staff, source freshness.
    ViewDirectory,
    /// See pupils' personal data (names, birth dates, INE, guardians).
    /// Never the collectivité nor the support providers.
    ViewPupils,
    /// Import directory files, apply them, roll the school year over.
    ManageDirectory,
    /// See the school's places and equipment (rooms, assets, their history).
    ViewParc,
    /// Create, edit, import, move and retire the school's places and assets.
    ManageParc,
    /// Open a ticket for the school (fault report or request).
    ReportFault,
    /// See every ticket of the school (not only one's own).
    ViewTickets,
    /// Handle the school's tickets: take, assign, escalate, close.
    ManageTickets,
    /// Declare and edit the support organisations serving the school and
    /// their contracts.
    ManageSupport,
    /// See the equipment and helpdesk indicators of the school.
    ViewParcIndicators,
    /// Read the school's knowledge base.
    ReadKnowledge,
    /// Write the school's knowledge base.
    ManageKnowledge,
    /// See the school's timetable, bookable resources and bookings.
    ViewBookings,
    /// Book a resource for oneself (the resource's rules may narrow it).
    Book,
    /// Edit the timetable (slots, zone, days off) and the bookable resources.
    ManageBookings,
    /// Book for a staff member of the school, and cancel anyone's booking.
    BookOnBehalf,
    /// See the school's loans (lists, conventions, borrowers' histories).
    /// Nobody outside the school's staff learns that a loan exists.
    ViewLoans,
    /// Lend, record signatures and returns, version the loan charter.
    ManageLoans,
    /// See one's own loans as a borrower.
    ViewOwnLoans,
    /// See the school's mission letters, drafts included (the head, the
    /// referents).
    ViewMissionLetters,
    /// See the school's signed mission letters (also the collectivité and
    /// the DANE of the school).
    ViewSignedMissionLetters,
    /// Draft a mission letter, propose it, comment on it, amend it.
    DraftMissionLetter,
    /// Sign the mission letter: the head of school only.
    SignMissionLetter,
    /// Read the comité numérique: its members, meetings with their public
    /// minutes, decisions and actions (every staff member of the school,
    /// also the collectivité and the DANE of the school).
    ViewComite,
    /// Run the comité: members, meetings, attendance, minutes (public or
    /// not), decisions and actions (the head and the referents). Only they
    /// read the minutes that are not public.
    ManageComite,
    /// See the school's training plan: the year's offer; state one's own
    /// needs and register oneself (every staff member of the school).
    ViewTrainingPlan,
    /// Run the training plan: themes, sessions, attendance; read the needs,
    /// the registrations and the feedback (the head and the referents).
    ManageTrainingPlan,
    /// Read the digital part of the school project: its plan, axes,
    /// objectives, actions and indicators (every staff member of the
    /// school, also the collectivité and the DANE of the school).
    ViewSchoolProject,
    /// Write the digital part of the school project, record its typed
    /// indicators' values and link the comité's actions to its objectives
    /// (the head and the referents).
    ManageSchoolProject,
}

/// Things done at the instance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceAction {
    /// Manage académies, collectivités, schools, accounts.
    Administer,
    /// Read the whole instance's audit log.
    ReadAudit,
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.memberships.iter().any(|m| m.role == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }

    /// The roles this actor holds on the given school, directly or through
    /// a wider scope that covers it.
    pub fn roles_on(&self, etab: &EtabFacts) -> Vec<Role> {
        let mut roles: Vec<Role> = self
            .memberships
            .iter()
            .filter(|m| covers(m.scope, etab))
            .map(|m| m.role)
            .collect();
        roles.sort();
        roles.dedup();
        roles
    }

    /// Schools on which this actor holds a school-level role, for the header switcher.
    pub fn school_ids(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self
            .memberships
            .iter()
            .filter_map(|m| match m.scope {
                ScopeRef::Etablissement(id) => Some(id),
                _ => None,
            })
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

fn covers(scope: ScopeRef, etab: &EtabFacts) -> bool {
    match scope {
        ScopeRef::Instance => true,
        ScopeRef::Etablissement(id) => id == etab.id,
        ScopeRef::Academie(id) => id == etab.academie_id,
        ScopeRef::Collectivite(id) => etab.collectivite_id == Some(id),
        ScopeRef::Organisation(id) => etab.organisation_ids.contains(&id),
    }
}

/// Decides an action on one school.
pub fn decide(actor: &Actor, action: EtabAction, etab: &EtabFacts) -> Decision {
    let roles = actor.roles_on(etab);
    if roles.is_empty() {
        return Decision::NotFound;
    }
    let any = |allowed: &[Role]| roles.iter().any(|r| allowed.contains(r));
    // Loans name pupils and staff: beyond the school's own staff (the
    // collectivité, providers, DANE, DPD) they do not exist.
    if matches!(
        action,
        EtabAction::ViewLoans | EtabAction::ManageLoans | EtabAction::ViewOwnLoans
    ) && !any(&STAFF)
    {
        return Decision::NotFound;
    }
    let ok = match action {
        EtabAction::View => true,
        EtabAction::ViewPeople => any(&[
            Role::Enseignant,
            Role::Personnel,
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Dane,
            Role::Admin,
        ]),
        EtabAction::ManageStaff => any(&[Role::Referent, Role::Direction, Role::Admin]),
        EtabAction::GrantRole(role) => {
            if !Role::SCHOOL_ROLES.contains(&role) {
                // Roles beyond the school are granted by the instance admin only.
                any(&[Role::Admin])
            } else if role == Role::Direction {
                // The head is named by the head or by the instance admin.
                any(&[Role::Direction, Role::Admin])
            } else {
                any(&[Role::Referent, Role::Direction, Role::Admin])
            }
        }
        EtabAction::ReadAudit => any(&[Role::Referent, Role::Direction, Role::Admin]),
        EtabAction::Edit => any(&[Role::Direction, Role::Admin]),
        EtabAction::ViewDirectory => any(&[
            Role::Enseignant,
            Role::Personnel,
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Admin,
        ]),
        // Pupils are minors: only the roles that work with them or lend them
        // equipment. Not the DANE, the DPD, the collectivité nor providers.
        EtabAction::ViewPupils => any(&[
            Role::Enseignant,
            Role::Personnel,
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Admin,
        ]),
        EtabAction::ManageDirectory => any(&[Role::Referent, Role::Direction, Role::Admin]),
        // The collectivité owns most of the equipment: it reads the parc, it
        // does not edit the school's inventory.
        EtabAction::ViewParc => any(&[
            Role::Enseignant,
            Role::Personnel,
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Collectivite,
            Role::Admin,
        ]),
        EtabAction::ManageParc => any(&[
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Admin,
        ]),
        EtabAction::ReportFault => any(&STAFF),
        EtabAction::ViewTickets => any(&[
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Admin,
        ]),
        EtabAction::ManageTickets | EtabAction::ManageSupport | EtabAction::ManageKnowledge => {
            any(&[Role::Referent, Role::Direction, Role::Admin])
        }
        EtabAction::ViewParcIndicators => any(&[
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Collectivite,
            Role::Dane,
            Role::Admin,
        ]),
        EtabAction::ReadKnowledge => any(&[
            Role::Enseignant,
            Role::Personnel,
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Prestataire,
            Role::Admin,
        ]),
        EtabAction::ViewBookings | EtabAction::Book => any(&STAFF),
        EtabAction::ManageBookings => any(&[Role::Referent, Role::Direction, Role::Admin]),
        EtabAction::BookOnBehalf => any(&[
            Role::Referent,
            Role::Direction,
            Role::Gestionnaire,
            Role::Admin,
        ]),
        EtabAction::ViewLoans | EtabAction::ManageLoans => any(&LOAN_MANAGERS),
        EtabAction::ViewOwnLoans => any(&STAFF),
        EtabAction::ViewMissionLetters | EtabAction::DraftMissionLetter => {
            any(&[Role::Referent, Role::Direction, Role::Admin])
        }
        EtabAction::ViewSignedMissionLetters => any(&[
            Role::Referent,
            Role::Direction,
            Role::Collectivite,
            Role::Dane,
            Role::Admin,
        ]),
        // The head signs the letter; nobody signs in the head's stead.
        EtabAction::SignMissionLetter => any(&[Role::Direction]),
        // The comité works for the whole school: its staff read it, and so
        // do those who read the signed letter (collectivité, DANE).
        EtabAction::ViewComite => any(&STAFF) || any(&[Role::Collectivite, Role::Dane]),
        EtabAction::ManageComite => any(&[Role::Referent, Role::Direction, Role::Admin]),
        // The offer is the staff's; the plan is run as the letter is drafted.
        EtabAction::ViewTrainingPlan => any(&STAFF),
        EtabAction::ManageTrainingPlan => any(&[Role::Referent, Role::Direction, Role::Admin]),
        // The school project is the whole school's: read as the comité
        // that feeds it, written by those who draft the letter.
        EtabAction::ViewSchoolProject => any(&STAFF) || any(&[Role::Collectivite, Role::Dane]),
        EtabAction::ManageSchoolProject => any(&[Role::Referent, Role::Direction, Role::Admin]),
    };
    if ok {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// Whether the actor may book a resource whose rule lets `allowed` roles
/// book it. The school's booking managers always may.
pub fn decide_booking(actor: &Actor, etab: &EtabFacts, allowed: &[Role]) -> Decision {
    match decide(actor, EtabAction::Book, etab) {
        Decision::Allow => {}
        other => return other,
    }
    let roles = actor.roles_on(etab);
    let manager = decide(actor, EtabAction::ManageBookings, etab) == Decision::Allow;
    if manager || roles.iter().any(|r| allowed.contains(r)) {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// Whether the actor may approve or refuse the bookings of a resource whose
/// approver role is `approver`: that role on the school, or a booking manager.
pub fn may_approve(actor: &Actor, etab: &EtabFacts, approver: Role) -> bool {
    actor.roles_on(etab).contains(&approver)
        || decide(actor, EtabAction::ManageBookings, etab) == Decision::Allow
}

/// The school's own staff: whoever may report a fault or ask for help.
const STAFF: [Role; 6] = [
    Role::Enseignant,
    Role::Personnel,
    Role::Referent,
    Role::Direction,
    Role::Gestionnaire,
    Role::Admin,
];

/// Roles that lend the school's equipment and see every loan.
pub const LOAN_MANAGERS: [Role; 4] = [
    Role::Referent,
    Role::Direction,
    Role::Gestionnaire,
    Role::Admin,
];

/// What the policy needs to know of a loan to decide about it.
#[derive(Debug, Clone)]
pub struct LoanFacts {
    pub etab: EtabFacts,
    /// The borrower's account, for a staff member's loan.
    pub borrower_account_id: Option<Uuid>,
}

/// Decides whether the caller may see one loan: the school's loan
/// managers, and the borrower (a staff member) for their own loan.
/// Anyone else gets `NotFound`: a loan names a person.
pub fn decide_loan_view(actor: &Actor, loan: &LoanFacts) -> Decision {
    match decide(actor, EtabAction::ViewLoans, &loan.etab) {
        Decision::Allow => Decision::Allow,
        Decision::NotFound => Decision::NotFound,
        Decision::Forbidden => {
            if loan.borrower_account_id == Some(actor.account_id)
                && decide(actor, EtabAction::ViewOwnLoans, &loan.etab) == Decision::Allow
            {
                Decision::Allow
            } else {
                Decision::NotFound
            }
        }
    }
}

/// Roles that handle every ticket of a school.
const TICKET_MANAGERS: [Role; 3] = [Role::Referent, Role::Direction, Role::Admin];

/// What the policy needs to know of a ticket to decide about it.
#[derive(Debug, Clone)]
pub struct TicketFacts {
    pub etab: EtabFacts,
    /// The account that opened it (none for an anonymous QR report).
    pub requester_id: Option<Uuid>,
    /// The person it is assigned to, if any.
    pub assignee_id: Option<Uuid>,
    /// The support organisation it is escalated to, if any.
    pub assigned_org: Option<Uuid>,
    /// The collectivité that support organisation belongs to (kind
    /// `collectivite`), if any.
    pub assigned_org_collectivite: Option<Uuid>,
}

/// Things done to one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketAction {
    /// Read the ticket, its public comments and attachments.
    View,
    /// Add a public comment or an attachment.
    Comment,
    /// Read and write internal comments (not shown to the requester).
    Internal,
    /// Work on it: take it, set it waiting or resolved, note the external reference.
    Work,
    /// Handle it as the school: assign, escalate, change priority, close.
    Handle,
    /// Reopen a resolved ticket.
    Reopen,
}

/// Decides an action on one ticket.
///
/// Who sees a ticket: the school's ticket managers and bursar, its
/// requester, the person it is assigned to, the technicians of the support
/// organisation it is escalated to, and the collectivité when that
/// organisation is its own. Anyone else gets `NotFound`.
pub fn decide_ticket(actor: &Actor, action: TicketAction, t: &TicketFacts) -> Decision {
    let roles = actor.roles_on(&t.etab);
    let has = |allowed: &[Role]| roles.iter().any(|r| allowed.contains(r));
    let manager = has(&TICKET_MANAGERS);
    let bursar = has(&[Role::Gestionnaire]);
    let me = Some(actor.account_id);
    let requester = t.requester_id.is_some() && t.requester_id == me;
    let assignee = t.assignee_id.is_some() && t.assignee_id == me;
    let provider = t.assigned_org.is_some_and(|org| {
        actor
            .memberships
            .iter()
            .any(|m| m.role == Role::Prestataire && m.scope == ScopeRef::Organisation(org))
    });
    let collectivite = t.assigned_org_collectivite.is_some_and(|c| {
        t.etab.collectivite_id == Some(c)
            && actor
                .memberships
                .iter()
                .any(|m| m.role == Role::Collectivite && m.scope == ScopeRef::Collectivite(c))
    });
    let visible = manager || bursar || requester || assignee || provider || collectivite;
    if !visible {
        return Decision::NotFound;
    }
    let ok = match action {
        TicketAction::View | TicketAction::Comment => true,
        TicketAction::Internal => manager || bursar || assignee || provider || collectivite,
        TicketAction::Work => manager || assignee || provider || collectivite,
        TicketAction::Handle => manager,
        TicketAction::Reopen => manager || requester,
    };
    if ok {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// Which tickets a list may show. Built only by [`ticket_scope`]; a ticket
/// is listed when any of its parts matches.
#[derive(Debug, Clone)]
pub struct TicketScope {
    all: bool,
    /// Schools whose every ticket is visible (managers, bursars).
    etablissements: Vec<Uuid>,
    /// Support organisations whose assigned tickets are visible (providers).
    organisations: Vec<Uuid>,
    /// Collectivités that see the tickets escalated to their own
    /// organisations, in their own schools.
    collectivites: Vec<Uuid>,
    /// The caller: tickets they opened or are assigned to.
    account_id: Uuid,
}

impl TicketScope {
    pub fn all(&self) -> bool {
        self.all
    }
    pub fn etablissements(&self) -> &[Uuid] {
        &self.etablissements
    }
    pub fn organisations(&self) -> &[Uuid] {
        &self.organisations
    }
    pub fn collectivites(&self) -> &[Uuid] {
        &self.collectivites
    }
    pub fn account_id(&self) -> Uuid {
        self.account_id
    }
}

/// The tickets an actor may see in lists: the same rule as [`decide_ticket`]'s
/// `View`, as a filter.
pub fn ticket_scope(actor: &Actor) -> TicketScope {
    let mut s = TicketScope {
        all: false,
        etablissements: vec![],
        organisations: vec![],
        collectivites: vec![],
        account_id: actor.account_id,
    };
    for m in &actor.memberships {
        match (m.role, m.scope) {
            (Role::Admin, ScopeRef::Instance) => s.all = true,
            (
                Role::Referent | Role::Direction | Role::Gestionnaire,
                ScopeRef::Etablissement(id),
            ) => s.etablissements.push(id),
            (Role::Prestataire, ScopeRef::Organisation(id)) => s.organisations.push(id),
            (Role::Collectivite, ScopeRef::Collectivite(id)) => s.collectivites.push(id),
            _ => {}
        }
    }
    for v in [
        &mut s.etablissements,
        &mut s.organisations,
        &mut s.collectivites,
    ] {
        v.sort();
        v.dedup();
    }
    s
}

/// Decides an instance-level action.
pub fn decide_instance(actor: &Actor, action: InstanceAction) -> Decision {
    match action {
        InstanceAction::Administer | InstanceAction::ReadAudit => {
            if actor.is_admin() {
                Decision::Allow
            } else {
                Decision::Forbidden
            }
        }
    }
}

/// Roles that must pass a second factor (TOTP, or multi-factor asserted by
/// an identity provider) before reaching any page: whoever holds one of them,
/// on any scope.
pub const SECOND_FACTOR_ROLES: [Role; 4] = [Role::Admin, Role::Dane, Role::Dpd, Role::Direction];

/// True when an account with these memberships needs a second factor.
pub fn needs_second_factor(memberships: &[Membership]) -> bool {
    memberships
        .iter()
        .any(|m| SECOND_FACTOR_ROLES.contains(&m.role))
}

/// Which schools a list may show. Built only by [`etab_scope`].
#[derive(Debug, Clone)]
pub struct EtabScope {
    all: bool,
    etablissements: Vec<Uuid>,
    academies: Vec<Uuid>,
    collectivites: Vec<Uuid>,
    organisations: Vec<Uuid>,
}

impl EtabScope {
    pub fn all(&self) -> bool {
        self.all
    }
    pub fn etablissements(&self) -> &[Uuid] {
        &self.etablissements
    }
    pub fn academies(&self) -> &[Uuid] {
        &self.academies
    }
    pub fn collectivites(&self) -> &[Uuid] {
        &self.collectivites
    }
    pub fn organisations(&self) -> &[Uuid] {
        &self.organisations
    }
    pub fn is_empty(&self) -> bool {
        !self.all
            && self.etablissements.is_empty()
            && self.academies.is_empty()
            && self.collectivites.is_empty()
            && self.organisations.is_empty()
    }
}

/// The schools an actor may see in lists.
pub fn etab_scope(actor: &Actor) -> EtabScope {
    let mut s = EtabScope {
        all: false,
        etablissements: vec![],
        academies: vec![],
        collectivites: vec![],
        organisations: vec![],
    };
    for m in &actor.memberships {
        match m.scope {
            ScopeRef::Instance => s.all = true,
            ScopeRef::Etablissement(id) => s.etablissements.push(id),
            ScopeRef::Academie(id) => s.academies.push(id),
            ScopeRef::Collectivite(id) => s.collectivites.push(id),
            ScopeRef::Organisation(id) => s.organisations.push(id),
        }
    }
    for v in [
        &mut s.etablissements,
        &mut s.academies,
        &mut s.collectivites,
        &mut s.organisations,
    ] {
        v.sort();
        v.dedup();
    }
    s
}

/// The scope used by trusted system tasks (CLI, demo, migrations), never by a request.
pub fn system_scope() -> EtabScope {
    EtabScope {
        all: true,
        etablissements: vec![],
        academies: vec![],
        collectivites: vec![],
        organisations: vec![],
    }
}

#[cfg(test)]
mod tests;
