"""The four demo courses, one per toolkit tool, in English and French.

Written for owners of small businesses with little e-commerce experience: short lessons
that end on their own data, and a quiz whose explanations teach as much as the lessons.
``learning.demo`` turns this into pages and badge classes.
"""

# Teaching prose in two languages reads better unbroken than wrapped at the line limit.
# ruff: noqa: E501

from __future__ import annotations


def text(html: str) -> tuple[str, str]:
    return ("text", html)


def tip(html: str, tone: str = "tip") -> tuple[str, dict]:
    return ("callout", {"tone": tone, "text": html})


def try_it(tool: str, sentence: str) -> tuple[str, dict]:
    return ("try_on_data", {"tool": tool, "text": sentence})


def lesson(slug, minutes, title, body):
    """``title`` and ``body`` are ``{"en": …, "fr": …}``."""
    return {"slug": slug, "minutes": minutes, "title": title, "body": body}


def question(prompt, choices, explanation, *, multiple=False):
    """``choices``: ``[(english, french, right), …]``."""
    return {"prompt": prompt, "choices": choices, "explanation": explanation, "multiple": multiple}


INVENTORY = {
    "slug": "inventory-basics",
    "tool": "inventory",
    "minutes": 25,
    "audience": "both",
    "badge": "catalogue-keeper",
    "title": {"en": "A catalogue you can sell from", "fr": "Un catalogue qui fait vendre"},
    "summary": {
        "en": "Why a clean product catalogue comes before any new market, what the inventory score measures, "
        "and the few fixes that raise it fastest.",
        "fr": "Pourquoi un catalogue produits propre passe avant tout nouveau marché, ce que mesure le score "
        "d'inventaire, et les quelques corrections qui le font monter le plus vite.",
    },
    "lessons": [
        lesson(
            "why-the-catalogue-comes-first",
            8,
            {"en": "Why the catalogue comes first", "fr": "Pourquoi le catalogue passe en premier"},
            {
                "en": [
                    text(
                        "<p>Every figure the toolkit shows you — best sellers, profit per order, the markets "
                        "worth trying — is built from your product list. If a product has no cost price, its "
                        "profit is a guess. If the same jumper exists three times under three names, its sales "
                        "are split in three and it never looks like a best seller.</p>"
                        "<p>Customers in a new market judge you on the same list: a missing photo, a vague "
                        "title or a price that changes between pages is enough for a first-time buyer to "
                        "leave. Abroad, they cannot walk into your shop to check.</p>"
                    ),
                    tip(
                        "<p>One product, one reference (SKU). A size or a colour is a <em>variant</em> of the "
                        "product, with its own SKU — not a new product.</p>"
                    ),
                    text(
                        "<h2>What “clean” means here</h2><ul><li>every product has a unique SKU;</li>"
                        "<li>every product has a cost price, so profit can be computed;</li>"
                        "<li>stock levels are kept up to date;</li><li>titles and descriptions say what the "
                        "product is, for someone who has never heard of you.</li></ul>"
                    ),
                    try_it("inventory", "Look at your inventory score and the first three issues listed under it."),
                ],
                "fr": [
                    text(
                        "<p>Chaque chiffre que vous montre la boîte à outils — meilleures ventes, marge par "
                        "commande, marchés à tenter — est calculé à partir de votre liste de produits. Sans prix "
                        "de revient, la marge d'un produit n'est qu'une supposition. Si le même pull existe trois "
                        "fois sous trois noms, ses ventes sont coupées en trois et il n'apparaît jamais parmi les "
                        "meilleures ventes.</p>"
                        "<p>Les clients d'un nouveau marché vous jugent sur cette même liste\u00a0: une photo "
                        "manquante, un titre vague ou un prix qui change d'une page à l'autre suffit à faire "
                        "partir un premier acheteur. À l'étranger, il ne peut pas passer en boutique pour "
                        "vérifier.</p>"
                    ),
                    tip(
                        "<p>Un produit, une référence (SKU). Une taille ou une couleur est une "
                        "<em>déclinaison</em> du produit, avec sa propre référence — pas un nouveau produit.</p>"
                    ),
                    text(
                        "<h2>Ce que «\u00a0propre\u00a0» veut dire ici</h2><ul><li>chaque produit a une référence "
                        "unique\u00a0;</li><li>chaque produit a un prix de revient, pour calculer la marge\u00a0;</li>"
                        "<li>les stocks sont à jour\u00a0;</li><li>les titres et descriptions disent ce qu'est le "
                        "produit, pour quelqu'un qui ne vous connaît pas.</li></ul>"
                    ),
                    try_it(
                        "inventory", "Regardez votre score d'inventaire et les trois premiers points listés dessous."
                    ),
                ],
            },
        ),
        lesson(
            "reading-the-inventory-score",
            8,
            {"en": "Reading the inventory score", "fr": "Lire le score d'inventaire"},
            {
                "en": [
                    text(
                        "<p>The inventory score, out of 100, sums up how ready your catalogue is to be analysed "
                        "and sold from. It goes down for each product without a cost price, without stock "
                        "information, with a duplicate reference, or that has not sold at all over the period "
                        "(dead stock ties up cash and shelf space).</p>"
                        "<p>Read it as a to-do list rather than a grade: the tool lists the products behind "
                        "each point lost, so you can fix the biggest gap first.</p>"
                    ),
                    tip(
                        "<p>A shop with 40 products and 12 missing cost prices loses more than one with 400 "
                        "products and 12 missing: the score looks at shares, not counts.</p>",
                        "example",
                    ),
                    text(
                        "<h2>What good looks like</h2><p>Above 80, the analyses can be trusted and your account "
                        "manager can build your new-market plan on them. Between 50 and 80, the figures show "
                        "the trend but not the detail. Below 50, fix the catalogue before drawing conclusions.</p>"
                    ),
                ],
                "fr": [
                    text(
                        "<p>Le score d'inventaire, sur 100, résume à quel point votre catalogue est prêt à être "
                        "analysé et à faire vendre. Il baisse pour chaque produit sans prix de revient, sans "
                        "information de stock, avec une référence en double, ou qui ne s'est pas vendu du tout "
                        "sur la période (le stock dormant immobilise de la trésorerie et de la place).</p>"
                        "<p>Lisez-le comme une liste de tâches plutôt qu'une note\u00a0: l'outil liste les produits "
                        "derrière chaque point perdu, pour corriger d'abord le plus gros écart.</p>"
                    ),
                    tip(
                        "<p>Une boutique de 40 produits dont 12 sans prix de revient perd plus qu'une boutique "
                        "de 400 produits dont 12 sans prix\u00a0: le score regarde des proportions, pas des "
                        "nombres.</p>",
                        "example",
                    ),
                    text(
                        "<h2>À quoi ressemble un bon score</h2><p>Au-dessus de 80, les analyses sont fiables et "
                        "votre gestionnaire de compte peut construire votre plan d'entrée sur le nouveau marché "
                        "à partir d'elles. Entre 50 et 80, les chiffres montrent la tendance mais pas le détail. "
                        "En dessous de 50, corrigez le catalogue avant de tirer des conclusions.</p>"
                    ),
                ],
            },
        ),
        lesson(
            "three-fixes-that-pay",
            9,
            {"en": "Three fixes that pay", "fr": "Trois corrections qui rapportent"},
            {
                "en": [
                    text(
                        "<ol><li><strong>Add cost prices.</strong> Start with your twenty best sellers: "
                        "supplier invoice price, plus packaging. Without it, you cannot know whether a market "
                        "that buys a lot is actually profitable.</li>"
                        "<li><strong>Merge duplicates.</strong> Keep one product per item and turn sizes and "
                        "colours into variants. Your sales history then adds up in the right place.</li>"
                        "<li><strong>Decide on dead stock.</strong> For each product with no sale in six "
                        "months: discount it, bundle it with a best seller, or take it off the shop.</li></ol>"
                    ),
                    tip(
                        "<p>Fix things in your shop (Shopify, WooCommerce…), not in a spreadsheet: the next "
                        "sync brings the corrections into E-Channel and the score is recomputed.</p>",
                        "warning",
                    ),
                    try_it("inventory", "Sort the product list by “no cost price” and fill in the top five."),
                ],
                "fr": [
                    text(
                        "<ol><li><strong>Renseignez les prix de revient.</strong> Commencez par vos vingt "
                        "meilleures ventes\u00a0: prix d'achat fournisseur, plus l'emballage. Sans cela, impossible "
                        "de savoir si un marché qui achète beaucoup est vraiment rentable.</li>"
                        "<li><strong>Fusionnez les doublons.</strong> Gardez un produit par article et faites "
                        "des tailles et des couleurs des déclinaisons. Votre historique de ventes s'additionne "
                        "alors au bon endroit.</li>"
                        "<li><strong>Tranchez sur le stock dormant.</strong> Pour chaque produit sans vente "
                        "depuis six mois\u00a0: soldez-le, proposez-le en lot avec une meilleure vente, ou "
                        "retirez-le de la boutique.</li></ol>"
                    ),
                    tip(
                        "<p>Corrigez dans votre boutique (Shopify, WooCommerce…), pas dans un tableur\u00a0: la "
                        "synchronisation suivante apporte les corrections dans E-Channel et le score est "
                        "recalculé.</p>",
                        "warning",
                    ),
                    try_it(
                        "inventory",
                        "Triez la liste des produits sur «\u00a0sans prix de revient\u00a0» et complétez les cinq premiers.",
                    ),
                ],
            },
        ),
    ],
    "quiz": {
        "pass_mark": 75,
        "questions": [
            question(
                {
                    "en": "A T-shirt comes in three sizes. How should it appear in your catalogue?",
                    "fr": "Un tee-shirt existe en trois tailles. Comment doit-il apparaître dans votre catalogue\u00a0?",
                },
                [
                    (
                        "As one product with three variants, each with its own SKU",
                        "Un produit avec trois déclinaisons, chacune avec sa référence",
                        True,
                    ),
                    ("As three separate products", "Trois produits distincts", False),
                    (
                        "As one product with one SKU for every size",
                        "Un produit avec une seule référence pour toutes les tailles",
                        False,
                    ),
                ],
                {
                    "en": "Variants keep the sales of one item together while stock is still counted per size.",
                    "fr": "Les déclinaisons regroupent les ventes d'un même article tout en comptant le stock par taille.",
                },
            ),
            question(
                {
                    "en": "Which of these lower the inventory score?",
                    "fr": "Lesquels de ces points font baisser le score d'inventaire\u00a0?",
                },
                [
                    ("Products without a cost price", "Des produits sans prix de revient", True),
                    ("Duplicate references", "Des références en double", True),
                    ("Products with no sale over the period", "Des produits sans vente sur la période", True),
                    ("Selling in two currencies", "Vendre dans deux devises", False),
                ],
                {
                    "en": "Missing costs, duplicates and dead stock all make the analyses less reliable; the currency does not.",
                    "fr": "Coûts manquants, doublons et stock dormant rendent toutes les analyses moins fiables\u00a0; la devise, non.",
                },
                multiple=True,
            ),
            question(
                {
                    "en": "Your score is 62. What does that tell you?",
                    "fr": "Votre score est de 62. Qu'est-ce que cela vous dit\u00a0?",
                },
                [
                    (
                        "The trends can be read, but fix the catalogue before relying on the detail",
                        "Les tendances se lisent, mais corrigez le catalogue avant de vous fier au détail",
                        True,
                    ),
                    ("The shop is failing", "La boutique va mal", False),
                    ("Nothing until it reaches 100", "Rien tant qu'il n'atteint pas 100", False),
                ],
                {
                    "en": "The score measures data quality, not business performance; between 50 and 80 the trends hold.",
                    "fr": "Le score mesure la qualité des données, pas la performance\u00a0; entre 50 et 80, les tendances tiennent.",
                },
            ),
            question(
                {
                    "en": "Where should you correct a missing cost price?",
                    "fr": "Où corriger un prix de revient manquant\u00a0?",
                },
                [
                    (
                        "In your shop, so the next sync brings it in",
                        "Dans votre boutique, la prochaine synchronisation l'apportera",
                        True,
                    ),
                    ("In a separate spreadsheet", "Dans un tableur à part", False),
                    ("Nowhere: it does not matter", "Nulle part\u00a0: cela n'a pas d'importance", False),
                ],
                {
                    "en": "Your shop is the source of truth; E-Channel reads it at every sync.",
                    "fr": "Votre boutique fait foi\u00a0; E-Channel la relit à chaque synchronisation.",
                },
            ),
        ],
    },
}

