"""Flat product silhouettes, one per image shape, in a 240x240 box.

Each function takes the paint to use and returns SVG markup: ``body`` is the gradient
fill of the garment, ``line`` its darker outline, ``detail`` seams/zips/laces in a shade
that shows on that colour, ``sole`` the neutral rubber of footwear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Paint:
    body: str  # fill, usually url(#g)
    flat: str  # the plain colour
    line: str
    detail: str
    sole: str
    sole_line: str


def _p(d: str, p: Paint, fill: str | None = None, width: float = 3) -> str:
    return (
        f'<path d="{d}" fill="{fill or p.body}" stroke="{p.line}" '
        f'stroke-width="{width}" stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _l(d: str, colour: str, width: float = 2.5, dash: str = "") -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
        f'stroke-linecap="round" stroke-linejoin="round"{extra}/>'
    )


def _shadow(cy: float = 214, rx: float = 84) -> str:
    return f'<ellipse cx="120" cy="{cy}" rx="{rx}" ry="7" fill="#000" opacity="0.08"/>'


# --- footwear ------------------------------------------------------------------------


def runner(p: Paint) -> str:
    return "".join(
        [
            _shadow(186, 96),
            _p(
                "M26 160 L214 152 Q224 154 222 166 Q220 178 204 180 L44 182 Q28 182 26 172 Z",
                p,
                p.sole,
                2.5,
            ),
            _l("M34 174 L210 170", p.sole_line, 2, "6 5"),
            _p(
                "M32 160 Q28 128 38 110 Q46 96 64 98 L80 102 Q94 102 106 92 L126 80 "
                "Q138 76 146 86 L162 108 Q192 122 210 136 Q220 146 214 156 Z",
                p,
            ),
            _l("M110 92 L120 100 M120 86 L132 96 M130 82 L142 92 M140 88 L152 100", p.detail),
            _l("M58 146 Q104 116 158 128 Q178 132 196 142", p.detail, 3.5),
            _l("M38 112 Q50 104 62 106", p.line, 2),
        ]
    )


def sneaker(p: Paint) -> str:
    return "".join(
        [
            _shadow(186, 96),
            _p(
                "M28 152 L214 150 Q222 152 222 162 L222 170 Q222 180 210 180 L40 180 "
                "Q28 180 28 170 Z",
                p,
                p.sole,
                2.5,
            ),
            _l("M30 164 L220 164", p.sole_line, 1.5),
            _p(
                "M34 152 Q30 126 42 116 Q52 108 68 112 L98 110 Q116 96 136 100 L162 118 "
                "Q196 128 212 140 Q218 148 214 152 Z",
                p,
            ),
            _l("M112 104 L124 112 M122 100 L134 110 M132 102 L144 112", p.detail),
            _l("M150 150 Q166 130 198 138", p.detail, 2),
            _l("M48 140 L100 140", p.detail, 2, "4 4"),
        ]
    )


def boot(p: Paint) -> str:
    return "".join(
        [
            _shadow(190, 92),
            _p(
                "M34 164 L214 158 Q224 160 222 172 Q220 184 204 186 L46 188 Q32 188 32 178 Z",
                p,
                p.sole,
                2.5,
            ),
            _l(
                "M40 180 L52 186 M64 180 L76 186 M88 180 L100 186 M112 180 L124 186 "
                "M136 180 L148 186 M160 180 L172 186 M184 178 L196 184",
                p.sole_line,
                2.5,
            ),
            _p(
                "M40 164 Q34 120 44 74 L50 36 Q52 30 60 30 L100 30 Q108 30 108 38 "
                "L110 66 Q116 86 132 98 L158 112 Q194 126 212 140 Q220 150 216 162 Z",
                p,
            ),
            _p("M48 40 Q50 30 60 30 L100 30 Q108 30 108 38 L108 48 L48 50 Z", p, p.flat, 2),
            _l("M52 44 L104 42", p.detail, 1.5, "3 3"),
            _l(
                "M104 56 L116 58 M108 70 L120 72 M114 84 L128 86 M124 94 L138 98 M136 102 L150 106",
                p.detail,
                3,
            ),
            _l("M44 128 Q96 118 150 140 Q178 150 214 152", p.detail, 2.5),
        ]
    )


def chelsea(p: Paint) -> str:
    return "".join(
        [
            _shadow(188, 92),
            _p(
                "M36 166 L214 162 Q222 164 222 172 Q222 182 210 182 L48 184 Q36 184 36 176 Z",
                p,
                p.sole,
                2.5,
            ),
            _p(
                "M40 166 L44 60 Q44 48 56 48 L106 48 Q116 48 116 58 L118 100 Q150 114 196 130 "
                "Q216 138 216 152 L216 162 Z",
                p,
            ),
            _p("M74 50 L98 50 L92 108 L80 108 Z", p, p.line, 2),
            _l(
                "M78 58 L94 58 M78 68 L93 68 M79 78 L93 78 M80 88 L92 88 M81 98 L91 98",
                p.detail,
                1.5,
            ),
            _p("M44 54 Q36 40 42 30 Q50 24 56 34 L56 50", p, p.flat, 2.5),
            _l("M46 150 L214 150", p.detail, 2, "3 4"),
        ]
    )


def sandal(p: Paint) -> str:
    return "".join(
        [
            _shadow(184, 98),
            _p(
                "M26 162 Q24 148 40 146 L204 142 Q222 144 220 158 Q218 172 202 172 L44 176 "
                "Q28 176 26 162 Z",
                p,
                p.sole,
                2.5,
            ),
            _l("M40 166 L204 162", p.sole_line, 1.5),
            _p(
                "M118 146 Q120 100 156 96 Q184 96 188 140 L172 142 Q168 114 154 114 "
                "Q136 116 136 146 Z",
                p,
            ),
            _p(
                "M58 148 Q58 112 82 106 Q104 104 108 146 L94 146 Q92 122 82 122 Q72 124 72 148 Z", p
            ),
            _p("M92 126 L130 118 L132 130 L94 138 Z", p),
            _l("M146 104 L150 114", p.detail, 2.5),
        ]
    )


# --- tops ------------------------------------------------------------------------------

_LONG = (
    "M84 40 L102 32 Q120 46 138 32 L156 40 Q180 50 188 66 L208 178 L184 184 "
    "L164 100 L166 206 L74 206 L76 100 L56 184 L32 178 L52 66 Q60 50 84 40 Z"
)
_TEE = (
    "M84 40 L102 32 Q120 48 138 32 L156 40 L202 68 L186 104 L164 94 L166 204 "
    "L74 204 L76 94 L54 104 L38 68 Z"
)
_JACKET = (
    "M82 42 L100 34 L140 34 L158 42 Q182 52 190 68 L210 184 L186 190 L166 104 "
    "L168 212 L72 212 L74 104 L54 190 L30 184 L50 68 Q58 52 82 42 Z"
)


def tee(p: Paint) -> str:
    return "".join(
        [
            _shadow(214, 64),
            _p(_TEE, p),
            _l("M102 32 Q120 52 138 32", p.detail, 3),
            _l("M60 96 L66 86 M180 96 L174 86", p.detail, 2),
            _l("M76 196 L164 196", p.detail, 1.5, "3 3"),
            '<path d="M134 70 l6 -10 l6 10 z M136 76 l4 -8 l4 8 z" fill="' + p.detail + '"/>',
        ]
    )


def longsleeve(p: Paint) -> str:
    return "".join(
        [
            _shadow(214, 64),
            _p(_LONG, p),
            _l("M102 32 Q120 50 138 32", p.detail, 3),
            _l("M36 168 L58 174 M204 168 L182 174", p.detail, 2),
            _l("M80 98 Q76 150 80 196 M160 98 Q164 150 160 196", p.detail, 1.5, "3 4"),
        ]
    )


def sweater(p: Paint) -> str:
    cables = "".join(
        _l(
            f"M{x} 56 q8 10 0 20 q-8 10 0 20 q8 10 0 20 q-8 10 0 20 q8 10 0 20 q-8 10 0 20 "
            f"q8 10 0 14",
            p.detail,
            2.5,
        )
        for x in (96, 120, 144)
    )
    return "".join(
        [
            _shadow(214, 66),
            _p(_LONG, p),
            _l("M100 33 Q120 50 140 33", p.detail, 5),
            cables,
            _l("M78 198 L162 198 M38 170 L58 176 M202 170 L182 176", p.detail, 5),
        ]
    )


def hoodie(p: Paint) -> str:
    return "".join(
        [
            _shadow(214, 66),
            _p("M92 44 Q90 14 120 12 Q150 14 148 44 Z", p),
            _p(_LONG, p),
            _p(
                "M100 36 Q102 20 120 20 Q138 20 140 36 Q130 52 120 54 Q110 52 100 36 Z",
                p,
                p.line,
                2,
            ),
            _l("M112 52 L110 86 M128 52 L130 86", p.detail, 2.5),
            _p("M90 140 L150 140 L160 180 L80 180 Z", p, p.flat, 2.5),
            _l("M78 198 L162 198", p.detail, 3),
        ]
    )


def fleece(p: Paint) -> str:
    return "".join(
        [
            _shadow(214, 66),
            _p(_LONG, p),
            _p("M100 30 L140 30 L142 44 Q120 52 98 44 Z", p, p.flat, 2.5),
            _l("M120 44 L120 118", p.detail, 3),
            '<rect x="116" y="112" width="8" height="12" rx="2" fill="' + p.detail + '"/>',
            _l("M136 80 L156 80 L156 98 L136 98 Z", p.detail, 2),
            _l("M78 198 L162 198 M36 168 L58 174 M204 168 L182 174", p.detail, 2.5),
        ]
    )


def shirt(p: Paint) -> str:
    buttons = "".join(
        f'<circle cx="120" cy="{y}" r="2.6" fill="{p.detail}"/>' for y in (60, 88, 116, 144, 172)
    )
    return "".join(
        [
            _shadow(214, 64),
            _p(_LONG, p),
            _p("M102 32 L120 54 L104 64 L94 38 Z", p, p.flat, 2.5),
            _p("M138 32 L120 54 L136 64 L146 38 Z", p, p.flat, 2.5),
            _l("M120 54 L120 204", p.detail, 2),
            buttons,
            _l("M136 84 L156 84 L156 104 L146 108 L136 104 Z", p.detail, 2),
            _l("M38 166 L58 172 M202 166 L182 172", p.detail, 2),
        ]
    )


def jacket(p: Paint) -> str:
    return "".join(
        [
            _shadow(220, 70),
            _p("M92 48 Q88 10 120 8 Q152 10 148 48 Z", p),
            _p(_JACKET, p),
            _p(
                "M100 40 Q102 20 120 18 Q138 20 140 40 Q130 50 120 50 Q110 50 100 40 Z",
                p,
                p.line,
                2,
            ),
            _l("M120 50 L120 210", p.detail, 3),
            _l("M84 130 L106 124 M156 130 L134 124", p.detail, 3.5),
            _l("M80 150 L104 146 M160 150 L136 146", p.detail, 2, "3 3"),
            _l("M34 174 L56 180 M206 174 L184 180", p.detail, 2.5),
            _l("M110 14 Q120 6 130 14", p.line, 2),
        ]
    )


def puffer(p: Paint) -> str:
    baffles = "".join(
        _l(
            f"M{78 if y > 100 else 70} {y} Q120 {y + 6} {162 if y > 100 else 170} {y}",
            p.detail,
            2.5,
        )
        for y in (76, 106, 136, 166, 194)
    )
    arms = _l(
        "M58 100 L48 104 M62 130 L44 136 M60 160 L40 166 M182 100 L192 104 "
        "M178 130 L196 136 M180 160 L200 166",
        p.detail,
        2.5,
    )
    return "".join(
        [
            _shadow(220, 70),
            _p(_JACKET, p),
            _p("M96 26 L144 26 L146 46 Q120 54 94 46 Z", p, p.flat, 2.5),
            baffles,
            arms,
            _l("M120 48 L120 210", p.line, 3),
        ]
    )


def gilet(p: Paint) -> str:
    body = "M84 40 L102 32 L138 32 L156 40 Q166 60 162 96 L166 210 L74 210 L78 96 Q74 60 84 40 Z"
    baffles = "".join(
        _l(f"M80 {y} Q120 {y + 6} 160 {y}", p.detail, 2.5) for y in (80, 110, 140, 170)
    )
    return "".join(
        [
            _shadow(218, 60),
            _p(body, p),
            _p("M98 22 L142 22 L144 42 Q120 50 96 42 Z", p, p.flat, 2.5),
            baffles,
            _l("M120 44 L120 208", p.line, 3),
        ]
    )


def trousers(p: Paint) -> str:
    return "".join(
        [
            _shadow(216, 60),
            _p("M78 26 L162 26 L174 210 L130 212 L120 96 L110 212 L66 210 Z", p),
            _l("M78 40 L162 40", p.detail, 2.5),
            _l("M120 40 L120 86", p.detail, 2),
            _l("M82 44 Q100 46 104 64 M158 44 Q140 46 136 64", p.detail, 2),
            _l("M92 28 L92 40 M120 28 L120 40 M148 28 L148 40", p.line, 2.5),
            _l("M70 196 L110 198 M130 198 L170 196", p.detail, 1.5, "3 3"),
        ]
    )


def shorts(p: Paint) -> str:
    return "".join(
        [
            _shadow(190, 70),
            _p("M74 48 L166 48 L184 166 L130 172 L120 110 L110 172 L56 166 Z", p),
            _l("M75 62 L165 62", p.detail, 2.5),
            _l("M120 62 L120 102", p.detail, 2),
            _l("M80 66 Q98 68 102 88 M160 66 Q142 68 138 88", p.detail, 2),
            _l("M60 152 L110 158 M130 158 L180 152", p.detail, 1.5, "3 3"),
        ]
    )


# --- accessories -------------------------------------------------------------------------


def beanie(p: Paint) -> str:
    ribs = "".join(_l(f"M{x} 152 L{x} 192", p.detail, 2) for x in range(64, 184, 12))
    knit = "".join(
        _l(f"M{x} 142 Q{x + (120 - x) * 0.3:.0f} 100 120 62", p.detail, 1.5)
        for x in (72, 96, 144, 168)
    )
    return "".join(
        [
            _shadow(206, 74),
            _p("M56 150 Q50 64 120 58 Q190 64 184 150 Z", p),
            knit,
            _p(
                "M46 146 Q46 140 54 140 L186 140 Q194 140 194 146 L194 190 Q194 198 186 198 "
                "L54 198 Q46 198 46 190 Z",
                p,
            ),
            ribs,
        ]
    )


def cap(p: Paint) -> str:
    return "".join(
        [
            _shadow(190, 86),
            _p("M52 146 Q48 74 120 66 Q186 70 190 140 Z", p),
            _l("M120 66 Q112 100 104 144 M120 66 Q150 96 162 142", p.detail, 2),
            '<circle cx="120" cy="66" r="6" fill="'
            + p.flat
            + '" stroke="'
            + p.line
            + '" stroke-width="2"/>',
            _p("M44 144 Q120 130 190 140 Q226 150 220 166 Q180 178 120 170 Q62 164 44 144 Z", p),
            _l("M60 150 Q120 140 200 152", p.detail, 1.5, "3 3"),
            _l("M78 120 L92 116 L90 128 Z", p.detail, 2),
        ]
    )


def backpack(p: Paint) -> str:
    return "".join(
        [
            _shadow(220, 64),
            _l("M98 38 Q98 12 120 12 Q142 12 142 38", p.line, 6),
            _p(
                "M60 64 Q60 34 92 32 L148 32 Q180 34 180 64 L180 204 Q180 214 170 214 "
                "L70 214 Q60 214 60 204 Z",
                p,
            ),
            _l("M68 64 Q120 46 172 64", p.detail, 2.5),
            _p(
                "M78 128 L162 128 Q170 128 170 136 L170 194 Q170 202 162 202 L78 202 "
                "Q70 202 70 194 L70 136 Q70 128 78 128 Z",
                p,
                p.flat,
                2.5,
            ),
            _l("M78 146 L162 146", p.detail, 2.5),
            '<rect x="112" y="140" width="16" height="10" rx="2" fill="' + p.detail + '"/>',
            _l("M88 84 L152 84 L152 108 L88 108 Z", p.detail, 2),
        ]
    )


def socks(p: Paint) -> str:
    def sock(dx: int, fill: str) -> str:
        return "".join(
            [
                _p(
                    f"M{72 + dx} 30 L{128 + dx} 30 L{128 + dx} 130 Q{128 + dx} 142 {138 + dx} 148 "
                    f"L{176 + dx} 170 Q{196 + dx} 184 {186 + dx} 200 Q{176 + dx} 214 {158 + dx} 206 "
                    f"L{96 + dx} 176 Q{72 + dx} 164 {72 + dx} 140 Z",
                    p,
                    fill,
                ),
                _l(f"M{74 + dx} 50 L{126 + dx} 50", p.detail, 2),
                _l(
                    f"M{82 + dx} 34 L{82 + dx} 48 M{94 + dx} 34 L{94 + dx} 48 M{106 + dx} 34 "
                    f"L{106 + dx} 48 M{118 + dx} 34 L{118 + dx} 48",
                    p.detail,
                    1.5,
                ),
                _l(f"M{160 + dx} 166 Q{176 + dx} 190 {170 + dx} 206", p.detail, 2.5),
                _l(f"M{74 + dx} 150 Q{90 + dx} 170 {108 + dx} 170", p.detail, 2.5),
            ]
        )

    return "".join([_shadow(216, 80), sock(-30, p.flat), sock(8, p.body)])


def gloves(p: Paint) -> str:
    fingers = "".join(
        f'<rect x="{x}" y="{y}" width="22" height="{150 - y}" rx="11" fill="{p.body}" '
        f'stroke="{p.line}" stroke-width="3"/>'
        for x, y in ((76, 60), (100, 40), (124, 44), (148, 64))
    )
    return "".join(
        [
            _shadow(222, 56),
            fingers,
            _p("M80 182 Q60 178 52 160 L38 128 Q34 114 46 110 Q56 108 62 120 L80 148 Z", p),
            _p("M74 120 L172 120 L170 176 Q166 196 146 198 L98 198 Q76 194 74 170 Z", p),
            _l("M80 134 Q120 140 164 134", p.line, 2),
            _p("M88 192 L158 192 L160 222 L86 222 Z", p, p.flat, 2.5),
            _l(
                "M94 198 L94 218 M106 198 L106 218 M118 198 L118 218 M130 198 L130 218 "
                "M142 198 L142 218 M154 198 L154 218",
                p.detail,
                1.5,
            ),
        ]
    )


def belt(p: Paint) -> str:
    holes = "".join(f'<circle cx="{x}" cy="120" r="3.2" fill="{p.line}"/>' for x in (150, 166, 182))
    return "".join(
        [
            _shadow(186, 92),
            '<g transform="rotate(-14 120 120)">',
            _p("M40 104 L214 104 Q226 104 226 120 Q226 136 214 136 L40 136 Z", p),
            _l("M46 109 L212 109 M46 131 L212 131", p.detail, 1.2, "3 3"),
            holes,
            '<rect x="64" y="100" width="14" height="40" rx="2" fill="'
            + p.flat
            + '" stroke="'
            + p.line
            + '" stroke-width="2.5"/>',
            '<rect x="20" y="94" width="36" height="52" rx="6" fill="none" stroke="#B08D3C" '
            'stroke-width="7"/>',
            '<rect x="20" y="94" width="36" height="52" rx="6" fill="none" stroke="#7C6224" '
            'stroke-width="1.2"/>',
            _l("M38 120 L64 120", "#B08D3C", 5),
            "</g>",
        ]
    )


def scarf(p: Paint) -> str:
    fringe = "".join(_l(f"M{x} 196 L{x - 1} 214", p.line, 2) for x in range(72, 116, 6))
    fringe += "".join(_l(f"M{x} 196 L{x + 1} 214", p.line, 2) for x in range(128, 172, 6))
    checks = "".join(
        _l(f"M{x0} {y} L{x1} {y}", p.detail, 2)
        for y in (150, 162, 174)
        for x0, x1 in ((76, 112), (128, 164))
    )
    return "".join(
        [
            _shadow(224, 60),
            _p(
                "M70 196 L84 52 Q88 30 120 28 Q152 30 156 52 L170 196 L126 196 L120 64 L114 196 Z",
                p,
            ),
            _p("M84 52 Q88 30 120 28 Q152 30 156 52 Q140 40 120 40 Q100 40 84 52 Z", p, p.flat, 2),
            _l("M120 64 L120 196", p.line, 2),
            checks,
            _l("M92 80 L90 136 M148 80 L150 136", p.detail, 1.5, "2 5"),
            fringe,
        ]
    )


def bottle(p: Paint) -> str:
    return "".join(
        [
            _shadow(222, 40),
            _p("M100 30 L140 30 L140 60 L100 60 Z", p, p.sole, 2.5),
            _l("M112 30 Q120 10 128 30", p.sole_line, 4),
            _p(
                "M94 62 Q94 56 102 56 L138 56 Q146 56 146 62 L150 84 L150 206 Q150 218 138 218 "
                "L102 218 Q90 218 90 206 L90 84 Z",
                p,
            ),
            _l("M90 84 L150 84", p.detail, 2),
            '<rect x="100" y="120" width="8" height="70" rx="4" fill="#fff" opacity="0.25"/>',
            _l("M120 140 l8 -14 l8 14 z", p.detail, 2),
        ]
    )


def ziphoodie(p: Paint) -> str:
    return "".join(
        [
            _shadow(214, 66),
            _p("M92 44 Q90 14 120 12 Q150 14 148 44 Z", p),
            _p(_LONG, p),
            _p(
                "M100 36 Q102 20 120 20 Q138 20 140 36 Q130 52 120 54 Q110 52 100 36 Z",
                p,
                p.line,
                2,
            ),
            _l("M120 54 L120 204", p.detail, 3),
            _l("M112 52 L110 80 M128 52 L130 80", p.detail, 2.5),
            _l("M84 150 L100 176 M156 150 L140 176", p.detail, 3),
            _l("M78 198 L162 198", p.detail, 3),
        ]
    )


def tube(p: Paint) -> str:
    return "".join(
        [
            _shadow(206, 50),
            _p("M76 52 Q74 120 80 198 Q120 208 160 198 Q166 120 164 52 Z", p),
            _p("M76 52 Q120 36 164 52 Q120 68 76 52 Z", p, p.line, 2.5),
            _l(
                "M90 70 Q96 130 92 190 M120 72 Q126 130 120 200 M150 70 Q144 130 148 190",
                p.detail,
                1.5,
            ),
            _l("M80 186 Q120 196 160 186", p.detail, 2),
        ]
    )


def slide(p: Paint) -> str:
    return "".join(
        [
            _shadow(184, 98),
            _p(
                "M26 162 Q24 148 40 146 L204 142 Q222 144 220 158 Q218 172 202 172 L44 176 "
                "Q28 176 26 162 Z",
                p,
                p.sole,
                2.5,
            ),
            _l("M40 166 L204 162", p.sole_line, 1.5),
            _p("M96 146 Q98 100 140 96 Q182 98 186 144 Z", p),
            _l("M108 132 Q140 112 174 132", p.detail, 2.5),
            '<path d="M136 116 l5 -9 l5 9 z" fill="' + p.detail + '"/>',
        ]
    )


SHAPES: dict[str, Callable[[Paint], str]] = {
    "ziphoodie": ziphoodie,
    "tube": tube,
    "slide": slide,
    "runner": runner,
    "sneaker": sneaker,
    "boot": boot,
    "chelsea": chelsea,
    "sandal": sandal,
    "tee": tee,
    "longsleeve": longsleeve,
    "sweater": sweater,
    "hoodie": hoodie,
    "fleece": fleece,
    "shirt": shirt,
    "jacket": jacket,
    "puffer": puffer,
    "gilet": gilet,
    "trousers": trousers,
    "shorts": shorts,
    "beanie": beanie,
    "cap": cap,
    "backpack": backpack,
    "socks": socks,
    "gloves": gloves,
    "belt": belt,
    "scarf": scarf,
    "bottle": bottle,
}
