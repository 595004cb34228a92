"""The four toolkit guides, in English and French, as the site creates them.

Each guide explains one tool of the DMCP as ``toolkit.analyses`` computes it — the same
rules, thresholds and choices — for an SME with little e-commerce experience and for its
account manager. The body is StreamField data (``toolkit.blocks.ContentBlock``): a list of
``(block type, value)`` pairs.
"""

from __future__ import annotations


def _text(html: str) -> tuple[str, str]:
    return ("text", html)


def _callout(tone: str, html: str) -> tuple[str, dict]:
    return ("callout", {"tone": tone, "text": html})


def _try(tool: str, text: str) -> tuple[str, dict]:
    return ("try_on_data", {"tool": tool, "text": text})


INVENTORY = {
    "slug": "inventory",
    "tool": "inventory",
    "en": {
        "title": "Inventory management: a catalogue that sells",
        "seo_title": "Inventory guide: score and fix your product catalogue",
        "search_description": (
            "How the E-Channel inventory tool scores your product catalogue out of 100 against the Google "
            "Merchant Center rules, how to read the fix list, and what to fix first."
        ),
        "summary": (
            "The inventory tool checks every active product against the rules marketplaces and search engines "
            "apply, gives your catalogue a score out of 100 and lists the products to fix first."
        ),
        "body": [
            _text(
                "<h2>What the tool does</h2>"
                "<p>Before you sell in a new market, your products must be easy to find and easy to trust. The "
                "inventory tool reads the active products of your online shop (drafts and archived products are "
                "left out) and runs thirteen checks on each one. They follow the Google Merchant Center product "
                "data specification, which most marketplaces and comparison sites also use:</p>"
                "<ul>"
                "<li><b>Title</b>: present, between 25 and 150 characters, and not written all in capitals.</li>"
                "<li><b>Description</b>: present, between 200 and 5,000 characters, and sharing at least one key "
                "word with the title (so that it is clearly about this product).</li>"
                "<li><b>Price</b>: above zero.</li>"
                "<li><b>Images</b>: at least one, and a main image of at least 800 × 800 pixels when your shop "
                "tells us its size.</li>"
                "<li><b>Identifier</b>: a GTIN (the barcode number), or a brand with a manufacturer part number, "
                "or at the very least your own SKU.</li>"
                "<li><b>Stock</b>: tracked by your shop, and in stock.</li>"
                "<li><b>Unique title</b>: no other active product has exactly the same title.</li>"
                "</ul>"
                "<p>The inventory tool is open from your first day in the programme: it is the gateway to the "
                "other tools, because every later analysis is only as good as the catalogue behind it.</p>"
            ),
            _text(
                "<h2>How to read it</h2>"
                "<h3>The score</h3>"
                "<p>Every pair of a product and a check is <b>passed</b>, <b>failed</b> or <b>unknown</b>. A check "
                "is unknown when the data it needs does not exist: the size of an image your shop does not "
                "report, or whether a product is in stock when its stock is not tracked. Unknown never counts "
                "against you. The score is 100 × passed ÷ (passed + failed).</p>"
            ),
            _callout(
                "example",
                "<p>You have 40 active products: 40 × 13 = 520 pairs. For 20 of them the data is unknown, so 500 "
                "count. 430 pass: your score is 100 × 430 ÷ 500 = <b>86</b>. A product that fails 5 checks costs "
                "you 100 × 5 ÷ 500 = <b>1 point</b>.</p>",
            ),
            _text(
                "<h3>The breakdown per check</h3>"
                "<p>For each check you see how many products pass, fail or are unknown. A check that fails for "
                "most of your products usually has one cause — an export setting that writes titles in capitals, "
                "a theme that uses small images — and one fix.</p>"
                "<h3>The fix list</h3>"
                "<p>Products with at least one failed check, ordered by the points they cost you: the points your "
                "score would gain if every failed check of that product were fixed. Start at the top: that is "
                "where an hour of work moves the score most.</p>"
            ),
            _try("inventory", "Open your fix list and read the failed checks of the first three products."),
            _text(
                "<h2>What to do next</h2>"
                "<ol>"
                "<li><b>Fix the top of the list first.</b> Five products fixed today are worth more than fifty "
                "planned for next month.</li>"
                "<li><b>Write titles people search for</b>: brand, product type, then the detail that matters "
                "(size, colour, material, quantity). “Salted butter galettes, 250 g tin” beats “GALETTES”.</li>"
                "<li><b>Write descriptions of at least 200 characters</b> that repeat the words of the title and "
                "answer a buyer's questions: what it is made of, sizes, care, delivery. Write them in the "
                "language of the market you want to reach.</li>"
                "<li><b>Add identifiers.</b> If your products have barcodes, enter the GTIN; otherwise the brand "
                "and the manufacturer part number; at least a SKU of your own.</li>"
                "<li><b>Turn on stock tracking</b> in your shop: it lets the market assessment tool tell a "
                "product that does not sell from one that has run out.</li>"
                "<li><b>Use large images</b>: 800 × 800 pixels or more, on a plain background.</li>"
                "</ol>"
                "<p>Your shop's data is synchronised regularly, so the score follows your changes. Many SMEs in "
                "the programme aim for a score of 80 or more before they look at a new market.</p>"
            ),
            _callout(
                "warning",
                "<p>An unknown check is not a pass. If many checks are unknown (image sizes missing from a file "
                "import, stock not tracked), ask your account manager whether another data source would give "
                "the tool what it needs.</p>",
            ),
            _text(
                "<h2>For account managers</h2>"
                "<ul>"
                "<li>Read the breakdown per check before the fix list: a systematic failure is one conversation, "
                "not forty fixes.</li>"
                "<li>Agree with the SME the ten products to fix first and add them as actions to the new-market "
                "entry plan; check them at the next review and planning session.</li>"
                "<li>A catalogue with many unknown checks points to the data source: a shop connector usually "
                "reports image sizes and stock, a file upload often does not.</li>"
                "</ul>"
            ),
        ],
    },
    "fr": {
        "title": "Gestion des inventaires\u00a0: un catalogue qui vend",
        "seo_title": "Guide de l'outil de gestion des inventaires\u00a0: notez et corrigez votre catalogue",
        "search_description": (
            "Comment l'outil de gestion des inventaires d'E-Channel note votre catalogue sur 100 selon les règles "
            "de Google Merchant Center, comment lire la liste des corrections et par quoi commencer."
        ),
        "summary": (
            "L'outil de gestion des inventaires vérifie chaque produit actif selon les règles des places de "
            "marché et des moteurs de recherche, donne une note sur 100 à votre catalogue et liste les produits "
            "à corriger en priorité."
        ),
        "body": [
            _text(
                "<h2>Ce que fait l'outil</h2>"
                "<p>Avant de vendre sur un nouveau marché, vos produits doivent être faciles à trouver et inspirer "
                "confiance. L'outil de gestion des inventaires lit les produits actifs de votre boutique en ligne "
                "(les brouillons et les produits archivés sont écartés) et applique treize vérifications à chacun. "
                "Elles suivent la spécification des données produits de Google Merchant Center, que la plupart "
                "des places de marché et des comparateurs utilisent aussi\u00a0:</p>"
                "<ul>"
                "<li><b>Titre</b>\u00a0: présent, de 25 à 150 caractères, et pas entièrement en majuscules.</li>"
                "<li><b>Description</b>\u00a0: présente, de 200 à 5 000 caractères, et partageant au moins un mot clé "
                "avec le titre (pour qu'elle parle bien de ce produit).</li>"
                "<li><b>Prix</b>\u00a0: supérieur à zéro.</li>"
                "<li><b>Images</b>\u00a0: au moins une, et une image principale d'au moins 800 × 800 pixels lorsque "
                "votre boutique en indique la taille.</li>"
                "<li><b>Identifiant</b>\u00a0: un GTIN (le numéro du code-barres), ou une marque avec une référence "
                "fabricant, ou au minimum votre propre référence (SKU).</li>"
                "<li><b>Stock</b>\u00a0: suivi par votre boutique, et disponible.</li>"
                "<li><b>Titre unique</b>\u00a0: aucun autre produit actif ne porte exactement le même titre.</li>"
                "</ul>"
                "<p>L'outil de gestion des inventaires est ouvert dès votre premier jour dans le "
                "programme\u00a0: c'est "
                "la porte d'entrée des autres outils, car chaque analyse ne vaut que ce que vaut le catalogue "
                "sur lequel elle repose.</p>"
            ),
            _text(
                "<h2>Comment le lire</h2>"
                "<h3>La note</h3>"
                "<p>Chaque couple produit-vérification est <b>réussi</b>, <b>échoué</b> ou <b>inconnu</b>. Une "
                "vérification est inconnue lorsque la donnée nécessaire n'existe pas\u00a0: la taille d'une image que "
                "votre boutique n'indique pas, ou la disponibilité d'un produit dont le stock n'est pas suivi. Une "
                "vérification inconnue ne compte jamais contre vous. La note vaut 100 × réussis ÷ (réussis + "
                "échoués).</p>"
            ),
            _callout(
                "example",
                "<p>Vous avez 40 produits actifs\u00a0: 40 × 13 = 520 couples. Pour 20 d'entre eux la donnée est "
                "inconnue, il en reste donc 500. 430 sont réussis\u00a0: votre note est 100 × 430 ÷ 500 = <b>86</b>. "
                "Un produit qui échoue à 5 vérifications vous coûte 100 × 5 ÷ 500 = <b>1 point</b>.</p>",
            ),
            _text(
                "<h3>Le détail par vérification</h3>"
                "<p>Pour chaque vérification, vous voyez combien de produits la réussissent, y échouent ou restent "
                "inconnus. Une vérification qui échoue pour la plupart de vos produits a souvent une seule cause "
                "— un réglage d'export qui écrit les titres en majuscules, un thème qui utilise de petites images "
                "— et une seule correction.</p>"
                "<h3>La liste des corrections</h3>"
                "<p>Les produits qui échouent à au moins une vérification, classés selon les points qu'ils vous "
                "coûtent\u00a0: les points que gagnerait votre note si toutes leurs vérifications échouées étaient "
                "corrigées. Commencez par le haut\u00a0: c'est là qu'une heure de travail fait le plus monter la "
                "note.</p>"
            ),
            _try(
                "inventory",
                "Ouvrez votre liste des corrections et lisez les vérifications échouées des trois premiers produits.",
            ),
            _text(
                "<h2>Et ensuite\u00a0?</h2>"
                "<ol>"
                "<li><b>Corrigez d'abord le haut de la liste.</b> Cinq produits corrigés aujourd'hui valent mieux "
                "que cinquante prévus pour le mois prochain.</li>"
                "<li><b>Rédigez des titres que les gens recherchent</b>\u00a0: la marque, le type de produit, puis le "
                "détail qui compte (taille, couleur, matière, quantité). «\u00a0Galettes au beurre salé, boîte de "
                "250 g\u00a0» vaut mieux que «\u00a0GALETTES\u00a0».</li>"
                "<li><b>Rédigez des descriptions d'au moins 200 caractères</b> qui reprennent les mots du titre et "
                "répondent aux questions d'un acheteur\u00a0: composition, tailles, entretien, livraison. Écrivez-les "
                "dans la langue du marché que vous visez.</li>"
                "<li><b>Ajoutez des identifiants.</b> Si vos produits ont un code-barres, saisissez le GTIN\u00a0; "
                "sinon la marque et la référence fabricant\u00a0; au minimum une référence à vous.</li>"
                "<li><b>Activez le suivi des stocks</b> dans votre boutique\u00a0: l'outil d'évaluation du marché "
                "pourra ainsi distinguer un produit qui ne se vend pas d'un produit en rupture.</li>"
                "<li><b>Utilisez de grandes images</b>\u00a0: 800 × 800 pixels ou plus, sur un fond uni.</li>"
                "</ol>"
                "<p>Les données de votre boutique sont synchronisées régulièrement\u00a0: la note suit vos "
                "corrections. "
                "Beaucoup de PME du programme visent une note de 80 ou plus avant d'aborder un nouveau "
                "marché.</p>"
            ),
            _callout(
                "warning",
                "<p>Une vérification inconnue n'est pas une réussite. Si beaucoup de vérifications restent "
                "inconnues (tailles d'images absentes d'un import de fichier, stock non suivi), demandez à votre "
                "gestionnaire de compte si une autre source de données donnerait à l'outil ce qui lui manque.</p>",
            ),
            _text(
                "<h2>Pour les gestionnaires de compte</h2>"
                "<ul>"
                "<li>Lisez le détail par vérification avant la liste des corrections\u00a0: un échec systématique se "
                "règle en une conversation, pas en quarante corrections.</li>"
                "<li>Convenez avec la PME des dix produits à corriger en premier et ajoutez-les comme actions au "
                "plan d'entrée sur le nouveau marché\u00a0; vérifiez-les à la séance d'examen et de planification "
                "suivante.</li>"
                "<li>Un catalogue avec beaucoup de vérifications inconnues pointe vers la source de données\u00a0: un "
                "connecteur de boutique indique généralement la taille des images et le stock, un import de "
                "fichier souvent non.</li>"
                "</ul>"
            ),
        ],
    },
}


