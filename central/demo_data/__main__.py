"""``python -m central.demo_data [RESOURCES]``: regenerate the product and brand images."""

from __future__ import annotations

import sys
from pathlib import Path

from .images import RESOURCES, write_brand_images, write_product_images

root = Path(sys.argv[1]) if len(sys.argv) > 1 else RESOURCES
print(write_product_images(root / "products"), "product images")
print(write_brand_images(root / "brand"), "brand images")
