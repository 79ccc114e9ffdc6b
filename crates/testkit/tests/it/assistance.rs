//! The assistance integration tests: tickets from staff and from the QR
//! form, transitions, escalation to providers, comments and attachments,
//! the API, and who may see what, route by route.

use chrono::Utc;
use refnum_db::entities::assistance::{asset_unavailability, notification, ticket, ticket_event};
use refnum_db::entities::parc::parc_asset;
use refnum_domain::role::{Membership, Role, ScopeRef};
use refnum_services::audit::Who;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

async fn asset_in(app: &TestApp, etab: Uuid, n: usize) -> parc_asset::Model {
    let now = Utc::now();
    let a = parc_asset::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        inventory_number: format!("VP-{n:03}"),
        category: "projector".into(),
        manufacturer: "Epson".into(),
        model: "EB-W51".into(),
        serial: format!("SN{n:06}"),
        owner: "collectivite".into(),
        owner_label: None,
        funding: None,
        purchase_date: None,
        warranty_end: None,
        room_id: None,
        holder_name: None,
        holder_account_id: None,
        status: "in_service".into(),
        parent_id: None,
        notes: String::new(),
        qr_token: Uuid::new_v4().simple().to_string()[..22].to_string(),
        search_text: format!("vp-{n:03} epson"),
        created_at: now,
        updated_at: now,
        retired_at: None,
    };
    refnum_db::parc::insert_asset(&app.db.conn, a.clone())
        .await
        .expect("asset");
    a
}

/// Posts the creation form; returns the new ticket's id.
async fn create_ticket(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    fields: &[(&str, &str)],
) -> Uuid {
    let path = format!("/etablissements/{etab}/assistance/nouveau");
    let mut all = vec![
        ("kind", "incident"),
        ("urgency", "medium"),
        ("impact", "medium"),
        ("description", "Rien ne s'affiche depuis ce matin."),
    ];
    all.extend_from_slice(fields);
    let r = app.post_form(c, &path, &path, &all).await;
    assert_eq!(r.status(), 303, "creation refused");
    let loc = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let id = loc
        .strip_prefix("/assistance/tickets/")
        .and_then(|s| s.split('?').next())
        .expect("ticket location");
    Uuid::parse_str(id).expect("ticket id")
}

async fn get_ticket(app: &TestApp, id: Uuid) -> ticket::Model {
    ticket::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("ticket")
}

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

async fn org_named(app: &TestApp, name: &str) -> Uuid {
    refnum_db::orgs::list_organisations(&app.db.conn)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.name == name)
        .expect("organisation")
        .id
}

/// Another provider serving `etab`, with a technician who can sign in.
async fn other_provider(app: &TestApp, etab: Uuid) -> (Uuid, String) {
    let org = refnum_db::entities::organisation::Model {
        id: Uuid::now_v7(),
        name: "Dépannage Express".into(),
        created_at: Utc::now(),
    };
    refnum_db::entities::organisation::Entity::insert(sea_orm::IntoActiveModel::into_active_model(
        org.clone(),
    ))
    .exec_without_returning(&app.db.conn)
    .await
    .expect("org");
    refnum_db::entities::organisation_etablissement::Entity::insert(
        refnum_db::entities::organisation_etablissement::ActiveModel {
            organisation_id: sea_orm::ActiveValue::Set(org.id),
            etablissement_id: sea_orm::ActiveValue::Set(etab),
        },
    )
    .exec_without_returning(&app.db.conn)
    .await
    .expect("serves");
    let email = "tech@depannage-express.test".to_string();
    let who = Who::system("test");
    let acc = refnum_services::people::create_account(
        &app.db,
        &who,
        &refnum_services::people::AccountInput {
            email: email.clone(),
            display_name: "Tech Express".into(),
            password: PASSWORD.into(),
        },
    )
    .await
    .expect("account");
    refnum_services::people::grant_alone(
        &app.db,
        &who,
        acc.id,
        Membership::new(Role::Prestataire, ScopeRef::Organisation(org.id)).expect("membership"),
    )
    .await
    .expect("grant");
    (org.id, email)
}

