"""The documents the resources library starts with, built here in English and French.

Each is a real working file: the import templates the file connector reads, a product data
checklist with the inventory tool's rules, and a monthly figures worksheet laid out as the
business planning tool counts. ``RESOURCES`` describes them; ``resource_file`` builds one.
"""

from __future__ import annotations

from collections.abc import Callable

from connectors.files.template import template_bytes, template_filename
from journey import spreadsheets

# The inventory tool's checks (toolkit.analyses.inventory.CHECKS), with the rule and the fix, per language.
CHECKLIST = {
    "en": {
        "sheet": "Checklist",
        "headers": ["Check", "Rule", "Why it matters", "How to fix it", "Done"],
        "rows": [
            ("Title present", "Every product has a title.", "Nobody can find a product without a name.",
             "Name it: brand, product type, key detail."),
            ("Title length", "25 to 150 characters.", "Short titles miss search words; long ones are cut.",
             "Add the size, colour, material or quantity."),
            ("Title not in capitals", "Not written all in capitals.", "Marketplaces reject or demote shouting titles.",
             "Write in sentence case."),
            ("Description present", "Every product has a description.", "Buyers need details to trust a product.",
             "Say what it is, what it is made of, how to use it."),
            ("Description length", "200 to 5,000 characters.", "Short descriptions leave questions unanswered.",
             "Add sizes, care, delivery and returns."),
            ("Description matches title", "Shares at least one key word with the title.",
             "Search engines check that the page is about the product.", "Repeat the main words of the title."),
            ("Price above zero", "The price is more than 0.", "A zero price is rejected by every marketplace.",
             "Enter the selling price."),
            ("Has an image", "At least one image.", "Listings without images rarely sell.",
             "Photograph the product on a plain background."),
            ("Main image size", "At least 800 × 800 pixels.", "Small images cannot be zoomed.",
             "Upload a larger original."),
            ("Identifier", "GTIN, or brand and manufacturer part number, or at least a SKU.",
             "Marketplaces match products by identifier.", "Enter the barcode number or your own reference."),
            ("Stock tracked", "The shop tracks the stock.", "Untracked stock hides sold-out products.",
             "Turn on stock tracking in your shop."),
            ("In stock", "Tracked stock above zero.", "A sold-out product cannot sell.", "Restock or hide it."),
            ("Title unique", "No other active product has the same title.",
             "Duplicates confuse buyers and search engines.", "Add the variant to the title."),
        ],
    },
    "fr": {
        "sheet": "Liste de contrôle",
        "headers": ["Vérification", "Règle", "Pourquoi c'est important", "Comment corriger", "Fait"],
        "rows": [
            ("Titre présent", "Chaque produit a un titre.", "Personne ne trouve un produit sans nom.",
             "Nommez-le\u00a0: marque, type de produit, détail clé."),
            ("Longueur du titre", "De 25 à 150 caractères.",
             "Un titre court manque de mots recherchés\u00a0; un titre long est coupé.",
             "Ajoutez la taille, la couleur, la matière ou la quantité."),
            ("Titre sans majuscules", "Pas entièrement en majuscules.",
             "Les places de marché refusent ou déclassent les titres en capitales.", "Écrivez en minuscules."),
            ("Description présente", "Chaque produit a une description.",
             "L'acheteur a besoin de détails pour faire confiance.",
             "Dites ce que c'est, sa composition, son usage."),
            ("Longueur de la description", "De 200 à 5 000 caractères.",
             "Une description courte laisse des questions sans réponse.",
             "Ajoutez tailles, entretien, livraison et retours."),
            ("Description liée au titre", "Partage au moins un mot clé avec le titre.",
             "Les moteurs de recherche vérifient que la page parle du produit.", "Reprenez les mots du titre."),
            ("Prix supérieur à zéro", "Le prix est supérieur à 0.", "Un prix nul est refusé partout.",
             "Saisissez le prix de vente."),
            ("Image présente", "Au moins une image.", "Une fiche sans image se vend rarement.",
             "Photographiez le produit sur un fond uni."),
            ("Taille de l'image principale", "Au moins 800 × 800 pixels.", "Une petite image ne peut être agrandie.",
             "Téléversez un original plus grand."),
            ("Identifiant", "GTIN, ou marque et référence fabricant, ou au moins une référence (SKU).",
             "Les places de marché rapprochent les produits par identifiant.",
             "Saisissez le code-barres ou votre propre référence."),
            ("Stock suivi", "La boutique suit le stock.", "Un stock non suivi cache les ruptures.",
             "Activez le suivi des stocks dans votre boutique."),
            ("En stock", "Stock suivi supérieur à zéro.", "Un produit en rupture ne se vend pas.",
             "Réapprovisionnez ou masquez-le."),
            ("Titre unique", "Aucun autre produit actif ne porte le même titre.",
             "Les doublons troublent acheteurs et moteurs de recherche.", "Ajoutez la variante au titre."),
        ],
    },
}  # fmt: skip

