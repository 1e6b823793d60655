from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(models.PrivacyNotice)
class PrivacyNoticeTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("en",)


@register(models.AccreditationDesk)
class AccreditationDeskTranslation(TranslationOptions):
    fields = ("location", "address", "opening_hours")
    required_languages = ("en",)


@register(models.OrganiserDetails)
class OrganiserDetailsTranslation(TranslationOptions):
    fields = ("address", "signatory_title")


@register(models.MassMailing)
class MassMailingTranslation(TranslationOptions):
    fields = ("subject", "body")
    required_languages = ("en",)