const ASSISTANCE_ORG: &str = "Assistance académique de Normandie";

async fn staff_open_tickets_with_numbers_and_managers_hear_of_them(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let asset = asset_in(app, a, 1).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let (status, form) = page(
        app,
        &teacher,
        &format!(
            "/etablissements/{a}/assistance/nouveau?equipement={}",
            asset.id
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert!(form.contains("VP-001"), "the asset is pre-filled");
    assert!(form.contains(r#"id="kb-suggestions""#));
    assert!(form.contains(&format!(
        r#"data-kb-url="/etablissements/{a}/base-de-connaissances/suggestions""#
    )));
    let id = create_ticket(
        app,
        &teacher,
        a,
        &[
            ("title", "Vidéoprojecteur sans image"),
            ("asset_id", &asset.id.to_string()),
            ("category", ""),
            ("unusable", "1"),
        ],
    )
    .await;
    let t = get_ticket(app, id).await;
    assert_eq!(t.number, 1);
    assert_eq!(t.status, "new");
    assert_eq!(t.category, "projector", "the asset's category");
    assert_eq!(t.priority, "p2", "unusable is at least P2");
    assert_eq!(t.source, "web");
    assert_eq!(t.requester_id, Some(app.account_id(TEACHER_A).await));
    // The school's in-house targets give the due times.
    assert!(t.response_due_at.is_some_and(|d| d > t.created_at));
    assert!(t.resolution_due_at.is_some_and(|d| d > t.created_at));
    let (status, body) = page(app, &teacher, &format!("/assistance/tickets/{id}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Vidéoprojecteur sans image"));
    assert!(body.contains("VP-001"));
    // The unusable asset opened an unavailability period.
    let periods = asset_unavailability::Entity::find()
        .filter(asset_unavailability::Column::TicketId.eq(id))
        .all(&app.db.conn)
        .await
        .expect("query");
    assert_eq!(periods.len(), 1);
    assert!(periods[0].ended_at.is_none());
    // The referent and the head are notified, not the teacher.
    let notes = notification::Entity::find()
        .filter(notification::Column::TicketId.eq(id))
        .all(&app.db.conn)
        .await
        .expect("query");
    let to: Vec<Uuid> = notes.iter().map(|n| n.account_id).collect();
    assert!(to.contains(&app.account_id(REFERENT_A).await));
    assert!(to.contains(&app.account_id(DIRECTION_A).await));
    assert!(!to.contains(&app.account_id(TEACHER_A).await));
    assert!(notes.iter().all(|n| n.kind == "ticket-created"));
    // A second ticket gets the next number; a bad form changes nothing.
    let id2 = create_ticket(app, &teacher, a, &[("title", "Imprimante bloquée")]).await;
    assert_eq!(get_ticket(app, id2).await.number, 2);
    let path = format!("/etablissements/{a}/assistance/nouveau");
    let r = app
        .post_form(
            &teacher,
            &path,
            &path,
            &[("kind", "incident"), ("title", ""), ("urgency", "huge")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let n = ticket::Entity::find()
        .filter(ticket::Column::EtablissementId.eq(a))
        .all(&app.db.conn)
        .await
        .expect("query")
        .len();
    assert_eq!(n, 2);
    // The teacher's list shows their own tickets; the referent's too.
    let (_, list) = page(app, &teacher, "/assistance").await;
    assert!(list.contains("Imprimante bloquée"));
    let referent = app.signed_in(REFERENT_A).await;
    let (_, list) = page(app, &referent, "/assistance?q=imprimante").await;
    assert!(list.contains("Imprimante bloquée"));
    assert!(
        !list.contains("Vidéoprojecteur sans image"),
        "free text filter"
    );
}

async fn the_qr_form_takes_anonymous_reports_with_a_limit(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let asset = asset_in(app, a, 7).await;
    let path = format!("/q/{}", asset.qr_token);
    // Unknown token: 404.
    let anon = app.client();
    let (status, _) = page(app, &anon, "/q/inconnu").await;
    assert_eq!(status, 404);
    // Anyone: the form, nothing about the school.
    let (status, form) = page(app, &anon, &path).await;
    assert_eq!(status, 200);
    assert!(!form.contains("Lycée Malherbe"));
    // Name required.
    let r = app
        .post_form(
            &anon,
            &path,
            &path,
            &[("name", ""), ("what", "Pas d'image")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &anon,
            &path,
            &path,
            &[
                ("name", "Camille Durand"),
                (
                    "what",
                    "Pas d'image sur le vidéoprojecteur\nLe voyant clignote",
                ),
                ("unusable", "1"),
                ("contact", "camille@example.test"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.expect("body");
    assert!(!body.contains("Lycée Malherbe"));
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::AssetId.eq(asset.id))
        .all(&app.db.conn)
        .await
        .expect("query");
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    // A receipt code, not the school's running number of tickets.
    let receipt = refnum_domain::ticket::receipt_code(t.id);
    assert!(body.contains(&receipt), "the receipt code is shown: {body}");
    assert!(!body.contains("numéro"), "no ticket number: {body}");
    assert!(
        !body.contains(&format!(" {}.", t.number)) && !body.contains(&format!(" {} ", t.number)),
        "the running number is not shown"
    );
    // The referent finds the ticket by the receipt code, and sees it on it.
    let referent = app.signed_in(REFERENT_A).await;
    let (_, list) = page(app, &referent, &format!("/assistance?q={receipt}")).await;
    assert!(
        list.contains("Pas d&#39;image sur le vidéoprojecteur")
            || list.contains("Pas d'image sur le vidéoprojecteur"),
        "found by its receipt code: {list}"
    );
    let (_, shown) = page(app, &referent, &format!("/assistance/tickets/{}", t.id)).await;
    assert!(shown.contains(&receipt), "the receipt code on the ticket");
    assert_eq!(t.source, "qr");
    assert_eq!(t.requester_id, None);
    assert_eq!(t.requester_name, "Camille Durand");
    assert_eq!(t.title, "Pas d'image sur le vidéoprojecteur");
    assert!(t.unusable);
    // Staff who see the parc land on the asset's page.
    let teacher = app.signed_in(TEACHER_A).await;
    let r = teacher.get(app.url(&path)).send().await.expect("get");
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/etablissements/{a}/parc/equipements/{}", asset.id).as_str()
    );
    // Staff of another school get the form.
    let other = app.signed_in(TEACHER_B).await;
    let (status, _) = page(app, &other, &path).await;
    assert_eq!(status, 200);
    // Rate limit: five reports an hour from one address, then 429.
    for i in 2..=5 {
        let r = app
            .post_form(
                &anon,
                &path,
                &path,
                &[("name", "Camille"), ("what", &format!("Encore {i}"))],
            )
            .await;
        assert_eq!(r.status(), 200, "report {i}");
    }
    let r = app
        .post_form(
            &anon,
            &path,
            &path,
            &[("name", "Camille"), ("what", "Encore")],
        )
        .await;
    assert_eq!(r.status(), 429);
    let n = ticket::Entity::find()
        .filter(ticket::Column::AssetId.eq(asset.id))
        .all(&app.db.conn)
        .await
        .expect("query")
        .len();
    assert_eq!(n, 5, "the refused report created nothing");
}

async fn status(app: &TestApp, c: &reqwest::Client, id: Uuid, to: &str) -> u16 {
    let page = format!("/assistance/tickets/{id}");
    app.post_form(
        c,
        &page,
        &format!("/assistance/tickets/{id}/statut"),
        &[("status", to)],
    )
    .await
    .status()
    .as_u16()
}

async fn transitions_follow_the_life_cycle(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let asset = asset_in(app, a, 2).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let id = create_ticket(
        app,
        &teacher,
        a,
        &[
            ("title", "Écran noir"),
            ("asset_id", &asset.id.to_string()),
            ("unusable", "1"),
        ],
    )
    .await;
    let referent = app.signed_in(REFERENT_A).await;
    // Illegal: new → closed. Conflict, nothing changed.
    assert_eq!(status(app, &referent, id, "closed").await, 409);
    assert_eq!(get_ticket(app, id).await.status, "new");
    assert_eq!(status(app, &referent, id, "nonsense").await, 422);
    // The requester may not work on it.
    assert_eq!(status(app, &teacher, id, "resolved").await, 403);
    assert_eq!(status(app, &referent, id, "taken").await, 303);
    let t = get_ticket(app, id).await;
    assert_eq!(t.status, "taken");
    assert!(t.taken_at.is_some(), "first response");
    assert_eq!(status(app, &referent, id, "resolved").await, 303);
    let t = get_ticket(app, id).await;
    assert!(t.resolved_at.is_some());
    let periods = asset_unavailability::Entity::find()
        .filter(asset_unavailability::Column::TicketId.eq(id))
        .all(&app.db.conn)
        .await
        .expect("query");
    assert_eq!(periods.len(), 1);
    assert!(periods[0].ended_at.is_some(), "resolved: the asset is back");
    // The requester is told, reopens it: a new period opens.
    let told = notification::Entity::find()
        .filter(notification::Column::TicketId.eq(id))
        .filter(notification::Column::AccountId.eq(app.account_id(TEACHER_A).await))
        .filter(notification::Column::Kind.eq("ticket-status"))
        .all(&app.db.conn)
        .await
        .expect("query");
    assert!(!told.is_empty());
    assert_eq!(status(app, &teacher, id, "taken").await, 303);
    let t = get_ticket(app, id).await;
    assert_eq!(t.status, "taken");
    assert!(t.resolved_at.is_none());
    let periods = asset_unavailability::Entity::find()
        .filter(asset_unavailability::Column::TicketId.eq(id))
        .all(&app.db.conn)
        .await
        .expect("query");
    assert_eq!(periods.len(), 2);
    // Resolved again, the requester closes it.
    assert_eq!(status(app, &referent, id, "resolved").await, 303);
    assert_eq!(status(app, &teacher, id, "closed").await, 303);
    let t = get_ticket(app, id).await;
    assert_eq!(t.status, "closed");
    assert!(t.closed_at.is_some());
    let kinds: Vec<String> = ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(id))
        .all(&app.db.conn)
        .await
        .expect("query")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "created", "status", "status", "reopened", "status", "status"
        ]
    );
    // Priority change by the referent recomputes the priority.
    let page_path = format!("/assistance/tickets/{id}");
    let r = app
        .post_form(
            &referent,
            &page_path,
            &format!("/assistance/tickets/{id}/priorite"),
            &[("urgency", "high"), ("impact", "high")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let t = get_ticket(app, id).await;
    assert_eq!(t.priority, "p1");
    assert!(!t.unusable);
}

async fn escalated_tickets_reach_their_provider_only(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let id = create_ticket(app, &teacher, a, &[("title", "Wi-Fi en panne au CDI")]).await;
    let other = create_ticket(app, &teacher, a, &[("title", "Souris cassée")]).await;
    let (_, other_tech) = other_provider(app, a).await;
    let tech = app.signed_in(TECH).await;
    // Before escalation the provider sees nothing.
    let (status_code, _) = page(app, &tech, &format!("/assistance/tickets/{id}")).await;
    assert_eq!(status_code, 404);
    let referent = app.signed_in(REFERENT_A).await;
    let org = org_named(app, ASSISTANCE_ORG).await;
    let page_path = format!("/assistance/tickets/{id}");
    // An organisation that does not serve the school is refused.
    let r = app
        .post_form(
            &referent,
            &page_path,
            &format!("/assistance/tickets/{id}/escalade"),
            &[("organisation", &Uuid::now_v7().to_string())],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &referent,
            &page_path,
            &format!("/assistance/tickets/{id}/escalade"),
            &[
                ("organisation", &org.to_string()),
                ("external_ref", "INC-4521"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let t = get_ticket(app, id).await;
    assert_eq!(t.status, "escalated");
    assert_eq!(t.assigned_org_id, Some(org));
    assert_eq!(t.external_ref.as_deref(), Some("INC-4521"));
    assert!(t.escalated_at.is_some());
    let notified = notification::Entity::find()
        .filter(notification::Column::TicketId.eq(id))
        .filter(notification::Column::AccountId.eq(app.account_id(TECH).await))
        .one(&app.db.conn)
        .await
        .expect("query");
    assert_eq!(
        notified.map(|n| n.kind).as_deref(),
        Some("ticket-escalated")
    );
    // The technician sees it, and only it.
    let (_, list) = page(app, &tech, "/assistance").await;
    assert!(list.contains("Wi-Fi en panne au CDI"));
    assert!(!list.contains("Souris cassée"));
    let (status_code, body) = page(app, &tech, &page_path).await;
    assert_eq!(status_code, 200);
    assert!(body.contains("INC-4521"));
    let (status_code, _) = page(app, &tech, &format!("/assistance/tickets/{other}")).await;
    assert_eq!(status_code, 404);
    // Another provider of the same school: 404 everywhere.
    let stranger = app.signed_in(&other_tech).await;
    let (status_code, _) = page(app, &stranger, &page_path).await;
    assert_eq!(status_code, 404);
    let (_, list) = page(app, &stranger, "/assistance").await;
    assert!(!list.contains("Wi-Fi en panne au CDI"));
    assert_eq!(status(app, &stranger, id, "resolved").await, 404);
    // The technician may not handle (assign, escalate) but works on it.
    let r = app
        .post_form(
            &tech,
            &page_path,
            &format!("/assistance/tickets/{id}/affectation"),
            &[("assignee", "")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .post_form(
            &tech,
            &page_path,
            &format!("/assistance/tickets/{id}/reference"),
            &[("external_ref", "INC-4522")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(status(app, &tech, id, "resolved").await, 303);
    let t = get_ticket(app, id).await;
    assert_eq!(t.status, "resolved");
    assert_eq!(t.external_ref.as_deref(), Some("INC-4522"));
}

async fn post_comment(
    app: &TestApp,
    c: &reqwest::Client,
    id: Uuid,
    body: &str,
    internal: bool,
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let token = app.csrf(c, &format!("/assistance/tickets/{id}")).await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("body", body.to_string());
    if internal {
        form = form.text("internal", "1");
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    c.post(app.url(&format!("/assistance/tickets/{id}/commentaires")))
        .multipart(form)
        .send()
        .await
        .expect("post")
}

fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    v.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R']);
    v.extend(std::iter::repeat_n(7u8, 200));
    v
}

async fn comments_and_attachments_respect_visibility(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let id = create_ticket(
        app,
        &teacher,
        a,
        &[("title", "Tablette qui ne charge plus")],
    )
    .await;
    let referent = app.signed_in(REFERENT_A).await;
    let r = post_comment(app, &referent, id, "Je passe demain matin.", false, None).await;
    assert_eq!(r.status(), 303);
    let r = post_comment(
        app,
        &referent,
        id,
        "Chargeur sans doute volé.",
        true,
        Some(("note.txt", b"Inventaire du chargeur".to_vec())),
    )
    .await;
    assert_eq!(r.status(), 303);
    // The requester: the public comment, not the internal one nor its file.
    let (_, body) = page(app, &teacher, &format!("/assistance/tickets/{id}")).await;
    assert!(body.contains("Je passe demain matin."));
    assert!(!body.contains("Chargeur sans doute volé."));
    assert!(!body.contains("note.txt"));
    let (_, body) = page(app, &referent, &format!("/assistance/tickets/{id}")).await;
    assert!(body.contains("Chargeur sans doute volé."));
    // The requester may not write internal comments.
    let r = post_comment(app, &teacher, id, "Interne ?", true, None).await;
    assert_eq!(r.status(), 403);
    // A picture from the requester: stored, downloadable as an attachment.
    let r = post_comment(app, &teacher, id, "", false, Some(("photo.png", png()))).await;
    assert_eq!(r.status(), 303);
    let atts = refnum_db::assistance::attachments_of(&app.db.conn, id)
        .await
        .expect("query");
    assert_eq!(atts.len(), 2);
    let photo = atts
        .iter()
        .find(|x| x.original_name == "photo.png")
        .expect("photo");
    assert_eq!(photo.content_type, "image/png");
    assert_ne!(photo.stored_name, "photo.png");
    let internal_file = atts
        .iter()
        .find(|x| x.original_name == "note.txt")
        .expect("note");
    assert_eq!(internal_file.content_type, "text/plain");
    let r = teacher
        .get(app.url(&format!("/assistance/pieces-jointes/{}", photo.id)))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment;")
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), png());
    // The internal comment's file: not for the requester.
    let r = teacher
        .get(app.url(&format!("/assistance/pieces-jointes/{}", internal_file.id)))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
    let r = referent
        .get(app.url(&format!("/assistance/pieces-jointes/{}", internal_file.id)))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    // Another school, another provider: 404.
    let (_, other_tech) = other_provider(app, a).await;
    for who in [TEACHER_B, REFERENT_B, TECH, other_tech.as_str()] {
        let c = app.signed_in(who).await;
        let r = c
            .get(app.url(&format!("/assistance/pieces-jointes/{}", photo.id)))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 404, "{who}");
    }
    // Wrong types, whatever their name: refused, nothing stored.
    for (name, bytes) in [
        (
            "photo.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        (
            "photo.png",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00".to_vec(),
        ),
    ] {
        let r = post_comment(app, &teacher, id, "Voici", false, Some((name, bytes))).await;
        assert_eq!(r.status(), 422);
    }
    // Too big: refused.
    let big = vec![b'a'; 10 * 1024 * 1024 + 10];
    let r = post_comment(app, &teacher, id, "Gros", false, Some(("gros.txt", big))).await;
    assert_eq!(r.status(), 413);
    let atts = refnum_db::assistance::attachments_of(&app.db.conn, id)
        .await
        .expect("query");
    assert_eq!(atts.len(), 2, "nothing more stored");
    let comments = refnum_db::assistance::comments_of(&app.db.conn, id, true)
        .await
        .expect("query");
    assert_eq!(comments.len(), 3);
}

async fn another_school_gets_404_on_every_route(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let id = create_ticket(app, &teacher, a, &[("title", "Clavier HS")]).await;
    let r = post_comment(app, &teacher, id, "", false, Some(("p.png", png()))).await;
    assert_eq!(r.status(), 303);
    let att = refnum_db::assistance::attachments_of(&app.db.conn, id)
        .await
        .expect("query")[0]
        .id;
    for who in [TEACHER_B, REFERENT_B, TECH] {
        let c = app.signed_in(who).await;
        for path in [
            format!("/assistance/tickets/{id}"),
            format!("/assistance/pieces-jointes/{att}"),
            format!("/etablissements/{a}/assistance/nouveau"),
        ] {
            let (s, _) = page(app, &c, &path).await;
            // The provider serves the school: inside its scope, but it
            // reports no fault there (403); everything else is 404.
            let expected = if who == TECH && path.ends_with("/nouveau") {
                403
            } else {
                404
            };
            assert_eq!(s, expected, "{who} GET {path}");
        }
        for (action, fields) in [
            ("statut", vec![("status", "taken")]),
            ("affectation", vec![("assignee", "")]),
            ("escalade", vec![("organisation", "")]),
            ("reference", vec![("external_ref", "X")]),
            ("priorite", vec![("urgency", "high"), ("impact", "high")]),
        ] {
            let r = app
                .post_form(
                    &c,
                    "/assistance",
                    &format!("/assistance/tickets/{id}/{action}"),
                    &fields,
                )
                .await;
            assert_eq!(r.status(), 404, "{who} POST {action}");
        }
        let token = app.csrf(&c, "/assistance").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .text("body", "intrusion");
        let r = c
            .post(app.url(&format!("/assistance/tickets/{id}/commentaires")))
            .multipart(form)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 404, "{who} POST commentaires");
        let path = format!("/etablissements/{a}/assistance/nouveau");
        let r = app
            .post_form(
                &c,
                "/assistance",
                &path,
                &[
                    ("kind", "incident"),
                    ("title", "Intrus"),
                    ("urgency", "low"),
                    ("impact", "low"),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            if who == TECH { 403 } else { 404 },
            "{who} POST nouveau"
        );
        let (_, list) = page(app, &c, "/assistance").await;
        assert!(!list.contains("Clavier HS"), "{who} list");
    }
    let t = get_ticket(app, id).await;
    assert_eq!(t.status, "new");
    assert!(t.external_ref.is_none());
    assert_eq!(
        refnum_db::assistance::comments_of(&app.db.conn, id, true)
            .await
            .expect("query")
            .len(),
        1
    );
}

async fn parallel_creations_get_distinct_numbers(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let path = format!("/etablissements/{a}/assistance/nouveau");
    let token = app.csrf(&teacher, &path).await;
    let mut tasks = vec![];
    for i in 0..20 {
        let c = teacher.clone();
        let url = app.url(&path);
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            c.post(url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("kind", "incident"),
                    ("title", &format!("Panne {i}")),
                    ("urgency", "low"),
                    ("impact", "low"),
                ])
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task"), 303);
    }
    let mut numbers: Vec<i64> = ticket::Entity::find()
        .filter(ticket::Column::EtablissementId.eq(a))
        .all(&app.db.conn)
        .await
        .expect("query")
        .into_iter()
        .map(|t| t.number)
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=20).collect::<Vec<i64>>());
}

async fn the_api_does_the_same_with_the_same_scoping(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let api = app.client();
    let teacher = app.token_for(TEACHER_A).await;
    let referent = app.token_for(REFERENT_A).await;
    let tech = app.token_for(TECH).await;
    let outsider = app.token_for(TEACHER_B).await;
    // Create.
    let r = api
        .post(app.url(&format!("/api/v1/etablissements/{a}/tickets")))
        .bearer_auth(&teacher)
        .json(&serde_json::json!({ "title": "Imprimante de la salle des profs", "category": "printer" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 201);
    let t: serde_json::Value = r.json().await.expect("json");
    let id = t["id"].as_str().expect("id").to_string();
    assert_eq!(t["number"], 1);
    assert_eq!(t["source"], "api");
    assert_eq!(t["status"], "new");
    // Bad input: a named field error, nothing created; malformed JSON: 400.
    let r = api
        .post(app.url(&format!("/api/v1/etablissements/{a}/tickets")))
        .bearer_auth(&teacher)
        .json(&serde_json::json!({ "title": "", "urgency": "énorme" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 422);
    let e: serde_json::Value = r.json().await.expect("json");
    assert!(e["error"]["field"].is_string());
    let r = api
        .post(app.url(&format!("/api/v1/etablissements/{a}/tickets")))
        .bearer_auth(&teacher)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 422, "a malformed body, as on every API route");
    // Another school's teacher: 404 on create, read, patch, comments.
    let r = api
        .post(app.url(&format!("/api/v1/etablissements/{a}/tickets")))
        .bearer_auth(&outsider)
        .json(&serde_json::json!({ "title": "Intrus" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 404);
    for path in [
        format!("/api/v1/tickets/{id}"),
        format!("/api/v1/tickets/{id}/comments"),
    ] {
        let r = api
            .get(app.url(&path))
            .bearer_auth(&outsider)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 404, "{path}");
    }
    let r = api
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&outsider)
        .json(&serde_json::json!({ "status": "taken" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 404);
    let r = api
        .post(app.url(&format!("/api/v1/tickets/{id}/comments")))
        .bearer_auth(&outsider)
        .json(&serde_json::json!({ "body": "intrus" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 404);
    let list: serde_json::Value = api
        .get(app.url("/api/v1/tickets"))
        .bearer_auth(&outsider)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    // Illegal transition: 409; escalation by the referent.
    let r = api
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&referent)
        .json(&serde_json::json!({ "status": "closed" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 409);
    let org = org_named(app, ASSISTANCE_ORG).await;
    let r = api
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&referent)
        .json(&serde_json::json!({ "organisation_id": org, "external_ref": "GLPI-77" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 200);
    let t: serde_json::Value = r.json().await.expect("json");
    assert_eq!(t["status"], "escalated");
    assert_eq!(t["external_ref"], "GLPI-77");
    // Internal and public comments; the requester reads only the public one.
    for (body, internal) in [("Pièce commandée", true), ("Intervention jeudi", false)] {
        let r = api
            .post(app.url(&format!("/api/v1/tickets/{id}/comments")))
            .bearer_auth(&tech)
            .json(&serde_json::json!({ "body": body, "internal": internal }))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 201);
    }
    let seen: serde_json::Value = api
        .get(app.url(&format!("/api/v1/tickets/{id}/comments")))
        .bearer_auth(&teacher)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let bodies: Vec<&str> = seen
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["body"].as_str())
        .collect();
    assert_eq!(bodies, ["Intervention jeudi"]);
    let r = api
        .post(app.url(&format!("/api/v1/tickets/{id}/comments")))
        .bearer_auth(&teacher)
        .json(&serde_json::json!({ "body": "interne ?", "internal": true }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    // The technician lists it and resolves it.
    let list: serde_json::Value = api
        .get(app.url("/api/v1/tickets?sort=number&order=asc"))
        .bearer_auth(&tech)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let r = api
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&tech)
        .json(&serde_json::json!({ "status": "resolved" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 200);
    let t: serde_json::Value = r.json().await.expect("json");
    assert_eq!(t["status"], "resolved");
    // Handling is not the technician's.
    let r = api
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(&tech)
        .json(&serde_json::json!({ "assignee_id": "" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 403);
}

async fn the_collectivite_sees_what_is_escalated_to_its_own_service(app: &TestApp) {
    use refnum_db::entities::support::support_organisation;
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let region = refnum_db::orgs::get_etablissement(&app.db.conn, a)
        .await
        .expect("query")
        .expect("school")
        .collectivite_id
        .expect("owned");
    let org = support_organisation::Model {
        id: Uuid::now_v7(),
        name: "Région Normandie — maintenance des lycées".into(),
        created_at: Utc::now(),
        kind: "collectivite".into(),
        contact_name: None,
        contact_email: None,
        contact_phone: None,
        website: None,
        collectivite_id: Some(region),
        notes: None,
        calendar: None,
    };
    support_organisation::Entity::insert(sea_orm::IntoActiveModel::into_active_model(org.clone()))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("org");
    refnum_db::entities::organisation_etablissement::Entity::insert(
        refnum_db::entities::organisation_etablissement::ActiveModel {
            organisation_id: sea_orm::ActiveValue::Set(org.id),
            etablissement_id: sea_orm::ActiveValue::Set(a),
        },
    )
    .exec_without_returning(&app.db.conn)
    .await
    .expect("serves");
    let teacher = app.signed_in(TEACHER_A).await;
    let id = create_ticket(
        app,
        &teacher,
        a,
        &[("title", "Vidéoprojecteur à remplacer")],
    )
    .await;
    let kept = create_ticket(app, &teacher, a, &[("title", "Compte ENT bloqué")]).await;
    let referent = app.signed_in(REFERENT_A).await;
    let r = app
        .post_form(
            &referent,
            &format!("/assistance/tickets/{id}"),
            &format!("/assistance/tickets/{id}/escalade"),
            &[("organisation", &org.id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let c = app.signed_in(REGION).await;
    let (_, list) = page(app, &c, "/assistance").await;
    assert!(list.contains("Vidéoprojecteur à remplacer"));
    assert!(!list.contains("Compte ENT bloqué"));
    let (s, _) = page(app, &c, &format!("/assistance/tickets/{id}")).await;
    assert_eq!(s, 200);
    let (s, _) = page(app, &c, &format!("/assistance/tickets/{kept}")).await;
    assert_eq!(s, 404);
    assert_eq!(status(app, &c, id, "resolved").await, 303);
    assert_eq!(get_ticket(app, id).await.status, "resolved");
}

both_backends!(
    staff_open_tickets_with_numbers_and_managers_hear_of_them,
    the_qr_form_takes_anonymous_reports_with_a_limit,
    transitions_follow_the_life_cycle,
    escalated_tickets_reach_their_provider_only,
    comments_and_attachments_respect_visibility,
    another_school_gets_404_on_every_route,
    parallel_creations_get_distinct_numbers,
    the_api_does_the_same_with_the_same_scoping,
    the_collectivite_sees_what_is_escalated_to_its_own_service,
);