MARKET = {
    "slug": "market-assessment",
    "tool": "market",
    "en": {
        "title": "Market assessment: where your next sales will come from",
        "seo_title": "Market assessment guide: strong, good and potential opportunities",
        "search_description": (
            "How the E-Channel market assessment tool groups your products into strong, good and potential "
            "opportunities from your last 90 days of sales, and compares your markets by country and channel."
        ),
        "summary": (
            "The market assessment tool reads your last 90 days of orders, stock and product views, sorts your "
            "products into strong, good and potential opportunities, and shows which countries and channels "
            "are growing."
        ),
        "body": [
            _text(
                "<h2>What the tool does</h2>"
                "<p>A new market is a distinct group of customers likely to buy your products: a country, a "
                "customer segment, or a channel (selling to businesses or to consumers). The market assessment "
                "tool looks at a recent window — the last 90 days — and asks two questions: which of your "
                "products are ready to sell more, and where are your sales growing?</p>"
                "<p>For every product sold or viewed in the window it measures:</p>"
                "<ul>"
                "<li><b>orders</b> and <b>units</b> sold, and the <b>sales</b> they brought;</li>"
                "<li><b>views</b> of the product page, when your web analytics are connected;</li>"
                "<li><b>conversion</b> = orders ÷ views: how often a visit becomes a sale;</li>"
                "<li><b>sell-through</b> = units sold ÷ (units sold + stock left): how much of what you had has "
                "gone, when your shop tracks stock;</li>"
                "<li><b>trend</b>: units sold in the second half of the window against the first half.</li>"
                "</ul>"
            ),
            _text(
                "<h2>How to read it</h2>"
                "<h3>Three groups of opportunities</h3>"
                "<p>Each product lands in one group at most, tried in this order:</p>"
                "<ul>"
                "<li><b>Strong</b> — a proven seller that can sell more with little work: among the top quarter of "
                "your products by orders, with at least 5 orders, not declining, and not held back by a lack of "
                "stock. Suggested action: keep it in stock and feature it.</li>"
                "<li><b>Good</b> — fewer sales, good potential with some investment: at least 2 orders, and either "
                "growing or converting at least as well as your typical (median) product. Suggested action: "
                "improve the listing and promote it.</li>"
                "<li><b>Potential</b> — early signs of promise: a first sale in the second half of the window, or "
                "a product people look at (at least as many views as your median product) but buy at most once. "
                "Suggested action: test it in a new market.</li>"
                "</ul>"
                "<p>A product in no group is not a bad product: the last 90 days simply do not say anything "
                "special about it.</p>"
            ),
            _callout(
                "example",
                "<p>Your wool scarf had 3 orders in the first 45 days and 9 in the last 45, with 60 left in stock: "
                "trend +200 %, sell-through 12 ÷ 72 = 17 %. If it is in your top quarter by orders it is "
                "<b>strong</b>; otherwise, growing with at least 2 orders, it is <b>good</b>.</p>",
            ),
            _text(
                "<h3>Your markets</h3>"
                "<p>The second table shows, for each customer country and for each channel, the sales and orders "
                "of the last 90 days, the growth against the 90 days before, and the share of your sales. Growth "
                "is left blank when nothing was sold there in the previous window: that is often the sign of a "
                "market that has just opened. A country with a small share but strong growth is worth a "
                "conversation.</p>"
            ),
            _try(
                "market",
                "Look at your strong opportunities and check that each one has enough stock for three months.",
            ),
            _text(
                "<h2>What to do next</h2>"
                "<ul>"
                "<li><b>Strong</b>: make sure the stock will last, and make these products the first ones a new "
                "market sees — on your home page, in marketplace listings, in the first advertising test.</li>"
                "<li><b>Good</b>: improve the listing (better photos, a fuller description — see the inventory "
                "guide), then promote it for a few weeks and watch the conversion.</li>"
                "<li><b>Potential</b>: choose one and test it in one new market with a small budget and a clear "
                "end date.</li>"
                "</ul>"
                "<p>Every suggested action can be added to your new-market entry plan with one click, so that you "
                "and your account manager follow it at the monthly review and planning sessions.</p>"
            ),
            _callout(
                "warning",
                "<p>With less than three months of data the tool's signals are first signs, not conclusions: the "
                "data readiness panel says so. Without product views (no analytics connected), conversion cannot "
                "be measured and the “good” group relies on the trend alone.</p>",
            ),
            _text(
                "<h2>For account managers</h2>"
                "<ul>"
                "<li>The opportunity groups are the raw material of the new-market entry plan: pick one to three "
                "actions per target market rather than everything the tool suggests.</li>"
                "<li>Compare the markets table with the market the SME chose at assessment: data that disagrees "
                "with intuition is worth discussing before any money is spent.</li>"
                "<li>Ask the SME to connect web analytics if views are missing: conversion is the best early "
                "signal of a listing that needs work.</li>"
                "</ul>"
            ),
        ],
    },
    "fr": {
        "title": "Évaluation du marché\u00a0: d'où viendront vos prochaines ventes",
        "seo_title": "Guide de l'outil d'évaluation du marché\u00a0: opportunités fortes, bonnes et potentielles",
        "search_description": (
            "Comment l'outil d'évaluation du marché d'E-Channel classe vos produits en opportunités fortes, bonnes "
            "et potentielles à partir de vos 90 derniers jours de ventes, et compare vos marchés par pays et canal."
        ),
        "summary": (
            "L'outil d'évaluation du marché lit vos 90 derniers jours de commandes, de stock et de consultations, "
            "classe vos produits en opportunités fortes, bonnes et potentielles, et montre quels pays et quels "
            "canaux progressent."
        ),
        "body": [
            _text(
                "<h2>Ce que fait l'outil</h2>"
                "<p>Un nouveau marché est un groupe distinct de clients susceptibles d'acheter vos produits\u00a0: un "
                "pays, un segment de clientèle ou un canal (vente aux entreprises ou aux particuliers). L'outil "
                "d'évaluation du marché examine une période récente — les 90 derniers jours — et pose deux "
                "questions\u00a0: quels produits sont prêts à se vendre davantage, et où vos ventes progressent-"
                "elles\u00a0?</p>"
                "<p>Pour chaque produit vendu ou consulté pendant la période, il mesure\u00a0:</p>"
                "<ul>"
                "<li>les <b>commandes</b> et les <b>unités</b> vendues, et le <b>chiffre d'affaires</b> "
                "correspondant\u00a0;</li>"
                "<li>les <b>consultations</b> de la fiche produit, lorsque vos outils d'analyse web sont "
                "connectés\u00a0;</li>"
                "<li>la <b>conversion</b> = commandes ÷ consultations\u00a0: la part des visites qui deviennent une "
                "vente\u00a0;</li>"
                "<li>le <b>taux d'écoulement</b> = unités vendues ÷ (unités vendues + stock restant)\u00a0: la part de "
                "votre stock déjà partie, lorsque votre boutique suit les stocks\u00a0;</li>"
                "<li>la <b>tendance</b>\u00a0: les unités vendues pendant la seconde moitié de la période par rapport "
                "à la première.</li>"
                "</ul>"
            ),
            _text(
                "<h2>Comment le lire</h2>"
                "<h3>Trois groupes d'opportunités</h3>"
                "<p>Chaque produit entre dans un groupe au plus, examinés dans cet ordre\u00a0:</p>"
                "<ul>"
                "<li><b>Forte</b> — un produit qui a fait ses preuves et peut se vendre davantage avec peu "
                "d'efforts\u00a0: dans le quart de vos produits qui ont le plus de commandes, avec au moins 5 "
                "commandes, sans baisse, et pas freiné par un manque de stock. Action suggérée\u00a0: le garder en "
                "stock et le mettre en avant.</li>"
                "<li><b>Bonne</b> — moins de ventes, mais un bon potentiel moyennant un investissement\u00a0: au moins "
                "2 commandes, et soit en croissance, soit une conversion au moins égale à celle de votre produit "
                "médian. Action suggérée\u00a0: améliorer la fiche et en faire la promotion.</li>"
                "<li><b>Potentielle</b> — des signes prometteurs\u00a0: une première vente pendant la seconde moitié "
                "de la période, ou un produit que l'on regarde (au moins autant de consultations que votre "
                "produit médian) mais que l'on achète une fois au plus. Action suggérée\u00a0: le tester sur un "
                "nouveau marché.</li>"
                "</ul>"
                "<p>Un produit absent des trois groupes n'est pas un mauvais produit\u00a0: les 90 derniers jours ne "
                "disent simplement rien de particulier à son sujet.</p>"
            ),
            _callout(
                "example",
                "<p>Votre écharpe en laine a reçu 3 commandes pendant les 45 premiers jours et 9 pendant les 45 "
                "derniers, et il en reste 60 en stock\u00a0: tendance +200 %, taux d'écoulement 12 ÷ 72 = 17 %. Si "
                "elle fait partie du quart de vos produits les plus commandés, c'est une opportunité "
                "<b>forte</b>\u00a0; sinon, en croissance avec au moins 2 commandes, elle est <b>bonne</b>.</p>",
            ),
            _text(
                "<h3>Vos marchés</h3>"
                "<p>Le second tableau indique, pour chaque pays de clientèle et chaque canal, le chiffre "
                "d'affaires et les commandes des 90 derniers jours, la croissance par rapport aux 90 jours "
                "précédents et la part de vos ventes. La croissance reste vide lorsque rien n'y a été vendu "
                "pendant la période précédente\u00a0: c'est souvent le signe d'un marché qui vient de s'ouvrir. Un "
                "pays qui pèse peu mais progresse fortement mérite qu'on en parle.</p>"
            ),
            _try(
                "market",
                "Regardez vos opportunités fortes et vérifiez que chacune a assez de stock pour trois mois.",
            ),
            _text(
                "<h2>Et ensuite\u00a0?</h2>"
                "<ul>"
                "<li><b>Forte</b>\u00a0: assurez-vous que le stock tiendra, et faites de ces produits les premiers "
                "qu'un nouveau marché découvre — sur votre page d'accueil, dans vos annonces sur les places de "
                "marché, dans votre premier test publicitaire.</li>"
                "<li><b>Bonne</b>\u00a0: améliorez la fiche (de meilleures photos, une description plus complète — "
                "voir le guide de la gestion des inventaires), puis faites-en la promotion quelques semaines en "
                "suivant la conversion.</li>"
                "<li><b>Potentielle</b>\u00a0: choisissez-en une et testez-la sur un nouveau marché, avec un petit "
                "budget et une date de fin claire.</li>"
                "</ul>"
                "<p>Chaque action suggérée peut être ajoutée en un clic à votre plan d'entrée sur le nouveau "
                "marché, pour que vous la suiviez avec votre gestionnaire de compte lors des séances mensuelles "
                "d'examen et de planification.</p>"
            ),
            _callout(
                "warning",
                "<p>Avec moins de trois mois de données, les signaux de l'outil sont des premiers indices, pas des "
                "conclusions\u00a0: le panneau de qualité des données le signale. Sans consultations (aucun outil "
                "d'analyse connecté), la conversion ne peut pas être mesurée et le groupe «\u00a0bonne\u00a0» "
                "repose sur la "
                "seule tendance.</p>",
            ),
            _text(
                "<h2>Pour les gestionnaires de compte</h2>"
                "<ul>"
                "<li>Les groupes d'opportunités sont la matière première du plan d'entrée sur le nouveau marché\u00a0: "
                "retenez une à trois actions par marché visé plutôt que tout ce que l'outil suggère.</li>"
                "<li>Comparez le tableau des marchés avec le marché choisi par la PME lors de l'évaluation\u00a0: des "
                "données qui contredisent l'intuition méritent d'être discutées avant d'engager des "
                "dépenses.</li>"
                "<li>Demandez à la PME de connecter ses outils d'analyse web si les consultations manquent\u00a0: la "
                "conversion est le meilleur signal précoce d'une fiche à retravailler.</li>"
                "</ul>"
            ),
        ],
    },
}


