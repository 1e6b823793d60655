from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.Track)
class TrackTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Person)
class PersonTranslation(TranslationOptions):
    fields = ("position", "bio")


@register(models.Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "abstract")
    required_languages = ("en",)


@register(models.SessionSpeaker)
class SessionSpeakerTranslation(TranslationOptions):
    fields = ("on_behalf_of",)
