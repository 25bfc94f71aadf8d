"""Assisted submission: a community digital team member or a reception officer submits for
a citizen with recorded consent; the dossier is the citizen's, the helper sees it too."""

from datetime import date, timedelta

import pytest

from motcua.core.errors import Forbidden, RateLimited, ValidationFailed
from motcua.dossiers import assisted, queries, services
from motcua.dossiers.models import ConsentCode, DigitalTeamMember, Status
from motcua.integrations.models import LocalResident
from motcua.integrations.plugins.sms.contrib.log.plugin import LoggingSmsSender

from . import factories
from .test_api import API, client_for, create, dossier_body

AT = factories.local(2026, 11, 23, 9)
ELDER_ID = "010058000912"  # no account: known to the registry only


def helped_world():
    """The dossier world, with a community digital team member, a citizen with a phone and
    the population registry's entries for that citizen and for one without an account."""
    world = factories.world()
    world.member = factories.user("Lý Văn Hải", phone="0912000001")
    DigitalTeamMember.objects.create(
        user=world.member, agency=world.home, team_name="Tổ công nghệ số cộng đồng thôn Na Hối"
    )
    world.citizen.phone = "0912345678"
    world.citizen.save(update_fields=["phone"])
    LocalResident.objects.create(
        id_number=world.citizen.id_number,
        full_name="Nguyễn Văn An (dân cư)",
        date_of_birth=date(1950, 1, 1),
        sex="Nam",
        current_address="Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai",
    )
    LocalResident.objects.create(
        id_number=ELDER_ID,
        full_name="Giàng A Sử",
        date_of_birth=date(1958, 3, 10),
        sex="Nam",
        permanent_address="Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai",
    )
    return world


def capture_sms(monkeypatch) -> list[tuple[str, str]]:
    """The (phone, text) of each SMS sent, instead of sending it."""
    sent = []

    def send(self, phone, text, *, reference=""):
        sent.append((phone, text))

    monkeypatch.setattr(LoggingSmsSender, "send", send)
    return sent


@pytest.fixture
def w(db):
    return helped_world()


@pytest.fixture
def sms(monkeypatch):
    return capture_sms(monkeypatch)


def assist(w, helper_user, on_behalf_of, consent, **extra):
    return services.submit_online(
        applicant_user=helper_user,
        procedure=w.procedure.code,
        agency=w.home.code,
        form={"child_name": "Nguyễn Văn Con"},
        components=factories.components_for(w, helper_user),
        helper=consent,
        on_behalf_of=on_behalf_of,
        now=AT,
        **extra,
    )


IN_PERSON = {"consent_method": "in_person", "consent_note": "Con trai chứng kiến."}


# ------------------------------------------------------------------------------ who assists


def test_who_may_assist(w):
    assert assisted.can_assist(w.member)
    assert assisted.can_assist(w.reception)  # an officer on a home visit
    assert not assisted.can_assist(w.specialist)
    assert not assisted.can_assist(w.citizen)
    assert not assisted.can_assist(None)
    DigitalTeamMember.objects.filter(user=w.member).update(active=False)
    assert not assisted.can_assist(w.member)


def test_someone_who_may_not_assist_is_refused(w):
    with pytest.raises(Forbidden):
        assist(w, w.other_citizen, w.citizen.id_number, IN_PERSON)
    with pytest.raises(Forbidden):
        assist(w, w.specialist, w.citizen.id_number, IN_PERSON)


def test_consent_is_required(w):
    with pytest.raises(ValidationFailed) as raised:
        assist(w, w.member, w.citizen.id_number, {})
    assert "helper.consent_method" in raised.value.fields
    with pytest.raises(ValidationFailed) as raised:
        assist(w, w.member, w.citizen.id_number, {"consent_method": "paper"})
    assert "helper.consent_file_id" in raised.value.fields


def test_the_citizen_must_be_named_by_a_valid_id_number_not_the_helpers(w):
    with pytest.raises(ValidationFailed):
        assist(w, w.member, "123", IN_PERSON)
    with pytest.raises(ValidationFailed):
        assist(w, w.member, w.member.id_number, IN_PERSON)


# -------------------------------------------------------------------- the dossier's owner


