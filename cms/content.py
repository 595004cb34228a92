"""The public site's text in both languages, as the site creates it (the guides are in ``cms.guides``).

Each page is ``{"en": {field: text}, "fr": {…}}``; ``search_description`` feeds the pages' meta
description."""

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
        "title": "E-Channel\u00a0: de nouveaux marchés grâce au e-commerce",
        "intro": (
            "E-Channel aide les petites et moyennes entreprises du Royaume-Uni et de France à "
            "conquérir de nouveaux clients, à l'étranger comme chez elles, en vendant en ligne, "
            "avec un gestionnaire de compte à leurs côtés et leurs propres données de vente pour "
            "guider chaque décision."
        ),
        "body": (
            "<h2>Comment fonctionne le programme</h2>"
            "<p>Deux rampes de lancement, l'une au Royaume-Uni et l'autre en France, accompagnent "
            "chaque entreprise sur le même parcours\u00a0: une courte vérification d'éligibilité, une "
            "première consultation sur l'attractivité des marchés, six examens qui préparent "
            "l'entreprise aux nouveaux marchés, une période de collecte de données, un plan "
            "d'entrée sur le nouveau marché, quatre mois de séances mensuelles d'examen et de "
            "planification, puis un bilan de croissance qui fixe le plan à plus long terme.</p>"
            "<h2>Vos données au travail</h2>"
            "<p>La Plateforme de Contrôle de Gestion des Données relie votre boutique en ligne et "
            "vos outils d'analyse, et applique quatre outils à vos propres chiffres\u00a0: la qualité "
            "de votre catalogue, vos meilleures opportunités de marché, les profits et les coûts "
            "mois par mois, et la croissance de votre entreprise au regard des objectifs que vous "
            "vous fixez.</p>"
            "<h2>Apprendre à votre rythme</h2>"
            "<p>Des formations courtes et pratiques, en français et en anglais, permettent "
            "d'obtenir des badges qui ouvrent les outils pas à pas\u00a0: chaque leçon peut être "
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
            "Six étapes courtes, une dizaine de minutes\u00a0: parlez-nous de votre entreprise et la rampe de "
            "lancement de votre pays vous dira comment E-Channel peut vous aider à conquérir un nouveau marché."
        ),
        "help": (
            "<h2>Avant de commencer</h2>"
            "<p>E-Channel s'adresse aux petites et moyennes entreprises (moins de 250 salariés, chiffre "
            "d'affaires de 50 millions ou moins) installées au Royaume-Uni ou en France, qui vendent en ligne "
            "ou souhaitent le faire.</p>"
            "<ul>"
            "<li>Ayez sous la main votre effectif et une idée du chiffre d'affaires de l'an dernier.</li>"
            "<li>Il n'y a pas de mauvaise réponse sur la vente en ligne\u00a0: les débutants sont les bienvenus.</li>"
            "<li>Vos réponses sont conservées au fil des étapes et le bouton <b>Retour</b> ne les efface "
            "jamais. Rien n'est envoyé avant votre confirmation sur la dernière page.</li>"
            "</ul>"
            "<p>Des questions\u00a0? La rampe de lancement de votre pays y répondra lorsqu'elle vous contactera.</p>"
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
            "<li>If you write to us with the contact form: your name, e-mail address, organisation and message, "
            "sent to the launchpad you choose.</li>"
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
            "manager who contacted you, or send us a message with the "
            '<a linktype="page" id="{contact_id}">contact form</a>, choosing the launchpad of your country. We '
            "answer within one month. If you are not satisfied, you may "
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
            "<li>Sur votre entreprise\u00a0: son nom, son site web, son pays et sa ville, son effectif, sa tranche "
            "de chiffre d'affaires, son secteur, ce qu'elle vend et à qui, la plateforme de sa boutique en "
            "ligne et ses outils d'analyse web, son expérience de la vente en ligne et ses objectifs.</li>"
            "<li>Sur vous\u00a0: votre nom, votre fonction, votre adresse e-mail et, si vous le donnez, votre numéro "
            "de téléphone, avec la date à laquelle vous avez accepté d'être contacté.</li>"
            "<li>Pendant que vous remplissez le questionnaire, un cookie de session conserve vos réponses d'une "
            "étape à l'autre. Votre adresse internet est comptée pendant une heure pour empêcher les abus "
            "automatisés, puis oubliée.</li>"
            "<li>Si vous nous écrivez avec le formulaire de contact\u00a0: votre nom, votre adresse e-mail, votre "
            "organisation et votre message, transmis à la rampe de lancement que vous choisissez.</li>"
            "</ul>"
            "<h2>Pourquoi</h2>"
            "<p>Pour vérifier si votre entreprise peut participer au programme, pour vous contacter à ce sujet "
            "et, uniquement sous forme de totaux anonymes, pour rendre compte du programme. Nous nous fondons "
            "sur votre consentement, que vous pouvez retirer à tout moment. Nous ne vendons jamais vos données "
            "et ne les utilisons pas à des fins publicitaires.</p>"
            "<h2>Qui y a accès</h2>"
            "<p>La rampe de lancement de votre pays (la rampe de lancement Royaume-Uni ou la rampe de lancement "
            "France)\u00a0: ses gestionnaires de compte et sa direction. Les coordinateurs du programme, qui "
            "supervisent les deux rampes de lancement. Si vous rejoignez le programme, un gestionnaire de "
            "compte de l'autre rampe de lancement peut apporter son expertise, et seulement à votre "
            "connaissance. Personne d'autre.</p>"
            "<h2>Combien de temps nous les conservons</h2>"
            "<p>Nous conservons votre demande, et vos coordonnées si votre entreprise rejoint le programme, "
            "pendant toute la durée du programme et jusqu'à la remise de son rapport final\u00a0; elles sont "
            "ensuite supprimées. Vous pouvez nous demander de les supprimer plus tôt à tout moment.</p>"
            "<h2>Vos droits</h2>"
            "<p>Vous pouvez à tout moment demander à consulter, corriger ou supprimer les informations que nous "
            "détenons sur vous\u00a0: dites-le au gestionnaire de compte qui vous a contacté ou envoyez-nous un "
            'message avec le <a linktype="page" id="{contact_id}">formulaire de contact</a>, en choisissant la '
            "rampe de lancement de votre pays. Nous répondons sous un mois. Si notre "
            "réponse ne vous satisfait pas, vous pouvez saisir la CNIL (France) ou l'Information "
            "Commissioner's Office (Royaume-Uni).</p>"
        ),
    },
}

