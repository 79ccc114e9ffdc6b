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
mod tests {
    use super::*;

    fn etab() -> EtabFacts {
        EtabFacts {
            id: Uuid::now_v7(),
            academie_id: Uuid::now_v7(),
            collectivite_id: Some(Uuid::now_v7()),
            organisation_ids: vec![Uuid::now_v7()],
        }
    }

    fn actor(ms: &[(Role, ScopeRef)]) -> Actor {
        Actor {
            account_id: Uuid::now_v7(),
            memberships: ms
                .iter()
                .map(|(r, s)| Membership::new(*r, *s).expect("valid membership"))
                .collect(),
        }
    }

    #[test]
    fn a_teacher_of_another_school_gets_not_found() {
        let a = etab();
        let b = etab();
        let t = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
        assert_eq!(decide(&t, EtabAction::View, &a), Decision::Allow);
        assert_eq!(decide(&t, EtabAction::View, &b), Decision::NotFound);
        assert_eq!(decide(&t, EtabAction::ReadAudit, &b), Decision::NotFound);
    }

    #[test]
    fn a_teacher_is_forbidden_staff_management_and_audit() {
        let a = etab();
        let t = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
        assert_eq!(decide(&t, EtabAction::ManageStaff, &a), Decision::Forbidden);
        assert_eq!(decide(&t, EtabAction::ReadAudit, &a), Decision::Forbidden);
        assert_eq!(
            decide_instance(&t, InstanceAction::Administer),
            Decision::Forbidden
        );
    }

    #[test]
    fn referent_manages_staff_but_does_not_name_the_head() {
        let a = etab();
        let r = actor(&[(Role::Referent, ScopeRef::Etablissement(a.id))]);
        assert_eq!(decide(&r, EtabAction::ManageStaff, &a), Decision::Allow);
        assert_eq!(
            decide(&r, EtabAction::GrantRole(Role::Enseignant), &a),
            Decision::Allow
        );
        assert_eq!(
            decide(&r, EtabAction::GrantRole(Role::Direction), &a),
            Decision::Forbidden
        );
        assert_eq!(
            decide(&r, EtabAction::GrantRole(Role::Dane), &a),
            Decision::Forbidden
        );
        let d = actor(&[(Role::Direction, ScopeRef::Etablissement(a.id))]);
        assert_eq!(
            decide(&d, EtabAction::GrantRole(Role::Direction), &a),
            Decision::Allow
        );
    }

    #[test]
    fn wider_scopes_cover_their_schools_only() {
        let a = etab();
        let b = etab();
        let coll = actor(&[(
            Role::Collectivite,
            ScopeRef::Collectivite(a.collectivite_id.expect("owned")),
        )]);
        assert_eq!(decide(&coll, EtabAction::View, &a), Decision::Allow);
        assert_eq!(
            decide(&coll, EtabAction::ViewPeople, &a),
            Decision::Forbidden
        );
        assert_eq!(decide(&coll, EtabAction::View, &b), Decision::NotFound);

        let dane = actor(&[(Role::Dane, ScopeRef::Academie(a.academie_id))]);
        assert_eq!(decide(&dane, EtabAction::View, &a), Decision::Allow);
        assert_eq!(decide(&dane, EtabAction::View, &b), Decision::NotFound);
        assert_eq!(
            decide(&dane, EtabAction::ManageStaff, &a),
            Decision::Forbidden
        );

        let presta = actor(&[(
            Role::Prestataire,
            ScopeRef::Organisation(a.organisation_ids[0]),
        )]);
        assert_eq!(decide(&presta, EtabAction::View, &a), Decision::Allow);
        assert_eq!(
            decide(&presta, EtabAction::ViewPeople, &a),
            Decision::Forbidden
        );
        assert_eq!(decide(&presta, EtabAction::View, &b), Decision::NotFound);
    }

    #[test]
    fn pupils_are_never_shown_to_the_collectivite_providers_or_dane() {
        let a = etab();
        for (role, scope) in [
            (
                Role::Collectivite,
                ScopeRef::Collectivite(a.collectivite_id.expect("owned")),
            ),
            (
                Role::Prestataire,
                ScopeRef::Organisation(a.organisation_ids[0]),
            ),
            (Role::Dane, ScopeRef::Academie(a.academie_id)),
            (Role::Dpd, ScopeRef::Academie(a.academie_id)),
        ] {
            let who = actor(&[(role, scope)]);
            assert_eq!(
                decide(&who, EtabAction::ViewPupils, &a),
                Decision::Forbidden,
                "{role:?}"
            );
            assert_ne!(
                decide(&who, EtabAction::ManageDirectory, &a),
                Decision::Allow
            );
        }
        let t = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
        assert_eq!(decide(&t, EtabAction::ViewPupils, &a), Decision::Allow);
        assert_eq!(
            decide(&t, EtabAction::ManageDirectory, &a),
            Decision::Forbidden
        );
        let r = actor(&[(Role::Referent, ScopeRef::Etablissement(a.id))]);
        assert_eq!(decide(&r, EtabAction::ManageDirectory, &a), Decision::Allow);
    }