def test_the_dossier_belongs_to_the_citizen_and_records_the_help(w):
    d = assist(w, w.member, w.citizen.id_number, IN_PERSON)
    d.refresh_from_db()
    assert d.status == Status.SUBMITTED and d.code
    assert d.applicant_user == w.citizen
    assert d.helper_user == w.member
    # The applicant as the population registry knows them.
    assert d.applicant["full_name"] == "Nguyễn Văn An (dân cư)"
    assert d.applicant["id_number"] == w.citizen.id_number
    assert d.applicant["address"] == "Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai"
    assert d.applicant["phone"] == "0912345678"  # from the citizen's account
    helper = d.helper
    assert (helper["user_id"], helper["full_name"], helper["role"]) == (
        w.member.pk,
        "Lý Văn Hải",
        "community_digital_team",
    )
    assert helper["organisation"].startswith("Tổ công nghệ số cộng đồng thôn Na Hối")
    assert (helper["consent"], helper["consent_method"]) == (True, "in_person")
    assert helper["consent_note"] == "Con trai chứng kiến." and helper["consent_at"]
    event = d.events.get()
    assert (event.actor, event.actor_role) == (w.member, "helper")


def test_a_citizen_without_an_account_is_named_by_the_registry(w):
    d = assist(w, w.reception, ELDER_ID, IN_PERSON)
    assert d.applicant_user is None
    assert d.applicant["full_name"] == "Giàng A Sử"
    assert d.helper["role"] == "officer" and d.helper["organisation"] == w.home.name


def test_without_registry_or_account_the_helper_types_the_name(w):
    with pytest.raises(ValidationFailed) as raised:
        assist(w, w.member, "010190099999", IN_PERSON)
    assert "applicant.full_name" in raised.value.fields
    d = assist(w, w.member, "010190099999", IN_PERSON, applicant={"full_name": "Thào Thị Dợ"})
    assert d.applicant["full_name"] == "Thào Thị Dợ"


def test_who_sees_an_assisted_dossier(w):
    d = assist(w, w.member, w.citizen.id_number, IN_PERSON)
    other_member = factories.user("Thành Viên Khác")
    DigitalTeamMember.objects.create(user=other_member, agency=w.home)
    assert queries.can_see(w.citizen, d) and queries.can_see(w.member, d)
    assert not queries.can_see(w.other_citizen, d)
    assert not queries.can_see(other_member, d)
    for user, expected in [(w.citizen, 1), (w.member, 1), (w.other_citizen, 0), (other_member, 0)]:
        rows, total = queries.inbox_page(user)
        assert (total, [r.pk for r in rows]) == (expected, [d.pk] * expected), user
        assert queries.visible_dossiers(user).count() == expected


def test_an_officer_helper_counts_their_agencys_dossier_once(w):
    d = assist(w, w.reception, w.citizen.id_number, IN_PERSON)
    rows, total = queries.inbox_page(w.reception)
    assert total == 1 and [r.pk for r in rows] == [d.pk]


def test_the_helper_may_submit_the_draft_and_supplement_but_not_withdraw(w):
    draft = assist(w, w.member, w.citizen.id_number, IN_PERSON, draft=True)
    assert draft.status == Status.DRAFT and draft.applicant_user == w.citizen
    assert services.allowed_actions(draft, w.member, AT) == ["submit"]
    d = services.perform(draft.pk, "submit", w.member, now=AT)
    assert d.status == Status.SUBMITTED
    assert services.allowed_actions(d, w.member, AT) == []
    assert "withdraw" in services.allowed_actions(d, w.citizen, AT)
    services.perform(d.pk, "receive", w.reception, now=AT + timedelta(hours=1))
    services.perform(
        d.pk,
        "request_supplement",
        w.reception,
        missing=["Bản sao sổ hộ khẩu"],
        now=AT + timedelta(hours=2),
    )
    d.refresh_from_db()
    assert services.allowed_actions(d, w.member, AT + timedelta(hours=3)) == ["supplement"]
    upload = factories.upload(w.member)
    services.perform(
        d.pk,
        "supplement",
        w.member,
        components=[{"file_id": str(upload.pk), "name": "Sổ hộ khẩu"}],
        now=AT + timedelta(hours=3),
    )


# ------------------------------------------------------------------------------- consent


def test_paper_consent_keeps_the_scanned_form_with_the_dossier(w):
    scan = factories.upload(w.member, name="phieu-dong-y.pdf")
    d = assist(
        w,
        w.member,
        w.citizen.id_number,
        {"consent_method": "paper", "consent_file_id": str(scan.pk)},
    )
    component = d.components.get(file=scan)
    assert component.spec is None and component.digitised
    assert component.name == assisted.CONSENT_COMPONENT