WORKSHEET = {
    "en": {
        "sheet": "Monthly figures",
        "headers": ["Month (YYYY-MM)", "Orders", "Sales", "Cost", "Profit", "Variation %"],
        "note": (
            "Sales = items sold − discounts − refunds (not shipping). Cost = cost of goods + fees; "
            "when a cost is unknown, use sales × (1 − your margin). Leave the current month out: it is partial."
        ),
    },
    "fr": {
        "sheet": "Chiffres mensuels",
        "headers": ["Mois (AAAA-MM)", "Commandes", "Ventes", "Coût", "Profit", "Variation %"],
        "note": (
            "Ventes = articles vendus − remises − remboursements (hors port). Coût = coût des marchandises + "
            "frais\u00a0; si un coût est inconnu, prenez ventes × (1 − votre marge). Laissez de côté le mois en "
            "cours\u00a0: il est partiel."
        ),
    },
}


def checklist_xlsx(language: str) -> bytes:
    """The product data checklist: one row per inventory check, with a column to tick."""
    from openpyxl.styles import Alignment

    text = CHECKLIST[language]
    workbook = spreadsheets.xlsx_workbook()
    sheet = spreadsheets.xlsx_sheet(workbook, text["sheet"], text["headers"], widths=(28, 40, 44, 44, 8))
    for row in text["rows"]:
        spreadsheets.xlsx_append(sheet, [*row, ""])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return spreadsheets.xlsx_bytes(workbook)


def worksheet_xlsx(language: str) -> bytes:
    """Twelve months to fill in, with profit and variation computed by formulas."""
    text = WORKSHEET[language]
    workbook = spreadsheets.xlsx_workbook()
    sheet = spreadsheets.xlsx_sheet(workbook, text["sheet"], text["headers"], widths={"A": 18})
    for row in range(2, 14):
        variation = f'=IF(OR(C{row - 1}="",C{row - 1}=0),"",(C{row}-C{row - 1})/C{row - 1})' if row > 2 else ""
        sheet.append(["", "", "", "", f'=IF(C{row}="","",C{row}-D{row})', variation])
        sheet[f"F{row}"].number_format = "0.0%"
    sheet.append([])
    sheet.append([text["note"]])
    # The only live formulas the programme hands out: its own, in a workbook with no outside text.
    return spreadsheets.xlsx_bytes(workbook, formulas=True)


def _template(stream: str) -> Callable[[str], tuple[str, bytes]]:
    def build(language: str) -> tuple[str, bytes]:
        return template_filename(stream, "xlsx", language), template_bytes(stream, "xlsx", language)

    return build


def _named(stems: dict[str, str], builder: Callable[[str], bytes]) -> Callable[[str], tuple[str, bytes]]:
    def build(language: str) -> tuple[str, bytes]:
        return f"{stems[language]}.xlsx", builder(language)

    return build


# ``key`` identifies each resource the site creates (so it is created once); ``build(language)``
# returns (file name, bytes).
RESOURCES = [
    {
        "key": "orders-template",
        "topic": "data",
        "build": _template("orders"),
        "en": {
            "title": "Order import template",
            "description": (
                "A spreadsheet with the columns the platform reads when you upload your orders instead of "
                "connecting a shop, and a help sheet that explains each column with an example."
            ),
        },
        "fr": {
            "title": "Modèle d'import des commandes",
            "description": (
                "Un tableur avec les colonnes que la plateforme lit lorsque vous importez vos commandes au lieu de "
                "connecter une boutique, et une feuille d'aide qui explique chaque colonne avec un exemple."
            ),
        },
    },
    {
        "key": "products-template",
        "topic": "data",
        "build": _template("products"),
        "en": {
            "title": "Product import template",
            "description": (
                "The columns the platform reads for your product catalogue — title, description, price, "
                "identifiers, stock, images — with a help sheet."
            ),
        },
        "fr": {
            "title": "Modèle d'import des produits",
            "description": (
                "Les colonnes que la plateforme lit pour votre catalogue — titre, description, prix, "
                "identifiants, stock, images — avec une feuille d'aide."
            ),
        },
    },
    {
        "key": "product-data-checklist",
        "topic": "inventory",
        "build": _named(
            {"en": "e-channel-product-data-checklist", "fr": "e-channel-liste-controle-produits"}, checklist_xlsx
        ),
        "en": {
            "title": "Product data checklist",
            "description": (
                "The thirteen checks of the inventory tool, each with its rule, why it matters and how to fix it, "
                "with a column to tick as you go through your catalogue."
            ),
        },
        "fr": {
            "title": "Liste de contrôle des données produits",
            "description": (
                "Les treize vérifications de l'outil de gestion des inventaires, chacune avec sa règle, son "
                "intérêt et la façon de corriger, et une colonne à cocher au fil de votre catalogue."
            ),
        },
    },
    {
        "key": "monthly-figures-worksheet",
        "topic": "planning",
        "build": _named({"en": "e-channel-monthly-figures", "fr": "e-channel-chiffres-mensuels"}, worksheet_xlsx),
        "en": {
            "title": "Monthly figures worksheet",
            "description": (
                "Twelve months of orders, sales, cost and profit counted the way the business planning tool "
                "counts them, with the profit and the variation computed for you."
            ),
        },
        "fr": {
            "title": "Feuille des chiffres mensuels",
            "description": (
                "Douze mois de commandes, ventes, coûts et profits comptés comme les compte l'outil de "
                "planification des activités, avec le profit et la variation calculés pour vous."
            ),
        },
    },
]