    #[test]
    fn admin_sees_everything() {
        let a = etab();
        let adm = actor(&[(Role::Admin, ScopeRef::Instance)]);
        assert_eq!(decide(&adm, EtabAction::ManageStaff, &a), Decision::Allow);
        assert_eq!(
            decide_instance(&adm, InstanceAction::Administer),
            Decision::Allow
        );
        assert!(etab_scope(&adm).all());
    }

    #[test]
    fn scope_lists_what_memberships_give() {
        let a = etab();
        let t = actor(&[
            (Role::Enseignant, ScopeRef::Etablissement(a.id)),
            (Role::Referent, ScopeRef::Etablissement(a.id)),
        ]);
        let s = etab_scope(&t);
        assert!(!s.all());
        assert_eq!(s.etablissements(), &[a.id]);
        assert!(s.academies().is_empty());
        let nobody = actor(&[]);
        assert!(etab_scope(&nobody).is_empty());
    }

    #[test]
    fn second_factor_for_admin_dane_dpd_direction_only() {
        let a = etab();
        for (role, scope) in [
            (Role::Admin, ScopeRef::Instance),
            (Role::Dane, ScopeRef::Academie(a.academie_id)),
            (Role::Dpd, ScopeRef::Academie(a.academie_id)),
            (Role::Direction, ScopeRef::Etablissement(a.id)),
        ] {
            let m = actor(&[
                (Role::Enseignant, ScopeRef::Etablissement(a.id)),
                (role, scope),
            ]);
            assert!(needs_second_factor(&m.memberships), "{role:?}");
        }
        for (role, scope) in [
            (Role::Enseignant, ScopeRef::Etablissement(a.id)),
            (Role::Personnel, ScopeRef::Etablissement(a.id)),
            (Role::Referent, ScopeRef::Etablissement(a.id)),
            (Role::Gestionnaire, ScopeRef::Etablissement(a.id)),
        ] {
            let m = actor(&[(role, scope)]);
            assert!(!needs_second_factor(&m.memberships), "{role:?}");
        }
        assert!(!needs_second_factor(&[]));
    }

    fn ticket(etab: &EtabFacts, requester: Option<Uuid>, org: Option<Uuid>) -> TicketFacts {
        TicketFacts {
            etab: etab.clone(),
            requester_id: requester,
            assignee_id: None,
            assigned_org: org,
            assigned_org_collectivite: None,
        }
    }