MARKET = {
    "slug": "market-assessment",
    "tool": "market",
    "minutes": 25,
    "audience": "both",
    "badge": "market-scout",
    "title": {"en": "Finding your next market", "fr": "Trouver votre prochain marché"},
    "summary": {
        "en": "What a “new market” is, how your own orders already point to one, and how to read the "
        "market assessment tool's opportunities.",
        "fr": "Ce qu'est un «\u00a0nouveau marché\u00a0», comment vos propres commandes en désignent déjà un, et comment "
        "lire les opportunités de l'outil d'évaluation du marché.",
    },
    "lessons": [
        lesson(
            "what-is-a-new-market",
            7,
            {"en": "What is a new market?", "fr": "Qu'est-ce qu'un nouveau marché\u00a0?"},
            {
                "en": [
                    text(
                        "<p>A new market is a distinct group of customers likely to buy your products: a "
                        "country, a type of customer (households, shops, restaurants…) or a channel (your own "
                        "website, a marketplace, wholesale). Selling the same candles to gift shops in Belgium "
                        "is a new market even if you already sell them online in France.</p>"
                        "<p>The Ansoff matrix helps you see the risk: selling existing products to a new market "
                        "is <em>market development</em> — less risky than inventing new products for people you "
                        "do not know yet.</p>"
                    ),
                    tip(
                        "<p>B2B means selling to businesses (larger orders, fewer customers, invoices and "
                        "terms); B2C means selling to consumers (small baskets, many customers, card "
                        "payments).</p>"
                    ),
                ],
                "fr": [
                    text(
                        "<p>Un nouveau marché est un groupe distinct de clients susceptibles d'acheter vos "
                        "produits\u00a0: un pays, un type de client (particuliers, boutiques, restaurants…) ou un "
                        "canal (votre site, une place de marché, la vente en gros). Vendre les mêmes bougies aux "
                        "boutiques de cadeaux en Belgique est un nouveau marché, même si vous les vendez déjà en "
                        "ligne en France.</p>"
                        "<p>La matrice d'Ansoff aide à voir le risque\u00a0: vendre vos produits existants à un "
                        "nouveau marché, c'est le <em>développement de marché</em> — moins risqué qu'inventer "
                        "de nouveaux produits pour des clients que vous ne connaissez pas encore.</p>"
                    ),
                    tip(
                        "<p>Le B2B, c'est vendre à des entreprises (commandes plus grosses, moins de clients, "
                        "factures et délais de paiement)\u00a0; le B2C, vendre à des particuliers (petits paniers, "
                        "beaucoup de clients, paiement par carte).</p>"
                    ),
                ],
            },
        ),
        lesson(
            "your-orders-already-know",
            9,
            {"en": "Your orders already know", "fr": "Vos commandes le savent déjà"},
            {
                "en": [
                    text(
                        "<p>Before any market study, look at who already buys from you without being asked. "
                        "A handful of orders from Germany, repeat customers in Ireland, a café that ordered "
                        "twice in bulk: these are signals that a market exists and that your offer works there "
                        "with no marketing at all.</p>"
                        "<p>The market assessment tool groups your orders by country, channel and type of "
                        "customer, and compares each group's orders, units and growth with your home "
                        "market.</p>"
                    ),
                    tip(
                        "<p>An online shop in Kent had 3 % of its orders from the Netherlands, nearly all "
                        "repeat buyers. That small, loyal group became its first new market — with Dutch "
                        "product titles and a cheaper carrier.</p>",
                        "example",
                    ),
                    try_it("market", "Find the country outside your home market with the most repeat customers."),
                ],
                "fr": [
                    text(
                        "<p>Avant toute étude de marché, regardez qui vous achète déjà sans qu'on le lui "
                        "demande. Quelques commandes d'Allemagne, des clients fidèles en Irlande, un café qui a "
                        "commandé deux fois en gros\u00a0: ce sont des signaux qu'un marché existe et que votre offre "
                        "y fonctionne sans aucun effort marketing.</p>"
                        "<p>L'outil d'évaluation du marché regroupe vos commandes par pays, canal et type de "
                        "client, et compare les commandes, les unités et la croissance de chaque groupe avec "
                        "votre marché d'origine.</p>"
                    ),
                    tip(
                        "<p>Une boutique en ligne bretonne réalisait 3 % de ses commandes au Royaume-Uni, "
                        "presque toutes de clients fidèles. Ce petit groupe est devenu son premier nouveau "
                        "marché — avec des fiches en anglais et un transporteur moins cher.</p>",
                        "example",
                    ),
                    try_it(
                        "market",
                        "Trouvez le pays, hors de votre marché d'origine, qui compte le plus de clients fidèles.",
                    ),
                ],
            },
        ),
        lesson(
            "strong-good-potential",
            9,
            {"en": "Strong, good or potential", "fr": "Forte, bonne ou potentielle"},
            {
                "en": [
                    text(
                        "<p>The tool sorts opportunities into three groups, with rules written out on the tool "
                        "page so you can check them:</p><ul><li><strong>strong</strong>: enough orders to be "
                        "sure, and growing;</li><li><strong>good</strong>: a steady flow of orders but no clear "
                        "growth yet;</li><li><strong>potential</strong>: few orders, but promising signs such "
                        "as repeat buyers or large baskets.</li></ul>"
                        "<p>Choose one strong or good opportunity to work on first. Trying three markets at "
                        "once spreads a small team too thin.</p>"
                    ),
                    tip(
                        "<p>A market that buys a lot is not always profitable: check delivery costs and "
                        "returns with the business planning tool before committing.</p>",
                        "warning",
                    ),
                ],
                "fr": [
                    text(
                        "<p>L'outil classe les opportunités en trois groupes, selon des règles écrites sur la "
                        "page de l'outil pour que vous puissiez les vérifier\u00a0:</p><ul><li><strong>forte</strong>\u00a0"
                        ": assez de commandes pour être sûr, et en croissance\u00a0;</li><li><strong>bonne</strong>\u00a0: "
                        "un flux régulier de commandes mais pas encore de croissance nette\u00a0;</li><li><strong>"
                        "potentielle</strong>\u00a0: peu de commandes, mais des signes prometteurs comme des clients "
                        "fidèles ou de gros paniers.</li></ul>"
                        "<p>Choisissez une opportunité forte ou bonne pour commencer. Tenter trois marchés à la "
                        "fois disperse une petite équipe.</p>"
                    ),
                    tip(
                        "<p>Un marché qui achète beaucoup n'est pas toujours rentable\u00a0: vérifiez les frais de "
                        "livraison et les retours avec l'outil de planification avant de vous engager.</p>",
                        "warning",
                    ),
                ],
            },
        ),
    ],
    "quiz": {
        "pass_mark": 75,
        "questions": [
            question(
                {
                    "en": "Which of these is a new market for a French online candle shop?",
                    "fr": "Lequel de ces cas est un nouveau marché pour une boutique de bougies en ligne française\u00a0?",
                },
                [
                    (
                        "Selling wholesale to gift shops in Belgium",
                        "Vendre en gros aux boutiques de cadeaux en Belgique",
                        True,
                    ),
                    ("Changing the colour of the logo", "Changer la couleur du logo", False),
                    ("Adding a new scent for existing customers", "Ajouter un parfum pour les clients actuels", False),
                ],
                {
                    "en": "A new country, customer type or channel is a new market; a new product for existing customers is not.",
                    "fr": "Un nouveau pays, type de client ou canal est un nouveau marché\u00a0; un nouveau produit pour les clients actuels, non.",
                },
            ),
            question(
                {
                    "en": "Which signals in your orders suggest a market worth trying?",
                    "fr": "Quels signaux dans vos commandes indiquent un marché à tenter\u00a0?",
                },
                [
                    ("Repeat customers from the same country", "Des clients fidèles d'un même pays", True),
                    (
                        "Orders from that country growing month after month",
                        "Des commandes de ce pays en hausse mois après mois",
                        True,
                    ),
                    (
                        "A single order from a country, never repeated",
                        "Une seule commande d'un pays, jamais renouvelée",
                        False,
                    ),
                ],
                {
                    "en": "Repetition and growth show demand that lasts; one order can be chance.",
                    "fr": "La fidélité et la croissance montrent une demande durable\u00a0; une commande isolée peut être un hasard.",
                },
                multiple=True,
            ),
            question(
                {
                    "en": "The tool shows one strong and two potential opportunities. What do you do first?",
                    "fr": "L'outil affiche une opportunité forte et deux potentielles. Que faites-vous d'abord\u00a0?",
                },
                [
                    (
                        "Work on the strong one, and check its profit",
                        "Travailler la forte, et vérifier sa rentabilité",
                        True,
                    ),
                    ("Launch all three at once", "Lancer les trois en même temps", False),
                    ("Wait until all three are strong", "Attendre que les trois soient fortes", False),
                ],
                {
                    "en": "One market at a time, starting where the evidence is best — and profitable.",
                    "fr": "Un marché à la fois, en commençant là où les preuves sont les meilleures — et la marge au rendez-vous.",
                },
            ),
            question(
                {
                    "en": "In the Ansoff matrix, existing products sold to a new market is…",
                    "fr": "Dans la matrice d'Ansoff, vendre des produits existants à un nouveau marché, c'est…",
                },
                [
                    ("Market development", "Le développement de marché", True),
                    ("Diversification", "La diversification", False),
                    ("Market penetration", "La pénétration de marché", False),
                ],
                {
                    "en": "Diversification means new products for new markets — the riskiest corner.",
                    "fr": "La diversification, ce sont de nouveaux produits pour de nouveaux marchés — la case la plus risquée.",
                },
            ),
        ],
    },
}