PLANNING = {
    "slug": "business-planning",
    "tool": "planning",
    "en": {
        "title": "Business planning: profit and cost, month by month",
        "seo_title": "Business planning guide: monthly sales, cost, profit and projection",
        "search_description": (
            "How the E-Channel business planning tool counts orders, sales, cost and profit by calendar month, "
            "estimates unknown costs from your default margin, compares periods and projects next month."
        ),
        "summary": (
            "The business planning tool shows your orders, sales, cost and profit for each calendar month, "
            "compares them with earlier periods and projects next month's sales with a range."
        ),
        "body": [
            _text(
                "<h2>What the tool does</h2>"
                "<p>The business planning (profit and cost) tool turns your orders into a monthly account of your "
                "online business. For each calendar month — in your own time zone — it shows:</p>"
                "<ul>"
                "<li><b>Orders</b>: orders with at least one item sold. Cancelled orders count for nothing, and an "
                "order that only returns goods is not a new order.</li>"
                "<li><b>Sales</b>: the value of the items sold (quantity × unit price), minus discounts and "
                "refunds. Returns reduce the sales of the month in which they happen. Shipping charged to the "
                "customer is not counted as sales.</li>"
                "<li><b>Variation</b>: the change in sales against the month before, in %.</li>"
                "<li><b>Cost</b>: the cost of the goods sold plus the fees (payment, marketplace).</li>"
                "<li><b>Profit</b>: sales − cost.</li>"
                "</ul>"
                "<p>It also splits orders and sales by sales channel, so that you can see, for instance, how "
                "your marketplace compares with your own shop.</p>"
            ),
            _text(
                "<h2>How to read it</h2>"
                "<h3>The current month is partial</h3>"
                "<p>The month you are in is shown and marked as partial: it is never used in a comparison or to "
                "make a projection, because half a month always looks like a bad month.</p>"
                "<h3>Estimated costs</h3>"
                "<p>When the unit cost of an item is unknown, its cost is estimated from your default gross "
                "margin: cost = value × (1 − margin). The default margin is 40 % until your account manager "
                "records yours. A month that contains such estimates is marked <b>estimated</b>.</p>"
            ),
            _callout(
                "example",
                "<p>You sell a tin of biscuits for £50 and its cost is not known. With a 40 % margin its "
                "estimated cost is £50 × 0.6 = £30, so it adds £20 to the month's profit. If its real cost is "
                "£38, your real profit on it is only £12: entering real unit costs matters.</p>",
            ),
            _text(
                "<h3>Comparisons</h3>"
                "<ul>"
                "<li><b>Month on month</b>: the last complete month against the one before.</li>"
                "<li><b>Year on year</b>: the last complete month against the same month last year, when your "
                "history goes back that far — the fairest comparison for a seasonal business.</li>"
                "<li><b>Last 6 months against the 6 before</b>, from 12 complete months of history.</li>"
                "<li><b>Year to date</b>: from 1 January to today, against the same days last year, when your "
                "history reaches back to January last year.</li>"
                "</ul>"
                "<h3>The projection for next month</h3>"
                "<p>The tool tries several simple methods and keeps the one that would have been most accurate "
                "on your own recent months:</p>"
                "<ul>"
                "<li><b>naive</b>: next month will be like last month;</li>"
                "<li><b>drift</b>: the line from your first month to your last continues;</li>"
                "<li><b>seasonal</b>: next month will be like the same month last year (from 13 months of "
                "history);</li>"
                "<li><b>Holt-Winters</b>: trend and seasons together (from 24 months of history).</li>"
                "</ul>"
                "<p>Each method is tested on your last six complete months as if it had been used to forecast "
                "each of them; the method with the smallest average error wins. The range shown around the "
                "projection is ± 1.96 times the typical error of that test — roughly where 95 % of outcomes would "
                "fall — and its low end is never below zero.</p>"
            ),
            _try("planning", "Check which of your months are marked estimated and how wide next month's range is."),
            _text(
                "<h2>What to do next</h2>"
                "<ul>"
                "<li><b>Replace estimates with real costs</b>: enter unit costs in your shop, or ask your account "
                "manager to set a default margin that reflects your business.</li>"
                "<li><b>Read the year-on-year comparison before worrying</b> about a bad month: many businesses "
                "are seasonal.</li>"
                "<li><b>Use the projection to plan stock and cash</b>: plan for the low end, be ready for the "
                "high end.</li>"
                "<li><b>Look at the channels</b>: a channel with many orders but little profit may cost more in "
                "fees than it brings.</li>"
                "</ul>"
            ),
            _callout(
                "tip",
                "<p>A wide range means your months vary a lot, not that the tool is broken. It narrows as your "
                "history grows.</p>",
            ),
            _text(
                "<h2>For account managers</h2>"
                "<ul>"
                "<li>This tool is the backbone of the four monthly review and planning sessions of the intensive "
                "phase; the first, after one month, is the first marketing and sales evaluation.</li>"
                "<li>Check the data readiness panel's share of lines with a known cost: below half, profit "
                "figures depend mostly on the default margin — agree a realistic one with the SME and record "
                "it.</li>"
                "<li>Note the projection and its method in the session record, and compare it with the outcome "
                "at the next session.</li>"
                "</ul>"
            ),
        ],
    },
    "fr": {
        "title": "Planification des activités\u00a0: profits et coûts, mois par mois",
        "seo_title": "Guide de l'outil de planification\u00a0: ventes, coûts, profits et projection mensuels",
        "search_description": (
            "Comment l'outil de planification des activités d'E-Channel compte commandes, ventes, coûts et profits "
            "par mois civil, estime les coûts inconnus à partir de votre marge par défaut, compare et projette."
        ),
        "summary": (
            "L'outil de planification des activités présente vos commandes, ventes, coûts et profits pour chaque "
            "mois civil, les compare aux périodes précédentes et projette les ventes du mois prochain avec une "
            "fourchette."
        ),
        "body": [
            _text(
                "<h2>Ce que fait l'outil</h2>"
                "<p>L'outil de planification des activités (profits et coûts) transforme vos commandes en un "
                "compte mensuel de votre activité en ligne. Pour chaque mois civil — dans votre propre fuseau "
                "horaire — il indique\u00a0:</p>"
                "<ul>"
                "<li><b>Commandes</b>\u00a0: les commandes comptant au moins un article vendu. Les commandes annulées "
                "ne comptent pas, et une commande qui ne fait que retourner des articles n'est pas une nouvelle "
                "commande.</li>"
                "<li><b>Ventes</b>\u00a0: la valeur des articles vendus (quantité × prix unitaire), moins les remises "
                "et les remboursements. Les retours diminuent les ventes du mois où ils ont lieu. Les frais de "
                "port facturés au client ne sont pas comptés comme des ventes.</li>"
                "<li><b>Variation</b>\u00a0: l'évolution des ventes par rapport au mois précédent, en %.</li>"
                "<li><b>Coût</b>\u00a0: le coût des marchandises vendues plus les frais (paiement, place de "
                "marché).</li>"
                "<li><b>Profit</b>\u00a0: ventes − coût.</li>"
                "</ul>"
                "<p>Il répartit aussi commandes et ventes par canal de vente\u00a0: vous voyez par exemple ce que "
                "rapporte votre place de marché par rapport à votre propre boutique.</p>"
            ),
            _text(
                "<h2>Comment le lire</h2>"
                "<h3>Le mois en cours est partiel</h3>"
                "<p>Le mois en cours est affiché et signalé comme partiel\u00a0: il n'entre jamais dans une "
                "comparaison "
                "ni dans une projection, car un demi-mois ressemble toujours à un mauvais mois.</p>"
                "<h3>Les coûts estimés</h3>"
                "<p>Lorsque le coût unitaire d'un article est inconnu, son coût est estimé à partir de votre marge "
                "brute par défaut\u00a0: coût = valeur × (1 − marge). La marge par défaut est de 40 % tant que votre "
                "gestionnaire de compte n'a pas enregistré la vôtre. Un mois qui contient de telles estimations "
                "est signalé comme <b>estimé</b>.</p>"
            ),
            _callout(
                "example",
                "<p>Vous vendez une boîte de biscuits 50 € et son coût n'est pas connu. Avec une marge de 40 %, "
                "son coût estimé est de 50 € × 0,6 = 30 €\u00a0: elle ajoute 20 € au profit du mois. Si son coût réel "
                "est de 38 €, votre vrai profit n'est que de 12 €\u00a0: saisir les coûts réels compte.</p>",
            ),
            _text(
                "<h3>Les comparaisons</h3>"
                "<ul>"
                "<li><b>D'un mois sur l'autre</b>\u00a0: le dernier mois complet par rapport au précédent.</li>"
                "<li><b>D'une année sur l'autre</b>\u00a0: le dernier mois complet par rapport au même mois de l'an "
                "dernier, si votre historique remonte jusque-là — la comparaison la plus juste pour une activité "
                "saisonnière.</li>"
                "<li><b>Les 6 derniers mois par rapport aux 6 précédents</b>, à partir de 12 mois complets "
                "d'historique.</li>"
                "<li><b>Depuis le début de l'année</b>\u00a0: du 1er janvier à aujourd'hui, par rapport aux "
                "mêmes jours "
                "de l'an dernier, si votre historique remonte à janvier de l'an dernier.</li>"
                "</ul>"
                "<h3>La projection du mois prochain</h3>"
                "<p>L'outil essaie plusieurs méthodes simples et retient celle qui aurait été la plus juste sur "
                "vos propres mois récents\u00a0:</p>"
                "<ul>"
                "<li><b>naïve</b>\u00a0: le mois prochain ressemblera au mois dernier\u00a0;</li>"
                "<li><b>dérive</b>\u00a0: la droite qui va de votre premier mois au dernier se prolonge\u00a0;</li>"
                "<li><b>saisonnière</b>\u00a0: le mois prochain ressemblera au même mois de l'an dernier (à partir de "
                "13 mois d'historique)\u00a0;</li>"
                "<li><b>Holt-Winters</b>\u00a0: tendance et saisons réunies (à partir de 24 mois d'historique).</li>"
                "</ul>"
                "<p>Chaque méthode est mise à l'épreuve sur vos six derniers mois complets, comme si elle avait "
                "servi à prévoir chacun d'eux\u00a0; celle dont l'erreur moyenne est la plus faible l'emporte. La "
                "fourchette affichée autour de la projection vaut ± 1,96 fois l'erreur type de cette épreuve — à "
                "peu près là où tomberaient 95 % des résultats — et son bas n'est jamais inférieur à zéro.</p>"
            ),
            _try(
                "planning",
                "Repérez vos mois signalés comme estimés et la largeur de la fourchette du mois prochain.",
            ),
            _text(
                "<h2>Et ensuite\u00a0?</h2>"
                "<ul>"
                "<li><b>Remplacez les estimations par des coûts réels</b>\u00a0: saisissez les coûts unitaires dans "
                "votre boutique, ou demandez à votre gestionnaire de compte de fixer une marge par défaut qui "
                "reflète votre activité.</li>"
                "<li><b>Lisez la comparaison d'une année sur l'autre avant de vous inquiéter</b> d'un mauvais "
                "mois\u00a0: beaucoup d'activités sont saisonnières.</li>"
                "<li><b>Servez-vous de la projection pour prévoir stock et trésorerie</b>\u00a0: prévoyez pour le bas "
                "de la fourchette, soyez prêt pour le haut.</li>"
                "<li><b>Regardez les canaux</b>\u00a0: un canal qui apporte beaucoup de commandes mais peu de profit "
                "coûte peut-être plus en frais qu'il ne rapporte.</li>"
                "</ul>"
            ),
            _callout(
                "tip",
                "<p>Une fourchette large signifie que vos mois varient beaucoup, pas que l'outil se trompe. Elle "
                "se resserre à mesure que votre historique s'allonge.</p>",
            ),
            _text(
                "<h2>Pour les gestionnaires de compte</h2>"
                "<ul>"
                "<li>Cet outil structure les quatre séances mensuelles d'examen et de planification de la phase "
                "intensive\u00a0; la première, après un mois, est la première évaluation marketing et "
                "commerciale.</li>"
                "<li>Vérifiez dans le panneau de qualité des données la part des lignes dont le coût est connu\u00a0: "
                "en dessous de la moitié, les profits dépendent surtout de la marge par défaut — convenez d'une "
                "marge réaliste avec la PME et enregistrez-la.</li>"
                "<li>Notez la projection et sa méthode dans le compte rendu de séance, et comparez-la au résultat "
                "lors de la séance suivante.</li>"
                "</ul>"
            ),
        ],
    },
}


