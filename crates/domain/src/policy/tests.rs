//! The policy's decisions, role by role and scope by scope.

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

#[test]
fn the_head_and_the_referent_run_the_comite_that_the_school_reads() {
    let a = etab();
    let b = etab();
    let head = actor(&[(Role::Direction, ScopeRef::Etablissement(a.id))]);
    let referent = actor(&[(Role::Referent, ScopeRef::Etablissement(a.id))]);
    let teacher = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
    let bursar = actor(&[(Role::Gestionnaire, ScopeRef::Etablissement(a.id))]);
    let dane = actor(&[(Role::Dane, ScopeRef::Academie(a.academie_id))]);
    let region = actor(&[(
        Role::Collectivite,
        ScopeRef::Collectivite(a.collectivite_id.expect("collectivité")),
    )]);
    let provider = actor(&[(
        Role::Prestataire,
        ScopeRef::Organisation(a.organisation_ids[0]),
    )]);
    let admin = actor(&[(Role::Admin, ScopeRef::Instance)]);
    for who in [&head, &referent, &admin] {
        assert_eq!(decide(who, EtabAction::ManageComite, &a), Decision::Allow);
        assert_eq!(decide(who, EtabAction::ViewComite, &a), Decision::Allow);
    }
    for who in [&head, &referent] {
        assert_eq!(
            decide(who, EtabAction::ManageComite, &b),
            Decision::NotFound,
            "another school's comité does not exist for them"
        );
    }
    for who in [&teacher, &bursar, &dane, &region] {
        assert_eq!(decide(who, EtabAction::ViewComite, &a), Decision::Allow);
        assert_eq!(
            decide(who, EtabAction::ManageComite, &a),
            Decision::Forbidden
        );
    }
    assert_eq!(
        decide(&provider, EtabAction::ViewComite, &a),
        Decision::Forbidden
    );
    assert_eq!(
        decide(&dane, EtabAction::ViewComite, &b),
        Decision::NotFound
    );
}

#[test]
fn the_staff_read_the_training_plan_that_the_referent_runs() {
    let a = etab();
    let b = etab();
    let head = actor(&[(Role::Direction, ScopeRef::Etablissement(a.id))]);
    let referent = actor(&[(Role::Referent, ScopeRef::Etablissement(a.id))]);
    let teacher = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
    let staff = actor(&[(Role::Personnel, ScopeRef::Etablissement(a.id))]);
    let dane = actor(&[(Role::Dane, ScopeRef::Academie(a.academie_id))]);
    let region = actor(&[(
        Role::Collectivite,
        ScopeRef::Collectivite(a.collectivite_id.expect("collectivité")),
    )]);
    let admin = actor(&[(Role::Admin, ScopeRef::Instance)]);
    for who in [&head, &referent, &admin] {
        assert_eq!(
            decide(who, EtabAction::ManageTrainingPlan, &a),
            Decision::Allow
        );
        assert_eq!(
            decide(who, EtabAction::ViewTrainingPlan, &a),
            Decision::Allow
        );
    }
    for who in [&teacher, &staff] {
        assert_eq!(
            decide(who, EtabAction::ViewTrainingPlan, &a),
            Decision::Allow
        );
        assert_eq!(
            decide(who, EtabAction::ManageTrainingPlan, &a),
            Decision::Forbidden
        );
    }
    for who in [&head, &referent, &teacher] {
        assert_eq!(
            decide(who, EtabAction::ViewTrainingPlan, &b),
            Decision::NotFound,
            "another school's plan does not exist for them"
        );
    }
    for who in [&dane, &region] {
        assert_eq!(
            decide(who, EtabAction::ViewTrainingPlan, &a),
            Decision::Forbidden,
            "the plan is the school's staff's"
        );
    }
}

#[test]
fn the_head_and_the_referent_write_the_school_project_that_the_school_reads() {
    let a = etab();
    let b = etab();
    let head = actor(&[(Role::Direction, ScopeRef::Etablissement(a.id))]);
    let referent = actor(&[(Role::Referent, ScopeRef::Etablissement(a.id))]);
    let teacher = actor(&[(Role::Enseignant, ScopeRef::Etablissement(a.id))]);
    let staff = actor(&[(Role::Personnel, ScopeRef::Etablissement(a.id))]);
    let dane = actor(&[(Role::Dane, ScopeRef::Academie(a.academie_id))]);
    let region = actor(&[(
        Role::Collectivite,
        ScopeRef::Collectivite(a.collectivite_id.expect("collectivité")),
    )]);
    let provider = actor(&[(
        Role::Prestataire,
        ScopeRef::Organisation(a.organisation_ids[0]),
    )]);
    let admin = actor(&[(Role::Admin, ScopeRef::Instance)]);
    for who in [&head, &referent, &admin] {
        assert_eq!(
            decide(who, EtabAction::ManageSchoolProject, &a),
            Decision::Allow
        );
        assert_eq!(
            decide(who, EtabAction::ViewSchoolProject, &a),
            Decision::Allow
        );
    }
    for who in [&head, &referent] {
        assert_eq!(
            decide(who, EtabAction::ManageSchoolProject, &b),
            Decision::NotFound,
            "another school's project does not exist for them"
        );
    }
    for who in [&teacher, &staff, &dane, &region] {
        assert_eq!(
            decide(who, EtabAction::ViewSchoolProject, &a),
            Decision::Allow
        );
        assert_eq!(
            decide(who, EtabAction::ManageSchoolProject, &a),
            Decision::Forbidden
        );
    }
    assert_eq!(
        decide(&provider, EtabAction::ViewSchoolProject, &a),
        Decision::Forbidden
    );
    assert_eq!(
        decide(&dane, EtabAction::ViewSchoolProject, &b),
        Decision::NotFound
    );
}
