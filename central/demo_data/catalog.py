"""The Harbour & Pine catalog: styles, colourways, size runs, SKUs and EAN-13 barcodes.

A style is one design (``HP-TRN-101``); a SKU is a style in one colour and one size
(``HP-TRN-101-BLK-42``). The catalog does not depend on the random seed: every demo and
every scale run sells the same ~600 SKUs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .timeline import Row

# name -> (code, slug, hex)
COLOURS: dict[str, tuple[str, str, str]] = {
    "Black": ("BLK", "black", "#1E1F22"),
    "Navy": ("NVY", "navy", "#1F2D4A"),
    "Forest Green": ("FOR", "forest-green", "#2E5140"),
    "Olive": ("OLV", "olive", "#6A6B3C"),
    "Sand": ("SND", "sand", "#CDB78E"),
    "Stone": ("STN", "stone", "#B9B3A6"),
    "Charcoal": ("CHR", "charcoal", "#3B3E44"),
    "Grey Marl": ("GRY", "grey-marl", "#9C9EA1"),
    "White": ("WHT", "white", "#F5F5F2"),
    "Ecru": ("ECR", "ecru", "#ECE4D2"),
    "Rust": ("RST", "rust", "#B0522E"),
    "Burgundy": ("BRG", "burgundy", "#6C2233"),
    "Mustard": ("MUS", "mustard", "#CF9F35"),
    "Sky Blue": ("SKY", "sky-blue", "#8DB6DC"),
    "Teal": ("TEA", "teal", "#1E6E76"),
    "Signal Red": ("RED", "signal-red", "#B8261F"),
    "Ember Orange": ("ORG", "ember-orange", "#DE6E28"),
    "Slate Blue": ("SLB", "slate-blue", "#4A5D7C"),
    "Moss": ("MOS", "moss", "#7B8A4B"),
    "Chestnut": ("BRN", "chestnut", "#6A442C"),
    "Tan": ("TAN", "tan", "#A8764A"),
    "Heather Purple": ("HTH", "heather-purple", "#7D5F86"),
    "Indigo": ("IND", "indigo", "#2C3559"),
}

BRANDS: dict[str, str] = {
    "HP": "Harbour & Pine",
    "CO": "Corrib Outdoor",
    "AT": "Atlantic Trail",
    "BW": "Burren Works",
    "LS": "Liffey Street",
    "WW": "Wicklow Wool Co.",
    "SF": "Slieve Footwear",
}

# subcategory code -> (category, subcategory label, image shape, size run key)
SUBCATEGORIES: dict[str, tuple[str, str, str, str]] = {
    "TRN": ("footwear", "Trail runners", "runner", "shoe"),
    "HKB": ("footwear", "Hiking boots", "boot", "shoe"),
    "SNK": ("footwear", "City sneakers", "sneaker", "shoe"),
    "CHB": ("footwear", "Chelsea boots", "chelsea", "shoe"),
    "SDL": ("footwear", "Sandals", "sandal", "shoe"),
    "RJK": ("apparel", "Rain jackets", "jacket", "top"),
    "SSJ": ("apparel", "Softshell jackets", "jacket", "top"),
    "DWN": ("apparel", "Down jackets", "puffer", "top"),
    "GIL": ("apparel", "Gilets", "gilet", "top"),
    "FLC": ("apparel", "Fleeces", "fleece", "top"),
    "BSL": ("apparel", "Base layers", "longsleeve", "top"),
    "HOD": ("apparel", "Hoodies", "hoodie", "top"),
    "TEE": ("apparel", "T-shirts", "tee", "top"),
    "SHT": ("apparel", "Shirts", "shirt", "top"),
    "KNT": ("apparel", "Knitwear", "sweater", "top"),
    "CHN": ("apparel", "Chinos", "trousers", "bottom"),
    "HKT": ("apparel", "Hiking trousers", "trousers", "bottom"),
    "JNS": ("apparel", "Jeans", "trousers", "bottom"),
    "SHR": ("apparel", "Shorts", "shorts", "bottom"),
    "BNI": ("accessories", "Beanies", "beanie", "one"),
    "CAP": ("accessories", "Caps", "cap", "one"),
    "BPK": ("accessories", "Backpacks", "backpack", "one"),
    "SCK": ("accessories", "Socks", "socks", "sml"),
    "GLV": ("accessories", "Gloves", "gloves", "sml"),
    "BLT": ("accessories", "Belts", "belt", "sml"),
    "SCF": ("accessories", "Scarves", "scarf", "one"),
    "BTL": ("accessories", "Bottles", "bottle", "one"),
}

# Styles whose picture differs from the rest of their subcategory.
SHAPE_OVERRIDES = {
    "HP-SCF-862": "tube",
    "HP-SDL-502": "slide",
    "LS-HOD-662": "ziphoodie",
    "AT-FLC-643": "ziphoodie",
}

SIZE_RUNS: dict[str, tuple[str, ...]] = {
    "shoe": ("38", "39", "40", "41", "42", "43", "44", "45", "46"),
    "top": ("XS", "S", "M", "L", "XL", "XXL"),
    "bottom": ("28", "30", "32", "34", "36", "38"),
    "sml": ("S", "M", "L"),
    "one": ("One size",),
}
SIZE_CODE = {"One size": "OS"}
POPULAR_SIZES = frozenset({"41", "42", "43", "M", "L", "32", "34"})

# (style_id, name, price_cents, colours, description)
_STYLES: list[tuple[str, str, int, tuple[str, ...], str]] = [
    # --- footwear ------------------------------------------------------------------
    (
        "AT-TRN-101",
        "Ridgeline Trail Runner",
        13995,
        ("Black", "Slate Blue"),
        "Grippy 4 mm lugs and a rock plate for boggy hill tracks and forest trails.",
    ),
    (
        "AT-TRN-102",
        "Ridgeline GTX Trail Runner",
        15995,
        ("Black", "Forest Green"),
        "Waterproof membrane version of the Ridgeline for wet Irish winters.",
    ),
    (
        "SF-TRN-110",
        "Coomloughra Fell Shoe",
        12995,
        ("Teal", "Charcoal"),
        "Low-drop fell shoe with an aggressive sole for steep, soft ground.",
    ),
    (
        "SF-HKB-201",
        "Carrauntoohil Mid Hiking Boot",
        17995,
        ("Chestnut", "Charcoal"),
        "Waterproof nubuck mid boot with a Vibram outsole, built for the Kerry hills.",
    ),
    (
        "SF-HKB-202",
        "Mweelrea Leather Boot",
        21995,
        ("Chestnut", "Black"),
        "Full-grain leather backpacking boot, resoleable, with a supportive shank.",
    ),
    (
        "CO-HKB-210",
        "Maumturk Lightweight Boot",
        14995,
        ("Olive", "Stone"),
        "Light synthetic walking boot that needs no breaking in.",
    ),
    (
        "LS-SNK-301",
        "Liffey Court Sneaker",
        8995,
        ("White", "Navy"),
        "Clean leather court sneaker with a cupsole; city days from morning to night.",
    ),
    (
        "LS-SNK-302",
        "Ha'penny Knit Runner",
        9995,
        ("Grey Marl", "Black"),
        "Breathable knit upper and a soft foam midsole for walking the city.",
    ),
    (
        "HP-CHB-401",
        "Dockside Chelsea Boot",
        15995,
        ("Chestnut", "Black"),
        "Suede Chelsea boot with a commando sole; smart enough for the office.",
    ),
    (
        "AT-SDL-501",
        "Strand Trail Sandal",
        6995,
        ("Black", "Sand"),
        "Adjustable webbing sandal with a contoured footbed for beach and river.",
    ),
    (
        "HP-SDL-502",
        "Inch Beach Slide",
        3995,
        ("Navy", "Sand"),
        "Soft cork-blend slide for after the swim.",
    ),
    # --- outerwear -----------------------------------------------------------------
    (
        "HP-RJK-601",
        "Harbour 3L Rain Jacket",
        22995,
        ("Navy", "Signal Red", "Forest Green"),
        "Three-layer waterproof shell with taped seams and a helmet-compatible hood.",
    ),
    (
        "CO-RJK-602",
        "Corrib Packable Rain Jacket",
        11995,
        ("Mustard", "Navy"),
        "Featherweight 2.5-layer jacket that packs into its own pocket.",
    ),
    (
        "AT-RJK-603",
        "Wild Atlantic Storm Shell",
        29995,
        ("Ember Orange", "Charcoal"),
        "Storm-proof three-layer shell for exposed coastal and mountain walking.",
    ),
    (
        "LS-RJK-604",
        "Quayside Rain Mac",
        17995,
        ("Stone", "Navy"),
        "Waterproof city mac in a cotton-feel fabric, cut to sit over a blazer.",
    ),
    (
        "BW-SSJ-611",
        "Limestone Softshell Jacket",
        14995,
        ("Charcoal", "Teal"),
        "Wind-resistant stretch softshell with a brushed back for cool dry days.",
    ),
    (
        "HP-DWN-621",
        "Pinewood Down Jacket",
        24995,
        ("Black", "Forest Green"),
        "700-fill responsibly sourced down with a water-repellent shell.",
    ),
    (
        "CO-DWN-622",
        "Lough Mask Insulated Parka",
        34995,
        ("Navy", "Olive"),
        "Thigh-length insulated parka with a waterproof shell and a fleece-lined hood.",
    ),
    (
        "CO-GIL-631",
        "Corrib Down Gilet",
        11995,
        ("Navy", "Moss"),
        "Light down gilet for layering under a shell or over a shirt.",
    ),
    # --- mid and base layers --------------------------------------------------------
    (
        "HP-FLC-641",
        "Harbour Half-Zip Fleece",
        7995,
        ("Navy", "Forest Green"),
        "Recycled 200-weight fleece with a half zip and a chest pocket.",
    ),
    (
        "BW-FLC-642",
        "Burren Sherpa Fleece",
        9995,
        ("Ecru", "Chestnut"),
        "Deep-pile sherpa fleece with nylon trims; warm, soft, windproof enough.",
    ),
    (
        "AT-FLC-643",
        "Atlantic Grid Fleece Hoody",
        8995,
        ("Teal", "Charcoal"),
        "Grid fleece mid layer that breathes on the climb and dries fast.",
    ),
    (
        "WW-BSL-651",
        "Merino 200 Crew Base Layer",
        6995,
        ("Black", "Heather Purple"),
        "Soft 200 g/m² merino wool crew that stays fresh for days on the trail.",
    ),
    (
        "WW-BSL-652",
        "Merino 260 Zip Neck",
        8495,
        ("Black", "Burgundy"),
        "Warmer 260 g/m² merino with a zip neck for cold winter days.",
    ),
    (
        "HP-HOD-661",
        "Harbour Logo Hoodie",
        6495,
        ("Grey Marl", "Navy"),
        "Heavyweight organic cotton hoodie with the embroidered pine mark.",
    ),
    (
        "LS-HOD-662",
        "Liffey Zip Hoodie",
        6995,
        ("Black", "Grey Marl"),
        "Loopback cotton zip hoodie with a relaxed fit.",
    ),
    (
        "HP-TEE-671",
        "Pine Mark Organic Tee",
        2995,
        ("White", "Navy", "Moss"),
        "Organic cotton tee with a small printed pine mark at the chest.",
    ),
    (
        "AT-TEE-672",
        "Trail Tech Tee",
        3495,
        ("Ember Orange", "Sky Blue"),
        "Quick-dry recycled polyester tee with odour control for running and hiking.",
    ),
    (
        "LS-TEE-673",
        "Temple Bar Pocket Tee",
        2495,
        ("White", "Black"),
        "Boxy heavyweight tee with a patch pocket.",
    ),
    (
        "BW-SHT-681",
        "Burren Flannel Shirt",
        5995,
        ("Rust", "Forest Green"),
        "Brushed cotton flannel check shirt, garment washed for softness.",
    ),
    (
        "LS-SHT-682",
        "Merrion Oxford Shirt",
        5495,
        ("White", "Sky Blue"),
        "Button-down Oxford cloth shirt with a tailored fit.",
    ),
    (
        "WW-KNT-691",
        "Aran Cable Crew",
        11995,
        ("Ecru", "Navy"),
        "Traditional Aran cable knit in soft Irish-spun wool.",
    ),
    (
        "WW-KNT-692",
        "Lambswool Crew Neck",
        7995,
        ("Charcoal", "Burgundy"),
        "Fine-gauge lambswool jumper, warm without bulk.",
    ),
    # --- bottoms ---------------------------------------------------------------------
    (
        "LS-CHN-701",
        "Liffey Slim Chino",
        6995,
        ("Stone", "Navy"),
        "Stretch cotton chino with a slim, tapered leg.",
    ),
    (
        "BW-HKT-711",
        "Burren Hiking Trouser",
        8995,
        ("Charcoal", "Olive"),
        "Stretch, water-repellent walking trouser with zipped thigh pockets.",
    ),
    (
        "AT-HKT-712",
        "Atlantic Convertible Trouser",
        7995,
        ("Stone", "Charcoal"),
        "Zip-off legs turn it into shorts when the sun comes out.",
    ),
    (
        "LS-JNS-721",
        "Smithfield Selvedge Jean",
        11995,
        ("Indigo", "Black"),
        "13 oz selvedge denim, straight leg, unwashed.",
    ),
    (
        "BW-SHR-731",
        "Burren Utility Short",
        4995,
        ("Sand", "Olive"),
        "Hard-wearing canvas short with a gusseted crotch.",
    ),
    (
        "HP-SHR-732",
        "Harbour Swim Short",
        3995,
        ("Navy", "Ember Orange"),
        "Quick-dry swim short with a mesh lining for the Forty Foot.",
    ),
    # --- accessories -----------------------------------------------------------------
    (
        "WW-BNI-801",
        "Fisherman's Rib Beanie",
        2995,
        ("Ecru", "Navy", "Mustard", "Rust"),
        "Chunky ribbed wool beanie with a deep turn-up.",
    ),
    (
        "HP-BNI-802",
        "Pine Mark Beanie",
        2495,
        ("Black", "Forest Green", "Grey Marl"),
        "Soft acrylic-wool beanie with a woven pine mark label.",
    ),
    (
        "AT-BNI-803",
        "Trail Running Beanie",
        2295,
        ("Black", "Ember Orange"),
        "Thin, breathable technical beanie for cold morning runs.",
    ),
    (
        "HP-CAP-811",
        "Harbour Six-Panel Cap",
        2495,
        ("Navy", "Stone", "Forest Green"),
        "Washed cotton cap with an adjustable strap.",
    ),
    (
        "AT-CAP-812",
        "Trail Running Cap",
        2695,
        ("Black", "Sky Blue"),
        "Ultralight quick-dry cap with a reflective trim.",
    ),
    (
        "CO-BPK-821",
        "Corrib 28 L Daypack",
        8995,
        ("Black", "Forest Green", "Navy"),
        "Hydration-compatible 28 litre daypack with a rain cover.",
    ),
    (
        "HP-BPK-822",
        "Harbour Commuter Backpack 20 L",
        10995,
        ("Black", "Charcoal", "Olive"),
        "Water-resistant roll-top with a padded 16-inch laptop sleeve.",
    ),
    (
        "AT-BPK-823",
        "Atlantic 45 L Trekking Pack",
        17995,
        ("Slate Blue", "Charcoal"),
        "Adjustable back system and a lid pocket for multi-day treks like the Kerry Way.",
    ),
    (
        "WW-SCK-831",
        "Merino Hiking Sock",
        1995,
        ("Charcoal", "Forest Green", "Rust"),
        "Cushioned merino-blend hiking sock with a seamless toe.",
    ),
    (
        "AT-SCK-832",
        "Trail Running Sock 2-Pack",
        1695,
        ("Black", "Sky Blue"),
        "Light, fast-drying running socks with an anatomical fit.",
    ),
    (
        "HP-SCK-833",
        "Everyday Cotton Sock 3-Pack",
        1495,
        ("Navy", "Mustard", "Grey Marl"),
        "Combed cotton socks in three colours of the season.",
    ),
    (
        "CO-GLV-841",
        "Corrib Windproof Glove",
        3495,
        ("Black", "Olive"),
        "Windproof fleece glove with touchscreen fingertips.",
    ),
    (
        "WW-GLV-842",
        "Wool Fingerless Mitt",
        2495,
        ("Ecru", "Charcoal"),
        "Knitted wool fingerless mitts with a flip-over top.",
    ),
    (
        "BW-BLT-851",
        "Burren Leather Belt",
        4495,
        ("Chestnut", "Black"),
        "Vegetable-tanned leather belt with a solid brass buckle.",
    ),
    (
        "HP-BLT-852",
        "Webbing Trail Belt",
        2495,
        ("Olive", "Navy", "Black"),
        "Stretch webbing belt with a low-profile buckle.",
    ),
    (
        "WW-SCF-861",
        "Donegal Tweed Scarf",
        4995,
        ("Heather Purple", "Moss", "Charcoal"),
        "Soft lambswool scarf woven with flecks in the Donegal tradition.",
    ),
    (
        "HP-SCF-862",
        "Harbour Neck Tube",
        1495,
        ("Navy", "Black", "Ember Orange"),
        "Versatile recycled polyester neck tube for wind and sun.",
    ),
    (
        "CO-BTL-871",
        "Corrib Insulated Bottle 750 ml",
        3495,
        ("Forest Green", "Navy", "White"),
        "Double-wall steel bottle that keeps tea hot for twelve hours.",
    ),
    (
        "HP-BTL-872",
        "Harbour Trail Flask 500 ml",
        2995,
        ("Black", "Rust"),
        "Compact vacuum flask with a cup lid.",
    ),
]


@dataclass(frozen=True, slots=True)
class Style:
    style_id: str
    brand: str
    name: str
    category: str
    subcategory: str
    shape: str
    sizes: tuple[str, ...]
    size_kind: str
    price_cents: int
    colours: tuple[str, ...]
    description: str


def _styles() -> list[Style]:
    out = []
    for style_id, name, price, colours, description in _STYLES:
        brand_code, sub_code, _number = style_id.split("-")
        category, sub_label, shape, run = SUBCATEGORIES[sub_code]
        out.append(
            Style(
                style_id=style_id,
                brand=BRANDS[brand_code],
                name=name,
                category=category,
                subcategory=sub_label,
                shape=SHAPE_OVERRIDES.get(style_id, shape),
                sizes=SIZE_RUNS[run],
                size_kind=run,
                price_cents=price,
                colours=colours,
                description=description,
            )
        )
    return out


STYLES: list[Style] = _styles()

# Merchandising's "complete the look": subcategory -> the subcategories worn with it. The
# pairs go both ways (a rain jacket is worn with hiking trousers, and so the trousers
# with the jacket): ``worn_with`` below adds each reverse pair.
WORN_WITH: dict[str, tuple[str, ...]] = {
    "TRN": ("SCK", "SHR", "CAP"),
    "HKB": ("SCK", "HKT", "RJK"),
    "SNK": ("JNS", "TEE", "SCK"),
    "CHB": ("JNS", "KNT", "SCK"),
    "SDL": ("SHR", "TEE"),
    "RJK": ("HKT", "FLC", "BNI"),
    "SSJ": ("HKT", "BSL", "GLV"),
    "DWN": ("SCF", "GLV", "JNS"),
    "GIL": ("FLC", "SHT", "CHN"),
    "FLC": ("HKT", "BNI"),
    "BSL": ("HKT", "SCK"),
    "HOD": ("JNS", "SNK", "CAP"),
    "TEE": ("SHR", "CAP"),
    "SHT": ("CHN", "CHB", "BLT"),
    "KNT": ("CHN", "SCF"),
    "CHN": ("BLT",),
    "JNS": ("BLT",),
    "BNI": ("GLV", "SCF"),
    "BPK": ("BTL", "RJK"),
    "BTL": ("TRN",),
}


def _worn_with() -> dict[str, list[str]]:
    """style_id -> the style ids worn with it: for each subcategory paired with the style's,
    one style of it (the same one every run: picked by the style's catalog position)."""
    by_sub: dict[str, list[str]] = {}
    for style in STYLES:
        by_sub.setdefault(style.style_id.split("-")[1], []).append(style.style_id)
    pairs: dict[str, list[str]] = {style.style_id: [] for style in STYLES}
    for n, style in enumerate(STYLES):
        for other_sub in WORN_WITH.get(style.style_id.split("-")[1], ()):
            candidates = by_sub[other_sub]
            other = candidates[n % len(candidates)]
            for a, b in ((style.style_id, other), (other, style.style_id)):
                if b not in pairs[a]:
                    pairs[a].append(b)
    return {style_id: found[:12] for style_id, found in pairs.items()}


WORN_WITH_STYLES: dict[str, list[str]] = _worn_with()
"""style_id -> "complete the look" style ids (``Product.worn_with``), from ``WORN_WITH``."""


def ean13_check_digit(first12: str) -> str:
    """The EAN-13 check digit of a 12-digit string."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def ean13_valid(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == code[12]


def image_name(style_id: str, colour: str) -> str:
    """File name of a style+colour image under ``resources/products/``."""
    return f"{style_id}-{COLOURS[colour][1]}.svg"


def build_products(updated_at: str) -> list[Row]:
    """Every SKU as a wire ``Product`` dict, in catalog order (fixed, seed-independent)."""
    products = []
    n = 0
    for style in STYLES:
        for colour in style.colours:
            code, _slug, hex_ = COLOURS[colour]
            image = "products/" + image_name(style.style_id, colour)
            for size in style.sizes:
                n += 1
                sku = f"{style.style_id}-{code}-{SIZE_CODE.get(size, size)}"
                # GS1 prefix 539 (Ireland), invented company 4417, 5-digit item number.
                first12 = f"5394417{n:05d}"
                products.append(
                    {
                        "id": sku,
                        "version": 1,
                        "updated_at": updated_at,
                        "sku": sku,
                        "style_id": style.style_id,
                        "name": style.name,
                        "brand": style.brand,
                        "category": style.category,
                        "subcategory": style.subcategory,
                        "colour": colour,
                        "colour_hex": hex_,
                        "size": size,
                        "price_cents": style.price_cents,
                        "currency": "EUR",
                        "barcode": first12 + ean13_check_digit(first12),
                        "image": image,
                        "description": style.description,
                        "worn_with": WORN_WITH_STYLES[style.style_id],
                    }
                )
    return products
