"""Accreditation's notifications move to the core outbox: every row is kept, with its id.

The ids are kept so that a sending task already waiting in the database queue (it names the
notification's id) still sends its message once. The context the outbox keeps as JSON is rebuilt from
what the old rows held in their key (the delegation, the session, the mass mailing) and their
foreign keys (the application, the event). The stuck-mail job is core's now: accreditation's row of
the scheduler goes.
"""

from django.core.management.color import no_style
from django.db import migrations, models

APPLICATION = "accreditation.application"
DELEGATION = "accreditation.delegation"
SESSION_TEMPLATES = {"session_seat_confirmed", "session_invitation", "session_invitation_withdrawn", "session_seat_released"}


def context_of(notification):
    """The ids the outbox's context holds, from an old row's key and foreign keys."""
    context = {}
    if notification.application_id is not None:
        context["application"] = notification.application_id
    kind, _sep, rest = notification.key.partition(":")
    first = rest.split(":", 1)[0]
    if kind == "delegation" and first.isdigit():
        context["delegation"] = int(first)
    if kind == "mass" and first.isdigit():
        context["mailing"] = int(first)
    if notification.template in SESSION_TEMPLATES and notification.key.count(":") >= 4:
        session = notification.key.rsplit(":", 2)[-2]
        if session.isdigit():
            context["session"] = int(session)
    return context


def related_of(notification, context):
    if notification.application_id is not None:
        return f"{APPLICATION}:{notification.application_id}"
    if "delegation" in context:
        return f"{DELEGATION}:{context['delegation']}"
    return ""


def reset_sequence(schema_editor, model):
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def to_outbox(apps, schema_editor):
    Notification = apps.get_model("accreditation", "Notification")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    ScheduledJob = apps.get_model("core", "ScheduledJob")
    batch = []
    for notification in Notification.objects.select_related("application").order_by("pk").iterator():
        context = context_of(notification)
        event_id = notification.event_id
        if event_id is None and notification.application is not None:
            event_id = notification.application.event_id
        batch.append(
            OutboxMessage(
                id=notification.pk,
                key=notification.key,
                event_id=event_id,
                related=related_of(notification, context),
                recipient=notification.recipient,
                language=notification.language,
                template=notification.template,
                context=context,
                subject=notification.subject,
                status=notification.status,
                attempts=notification.attempts,
                last_error=notification.last_error,
                created_at=notification.created_at,
                sent_at=notification.sent_at,
            )
        )
        if len(batch) >= 500:
            OutboxMessage.objects.bulk_create(batch)
            batch = []
    OutboxMessage.objects.bulk_create(batch)
    reset_sequence(schema_editor, OutboxMessage)
    ScheduledJob.objects.filter(name="accreditation.requeue_stuck_emails").delete()


def from_outbox(apps, schema_editor):
    Notification = apps.get_model("accreditation", "Notification")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    Application = apps.get_model("accreditation", "Application")
    Event = apps.get_model("events", "Event")
    events = set(Event.objects.values_list("pk", flat=True))
    for message in OutboxMessage.objects.order_by("pk").iterator():
        application_id = None
        label, _sep, pk = message.related.rpartition(":")
        if label == APPLICATION and pk.isdigit() and Application.objects.filter(pk=int(pk)).exists():
            application_id = int(pk)
        Notification.objects.create(
            id=message.pk,
            key=message.key,
            event_id=message.event_id if message.event_id in events else None,
            application_id=application_id,
            recipient=message.recipient,
            language=message.language,
            template=message.template,
            subject=message.subject or message.template,
            status=message.status,
            attempts=message.attempts,
            last_error=message.last_error,
            sent_at=message.sent_at,
        )
    reset_sequence(schema_editor, Notification)
    # They are accreditation's notifications again (the forward step copies them back with their ids).
    OutboxMessage.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0008_passport_digest_key_id"),
        ("core", "0004_outbox"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="loginlink",
            name="message_key",
            field=models.CharField(blank=True, db_index=True, max_length=200),
        ),
        migrations.RunPython(to_outbox, from_outbox),
        migrations.DeleteModel(
            name="Notification",
        ),
    ]
