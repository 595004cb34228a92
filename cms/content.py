"""The home page's text in both languages: what the programme is and how to take part."""

HOME = {
    "en": {
        "title": "E-Channel: new markets through e-commerce",
        "intro": (
            "E-Channel helps small and medium businesses in the United Kingdom and France "
            "reach new customers abroad and at home by selling online, with an account manager "
            "at their side and their own sales data to guide every decision."
        ),
        "body": (
            "<h2>How the programme works</h2>"
            "<p>Two launchpads, one in the UK and one in France, take each business through the "
            "same journey: a short eligibility check, a first consultation on market "
            "attractiveness, six reviews that prepare the company for new markets, a period of "
            "data collection, a new-market entry plan, four months of monthly review and planning "
            "sessions, and a growth review that sets the longer-term plan.</p>"
            "<h2>Your data, working for you</h2>"
            "<p>The Data Management Control Platform connects your online shop and analytics and "
            "runs four tools on your own figures: the quality of your product catalogue, your "
            "strongest market opportunities, profit and cost month by month, and the growth of "
            "your business against the targets you set.</p>"
            "<h2>Learn at your own pace</h2>"
            "<p>Short, practical courses in English and French earn badges that open the tools "
            "step by step, so you can put each lesson to work on your own shop the same day.</p>"
            "<h2>Who can take part</h2>"
            "<p>Small and medium businesses based in the programme area that sell, or want to "
            "sell, online to businesses or to consumers, and have the appetite to grow into a new "
            "market.</p>"
        ),
    },
    "fr": {
        "title": "E-Channel : de nouveaux marchés grâce au e-commerce",
        "intro": (
            "E-Channel aide les petites et moyennes entreprises du Royaume-Uni et de France à "
            "conquérir de nouveaux clients, à l'étranger comme chez elles, en vendant en ligne, "
            "avec un gestionnaire de compte à leurs côtés et leurs propres données de vente pour "
            "guider chaque décision."
        ),
        "body": (
            "<h2>Comment fonctionne le programme</h2>"
            "<p>Deux rampes de lancement, l'une au Royaume-Uni et l'autre en France, accompagnent "
            "chaque entreprise sur le même parcours : une courte vérification d'éligibilité, une "
            "première consultation sur l'attractivité des marchés, six examens qui préparent "
            "l'entreprise aux nouveaux marchés, une période de collecte de données, un plan "
            "d'entrée sur le nouveau marché, quatre mois de séances mensuelles d'examen et de "
            "planification, puis un bilan de croissance qui fixe le plan à plus long terme.</p>"
            "<h2>Vos données au travail</h2>"
            "<p>La Plateforme de Contrôle de Gestion des Données relie votre boutique en ligne et "
            "vos outils d'analyse, et applique quatre outils à vos propres chiffres : la qualité "
            "de votre catalogue, vos meilleures opportunités de marché, les profits et les coûts "
            "mois par mois, et la croissance de votre entreprise au regard des objectifs que vous "
            "vous fixez.</p>"
            "<h2>Apprendre à votre rythme</h2>"
            "<p>Des formations courtes et pratiques, en français et en anglais, permettent "
            "d'obtenir des badges qui ouvrent les outils pas à pas : chaque leçon peut être "
            "appliquée à votre propre boutique le jour même.</p>"
            "<h2>Qui peut participer</h2>"
            "<p>Les petites et moyennes entreprises installées dans la zone du programme qui "
            "vendent, ou souhaitent vendre, en ligne à des entreprises ou à des particuliers, et "
            "qui ont l'ambition de se développer sur un nouveau marché.</p>"
        ),
    },
}
