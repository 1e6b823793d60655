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