# What search engines show under each page's title, for the pages above (filled in when still empty).
SEARCH_DESCRIPTIONS = {
    "home": {
        "en": (
            "E-Channel helps small and medium businesses in the UK and France reach new markets through "
            "e-commerce, with an account manager and their own sales data."
        ),
        "fr": (
            "E-Channel aide les PME du Royaume-Uni et de France à conquérir de nouveaux marchés grâce au "
            "e-commerce, avec un gestionnaire de compte et leurs propres données de vente."
        ),
    },
    "eligibility": {
        "en": "Six short steps, about ten minutes: check whether your business can join the E-Channel programme.",
        "fr": (
            "Six étapes courtes, une dizaine de minutes\u00a0: vérifiez si votre entreprise peut rejoindre le "
            "programme E-Channel."
        ),
    },
    "privacy": {
        "en": "What the E-Channel programme does with what you tell us through this website, and your rights.",
        "fr": "Ce que le programme E-Channel fait des informations que vous confiez sur ce site, et vos droits.",
    },
}

GUIDE_INDEX = {
    "en": {
        "title": "Toolkit guides",
        "search_description": (
            "Four practical guides to the E-Channel toolkit: inventory management, market assessment, business "
            "planning and business growth."
        ),
        "intro": (
            "The Data Management Control Platform runs four tools on your own shop data. Each guide explains what "
            "the tool does, how to read it and what to do next — for business owners new to e-commerce and for "
            "the account managers who work with them."
        ),
    },
    "fr": {
        "title": "Guides des outils",
        "search_description": (
            "Quatre guides pratiques des outils E-Channel\u00a0: gestion des inventaires, évaluation du marché, "
            "planification des activités et croissance de l'entreprise."
        ),
        "intro": (
            "La Plateforme de Contrôle de Gestion des Données applique quatre outils aux données de votre "
            "boutique. Chaque guide explique ce que fait l'outil, comment le lire et quoi faire ensuite — pour les "
            "dirigeants qui découvrent le e-commerce et pour les gestionnaires de compte qui les accompagnent."
        ),
    },
}

RESOURCE_INDEX = {
    "en": {
        "title": "Resources",
        "search_description": (
            "Templates, checklists and worksheets from the E-Channel programme, to download in English or French."
        ),
        "intro": (
            "Templates, checklists and worksheets to prepare your data and put the toolkit to work. Readers of the "
            "French site get the French version of each file when there is one."
        ),
    },
    "fr": {
        "title": "Ressources",
        "search_description": (
            "Modèles, listes de contrôle et feuilles de calcul du programme E-Channel, à télécharger en français "
            "ou en anglais."
        ),
        "intro": (
            "Des modèles, des listes de contrôle et des feuilles de calcul pour préparer vos données et tirer parti "
            "des outils. Chaque fichier vous est proposé en français lorsqu'une version française existe."
        ),
    },
}