PLANNING = {
    "slug": "profit-and-cost",
    "tool": "planning",
    "minutes": 30,
    "audience": "both",
    "badge": "profit-planner",
    "title": {"en": "Profit, costs and your monthly plan", "fr": "Marge, coûts et plan mensuel"},
    "summary": {
        "en": "Turn sales into profit: the costs of an order, returns, the month-by-month picture and a "
        "projection you can plan with.",
        "fr": "Passer du chiffre d'affaires à la marge\u00a0: les coûts d'une commande, les retours, la vue mois par "
        "mois et une projection sur laquelle planifier.",
    },
    "lessons": [
        lesson(
            "what-an-order-really-earns",
            10,
            {"en": "What an order really earns", "fr": "Ce que rapporte vraiment une commande"},
            {
                "en": [
                    text(
                        "<p>An order of £60 does not put £60 in your pocket. Take away what the products cost "
                        "you, the packaging, the postage you paid (minus what the customer paid for it), the "
                        "payment fee (often 1.5 % to 3 %) and the marketplace commission if there is one. What "
                        "is left is the order's <strong>profit</strong>.</p>"
                        "<p>The business planning tool does this sum for every order, using your products' "
                        "cost prices and, where a cost is unknown, the default margin your account manager set "
                        "with you.</p>"
                    ),
                    tip(
                        "<p>£60 basket − £24 products − £2 packaging − £6.50 postage + £4.95 postage paid − "
                        "£1.20 card fee = £31.25 profit, or 52 % of the basket.</p>",
                        "example",
                    ),
                    try_it("planning", "Compare the profit of your last full month with its sales."),
                ],
                "fr": [
                    text(
                        "<p>Une commande de 60 € ne vous laisse pas 60 €. Retirez ce que les produits vous ont "
                        "coûté, l'emballage, le port payé (moins ce que le client a payé pour la livraison), les "
                        "frais de paiement (souvent 1,5 % à 3 %) et la commission de la place de marché s'il y "
                        "en a une. Ce qui reste est la <strong>marge</strong> de la commande.</p>"
                        "<p>L'outil de planification fait ce calcul pour chaque commande, avec les prix de "
                        "revient de vos produits et, quand un coût est inconnu, le taux de marge par défaut "
                        "fixé avec votre gestionnaire de compte.</p>"
                    ),
                    tip(
                        "<p>Panier de 60 € − 24 € de produits − 2 € d'emballage − 6,50 € de port + 4,95 € de "
                        "port payé − 1,20 € de frais de carte = 31,25 € de marge, soit 52 % du panier.</p>",
                        "example",
                    ),
                    try_it("planning", "Comparez la marge de votre dernier mois complet à son chiffre d'affaires."),
                ],
            },
        ),
        lesson(
            "returns-and-the-month",
            10,
            {"en": "Returns and the monthly picture", "fr": "Les retours et la vue du mois"},
            {
                "en": [
                    text(
                        "<p>A returned order costs you twice: the sale is refunded and the postage is usually "
                        "lost. Cross-border, returns are often higher in clothing and shoes, so a market with "
                        "many orders and many returns can earn less than a smaller, steadier one.</p>"
                        "<p>The tool shows each month's sales, orders, returns and profit in your own time "
                        "zone. The month in progress is drawn lighter: it is not finished, so do not compare "
                        "it with full months.</p>"
                    ),
                    tip(
                        "<p>Compare a month with the same month last year when your trade is seasonal: "
                        "December against November always looks like growth for a gift shop.</p>"
                    ),
                ],
                "fr": [
                    text(
                        "<p>Une commande retournée coûte deux fois\u00a0: la vente est remboursée et le port est en "
                        "général perdu. À l'international, les retours sont souvent plus élevés dans "
                        "l'habillement et la chaussure\u00a0: un marché avec beaucoup de commandes et beaucoup de "
                        "retours peut rapporter moins qu'un marché plus petit mais plus régulier.</p>"
                        "<p>L'outil affiche pour chaque mois les ventes, les commandes, les retours et la marge, "
                        "dans votre fuseau horaire. Le mois en cours est dessiné plus clair\u00a0: il n'est pas "
                        "terminé, ne le comparez pas aux mois complets.</p>"
                    ),
                    tip(
                        "<p>Si votre activité est saisonnière, comparez un mois au même mois de l'année "
                        "précédente\u00a0: décembre face à novembre a toujours l'air d'une croissance pour une "
                        "boutique de cadeaux.</p>"
                    ),
                ],
            },
        ),
        lesson(
            "a-projection-you-can-plan-with",
            10,
            {"en": "A projection you can plan with", "fr": "Une projection pour planifier"},
            {
                "en": [
                    text(
                        "<p>The projection estimates next month from your history. The tool tries several "
                        "simple methods on your past months, keeps the one that would have guessed best, and "
                        "shows a range rather than a single number: plan for the low end, hope for the high "
                        "end.</p>"
                        "<p>Use it to decide how much stock to order for a new market, or whether you can "
                        "afford a translated catalogue this quarter. With fewer than three months of data the "
                        "range is wide — that is honest, not a fault.</p>"
                    ),
                    tip(
                        "<p>A projection continues the past. A trade fair, a lost wholesale customer or a new "
                        "marketplace changes the future: tell your account manager, who adjusts the plan.</p>",
                        "warning",
                    ),
                    try_it("planning", "Read next month's projected range and note its low end in your plan."),
                ],
                "fr": [
                    text(
                        "<p>La projection estime le mois prochain à partir de votre historique. L'outil essaie "
                        "plusieurs méthodes simples sur vos mois passés, garde celle qui aurait le mieux prévu, "
                        "et affiche une fourchette plutôt qu'un chiffre unique\u00a0: prévoyez sur le bas, espérez "
                        "le haut.</p>"
                        "<p>Servez-vous-en pour décider du stock à commander pour un nouveau marché, ou savoir "
                        "si vous pouvez vous offrir un catalogue traduit ce trimestre. Avec moins de trois mois "
                        "de données, la fourchette est large — c'est honnête, pas un défaut.</p>"
                    ),
                    tip(
                        "<p>Une projection prolonge le passé. Un salon, un client grossiste perdu ou une "
                        "nouvelle place de marché changent l'avenir\u00a0: dites-le à votre gestionnaire de compte, "
                        "qui ajuste le plan.</p>",
                        "warning",
                    ),
                    try_it(
                        "planning", "Lisez la fourchette projetée du mois prochain et notez le bas dans votre plan."
                    ),
                ],
            },
        ),
    ],
    "quiz": {
        "pass_mark": 75,
        "questions": [
            question(
                {
                    "en": "Which costs come off an order's sales to give its profit?",
                    "fr": "Quels coûts retire-t-on des ventes d'une commande pour obtenir sa marge\u00a0?",
                },
                [
                    ("The products' cost price", "Le prix de revient des produits", True),
                    ("Packaging and postage paid", "L'emballage et le port payé", True),
                    ("The payment fee", "Les frais de paiement", True),
                    ("The customer's age", "L'âge du client", False),
                ],
                {
                    "en": "Everything the order costs you comes off; postage the customer paid comes back in.",
                    "fr": "Tout ce que la commande vous coûte est retiré\u00a0; le port payé par le client revient en recette.",
                },
                multiple=True,
            ),
            question(
                {
                    "en": "Why is the current month drawn lighter on the chart?",
                    "fr": "Pourquoi le mois en cours est-il plus clair sur le graphique\u00a0?",
                },
                [
                    (
                        "It is not finished, so it is not comparable with full months",
                        "Il n'est pas terminé, donc pas comparable aux mois complets",
                        True,
                    ),
                    ("It had a bad result", "Il a eu un mauvais résultat", False),
                    ("Its data is wrong", "Ses données sont fausses", False),
                ],
                {
                    "en": "Half a month always looks low next to a full one.",
                    "fr": "Un demi-mois paraît toujours faible à côté d'un mois complet.",
                },
            ),
            question(
                {
                    "en": "The projection shows 40 to 70 orders next month. How do you plan stock?",
                    "fr": "La projection annonce 40 à 70 commandes le mois prochain. Comment prévoyez-vous le stock\u00a0?",
                },
                [
                    (
                        "Around the low end, with a way to reorder fast",
                        "Autour du bas, avec un moyen de réassortir vite",
                        True,
                    ),
                    ("For 70, to be safe", "Pour 70, par sécurité", False),
                    ("Ignore it: projections are useless", "L'ignorer\u00a0: les projections ne servent à rien", False),
                ],
                {
                    "en": "Planning on the low end protects your cash; the range says how uncertain it is.",
                    "fr": "Prévoir sur le bas protège votre trésorerie\u00a0; la fourchette dit l'incertitude.",
                },
            ),
            question(
                {
                    "en": "A market brings many orders but also many returns. What is true?",
                    "fr": "Un marché apporte beaucoup de commandes mais aussi beaucoup de retours. Qu'est-ce qui est vrai\u00a0?",
                },
                [
                    (
                        "It can earn less than a smaller market with few returns",
                        "Il peut rapporter moins qu'un marché plus petit avec peu de retours",
                        True,
                    ),
                    ("Returns do not affect profit", "Les retours n'ont pas d'effet sur la marge", False),
                    (
                        "More orders always means more profit",
                        "Plus de commandes veut toujours dire plus de marge",
                        False,
                    ),
                ],
                {
                    "en": "Each return loses the sale and usually the postage.",
                    "fr": "Chaque retour fait perdre la vente et, en général, le port.",
                },
            ),
        ],
    },
}

