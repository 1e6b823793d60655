from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.Series)
class SeriesTranslation(TranslationOptions):
    fields = ("name", "description")


@register(models.Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("city", "title", "description")


@register(models.Venue)
class VenueTranslation(TranslationOptions):
    fields = ("name", "address", "city", "accessibility_notes")


@register(models.Room)
class RoomTranslation(TranslationOptions):
    fields = ("name", "floor", "accessibility_notes")


@register(models.Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "short_title", "summary", "city")
    required_languages = ("en",)


@register(models.Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "acronym")
    required_languages = ("en",)


@register(models.Pillar)
class PillarTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(models.Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title", "description")


@register(models.NewsItem)
class NewsItemTranslation(TranslationOptions):
    fields = ("dateline", "title", "lead", "body")


@register(models.Contact)
class ContactTranslation(TranslationOptions):
    fields = ("function",)
