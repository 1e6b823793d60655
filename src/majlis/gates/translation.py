from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.Zone)
class ZoneTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(models.Gate)
class GateTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