GROWTH = {
    "slug": "business-growth",
    "tool": "growth",
    "minutes": 25,
    "audience": "both",
    "badge": "growth-tracker",
    "title": {"en": "Growing with targets", "fr": "Grandir avec des objectifs"},
    "summary": {
        "en": "Set a target you can check every month, read the growth tool's trend, and know which products "
        "carry your growth.",
        "fr": "Fixer un objectif vérifiable chaque mois, lire la tendance de l'outil de croissance, et savoir "
        "quels produits portent votre croissance.",
    },
    "lessons": [
        lesson(
            "a-target-you-can-check",
            8,
            {"en": "A target you can check", "fr": "Un objectif vérifiable"},
            {
                "en": [
                    text(
                        "<p>“Grow in Germany” is a wish. “Reach £3,000 of monthly sales in Germany by June” is "
                        "a target: one figure, one market, one date. You can check it every month and see "
                        "early whether you are on the way.</p>"
                        "<p>In the growth tool you set targets on monthly sales, orders or profit. Choose one "
                        "that matters to you — profit if cash is tight, orders if you need to be noticed on a "
                        "marketplace.</p>"
                    ),
                    try_it("growth", "Add one target for the market you are entering, with a date six months ahead."),
                ],
                "fr": [
                    text(
                        "<p>«\u00a0Grandir en Allemagne\u00a0» est un souhait. «\u00a0Atteindre 3 000 € de ventes mensuelles "
                        "en Allemagne d'ici juin\u00a0» est un objectif\u00a0: un chiffre, un marché, une date. Vous "
                        "pouvez le vérifier chaque mois et voir tôt si vous êtes sur la bonne voie.</p>"
                        "<p>Dans l'outil de croissance, vous fixez des objectifs de ventes, de commandes ou de "
                        "marge mensuelles. Choisissez celui qui compte pour vous — la marge si la trésorerie "
                        "est serrée, les commandes si vous devez vous faire remarquer sur une place de "
                        "marché.</p>"
                    ),
                    try_it("growth", "Ajoutez un objectif pour le marché que vous abordez, à six mois."),
                ],
            },
        ),
        lesson(
            "reading-the-trend",
            8,
            {"en": "Reading the trend", "fr": "Lire la tendance"},
            {
                "en": [
                    text(
                        "<p>The growth tool draws the line your recent months follow and extends it to your "
                        "target's date. If the line reaches the target, keep going. If it falls short, the gap "
                        "tells you how much extra effort each month needs — or that the target needs a later "
                        "date.</p>"
                        "<p>Look at the trend over several months, never one: a single good month can be a "
                        "promotion, a single bad one a holiday.</p>"
                    ),
                    tip(
                        "<p>Bring the trend to your monthly review with your account manager: “Are you on "
                        "track with your plan?” is the first question of every review.</p>"
                    ),
                ],
                "fr": [
                    text(
                        "<p>L'outil de croissance trace la ligne que suivent vos derniers mois et la prolonge "
                        "jusqu'à la date de votre objectif. Si la ligne atteint l'objectif, continuez. Si elle "
                        "reste en dessous, l'écart vous dit quel effort supplémentaire il faut chaque mois — ou "
                        "qu'il faut repousser la date.</p>"
                        "<p>Regardez la tendance sur plusieurs mois, jamais un seul\u00a0: un bon mois peut être une "
                        "promotion, un mauvais mois des vacances.</p>"
                    ),
                    tip(
                        "<p>Apportez la tendance à votre revue mensuelle avec votre gestionnaire de compte\u00a0: "
                        "«\u00a0Êtes-vous en ligne avec votre plan\u00a0?\u00a0» est la première question de chaque revue.</p>"
                    ),
                ],
            },
        ),
        lesson(
            "products-that-carry-growth",
            9,
            {"en": "The products that carry your growth", "fr": "Les produits qui portent votre croissance"},
            {
                "en": [
                    text(
                        "<p>Growth rarely comes evenly from the whole catalogue. Usually a few products bring "
                        "most of the profit, and a few lose money once postage and returns are counted. The "
                        "growth tool ranks products by the profit they bring, not only by sales.</p>"
                        "<p>Put your effort — photos, translated descriptions, marketplace listings — behind "
                        "the products at the top. For those at the bottom, raise the price, change the "
                        "packaging or stop selling them abroad.</p>"
                    ),
                    tip(
                        "<p>A Normandy cider maker found that gift boxes made 15 % of sales but 40 % of profit. "
                        "It led with the boxes in its new UK market and left single bottles at home.</p>",
                        "example",
                    ),
                    try_it(
                        "growth",
                        "Find your three most profitable products and check they are ready for the new market.",
                    ),
                ],
                "fr": [
                    text(
                        "<p>La croissance vient rarement de tout le catalogue à parts égales. En général, "
                        "quelques produits apportent l'essentiel de la marge, et quelques-uns perdent de "
                        "l'argent une fois le port et les retours comptés. L'outil de croissance classe les "
                        "produits par la marge qu'ils apportent, pas seulement par les ventes.</p>"
                        "<p>Mettez vos efforts — photos, descriptions traduites, fiches sur les places de "
                        "marché — derrière les produits du haut. Pour ceux du bas, augmentez le prix, changez "
                        "l'emballage ou arrêtez de les vendre à l'étranger.</p>"
                    ),
                    tip(
                        "<p>Un cidrier normand a découvert que ses coffrets cadeaux faisaient 15 % des ventes "
                        "mais 40 % de la marge. Il a mis les coffrets en avant sur son nouveau marché "
                        "britannique et gardé les bouteilles seules pour la France.</p>",
                        "example",
                    ),
                    try_it(
                        "growth",
                        "Trouvez vos trois produits les plus rentables et vérifiez qu'ils sont prêts pour le nouveau marché.",
                    ),
                ],
            },
        ),
    ],
    "quiz": {
        "pass_mark": 75,
        "questions": [
            question(
                {
                    "en": "Which of these is a target you can check?",
                    "fr": "Lequel de ces énoncés est un objectif vérifiable\u00a0?",
                },
                [
                    (
                        "£3,000 of monthly sales in Germany by June",
                        "3 000 € de ventes mensuelles en Allemagne d'ici juin",
                        True,
                    ),
                    ("Grow in Germany", "Grandir en Allemagne", False),
                    ("Be the best shop in Europe", "Être la meilleure boutique d'Europe", False),
                ],
                {
                    "en": "A target has one figure, one market and one date.",
                    "fr": "Un objectif a un chiffre, un marché et une date.",
                },
            ),
            question(
                {
                    "en": "One excellent month after five flat ones. What does it show?",
                    "fr": "Un excellent mois après cinq mois stables. Qu'est-ce que cela montre\u00a0?",
                },
                [
                    (
                        "Not much yet: look at the trend over several months",
                        "Pas grand-chose encore\u00a0: regardez la tendance sur plusieurs mois",
                        True,
                    ),
                    ("The target is reached for good", "L'objectif est atteint pour de bon", False),
                    ("The projection is broken", "La projection est cassée", False),
                ],
                {
                    "en": "One month can be a promotion or a one-off order; trends need several months.",
                    "fr": "Un mois peut être une promotion ou une commande exceptionnelle\u00a0; une tendance demande plusieurs mois.",
                },
            ),
            question(
                {
                    "en": "Where should you put your marketing effort for a new market?",
                    "fr": "Où mettre votre effort marketing pour un nouveau marché\u00a0?",
                },
                [
                    (
                        "Behind the products that bring the most profit",
                        "Derrière les produits qui apportent le plus de marge",
                        True,
                    ),
                    ("Equally on every product", "À parts égales sur tous les produits", False),
                    (
                        "On the products that sell least, to help them",
                        "Sur les produits qui se vendent le moins, pour les aider",
                        False,
                    ),
                ],
                {
                    "en": "A few products usually carry most of the profit: lead with them.",
                    "fr": "Quelques produits portent en général l'essentiel de la marge\u00a0: avancez avec eux.",
                },
            ),
            question(
                {
                    "en": "The trend line falls short of your target. What are sensible responses?",
                    "fr": "La ligne de tendance n'atteint pas votre objectif. Quelles réponses sont sensées\u00a0?",
                },
                [
                    (
                        "Plan extra monthly effort to close the gap",
                        "Prévoir un effort mensuel supplémentaire pour combler l'écart",
                        True,
                    ),
                    ("Move the target to a later date", "Repousser la date de l'objectif", True),
                    (
                        "Delete the target so the gap disappears",
                        "Supprimer l'objectif pour que l'écart disparaisse",
                        False,
                    ),
                ],
                {
                    "en": "The gap is information: act on it, or make the target realistic.",
                    "fr": "L'écart est une information\u00a0: agissez dessus, ou rendez l'objectif réaliste.",
                },
                multiple=True,
            ),
        ],
    },
}

