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

# The eligibility questionnaire's page (the questions themselves are in cms.forms, through gettext).
ELIGIBILITY = {
    "en": {
        "title": "Check your eligibility",
        "intro": (
            "Six short steps, about ten minutes: tell us about your business and the launchpad of your "
            "country will tell you how E-Channel can help you reach a new market."
        ),
        "help": (
            "<h2>Before you start</h2>"
            "<p>E-Channel is for small and medium businesses (fewer than 250 staff, turnover of 50 million or "
            "less) based in the United Kingdom or France that sell, or want to sell, online.</p>"
            "<ul>"
            "<li>Have to hand your number of staff and a rough idea of last year's turnover.</li>"
            "<li>There are no wrong answers about selling online: beginners are welcome.</li>"
            "<li>Your answers are kept as you go, and <b>Back</b> never loses them. Nothing is sent until you "
            "confirm on the last page.</li>"
            "</ul>"
            "<p>Questions? The launchpad of your country will answer them when it contacts you.</p>"
        ),
    },
    "fr": {
        "title": "Vérifiez votre éligibilité",
        "intro": (
            "Six étapes courtes, une dizaine de minutes : parlez-nous de votre entreprise et la rampe de "
            "lancement de votre pays vous dira comment E-Channel peut vous aider à conquérir un nouveau marché."
        ),
        "help": (
            "<h2>Avant de commencer</h2>"
            "<p>E-Channel s'adresse aux petites et moyennes entreprises (moins de 250 salariés, chiffre "
            "d'affaires de 50 millions ou moins) installées au Royaume-Uni ou en France, qui vendent en ligne "
            "ou souhaitent le faire.</p>"
            "<ul>"
            "<li>Ayez sous la main votre effectif et une idée du chiffre d'affaires de l'an dernier.</li>"
            "<li>Il n'y a pas de mauvaise réponse sur la vente en ligne : les débutants sont les bienvenus.</li>"
            "<li>Vos réponses sont conservées au fil des étapes et le bouton <b>Retour</b> ne les efface "
            "jamais. Rien n'est envoyé avant votre confirmation sur la dernière page.</li>"
            "</ul>"
            "<p>Des questions ? La rampe de lancement de votre pays y répondra lorsqu'elle vous contactera.</p>"
        ),
    },
}

# The privacy notice linked from the questionnaire and from every page's footer.
PRIVACY = {
    "en": {
        "title": "Privacy notice",
        "body": (
            "<p>This notice explains what the E-Channel programme does with what you tell us through this "
            "website, in particular the eligibility questionnaire.</p>"
            "<h2>What we collect</h2>"
            "<ul>"
            "<li>About your company: its name, website, country and town, number of staff, turnover band, "
            "sector, what it sells and to whom, its online shop platform and web analytics, its experience of "
            "selling online and its goals.</li>"
            "<li>About you: your name, your role, your e-mail address and, if you give it, your phone number, "
            "with the date you agreed to be contacted.</li>"
            "<li>While you fill in the questionnaire, a session cookie keeps your answers from one step to the "
            "next. Your internet address is counted for one hour to stop automated abuse, then forgotten.</li>"
            "</ul>"
            "<h2>Why</h2>"
            "<p>To check whether your business can take part in the programme, to contact you about it, and, "
            "in anonymous totals only, to report on the programme. We rely on your consent, which you can "
            "withdraw at any time. We never sell your data or use it for advertising.</p>"
            "<h2>Who sees it</h2>"
            "<p>The launchpad of your country (the UK launchpad or the France launchpad): its account managers "
            "and its manager. The programme's coordinators, who oversee both launchpads. If you join the "
            "programme, an account manager from the other launchpad may be brought in for their expertise, "
            "and only with your knowledge. Nobody else.</p>"
            "<h2>How long we keep it</h2>"
            "<p>We keep your enquiry, and your details if your business joins, while the programme runs and "
            "until its final report is made; then they are deleted. You can ask us to delete them sooner at "
            "any time.</p>"
            "<h2>Your rights</h2>"
            "<p>You may ask to see, correct or delete what we hold about you at any time: tell the account "
            "manager who contacted you, or write to the programme's coordinators at "
            "privacy@e-channel.example. We answer within one month. If you are not satisfied, you may "
            "complain to the Information Commissioner's Office (United Kingdom) or the CNIL (France).</p>"
        ),
    },
    "fr": {
        "title": "Politique de confidentialité",
        "body": (
            "<p>Cette page explique ce que le programme E-Channel fait des informations que vous nous confiez "
            "sur ce site, en particulier dans le questionnaire d'éligibilité.</p>"
            "<h2>Ce que nous recueillons</h2>"
            "<ul>"
            "<li>Sur votre entreprise : son nom, son site web, son pays et sa ville, son effectif, sa tranche "
            "de chiffre d'affaires, son secteur, ce qu'elle vend et à qui, la plateforme de sa boutique en "
            "ligne et ses outils d'analyse web, son expérience de la vente en ligne et ses objectifs.</li>"
            "<li>Sur vous : votre nom, votre fonction, votre adresse e-mail et, si vous le donnez, votre numéro "
            "de téléphone, avec la date à laquelle vous avez accepté d'être contacté.</li>"
            "<li>Pendant que vous remplissez le questionnaire, un cookie de session conserve vos réponses d'une "
            "étape à l'autre. Votre adresse internet est comptée pendant une heure pour empêcher les abus "
            "automatisés, puis oubliée.</li>"
            "</ul>"
            "<h2>Pourquoi</h2>"
            "<p>Pour vérifier si votre entreprise peut participer au programme, pour vous contacter à ce sujet "
            "et, uniquement sous forme de totaux anonymes, pour rendre compte du programme. Nous nous fondons "
            "sur votre consentement, que vous pouvez retirer à tout moment. Nous ne vendons jamais vos données "
            "et ne les utilisons pas à des fins publicitaires.</p>"
            "<h2>Qui y a accès</h2>"
            "<p>La rampe de lancement de votre pays (la rampe de lancement Royaume-Uni ou la rampe de lancement "
            "France) : ses gestionnaires de compte et sa direction. Les coordinateurs du programme, qui "
            "supervisent les deux rampes de lancement. Si vous rejoignez le programme, un gestionnaire de "
            "compte de l'autre rampe de lancement peut apporter son expertise, et seulement à votre "
            "connaissance. Personne d'autre.</p>"
            "<h2>Combien de temps nous les conservons</h2>"
            "<p>Nous conservons votre demande, et vos coordonnées si votre entreprise rejoint le programme, "
            "pendant toute la durée du programme et jusqu'à la remise de son rapport final ; elles sont "
            "ensuite supprimées. Vous pouvez nous demander de les supprimer plus tôt à tout moment.</p>"
            "<h2>Vos droits</h2>"
            "<p>Vous pouvez à tout moment demander à consulter, corriger ou supprimer les informations que nous "
            "détenons sur vous : dites-le au gestionnaire de compte qui vous a contacté ou écrivez aux "
            "coordinateurs du programme à privacy@e-channel.example. Nous répondons sous un mois. Si notre "
            "réponse ne vous satisfait pas, vous pouvez saisir la CNIL (France) ou l'Information "
            "Commissioner's Office (Royaume-Uni).</p>"
        ),
    },
}
