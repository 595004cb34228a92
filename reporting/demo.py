"""The demo's quarterly reviews: 1–4 published with their figures as the demo history gives them, 5 in draft.

The narrative and the lessons follow the original programme's reviews (``shared/seeds``),
shortened; the figures are never typed in: publishing computes them from the stage log
that ``journey.demo`` wrote and every app's demo history.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from journey.models import Programme, Role, User

from . import programme as reporting
from .models import Lesson, QuarterlyReview, ReviewStatus

# (review number, English, French): the lessons register of the original programme.
LESSONS = [
    (
        1,
        "The screening checklist was a useful script with prospective SMEs: it holds the questions that "
        "decide eligibility, such as SME status and location.",
        "La liste de contrôle de la sélection a servi de fil conducteur avec les PME candidates\u00a0: elle "
        "contient les questions qui décident de l’éligibilité, comme le statut de PME et la localisation.",
    ),
    (
        2,
        "French businesses take their holidays in August. The French launchpad planned for it; the UK "
        "launchpad had not realised how few French SMEs and staff would be available.",
        "Les entreprises françaises partent en vacances en août. La rampe française l’avait prévu\u00a0; la rampe "
        "britannique n’avait pas mesuré combien peu de PME et de collègues français seraient disponibles.",
    ),
    (
        2,
        "The SME progress sheet let every launchpad follow each SME's engagement and open issues; it limited "
        "drift and recorded every exchange with the SMEs.",
        "La feuille de suivi des PME a permis à chaque rampe de suivre l’engagement et les points ouverts de "
        "chaque PME\u00a0; elle a limité les dérives et gardé la trace de chaque échange.",
    ),
    (
        2,
        "Recruitment in cohorts did not happen: enrolment took longer with remote work, and it worked better "
        "to assess and start each SME as it came.",
        "Le recrutement par vagues n’a pas eu lieu\u00a0: l’inscription a pris plus de temps à distance, et il a "
        "mieux valu évaluer et démarrer chaque PME à son arrivée.",
    ),
    (
        2,
        "Writing short electronic guides for each audience — from SMEs new to e-commerce to large support "
        "organisations — was extra work but helped every group understand the programme.",
        "Rédiger de courts guides électroniques pour chaque public — des PME novices en e-commerce aux grands "
        "organismes d’appui — a demandé du travail mais a aidé chacun à comprendre le programme.",
    ),
    (
        3,
        "Progress sheets only work when every contact is logged, including calls and e-mails between the "
        "monthly reviews: that is how problems were spotted early.",
        "La feuille de suivi ne fonctionne que si chaque contact est noté, y compris les appels et les "
        "e-mails entre les revues mensuelles\u00a0: c’est ainsi que les problèmes ont été repérés tôt.",
    ),
    (
        3,
        "Account managers need to understand each SME's motivation, experience and capacity to grow, and "
        "also its attitude to risk and opportunity.",
        "Les chargés de compte doivent comprendre la motivation, l’expérience et la capacité de croissance "
        "de chaque PME, mais aussi son rapport au risque et aux opportunités.",
    ),
    (
        3,
        "A written progress-update form between the launchpads was a needless layer: short, frequent "
        "meetings solved most communication problems.",
        "Un formulaire écrit de suivi entre les rampes était une couche inutile\u00a0: des réunions courtes et "
        "fréquentes ont réglé la plupart des problèmes de communication.",
    ),
    (
        3,
        "French SMEs were not interested in post-Brexit trading conditions at first; waiting before raising "
        "the subject with them was the right choice.",
        "Les PME françaises ne s’intéressaient pas d’abord aux conditions d’échange après le Brexit\u00a0; "
        "attendre avant d’aborder le sujet avec elles était le bon choix.",
    ),
    (
        4,
        "Systems and processes in place from the start kept the programme on track: agendas, minutes and "
        "actions for every management meeting, translated, and shared sheets to follow the SMEs.",
        "Des outils et des méthodes en place dès le départ ont tenu le programme\u00a0: ordres du jour, "
        "comptes rendus et actions de chaque réunion, traduits, et des tableaux partagés pour suivre les PME.",
    ),
]

NARRATIVE = {
    1: {
        "challenges": (
            "Recruiting the first SMEs took longer than planned: businesses were cautious about committing time "
            "to a new programme, and every meeting was held remotely.",
            "Le recrutement des premières PME a pris plus de temps que prévu\u00a0: les entreprises hésitaient à "
            "consacrer du temps à un nouveau programme, et toutes les réunions se tenaient à distance.",
        ),
        "exchange": (
            "The launchpads agreed a shared screening checklist and a common vocabulary for the journey, in "
            "English and French.",
            "Les rampes ont adopté une liste de contrôle commune pour la sélection et un vocabulaire partagé "
            "pour le parcours, en anglais et en français.",
        ),
        "operations": (
            "Set-up of the launchpad, first enquiries screened, no SME enrolled yet.",
            "Mise en place de la rampe, premières demandes examinées, aucune PME inscrite à ce stade.",
        ),
    },
    2: {
        "challenges": (
            "The summer slowed enrolment on the French side; the UK launchpad enrolled its first six SMEs.",
            "L’été a ralenti les inscriptions côté français\u00a0; la rampe britannique a inscrit ses six "
            "premières PME.",
        ),
        "exchange": (
            "Weekly joint meetings started; the electronic guides were written for each audience.",
            "Les réunions hebdomadaires communes ont commencé\u00a0; les guides électroniques ont été rédigés pour "
            "chaque public.",
        ),
        "operations": (
            "First SMEs through onboarding; progress sheet kept for every contact.",
            "Premières PME en accueil\u00a0; feuille de suivi tenue pour chaque contact.",
        ),
    },
    3: {
        "challenges": (
            "Getting sales data out of the SMEs' platforms was the hardest step: several exported by hand.",
            "Obtenir les données de vente des plateformes des PME a été l’étape la plus difficile\u00a0: plusieurs "
            "les ont exportées à la main.",
        ),
        "exchange": (
            "Account managers from both launchpads reviewed each other's entry plans for the partner market.",
            "Les chargés de compte des deux rampes ont relu mutuellement les plans d’entrée sur le marché partenaire.",
        ),
        "operations": (
            "Data collection under way for the first cohort; first entry plans drafted.",
            "Collecte des données en cours pour les premières PME\u00a0; premiers plans d’entrée rédigés.",
        ),
    },
    4: {
        "challenges": (
            "Two SMEs stalled in their stage for months; one withdrew when its owner sold the business.",
            "Deux PME sont restées bloquées des mois à la même étape\u00a0; une s’est retirée lorsque son "
            "dirigeant a vendu l’entreprise.",
        ),
        "exchange": (
            "Joint sessions on marketplaces in each country; French and British SMEs met online.",
            "Séances communes sur les places de marché de chaque pays\u00a0; des PME françaises et britanniques "
            "se sont rencontrées en ligne.",
        ),
        "operations": (
            "All twelve SMEs enrolled; first intensive phases and monthly reviews.",
            "Les douze PME sont inscrites\u00a0; premières phases intensives et revues mensuelles.",
        ),
    },
}


@transaction.atomic
def load(programme: Programme, coordinator: User | None) -> None:
    """Reviews 1–4 published (their figures from the demo history), review 5 drafted; re-running changes nothing."""
    for index, (number, text_en, text_fr) in enumerate(LESSONS, start=1):
        Lesson.objects.get_or_create(
            programme=programme,
            number=index,
            defaults={"review_number": number, "text_en": text_en, "text_fr": text_fr},
        )
    for number in range(1, 6):
        review = QuarterlyReview.objects.filter(programme=programme, number=number).order_by("-version").first()
        if review is None:
            review = reporting.review_create(programme, number)
        if review.status != ReviewStatus.DRAFT:
            continue
        narrative = NARRATIVE.get(number)
        if narrative:
            review.challenges_en, review.challenges_fr = narrative["challenges"]
            review.exchange_en, review.exchange_fr = narrative["exchange"]
            review.save()
            for section in review.operations.all():
                section.text_en, section.text_fr = narrative["operations"]
                section.save()
            published = datetime.datetime.combine(review.period_end, datetime.time(10), tzinfo=datetime.UTC)
            reporting.review_publish(review, by=coordinator, now=published + datetime.timedelta(days=12))


def load_reviews() -> None:
    """The quarterly reviews, published last: their frozen figures count every app's demo history."""
    programme = Programme.objects.order_by("start_date").first()
    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    load(programme, coordinator)
