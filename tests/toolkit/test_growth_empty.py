"""Growth on a period with no product line (returns only, or nothing sold yet) gives empty tables, not an error."""

import pandas as pd

from toolkit.analyses.growth import _products_by


def test_a_period_without_lines_has_no_product_rows():
    items = pd.DataFrame(columns=["month", "order_id", "product_id", "sku", "description", "quantity", "value", "cost"])
    frame = _products_by(items, ["month"])
    assert frame.empty
    assert list(frame.columns) == ["label", "orders", "units", "sales", "cost"]
    assert frame.index.names == ["month", "key"]