NEWS_INDEX = {
    "en": {
        "title": "News",
        "search_description": "News from the E-Channel programme and its UK and France launchpads.",
        "intro": "What is new in the programme, on the platform and at the launchpads.",
    },
    "fr": {
        "title": "Actualités",
        "search_description": (
            "Les actualités du programme E-Channel et de ses rampes de lancement britannique et française."
        ),
        "intro": "Les nouveautés du programme, de la plateforme et des rampes de lancement.",
    },
}

CONTACT = {
    "en": {
        "title": "Contact us",
        "search_description": "Write to the E-Channel launchpad in the United Kingdom or in France.",
        "intro": (
            "A question about the programme, the platform or your data? Choose the launchpad of your country and "
            "write to us: a member of its team will answer you by e-mail."
        ),
        "thank_you": (
            "Thank you: your message has been sent to the launchpad you chose. A member of its team will answer "
            "you by e-mail, usually within two working days."
        ),
    },
    "fr": {
        "title": "Nous contacter",
        "search_description": "Écrivez à la rampe de lancement E-Channel du Royaume-Uni ou de France.",
        "intro": (
            "Une question sur le programme, la plateforme ou vos données\u00a0? Choisissez la rampe de lancement de "
            "votre pays et écrivez-nous\u00a0: un membre de son équipe vous répondra par e-mail."
        ),
        "thank_you": (
            "Merci\u00a0: votre message a été transmis à la rampe de lancement choisie. Un membre de son équipe vous "
            "répondra par e-mail, en général sous deux jours ouvrés."
        ),
    },
}