def test_paper_consent_needs_the_helpers_own_unused_upload(w):
    someone_elses = factories.upload(w.citizen)
    with pytest.raises(ValidationFailed):
        assist(
            w,
            w.member,
            w.citizen.id_number,
            {"consent_method": "paper", "consent_file_id": str(someone_elses.pk)},
        )


def test_one_time_code_goes_to_the_citizens_own_phone(w, sms):
    row = assisted.request_consent_code(w.member, w.citizen.id_number, phone="0999999999", now=AT)
    assert row.phone == "0912345678"  # the account's phone, not one the helper chose
    phone, text = sms[0]
    assert phone == "0912345678" and "Lý Văn Hải" in text
    assert assisted.masked_phone(row) == "*******678"
    # Without an account the helper gives the citizen's phone.
    row = assisted.request_consent_code(w.member, ELDER_ID, phone="0987 654 321", now=AT)
    assert row.phone == "0987654321"
    with pytest.raises(ValidationFailed):
        assisted.request_consent_code(w.member, ELDER_ID, now=AT)
    with pytest.raises(Forbidden):
        assisted.request_consent_code(w.other_citizen, w.citizen.id_number, now=AT)


def _code(sms) -> str:
    return sms[-1][1].split()[3].rstrip(":")


def test_one_time_code_consent(w, sms):
    row = assisted.request_consent_code(w.member, w.citizen.id_number, now=AT)
    code = _code(sms)
    wrong = "000000" if code != "000000" else "111111"
    consent = {"consent_method": "otp", "consent_code_id": str(row.pk), "consent_code": wrong}
    with pytest.raises(ValidationFailed) as raised:
        assist(w, w.member, w.citizen.id_number, consent)
    assert "helper.consent_code" in raised.value.fields
    row.refresh_from_db()
    assert row.attempts == 1  # counted although the submission failed
    d = assist(w, w.member, w.citizen.id_number, {**consent, "consent_code": code})
    assert d.helper["consent_method"] == "otp"
    row.refresh_from_db()
    assert row.used_at is not None
    with pytest.raises(ValidationFailed):  # used once
        assist(w, w.member, w.citizen.id_number, {**consent, "consent_code": code})


def test_one_time_code_expires_stops_guessing_and_binds_helper_and_citizen(w, sms):
    row = assisted.request_consent_code(w.member, w.citizen.id_number, now=AT)
    code = _code(sms)
    consent = {"consent_method": "otp", "consent_code_id": str(row.pk), "consent_code": code}
    other = factories.officer(w.home, "reception")
    with pytest.raises(ValidationFailed):  # another helper
        assist(w, other, w.citizen.id_number, consent)
    with pytest.raises(ValidationFailed):  # another citizen
        assist(w, w.member, ELDER_ID, consent)
    ConsentCode.objects.filter(pk=row.pk).update(attempts=assisted.CODE_TRIES)
    with pytest.raises(ValidationFailed):
        assist(w, w.member, w.citizen.id_number, consent)
    ConsentCode.objects.filter(pk=row.pk).update(attempts=0, expires_at=AT - timedelta(seconds=1))
    with pytest.raises(ValidationFailed):
        assist(w, w.member, w.citizen.id_number, consent)


def test_a_citizens_phone_gets_three_codes_in_ten_minutes_whoever_asks(w, sms):
    other = factories.officer(w.home, "reception")
    for helper in (w.member, w.member, other):
        assisted.request_consent_code(helper, w.citizen.id_number, now=AT)
    with pytest.raises(RateLimited):
        assisted.request_consent_code(other, w.citizen.id_number, now=AT + timedelta(minutes=9))
    assert len(sms) == 3
    # Another citizen is not held up; and after the window the citizen gets codes again.
    assisted.request_consent_code(w.member, ELDER_ID, phone="0987654321", now=AT)
    assisted.request_consent_code(w.member, w.citizen.id_number, now=AT + timedelta(minutes=11))
    assert len(sms) == 5


def test_a_helper_sends_a_bounded_number_of_codes(w, sms, monkeypatch):
    monkeypatch.setattr(assisted, "CODE_SENDS_PER_HELPER", 2)
    assisted.request_consent_code(w.member, w.citizen.id_number, now=AT)
    assisted.request_consent_code(w.member, ELDER_ID, phone="0987654321", now=AT)
    with pytest.raises(RateLimited):
        assisted.request_consent_code(w.member, ELDER_ID, phone="0987654321", now=AT)
    assert len(sms) == 2


