from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from utds.translation import LocalizedNameMixin, localized


class DevelopmentGoal(LocalizedNameMixin, models.Model):
    """A Millennium (MDG 1–8) or Sustainable (SDG 1–17) Development Goal."""

    class Framework(models.TextChoices):
        MDG = "mdg", _("Millennium Development Goals")
        SDG = "sdg", _("Sustainable Development Goals")

    framework = models.CharField(_("framework"), max_length=3, choices=Framework)
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), unique=True)
    name_es = models.CharField(_("short title (Spanish)"), max_length=120)
    name_pt_br = models.CharField(_("short title (Portuguese)"), max_length=120)
    name_en = models.CharField(_("short title (English)"), max_length=120)
    title_es = models.CharField(_("official title (Spanish)"), max_length=300)
    title_pt_br = models.CharField(_("official title (Portuguese)"), max_length=300)
    title_en = models.CharField(_("official title (English)"), max_length=300)
    colour = models.CharField(_("colour"), max_length=7, blank=True, help_text=_("e.g. #E5243B"))

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="mapping_developmentgoal_framework_number"
            ),
            models.CheckConstraint(
                condition=Q(framework="mdg", number__gte=1, number__lte=8)
                | Q(framework="sdg", number__gte=1, number__lte=17),
                name="mapping_developmentgoal_number_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def code(self) -> str:
        return f"{self.framework.upper()} {self.number}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class SocialProblem(LocalizedNameMixin, models.Model):
    """An entry of the shared catalogue of social-development problems."""

    class Category(models.TextChoices):
        POVERTY = "poverty", _("poverty and income")
        WORK = "work", _("work and employment")
        EDUCATION = "education", _("education")
        CHILDHOOD = "childhood", _("childhood and adolescence")
        HOUSING = "housing", _("housing and habitat")
        FOOD = "food", _("food and nutrition")
        HEALTH = "health", _("health")
        VIOLENCE = "violence", _("violence and security")
        INCLUSION = "inclusion", _("inclusion and diversity")

    slug = models.SlugField(_("slug"), unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    name_es = models.CharField(_("name (Spanish)"), max_length=150)
    name_pt_br = models.CharField(_("name (Portuguese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_pt_br = models.TextField(_("description (Portuguese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    goals = models.ManyToManyField(
        DevelopmentGoal, verbose_name=_("related goals"), blank=True, related_name="problems"
    )

    class Meta:
        verbose_name = _("social problem")
        verbose_name_plural = _("social problems")
        ordering = ["category", "name_es"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        try:
            return reverse("mapping:problem", kwargs={"slug": self.slug})
        except NoReverseMatch:  # the mapping pages arrive with their step
            return ""