    #[test]
    fn a_provider_sees_only_the_tickets_of_its_organisation() {
        let a = etab();
        let org = a.organisation_ids[0];
        let other_org = Uuid::now_v7();
        let tech = actor(&[(Role::Prestataire, ScopeRef::Organisation(org))]);
        let mine = ticket(&a, None, Some(org));
        let theirs = ticket(&a, None, Some(other_org));
        let unassigned = ticket(&a, None, None);
        assert_eq!(
            decide_ticket(&tech, TicketAction::View, &mine),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&tech, TicketAction::Work, &mine),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&tech, TicketAction::Internal, &mine),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&tech, TicketAction::Handle, &mine),
            Decision::Forbidden
        );
        assert_eq!(
            decide_ticket(&tech, TicketAction::View, &theirs),
            Decision::NotFound
        );
        assert_eq!(
            decide_ticket(&tech, TicketAction::View, &unassigned),
            Decision::NotFound
        );
        let scope = ticket_scope(&tech);
        assert_eq!(scope.organisations(), &[org]);
        assert!(scope.etablissements().is_empty() && !scope.all());
        // Seeing the school's tickets is not the provider's: only its own.
        assert_eq!(
            decide(&tech, EtabAction::ViewTickets, &a),
            Decision::Forbidden
        );
        assert_eq!(decide(&tech, EtabAction::ViewParc, &a), Decision::Forbidden);
    }

    #[test]
    fn a_requester_follows_their_ticket_and_nobody_else_does() {
        let a = etab();
        let t1 = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
        let t2 = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
        let own = ticket(&a, Some(t1.account_id), None);
        assert_eq!(
            decide_ticket(&t1, TicketAction::View, &own),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&t1, TicketAction::Comment, &own),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&t1, TicketAction::Reopen, &own),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&t1, TicketAction::Internal, &own),
            Decision::Forbidden
        );
        assert_eq!(
            decide_ticket(&t1, TicketAction::Work, &own),
            Decision::Forbidden
        );
        assert_eq!(
            decide_ticket(&t2, TicketAction::View, &own),
            Decision::NotFound
        );
        assert_eq!(decide(&t1, EtabAction::ReportFault, &a), Decision::Allow);
        assert_eq!(
            decide(&t1, EtabAction::ViewTickets, &a),
            Decision::Forbidden
        );
        assert_eq!(decide(&t1, EtabAction::ViewParc, &a), Decision::Allow);
        assert_eq!(decide(&t1, EtabAction::ManageParc, &a), Decision::Forbidden);
    }

    #[test]
    fn the_referent_handles_the_school_tickets_only() {
        let a = etab();
        let b = etab();
        let r = actor(&[(Role::Referent, ScopeRef::Etablissement(a.id))]);
        let in_a = ticket(&a, None, Some(Uuid::now_v7()));
        let in_b = ticket(&b, None, None);
        assert_eq!(
            decide_ticket(&r, TicketAction::Handle, &in_a),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&r, TicketAction::Internal, &in_a),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&r, TicketAction::View, &in_b),
            Decision::NotFound
        );
        assert_eq!(ticket_scope(&r).etablissements(), &[a.id]);
    }

    #[test]
    fn the_collectivite_sees_tickets_escalated_to_itself_in_its_schools() {
        let a = etab();
        let coll = a.collectivite_id.expect("owned");
        let c = actor(&[(Role::Collectivite, ScopeRef::Collectivite(coll))]);
        let mut escalated = ticket(&a, None, Some(Uuid::now_v7()));
        escalated.assigned_org_collectivite = Some(coll);
        let elsewhere = ticket(&a, None, Some(Uuid::now_v7()));
        assert_eq!(
            decide_ticket(&c, TicketAction::Work, &escalated),
            Decision::Allow
        );
        assert_eq!(
            decide_ticket(&c, TicketAction::View, &elsewhere),
            Decision::NotFound
        );
        assert_eq!(decide(&c, EtabAction::ViewParc, &a), Decision::Allow);
        assert_eq!(decide(&c, EtabAction::ManageParc, &a), Decision::Forbidden);
        assert_eq!(
            decide(&c, EtabAction::ViewParcIndicators, &a),
            Decision::Allow
        );
    }

    #[test]
    fn loans_are_the_staffs_business_only() {
        let a = etab();
        let b = etab();
        for role in [Role::Referent, Role::Direction, Role::Gestionnaire] {
            let m = actor(&[(role, ScopeRef::Etablissement(a.id))]);
            assert_eq!(decide(&m, EtabAction::ManageLoans, &a), Decision::Allow);
            assert_eq!(decide(&m, EtabAction::ViewLoans, &a), Decision::Allow);
            assert_eq!(decide(&m, EtabAction::ViewLoans, &b), Decision::NotFound);
        }
        for (role, scope) in [
            (
                Role::Collectivite,
                ScopeRef::Collectivite(a.collectivite_id.expect("owned")),
            ),
            (
                Role::Prestataire,
                ScopeRef::Organisation(a.organisation_ids[0]),
            ),
            (Role::Dane, ScopeRef::Academie(a.academie_id)),
        ] {
            let who = actor(&[(role, scope)]);
            for action in [
                EtabAction::ViewLoans,
                EtabAction::ManageLoans,
                EtabAction::ViewOwnLoans,
            ] {
                assert_eq!(decide(&who, action, &a), Decision::NotFound, "{role:?}");
            }
        }
        let t = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
        assert_eq!(decide(&t, EtabAction::ViewLoans, &a), Decision::Forbidden);
        assert_eq!(decide(&t, EtabAction::ViewOwnLoans, &a), Decision::Allow);
        let own = LoanFacts {
            etab: a.clone(),
            borrower_account_id: Some(t.account_id),
        };
        let other = LoanFacts {
            etab: a.clone(),
            borrower_account_id: None,
        };
        assert_eq!(decide_loan_view(&t, &own), Decision::Allow);
        assert_eq!(decide_loan_view(&t, &other), Decision::NotFound);
    }

    #[test]
    fn the_head_signs_the_mission_letter_that_the_referent_drafts() {
        let a = etab();
        let b = etab();
        let head = actor(&[(Role::Direction, ScopeRef::Etablissement(a.id))]);
        let referent = actor(&[(Role::Referent, ScopeRef::Etablissement(a.id))]);
        let teacher = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
        let dane = actor(&[(Role::Dane, ScopeRef::Academie(a.academie_id))]);
        let admin = actor(&[(Role::Admin, ScopeRef::Instance)]);
        for who in [&head, &referent] {
            assert_eq!(
                decide(who, EtabAction::DraftMissionLetter, &a),
                Decision::Allow
            );
            assert_eq!(
                decide(who, EtabAction::ViewMissionLetters, &a),
                Decision::Allow
            );
            assert_eq!(
                decide(who, EtabAction::DraftMissionLetter, &b),
                Decision::NotFound
            );
        }
        assert_eq!(
            decide(&head, EtabAction::SignMissionLetter, &a),
            Decision::Allow
        );
        for who in [&referent, &teacher, &dane, &admin] {
            assert_eq!(
                decide(who, EtabAction::SignMissionLetter, &a),
                Decision::Forbidden,
                "only the head signs"
            );
        }
        assert_eq!(
            decide(&teacher, EtabAction::DraftMissionLetter, &a),
            Decision::Forbidden
        );
        assert_eq!(
            decide(&teacher, EtabAction::ViewSignedMissionLetters, &a),
            Decision::Forbidden
        );
        assert_eq!(
            decide(&dane, EtabAction::ViewSignedMissionLetters, &a),
            Decision::Allow
        );
        assert_eq!(
            decide(&dane, EtabAction::ViewMissionLetters, &a),
            Decision::Forbidden,
            "the DANE reads signed letters, not drafts"
        );
    }
}