COURSES = [INVENTORY, MARKET, PLANNING, GROWTH]

INDEX = {
    "slug": "courses",
    "title": {"en": "Courses", "fr": "Formations"},
    "intro": {
        "en": "Short, practical courses for busy business owners: a few minutes a lesson, each ending on your own "
        "data. Completing a course earns a badge, and badges open the toolkit's tools.",
        "fr": "Des formations courtes et pratiques pour dirigeants pressés\u00a0: quelques minutes par leçon, chacune "
        "se termine sur vos propres données. Chaque formation terminée rapporte un badge, et les badges ouvrent "
        "les outils de la boîte à outils.",
    },
}

# Badge classes: course badges open the next tools (inventory is always open); others reward
# data milestones, the whole path, or an account manager's recognition.
BADGES = [
    {
        "slug": "catalogue-keeper",
        "colour": "#0b6e6e",
        "opens_tool": "market",
        "name": {"en": "Catalogue keeper", "fr": "Gardien du catalogue"},
        "description": {
            "en": "Knows what makes a product catalogue ready for analysis and for new customers.",
            "fr": "Sait ce qui rend un catalogue produits prêt pour l'analyse et pour de nouveaux clients.",
        },
        "criteria": {
            "en": "Completed the course “A catalogue you can sell from” and passed its quiz.",
            "fr": "A terminé la formation «\u00a0Un catalogue qui fait vendre\u00a0» et réussi son quiz.",
        },
        "rules": [("course_completed", {"course": "inventory-basics"})],
    },
    {
        "slug": "market-scout",
        "colour": "#1f5fa8",
        "opens_tool": "",
        "name": {"en": "Market scout", "fr": "Éclaireur de marchés"},
        "description": {
            "en": "Can read the signals of a new market in the company's own orders.",
            "fr": "Sait lire les signaux d'un nouveau marché dans les commandes de l'entreprise.",
        },
        "criteria": {
            "en": "Completed the course “Finding your next market” and passed its quiz.",
            "fr": "A terminé la formation «\u00a0Trouver votre prochain marché\u00a0» et réussi son quiz.",
        },
        "rules": [("course_completed", {"course": "market-assessment"})],
    },
    {
        "slug": "profit-planner",
        "colour": "#7a4b9c",
        "opens_tool": "planning",
        "name": {"en": "Profit planner", "fr": "Planificateur de marge"},
        "description": {
            "en": "Understands what an order really earns and plans with a projection's range.",
            "fr": "Comprend ce que rapporte vraiment une commande et planifie avec la fourchette d'une projection.",
        },
        "criteria": {
            "en": "Completed the course “Profit, costs and your monthly plan” and passed its quiz.",
            "fr": "A terminé la formation «\u00a0Marge, coûts et plan mensuel\u00a0» et réussi son quiz.",
        },
        "rules": [("course_completed", {"course": "profit-and-cost"})],
    },
    {
        "slug": "growth-tracker",
        "colour": "#b3541e",
        "opens_tool": "growth",
        "name": {"en": "Growth tracker", "fr": "Pilote de croissance"},
        "description": {
            "en": "Sets targets that can be checked and reads the growth trend month by month.",
            "fr": "Fixe des objectifs vérifiables et lit la tendance de croissance mois par mois.",
        },
        "criteria": {
            "en": "Completed the course “Growing with targets” and passed its quiz.",
            "fr": "A terminé la formation «\u00a0Grandir avec des objectifs\u00a0» et réussi son quiz.",
        },
        "rules": [("course_completed", {"course": "business-growth"})],
    },
    {
        "slug": "clean-catalogue",
        "colour": "#2d7a3a",
        "opens_tool": "",
        "name": {"en": "Clean catalogue", "fr": "Catalogue impeccable"},
        "description": {
            "en": "The company's catalogue scores 80 or more in the inventory tool.",
            "fr": "Le catalogue de l'entreprise obtient 80 ou plus dans l'outil d'inventaire.",
        },
        "criteria": {
            "en": "Reached an inventory score of at least 80 out of 100.",
            "fr": "A atteint un score d'inventaire d'au moins 80 sur 100.",
        },
        "valid_for_days": 365,
        "rules": [("milestone", {"milestone": "inventory_score", "threshold": 80})],
    },
    {
        "slug": "data-ready",
        "colour": "#3d6b8c",
        "opens_tool": "",
        "name": {"en": "Three months of data", "fr": "Trois mois de données"},
        "description": {
            "en": "The company has connected at least three months of order data.",
            "fr": "L'entreprise a connecté au moins trois mois de données de commandes.",
        },
        "criteria": {
            "en": "Three months or more of orders from a connected shop or an import.",
            "fr": "Trois mois de commandes ou plus, depuis une boutique connectée ou un import.",
        },
        "rules": [("milestone", {"milestone": "months_of_data", "threshold": 3})],
    },
    {
        "slug": "first-plan-action",
        "colour": "#8c6d1f",
        "opens_tool": "",
        "name": {"en": "First step taken", "fr": "Premier pas franchi"},
        "description": {
            "en": "The company has completed its first action of the new-market entry plan.",
            "fr": "L'entreprise a réalisé la première action de son plan d'entrée sur le nouveau marché.",
        },
        "criteria": {
            "en": "At least one plan action marked done.",
            "fr": "Au moins une action du plan marquée comme faite.",
        },
        "rules": [("milestone", {"milestone": "plan_actions_done", "threshold": 1})],
    },
    {
        "slug": "first-sale-new-market",
        "colour": "#1f6f8b",
        "opens_tool": "",
        "name": {"en": "First sale in a new market", "fr": "Première vente sur un nouveau marché"},
        "description": {
            "en": "The company's orders show its first sale in a target market of its plan where it had never sold.",
            "fr": "Les commandes de l'entreprise montrent sa première vente sur un marché cible de son plan où elle "
            "n'avait jamais vendu.",
        },
        "criteria": {
            "en": "A first order from a new target market after the plan was shared, seen in the company's own data.",
            "fr": "Une première commande venant d'un nouveau marché cible après le partage du plan, constatée dans "
            "les données de l'entreprise.",
        },
        "rules": [("milestone", {"milestone": "new_market_first_sales", "threshold": 1})],
    },
    {
        "slug": "e-channel-graduate",
        "colour": "#0b3d5c",
        "opens_tool": "",
        "name": {"en": "E-Channel graduate", "fr": "Diplômé E-Channel"},
        "description": {
            "en": "Completed the four toolkit courses of the programme.",
            "fr": "A terminé les quatre formations de la boîte à outils du programme.",
        },
        "criteria": {
            "en": "Holds the four course badges.",
            "fr": "Détient les quatre badges de formation.",
        },
        "rules": [
            (
                "badges_held",
                {
                    "badges": ["catalogue-keeper", "market-scout", "profit-planner", "growth-tracker"],
                    "badges_mode": "all",
                },
            )
        ],
    },
    {
        "slug": "programme-champion",
        "colour": "#a4262c",
        "opens_tool": "",
        "name": {"en": "Programme champion", "fr": "Ambassadeur du programme"},
        "description": {
            "en": "Recognised by the launchpad for an outstanding step into a new market.",
            "fr": "Distingué par la rampe de lancement pour un pas remarquable vers un nouveau marché.",
        },
        "criteria": {
            "en": "Awarded by an account manager, with the reason published on the badge.",
            "fr": "Décerné par un gestionnaire de compte, avec la raison publiée sur le badge.",
        },
        "rules": [("awarded", {})],
    },
]