# News items: ``days_ago`` dates each one relative to the day the site is created.
NEWS = [
    {
        "slug": "toolkit-guides-online",
        "days_ago": 3,
        "en": {
            "title": "The four toolkit guides are online",
            "search_description": "Practical guides to the four E-Channel tools, in English and French.",
            "summary": (
                "Inventory management, market assessment, business planning and business growth: each tool of the "
                "platform now has a practical guide in English and French."
            ),
            "body": [
                (
                    "text",
                    "<p>SMEs in the programme told us that they wanted to understand what the tools say before "
                    "they act on it. The new guides explain, in plain words, how each tool works on your own data: "
                    "how the inventory score is counted, how the market assessment groups your products into "
                    "strong, good and potential opportunities, how the planning tool estimates costs you have not "
                    "entered, and how the growth tool projects your targets.</p>"
                    "<p>Each guide ends with what to do next, and a section for account managers on using the tool "
                    "in review and planning sessions.</p>",
                ),
                (
                    "callout",
                    {
                        "tone": "tip",
                        "text": "<p>Start with the inventory guide: the inventory tool is open to every SME from "
                        "day one, and a clean catalogue makes every other tool more reliable.</p>",
                    },
                ),
            ],
        },
        "fr": {
            "title": "Les quatre guides des outils sont en ligne",
            "search_description": "Des guides pratiques des quatre outils E-Channel, en français et en anglais.",
            "summary": (
                "Gestion des inventaires, évaluation du marché, planification des activités et croissance de "
                "l'entreprise\u00a0: chaque outil de la plateforme a désormais son guide pratique, en français et en "
                "anglais."
            ),
            "body": [
                (
                    "text",
                    "<p>Les PME du programme nous l'ont dit\u00a0: elles veulent comprendre ce que disent les outils "
                    "avant d'agir. Les nouveaux guides expliquent simplement comment chaque outil travaille sur vos "
                    "propres données\u00a0: comment se calcule la note d'inventaire, comment l'évaluation du marché "
                    "classe vos produits en opportunités fortes, bonnes et potentielles, comment l'outil de "
                    "planification estime les coûts que vous n'avez pas saisis, et comment l'outil de croissance "
                    "projette vos objectifs.</p>"
                    "<p>Chaque guide se termine par ce qu'il faut faire ensuite, et par une partie destinée aux "
                    "gestionnaires de compte sur l'usage de l'outil en séance d'examen et de planification.</p>",
                ),
                (
                    "callout",
                    {
                        "tone": "tip",
                        "text": "<p>Commencez par le guide de la gestion des inventaires\u00a0: cet outil est ouvert à "
                        "toutes les PME dès le premier jour, et un catalogue soigné rend tous les autres outils "
                        "plus fiables.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "connect-your-shop",
        "days_ago": 24,
        "en": {
            "title": "Connect your shop in a few minutes",
            "search_description": (
                "E-Channel now reads Shopify, WooCommerce and PrestaShop shops; any other shop sends a spreadsheet."
            ),
            "summary": (
                "Shopify, WooCommerce and PrestaShop shops connect directly; any other shop can send its orders "
                "as a spreadsheet."
            ),
            "body": [
                (
                    "text",
                    "<p>The toolkit works on your own figures, so the first step is to connect your online shop. "
                    "The platform reads orders, products and stock from Shopify, WooCommerce and PrestaShop: "
                    "choose your platform under “Connect a shop” on your data page, and it shows where to find "
                    "each key in your shop's admin and tests the connection before saving anything. Your data is "
                    "synchronised regularly, without duplicates, and your access keys are stored encrypted and "
                    "never shown again.</p>"
                    "<p>Another platform (Magento or Squarespace among them, for now), or a marketplace export? "
                    "Upload your orders as a CSV or Excel file: "
                    "French exports with semicolons and decimal commas are read as they are, and our templates, "
                    "in the resources library, show the columns we expect.</p>",
                ),
                (
                    "callout",
                    {
                        "tone": "warning",
                        "text": "<p>The tools need at least one month of orders, ideally three: connect your shop "
                        "early, even before your first session on the data.</p>",
                    },
                ),
            ],
        },
        "fr": {
            "title": "Connectez votre boutique en quelques minutes",
            "search_description": (
                "E-Channel lit désormais les boutiques Shopify, WooCommerce et PrestaShop\u00a0; toute autre boutique "
                "envoie un tableur."
            ),
            "summary": (
                "Les boutiques Shopify, WooCommerce et PrestaShop se connectent directement\u00a0; toute autre "
                "boutique "
                "peut envoyer ses commandes sous forme de tableur."
            ),
            "body": [
                (
                    "text",
                    "<p>Les outils travaillent sur vos propres chiffres\u00a0: la première étape est donc de connecter "
                    "votre boutique en ligne. La plateforme lit les commandes, les produits et les stocks de "
                    "Shopify, WooCommerce et PrestaShop\u00a0: choisissez votre plateforme sous «\u00a0Connecter une "
                    "boutique\u00a0» sur votre page de données\u00a0; elle indique où trouver chaque clé dans "
                    "l'administration de votre boutique et teste la connexion avant de rien enregistrer. Vos "
                    "données sont synchronisées régulièrement, sans doublons, et vos clés d'accès sont chiffrées "
                    "et ne sont plus jamais affichées.</p>"
                    "<p>Une autre plateforme (dont Magento ou Squarespace, pour l'instant), ou un export de place de "
                    "marché\u00a0? Importez vos commandes en fichier "
                    "CSV ou Excel\u00a0: les exports français avec points-virgules et virgules décimales sont lus tels "
                    "quels, et nos modèles, dans les ressources, présentent les colonnes attendues.</p>",
                ),
                (
                    "callout",
                    {
                        "tone": "warning",
                        "text": "<p>Les outils ont besoin d'au moins un mois de commandes, idéalement trois\u00a0: "
                        "connectez votre boutique tôt, avant même votre première séance sur les données.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "programme-open",
        "days_ago": 60,
        "en": {
            "title": "E-Channel opens to businesses in the UK and France",
            "search_description": "Small and medium businesses in the UK and France can now apply to E-Channel.",
            "summary": (
                "The launchpads in the United Kingdom and France are taking enquiries: check your eligibility "
                "online in about ten minutes."
            ),
            "body": [
                (
                    "text",
                    "<p>E-Channel helps small and medium businesses grow into a new market — a country, a customer "
                    "segment or a sales channel — by selling online. Each business is followed by an account "
                    "manager of the launchpad in its own country, who can bring in a colleague from the other side "
                    "of the Channel for their expertise.</p>"
                    "<p>The journey starts with a short online questionnaire. The launchpad then checks your "
                    "eligibility with you and offers a first consultation on market attractiveness.</p>",
                ),
            ],
        },
        "fr": {
            "title": "E-Channel s'ouvre aux entreprises du Royaume-Uni et de France",
            "search_description": "Les PME du Royaume-Uni et de France peuvent désormais candidater à E-Channel.",
            "summary": (
                "Les rampes de lancement du Royaume-Uni et de France reçoivent les demandes\u00a0: vérifiez votre "
                "éligibilité en ligne en une dizaine de minutes."
            ),
            "body": [
                (
                    "text",
                    "<p>E-Channel aide les petites et moyennes entreprises à se développer sur un nouveau marché — "
                    "un pays, un segment de clientèle ou un canal de vente — en vendant en ligne. Chaque entreprise "
                    "est suivie par un gestionnaire de compte de la rampe de lancement de son pays, qui peut faire "
                    "appel à un collègue de l'autre côté de la Manche pour son expertise.</p>"
                    "<p>Le parcours commence par un court questionnaire en ligne. La rampe de lancement vérifie "
                    "ensuite avec vous votre éligibilité et vous propose une première consultation sur "
                    "l'attractivité des marchés.</p>",
                ),
            ],
        },
    },
]
