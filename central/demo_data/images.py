"""Product images (one SVG per style and colour) and the retailer's brand marks.

Run ``python -m central.demo_data`` to regenerate ``resources/products/`` and
``resources/brand/``; the generated files are committed so the app never draws them at
run time.
"""

from __future__ import annotations

from pathlib import Path

from .catalog import COLOURS, STYLES, image_name
from .shapes import SHAPES, Paint

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def _rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


def _mix(hex_: str, other: str, amount: float) -> str:
    a, b = _rgb(hex_), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def _luminance(hex_: str) -> float:
    r, g, b = _rgb(hex_)
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def product_svg(shape: str, hex_: str, title: str) -> str:
    """A 240x240 SVG of ``shape`` in colour ``hex_``."""
    light = _luminance(hex_)
    line = _mix(hex_, "#000000", 0.5 if light > 0.25 else 0.35)
    if light > 0.8:
        line = "#8A877F"  # white and ecru need a visible outline on a light page
    detail = _mix(hex_, "#ffffff", 0.45) if light < 0.4 else _mix(hex_, "#000000", 0.3)
    top, bottom = _mix(hex_, "#ffffff", 0.12), _mix(hex_, "#000000", 0.14)
    paint = Paint(
        body="url(#g)",
        flat=_mix(hex_, "#000000", 0.06),
        line=line,
        detail=detail,
        sole="#EEEBE3" if light < 0.85 else "#5A5852",
        sole_line="#A8A49A" if light < 0.85 else "#2E2D2A",
    )
    title = title.replace("&", "&amp;").replace("<", "&lt;")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" '
        f'height="240" role="img"><title>{title}</title><defs>'
        '<linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        f"</linearGradient></defs>{SHAPES[shape](paint)}</svg>\n"
    )


def write_product_images(folder: Path | str = RESOURCES / "products") -> int:
    """Write one SVG per style and colour into ``folder``; returns how many."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for style in STYLES:
        for colour in style.colours:
            svg = product_svg(style.shape, COLOURS[colour][2], f"{style.name}, {colour}")
            (folder / image_name(style.style_id, colour)).write_text(svg, encoding="utf-8")
            count += 1
    return count


_PINE_MARK = (
    "<g>"
    '<path d="M60 14 L84 50 L72 50 L92 78 L76 78 L98 106 L22 106 L44 78 L28 78 L48 50 '
    'L36 50 Z" fill="#1F4A3A"/>'
    '<rect x="55" y="104" width="10" height="12" fill="#5B3A24"/>'
    '<path d="M8 122 Q24 110 40 122 T72 122 T104 122 T136 122" fill="none" stroke="#2A6F8F" '
    'stroke-width="6" stroke-linecap="round"/>'
    "</g>"
)


def logo_svg() -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 140" width="600" '
        'height="140" role="img"><title>Harbour &amp; Pine</title>'
        f"{_PINE_MARK}"
        '<text x="150" y="84" font-family="Georgia, \'DejaVu Serif\', serif" font-size="44" '
        'font-weight="bold" fill="#1C2B36" letter-spacing="1">Harbour '
        '<tspan fill="#2A6F8F">&amp;</tspan> Pine</text>'
        '<text x="152" y="116" font-family="\'DejaVu Sans\', Arial, sans-serif" '
        'font-size="15" fill="#55656F" letter-spacing="5">OUTDOOR &amp; CITY · IRELAND</text>'
        "</svg>\n"
    )


def app_icon_svg() -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" '
        'height="256" role="img"><title>Harbour &amp; Pine Clienteling</title>'
        '<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">'
        '<stop offset="0" stop-color="#F4EFE4"/><stop offset="1" stop-color="#E3DCCB"/>'
        "</linearGradient></defs>"
        '<rect x="8" y="8" width="240" height="240" rx="52" fill="url(#sky)"/>'
        '<rect x="8" y="8" width="240" height="240" rx="52" fill="none" stroke="#1F4A3A" '
        'stroke-width="6"/>'
        '<g transform="translate(64 38)">'
        '<path d="M64 0 L98 48 L82 48 L108 84 L88 84 L116 122 L12 122 L40 84 L20 84 L46 48 '
        'L30 48 Z" fill="#1F4A3A"/>'
        '<rect x="57" y="120" width="14" height="16" fill="#5B3A24"/>'
        "</g>"
        '<path d="M36 196 Q56 180 76 196 T116 196 T156 196 T196 196 T236 196" fill="none" '
        'stroke="#2A6F8F" stroke-width="10" stroke-linecap="round"/>'
        '<path d="M52 220 Q68 208 84 220 T116 220 T148 220 T180 220 T212 220" fill="none" '
        'stroke="#2A6F8F" stroke-width="6" stroke-linecap="round" opacity="0.6"/>'
        "</svg>\n"
    )


def write_brand_images(folder: Path | str = RESOURCES / "brand") -> int:
    """Write ``logo.svg`` and ``app-icon.svg`` into ``folder``; returns how many."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.svg").write_text(logo_svg(), encoding="utf-8")
    (folder / "app-icon.svg").write_text(app_icon_svg(), encoding="utf-8")
    return 2