GROWTH = {
    "slug": "business-growth",
    "tool": "growth",
    "en": {
        "title": "Business growth: profitable orders, products and targets",
        "seo_title": "Business growth guide: order profit, product ranking and growth targets",
        "search_description": (
            "How the E-Channel business growth tool shows the profit of every order, ranks your products, and "
            "tracks your long-term targets with a projection from your current trend."
        ),
        "summary": (
            "The business growth tool shows the profit of every order, ranks your products by sales and profit "
            "for any period, and tracks the long-term targets you set with your account manager."
        ),
        "body": [
            _text(
                "<h2>What the tool does</h2>"
                "<p>Growing is not only selling more: it is selling more of what makes money. For a month or any "
                "period you choose, the business growth tool shows:</p>"
                "<ul>"
                "<li><b>The profit of every order</b>: its sales (items − discounts − refunds) minus its cost "
                "(cost of goods, estimated from your default margin when unknown, plus fees). Loss-making orders "
                "(profit below zero) and the most profitable ones (the top 10 % by profit, at least one) stand "
                "out.</li>"
                "<li><b>Your products</b> ranked by sales, with their orders, units, cost, profit and margin "
                "(profit ÷ sales).</li>"
                "<li><b>Your targets</b>: a monthly figure — sales, orders or profit — to reach by a date, with "
                "your progress and where your current trend will take you.</li>"
                "</ul>"
            ),
            _text(
                "<h2>How to read it</h2>"
                "<h3>Orders that lose money</h3>"
                "<p>An order loses money when its discounts, fees and cost of goods outweigh what the customer "
                "paid for the items. Look for a pattern: small orders with a fixed payment fee, discount codes "
                "stacked on sale prices, marketplace commissions on low-priced items. Orders whose cost is "
                "estimated are marked: check them before drawing conclusions.</p>"
                "<h3>Products</h3>"
                "<p>The product with the most sales is not always the one that earns the most. Sort your attention "
                "by profit and margin: a best seller with a 5 % margin may be worth a price review; a product with "
                "a 60 % margin and few sales may deserve promotion.</p>"
                "<h3>Targets</h3>"
                "<p>Progress is the last complete month's figure as a share of the target. The projection draws "
                "a straight line through your last six complete months and extends it to the target's month: "
                "you are <b>on track</b> when that line reaches the target.</p>"
            ),
            _callout(
                "example",
                "<p>Target: monthly sales of £12,000 by December. Your last six months were £6,000, £6,500, "
                "£7,200, £7,400, £8,100 and £8,600. Progress: 8,600 ÷ 12,000 = 72 %. The line rises by about "
                "£510 a month, so six months later it reaches about £11,700: just short — not on track yet.</p>",
            ),
            _try("growth", "Open last month's orders and look at what the loss-making ones have in common."),
            _text(
                "<h2>What to do next</h2>"
                "<ul>"
                "<li><b>Stop the losses</b>: set a minimum order value or a free-shipping threshold, limit "
                "discount codes on sale items, review prices on marketplaces that charge high commissions.</li>"
                "<li><b>Grow what earns</b>: promote products with a healthy margin, and bundle low-margin best "
                "sellers with them.</li>"
                "<li><b>Set one or two targets, not ten</b>, with a date and a figure you can influence. If the "
                "projection says you are off track, turn the gap into plan actions.</li>"
                "</ul>"
            ),
            _callout(
                "tip",
                "<p>The projection follows your recent trend: one exceptional month pulls it up or down. Read it "
                "again after each month rather than trusting a single reading.</p>",
            ),
            _text(
                "<h2>For account managers</h2>"
                "<ul>"
                "<li>Use this tool for the growth review meeting that closes the intensive phase: set the "
                "long-term targets with the SME and record the longer-term plan.</li>"
                "<li>During aftercare, the targets' progress and projection are the quickest way to see whether "
                "an SME needs a periodic review sooner.</li>"
                "<li>A loss-making pattern on one channel or one country is a finding worth adding to the "
                "new-market entry plan.</li>"
                "</ul>"
            ),
        ],
    },
    "fr": {
        "title": "Croissance de l'entreprise\u00a0: commandes rentables, produits et objectifs",
        "seo_title": "Guide de l'outil de croissance\u00a0: profit par commande, produits et objectifs",
        "search_description": (
            "Comment l'outil de croissance de l'entreprise d'E-Channel montre le profit de chaque commande, classe "
            "vos produits et suit vos objectifs à long terme avec une projection de votre tendance actuelle."
        ),
        "summary": (
            "L'outil de croissance de l'entreprise montre le profit de chaque commande, classe vos produits par "
            "ventes et par profit sur la période de votre choix, et suit les objectifs à long terme fixés avec "
            "votre gestionnaire de compte."
        ),
        "body": [
            _text(
                "<h2>Ce que fait l'outil</h2>"
                "<p>Grandir, ce n'est pas seulement vendre plus\u00a0: c'est vendre davantage de ce qui rapporte. Pour "
                "un mois ou la période de votre choix, l'outil de croissance de l'entreprise présente\u00a0:</p>"
                "<ul>"
                "<li><b>Le profit de chaque commande</b>\u00a0: ses ventes (articles − remises − remboursements) moins "
                "son coût (coût des marchandises, estimé à partir de votre marge par défaut lorsqu'il est inconnu, "
                "plus les frais). Les commandes à perte (profit inférieur à zéro) et les plus rentables (les 10 % "
                "les plus rentables, au moins une) ressortent.</li>"
                "<li><b>Vos produits</b>, classés par ventes, avec leurs commandes, unités, coût, profit et marge "
                "(profit ÷ ventes).</li>"
                "<li><b>Vos objectifs</b>\u00a0: un chiffre mensuel — ventes, commandes ou profit — à atteindre à une "
                "date donnée, avec votre progression et l'endroit où vous mène votre tendance actuelle.</li>"
                "</ul>"
            ),
            _text(
                "<h2>Comment le lire</h2>"
                "<h3>Les commandes à perte</h3>"
                "<p>Une commande est à perte lorsque ses remises, ses frais et le coût des marchandises dépassent "
                "ce que le client a payé pour les articles. Cherchez un point commun\u00a0: de petites commandes avec "
                "des frais de paiement fixes, des codes promotionnels cumulés avec des soldes, des commissions de "
                "place de marché sur des articles peu chers. Les commandes dont le coût est estimé sont "
                "signalées\u00a0: vérifiez-les avant de conclure.</p>"
                "<h3>Les produits</h3>"
                "<p>Le produit qui se vend le plus n'est pas toujours celui qui rapporte le plus. Regardez le "
                "profit et la marge\u00a0: une meilleure vente avec 5 % de marge mérite peut-être une révision de "
                "prix\u00a0; un produit à 60 % de marge qui se vend peu mérite peut-être une promotion.</p>"
                "<h3>Les objectifs</h3>"
                "<p>La progression est le chiffre du dernier mois complet rapporté à l'objectif. La projection "
                "trace une droite à travers vos six derniers mois complets et la prolonge jusqu'au mois de "
                "l'objectif\u00a0: vous êtes <b>sur la bonne voie</b> lorsque cette droite atteint l'objectif.</p>"
            ),
            _callout(
                "example",
                "<p>Objectif\u00a0: 12 000 € de ventes mensuelles en décembre. Vos six derniers mois\u00a0: 6 000 €, "
                "6 500 €, 7 200 €, 7 400 €, 8 100 € et 8 600 €. Progression\u00a0: 8 600 ÷ 12 000 = 72 %. La droite "
                "monte d'environ 510 € par mois et atteint donc environ 11 700 € six mois plus tard\u00a0: un peu "
                "court — pas encore sur la bonne voie.</p>",
            ),
            _try(
                "growth",
                "Ouvrez les commandes du mois dernier et cherchez ce que les commandes à perte ont en commun.",
            ),
            _text(
                "<h2>Et ensuite\u00a0?</h2>"
                "<ul>"
                "<li><b>Arrêtez les pertes</b>\u00a0: fixez un montant minimum de commande ou un seuil de livraison "
                "gratuite, limitez les codes promotionnels sur les articles soldés, revoyez vos prix sur les "
                "places de marché aux commissions élevées.</li>"
                "<li><b>Développez ce qui rapporte</b>\u00a0: mettez en avant les produits à bonne marge, et associez-"
                "leur vos meilleures ventes à faible marge dans des lots.</li>"
                "<li><b>Fixez un ou deux objectifs, pas dix</b>, avec une date et un chiffre sur lesquels vous "
                "avez prise. Si la projection indique que vous n'êtes pas sur la bonne voie, transformez l'écart "
                "en actions du plan.</li>"
                "</ul>"
            ),
            _callout(
                "tip",
                "<p>La projection suit votre tendance récente\u00a0: un mois exceptionnel la tire vers le haut ou vers "
                "le bas. Relisez-la chaque mois plutôt que de vous fier à une seule lecture.</p>",
            ),
            _text(
                "<h2>Pour les gestionnaires de compte</h2>"
                "<ul>"
                "<li>Servez-vous de cet outil pour le bilan de croissance qui clôt la phase intensive\u00a0: fixez les "
                "objectifs à long terme avec la PME et enregistrez le plan à plus long terme.</li>"
                "<li>Pendant le suivi, la progression et la projection des objectifs sont le moyen le plus rapide "
                "de voir si une PME a besoin d'un examen périodique plus tôt.</li>"
                "<li>Des pertes récurrentes sur un canal ou un pays sont un constat à ajouter au plan d'entrée sur "
                "le nouveau marché.</li>"
                "</ul>"
            ),
        ],
    },
}

# In the order an SME usually meets the tools: inventory is the gateway.
GUIDES = [INVENTORY, MARKET, PLANNING, GROWTH]