def test_the_api_limits_codes_too(w, sms):
    client = client_for(w.member)
    statuses = [
        client.post(
            f"{API}/assisted/consent-codes",
            {"on_behalf_of": w.citizen.id_number},
            content_type="application/json",
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    assert len(sms) == 3


def test_a_former_helper_sees_the_dossier_but_acts_on_it_no_more(w):
    draft = assist(w, w.member, w.citizen.id_number, IN_PERSON, draft=True)
    DigitalTeamMember.objects.filter(user=w.member).update(active=False)
    assert queries.can_see(w.member, draft)
    assert services.allowed_actions(draft, w.member, AT) == []
    assert services.role_for(draft, "submit", w.member) is None
    assert services.allowed_actions(draft, w.citizen, AT) == ["submit"]


def test_a_code_is_never_stored_in_clear(w, sms):
    row = assisted.request_consent_code(w.member, w.citizen.id_number, now=AT)
    assert _code(sms) not in row.code_hash


# ------------------------------------------------------------------------------------ API


def test_api_assisted_submission_and_visibility(w):
    helper_client = client_for(w.member)
    body = dossier_body(w, helper_client)
    body["helper"] = {"on_behalf_of": w.citizen.id_number, **IN_PERSON}
    response = create(helper_client, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["helper"]["consent_method"] == "in_person"
    assert answer["applicant"]["id_number"] == w.citizen.id_number  # unmasked to the helper
    code = answer["code"]
    assert client_for(w.citizen).get(f"{API}/dossiers/{code}").status_code == 200
    assert client_for(w.member).get(f"{API}/dossiers/{code}").status_code == 200
    assert client_for(w.other_citizen).get(f"{API}/dossiers/{code}").status_code == 404
    listed = client_for(w.citizen).get(f"{API}/dossiers").json()
    assert [item["code"] for item in listed["items"]] == [code]


def test_api_refuses_assistance_from_a_citizen(w):
    client = client_for(w.other_citizen)
    body = dossier_body(w, client)
    body["helper"] = {"on_behalf_of": w.citizen.id_number, **IN_PERSON}
    response = create(client, body)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_api_without_consent_is_422(w):
    client = client_for(w.member)
    body = dossier_body(w, client)
    body["helper"] = {"on_behalf_of": w.citizen.id_number}
    response = create(client, body)
    assert response.status_code == 422
    assert "helper.consent_method" in response.json()["error"]["fields"]


def test_api_old_helper_note_still_works(w):
    client = client_for(w.citizen)
    body = dossier_body(w, client)
    body["helper"] = {"full_name": "Nguyễn Văn Con", "role": "Con trai", "consent": True}
    response = create(client, body)
    assert response.status_code == 201, response.content
    assert response.json()["helper"]["full_name"] == "Nguyễn Văn Con"


def test_api_consent_code(w, sms):
    response = client_for(w.member).post(
        f"{API}/assisted/consent-codes",
        {"on_behalf_of": w.citizen.id_number},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "*******678" and body["id"] and body["expires_at"]
    refused = client_for(w.other_citizen).post(
        f"{API}/assisted/consent-codes",
        {"on_behalf_of": w.citizen.id_number},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_api_counter_with_on_behalf_of_is_422(w):
    client = client_for(w.reception)
    body = dossier_body(w, client)
    body.update(
        channel="counter",
        applicant={"kind": "citizen", "full_name": "Bùi Văn Quầy", "id_number": "026090000111"},
        helper={"on_behalf_of": w.citizen.id_number, **IN_PERSON},
    )
    response = create(client, body)
    assert response.status_code == 422


def test_a_code_the_gateway_did_not_take_is_a_clear_error(w, monkeypatch):
    from motcua.integrations.plugins.sms.base import SmsError

    def refuse(self, phone, text, *, reference=""):
        raise SmsError("down")

    monkeypatch.setattr(LoggingSmsSender, "send", refuse)
    with pytest.raises(assisted.SmsUnavailable) as raised:
        assisted.request_consent_code(w.member, w.citizen.id_number, now=AT)
    assert raised.value.code == "delivery_failed"
    assert not ConsentCode.objects.exists()
