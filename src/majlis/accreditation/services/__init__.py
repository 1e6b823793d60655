"""Every change to an accreditation: one transactional, audited function each, mailing the participant.

Workflow: draft → submitted → under_review → approved / waitlisted / rejected; cancelled by the
participant; withdrawn by an organiser. ``TRANSITIONS`` lists which states each action starts
from. In-person seats (event capacity, category quota) and session seats are taken in
``capacity.py`` under row locks; a freed seat promotes the waitlist in the same transaction.

The package splits them by concern (one module each: setup, invitation codes, applications,
transitions, seats, delegations, personal data; shared helpers in ``_common``); everything is
re-exported here, so callers write ``services.approve_application``.

Permission checks (who may call what on which object) belong to the views; these functions check
that the change itself is allowed. Passport numbers never leave this module in clear except
through ``passport_number``, which writes an audit entry.
"""

from __future__ import annotations

from ._common import (
    CLOSED_STATUSES as CLOSED_STATUSES,
)
from ._common import (
    EDITABLE_FIELDS as EDITABLE_FIELDS,
)
from ._common import (
    KEY_FIELDS as KEY_FIELDS,
)
from ._common import (
    LIVE_STATUSES as LIVE_STATUSES,
)
from ._common import (
    PASSPORT_PATTERN as PASSPORT_PATTERN,
)
from ._common import (
    DuplicateApplication as DuplicateApplication,
)
from ._common import (
    Status as Status,
    TRANSITIONS as TRANSITIONS,
)
from ._common import (
    _check_transition as _check_transition,
)
from ._common import (
    _lock_application as _lock_application,
)
from ._common import (
    _mail as _mail,
)
from ._common import (
    _normalise_email as _normalise_email,
)
from ._common import (
    _record as _record,
)
from ._common import (
    _refresh_caller_copy as _refresh_caller_copy,
)
from ._common import (
    _refusal as _refusal,
)
from ._common import (
    user_for_email as user_for_email,
)
from .applications import (
    _apply_data as _apply_data,
)
from .applications import (
    _check_duplicates as _check_duplicates,
)
from .applications import (
    _delegation_category_problem as _delegation_category_problem,
)
from .applications import (
    _save_uploads as _save_uploads,
)
from .applications import (
    _set_requested_sessions as _set_requested_sessions,
)
from .applications import (
    _validate as _validate,
)
from .applications import (
    create_application as create_application,
)
from .applications import (
    delegation_categories as delegation_categories,
)
from .applications import (
    delegation_category_rules as delegation_category_rules,
)
from .applications import (
    update_application as update_application,
)
from .delegations import (
    EDITABLE_DELEGATION_STATUSES as EDITABLE_DELEGATION_STATUSES,
)
from .delegations import (
    _clean_category_rules as _clean_category_rules,
)
from .delegations import (
    _delegation_record as _delegation_record,
)
from .delegations import (
    _live_members as _live_members,
)
from .delegations import (
    _lock_delegation as _lock_delegation,
)
from .delegations import (
    _mail_focal_point as _mail_focal_point,
)
from .delegations import (
    _store_category_rules as _store_category_rules,
)
from .delegations import (
    add_delegation_document as add_delegation_document,
)
from .delegations import (
    approve_delegation as approve_delegation,
)
from .delegations import (
    claim_delegation as claim_delegation,
)
from .delegations import (
    invite_delegation as invite_delegation,
)
from .delegations import (
    nominate_member as nominate_member,
)
from .delegations import (
    nomination_closed as nomination_closed,
)
from .delegations import (
    reject_delegation as reject_delegation,
)
from .delegations import (
    required_delegation_document as required_delegation_document,
)
from .delegations import (
    resend_delegation_invitation as resend_delegation_invitation,
)
from .delegations import (
    set_delegation_categories as set_delegation_categories,
)
from .delegations import (
    set_head_of_delegation as set_head_of_delegation,
)
from .delegations import (
    submit_delegation as submit_delegation,
)
from .delegations import (
    submit_new_members as submit_new_members,
)
from .delegations import (
    usual_delegation_categories as usual_delegation_categories,
)
from .invitation_codes import (
    CODE_ALPHABET as CODE_ALPHABET,
)
from .invitation_codes import (
    CODE_GROUP_LENGTH as CODE_GROUP_LENGTH,
)
from .invitation_codes import (
    CODE_GROUPS as CODE_GROUPS,
)
from .invitation_codes import (
    create_invitation_code as create_invitation_code,
)
from .invitation_codes import (
    generate_invitation_code as generate_invitation_code,
)
from .invitation_codes import (
    invitation_code_digest as invitation_code_digest,
)
from .invitation_codes import (
    revoke_invitation_code as revoke_invitation_code,
)
from .passports import (
    normalise_passport_number as normalise_passport_number,
)
from .passports import (
    passport_digest as passport_digest,
)
from .passports import (
    passport_number as passport_number,
)
from .passports import (
    set_passport_number as set_passport_number,
)
from .personal_data import (
    find_duplicates as find_duplicates,
)
from .personal_data import (
    live_applications as live_applications,
)
from .personal_data import (
    request_deletion as request_deletion,
)
from .seats import (
    _allocate_sessions as _allocate_sessions,
)
from .seats import (
    _drop_ineligible_seat as _drop_ineligible_seat,
)
from .seats import (
    _drop_seat as _drop_seat,
)
from .seats import (
    _promote as _promote,
)
from .seats import (
    _promote_session as _promote_session,
)
from .seats import (
    _release_ineligible_seats as _release_ineligible_seats,
)
from .seats import (
    _release_sessions as _release_sessions,
)
from .seats import (
    invite_to_session as invite_to_session,
)
from .seats import (
    release_ineligible_session_seats as release_ineligible_session_seats,
)
from .seats import (
    release_session_seat as release_session_seat,
)
from .seats import (
    request_session_seats as request_session_seats,
)
from .seats import (
    withdraw_session_invitation as withdraw_session_invitation,
)
from .setup import (
    CATEGORY_COPY_FIELDS as CATEGORY_COPY_FIELDS,
)
from .setup import (
    SETTINGS_FIELDS as SETTINGS_FIELDS,
)
from .setup import (
    _audit_value as _audit_value,
)
from .setup import (
    check_registration_open as check_registration_open,
)
from .setup import (
    create_default_privacy_notice as create_default_privacy_notice,
)
from .setup import (
    current_privacy_notice as current_privacy_notice,
)
from .setup import (
    ensure_event_setup as ensure_event_setup,
)
from .setup import (
    registration_settings as registration_settings,
)
from .setup import (
    set_capacity as set_capacity,
)
from .setup import (
    set_category_quota as set_category_quota,
)
from .setup import (
    set_category_registration as set_category_registration,
)
from .setup import (
    setup_new_event as setup_new_event,
)
from .setup import (
    update_registration_settings as update_registration_settings,
)
from .transitions import (
    _check_credentials_approved as _check_credentials_approved,
)
from .transitions import (
    _check_ready_to_submit as _check_ready_to_submit,
)
from .transitions import (
    _close as _close,
)
from .transitions import (
    _required_reason as _required_reason,
)
from .transitions import (
    _take_seat_or_waitlist as _take_seat_or_waitlist,
)
from .transitions import (
    approve_application as approve_application,
)
from .transitions import (
    BULK_ACTIONS as BULK_ACTIONS,
    bulk_transition as bulk_transition,
)
from .transitions import (
    cancel_application as cancel_application,
)
from .transitions import (
    reject_application as reject_application,
)
from .transitions import (
    start_review as start_review,
)
from .transitions import (
    submit_application as submit_application,
)
from .transitions import (
    waitlist_application as waitlist_application,
)
from .transitions import (
    withdraw_application as withdraw_application,
)
