"""Fast pictures for the explorers: a slider step should cost milliseconds, not a full matplotlib draw.

- new_figure(): a figure outside pyplot (never shown by the inline backend, never closed).
- encode_png(): RGB PNG bytes from a pixel array (no filter, zlib level 1: about twice
  as fast as Pillow on a mostly flat plot).
- png_bytes(fig, fast_text=...): one Agg draw and encode_png.
- Fast text: matplotlib lays out and renders every glyph of every text on every draw
  (about 2 ms a label, most of a redraw of a figure full of labels). With fast text, the
  plain texts of a figure (``fig.text``, ``ax.text``: one line, unrotated, no math) are
  drawn here instead, to the same pixels as matplotlib's: FreeType renders each glyph
  once per position within a pixel (cached), and a label costs a few array operations.
  Tick labels and titles are still drawn by matplotlib.
- Canvas: a figure whose static part is drawn once; the artists registered as dynamic
  are drawn over that cached background on every png(). With fast text, a redraw is
  then a copy, the dynamic artists and the PNG encoding.
Where fast text is not available (matplotlib without FT2Font._render_glyph), matplotlib
draws every text: the same picture, only slower.
"""

import functools
import struct
import zlib

import numpy as np

PNG_DPI = 80


def new_figure(figsize, dpi=PNG_DPI):
    """A figure outside pyplot (never shown by the inline backend, never needs closing)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def encode_png(pixels, level=1):
    """PNG bytes of an (H, W, 3) RGB or (H, W, 4) RGBA uint8 array (8 bits a channel). Every row
    unfiltered, zlib level 1: on a plot (flat colours, thin lines) that is small enough, and
    fast (RGBA costs no conversion: faster than RGB, for 10% more bytes)."""
    height, width, depth = pixels.shape
    raw = np.empty((height, 1 + depth * width), dtype=np.uint8)
    raw[:, 0] = 0  # filter type "none"
    raw[:, 1:] = pixels.reshape(height, depth * width)
    color_type = {3: 2, 4: 6}[depth]
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw, level)) + _chunk(b"IEND", b""))


def png_bytes(fig, fast_text=False):
    """A figure made by new_figure() as PNG bytes, fast: one Agg draw (no savefig, no
    bbox_inches="tight", which draws twice), RGB, light zlib compression. With
    fast_text, its plain texts are drawn from the glyph cache (module docstring)."""
    texts = [t for t in _own_texts(fig) if _plain(t)] if fast_text else []
    with _hidden(texts):
        fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    for text in texts:
        _paint(rgba, text)
    return encode_png(rgba)


class Canvas:
    """A figure drawn in full once, then only in part: artists registered with dynamic()
    are left out of a cached background and drawn over it, in zorder, on every png().

    Static artists never change after the first png(); dynamic ones may change in any way
    (data, text, visibility) and are drawn above every static artist."""

    def __init__(self, figsize, dpi=PNG_DPI, fast_text=True):
        self.fig = new_figure(figsize, dpi)
        self.fast_text = fast_text
        self._dynamic = []
        self._background = None

    def dynamic(self, artist):
        """Register an artist that changes between pictures; returns it."""
        self._dynamic.append(artist)
        return artist

    def png(self):
        fig = self.fig
        if self._background is None:
            texts = [t for t in _own_texts(fig) if self.fast_text and t not in self._dynamic and _plain(t)]
            with _hidden(texts + self._dynamic):
                fig.canvas.draw()
            rgba = np.asarray(fig.canvas.buffer_rgba())
            for text in texts:
                _paint(rgba, text)
            self._background = rgba.copy()
        renderer = fig.canvas.get_renderer()
        rgba = np.asarray(renderer.buffer_rgba())
        rgba[...] = self._background
        texts = []
        for artist in sorted(self._dynamic, key=lambda a: a.get_zorder()):  # stable: ties keep their order
            if not artist.get_visible():
                continue
            if self.fast_text and _plain(artist):
                texts.append(artist)
            else:
                artist.draw(renderer)
        for text in texts:
            _paint(rgba, text)
        return encode_png(rgba)


class _hidden:
    """Context: these artists invisible (their own visibility restored afterwards)."""

    def __init__(self, artists):
        self.artists = artists

    def __enter__(self):
        self.visible = [a.get_visible() for a in self.artists]
        for a in self.artists:
            a.set_visible(False)

    def __exit__(self, *exc):
        for a, v in zip(self.artists, self.visible):
            a.set_visible(v)


# ----------------------------------------------------------------------------- fast text

_FACES = {}
_IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])


@functools.cache
def _supported():
    from matplotlib.ft2font import FT2Font

    return hasattr(FT2Font, "_render_glyph") and hasattr(FT2Font, "_set_transform")


class _Face:
    """One font file at one size and dpi: advances, kerning, vertical metrics, string
    layouts and rendered glyphs (by glyph index and origin within a pixel, in 1/64 px)."""

    def __init__(self, path, size, dpi):
        from matplotlib.backends.backend_agg import get_hinting_flag
        from matplotlib.font_manager import get_font

        self.path, self.size, self.dpi, self.flags = path, size, dpi, get_hinting_flag()
        self.font = get_font(path)  # shared with matplotlib: set the size before each use
        self.font.set_size(size, dpi)
        self.glyphs, self.kerning, self.layouts, self.bitmaps = {}, {}, {}, {}
        # the font's ascent and descent, as Text._get_layout uses them (OS/2 table, else hhea)
        self.ascent = self.descent = None
        for table, up, down in (("OS/2", "sTypoAscender", "sTypoDescender"), ("hhea", "ascent", "descent")):
            values = self.font.get_sfnt_table(table)
            if values:
                scale = size * dpi / 72 / self.font.get_sfnt_table("head")["unitsPerEm"]
                self.ascent, self.descent = values[up] * scale, -values[down] * scale
                break

    def layout(self, text):
        """(glyph indices, pen x of each in px, advance width, ink ascent, ink descent),
        as matplotlib lays the string out; None if a glyph is missing from this font."""
        if text in self.layouts:
            return self.layouts[text]
        from matplotlib.ft2font import Kerning

        font = self.font
        font.set_size(self.size, self.dpi)
        indices, pens = [], []
        pen, top, bottom, previous = 0.0, 0.0, 0.0, None
        for char in text:
            if char not in self.glyphs:
                index = font.get_char_index(ord(char))
                glyph = font.load_glyph(index, self.flags) if index else None
                self.glyphs[char] = glyph and (index, glyph.horiAdvance / 64, glyph.bbox[3] / 64, glyph.bbox[1] / 64)
            if self.glyphs[char] is None:  # not in this font: matplotlib's fallback fonts draw it
                self.layouts[text] = None
                return None
            index, advance, ymax, ymin = self.glyphs[char]
            if previous is not None:
                pair = (previous, index)
                if pair not in self.kerning:
                    self.kerning[pair] = font.get_kerning(previous, index, Kerning.UNFITTED) / 64
                pen += self.kerning[pair]
            indices.append(index)
            pens.append(pen)
            top, bottom = max(top, ymax), min(bottom, ymin)
            pen += advance
            previous = index
        if len(self.layouts) > 20000:
            self.layouts.clear()
        self.layouts[text] = result = (indices, pens, pen, top, -bottom)
        return result

    def bitmap(self, index, dx, dy):
        """(coverage array, left, top) of a glyph drawn with its origin at (dx, dy) / 64 px."""
        key = (index, dx, dy)
        if key not in self.bitmaps:
            from matplotlib.ft2font import RenderMode

            font = self.font
            font.set_size(self.size, self.dpi)
            font._set_transform(_IDENTITY, [dx, dy])
            try:
                glyph = font._render_glyph(index, self.flags, RenderMode.NORMAL)
                self.bitmaps[key] = (np.array(glyph.buffer, dtype=np.uint8), glyph.left, glyph.top)
            finally:
                font._set_transform(_IDENTITY, [0, 0])
        return self.bitmaps[key]


def _own_texts(fig):
    """The Text artists of the figure and its axes (not ticks, titles or labels)."""
    return [*fig.texts, *(t for ax in fig.axes for t in ax.texts)]


def _face_of(text):
    """The _Face of a text's font, remembered on the text while its font properties stay the same."""
    from matplotlib.font_manager import findfont

    prop = text.get_fontproperties()
    known = getattr(text, "_course_face", None)
    if known is not None and known[0] == hash(prop):
        return known[1]
    dpi = text.figure.dpi
    key = (findfont(prop), prop.get_size_in_points(), dpi)
    if key not in _FACES:
        _FACES[key] = _Face(*key)
    text._course_face = (hash(prop), _FACES[key])
    return _FACES[key]


def _plain(artist):
    """Whether fast text draws this artist: a Text, one line, unrotated, no math, box, wrap
    or path effects, every glyph in its first font."""
    from matplotlib.text import Annotation, Text

    if not isinstance(artist, Text) or isinstance(artist, Annotation) or not _supported():
        return False
    s = artist.get_text()
    if ("\n" in s or "$" in s or artist.get_usetex() or artist.get_rotation() % 360 or artist.get_wrap()
            or artist.get_bbox_patch() is not None or artist.get_path_effects()
            or artist.get_horizontalalignment() not in ("left", "center", "right")
            or artist.get_verticalalignment() not in ("top", "bottom", "center", "baseline")):
        return False
    face = _face_of(artist)
    return face.ascent is not None and face.layout(s) is not None


def _paint(rgba, text):
    """Draw a plain, visible text into the RGBA buffer (rows top down) where matplotlib would."""
    from matplotlib.colors import to_rgba

    if not text.get_visible() or not text.get_text():
        return
    x, y = text.get_transform().transform(text.get_unitless_position())  # display px, y up
    key = (text.get_text(), x, y, text.get_horizontalalignment(), text.get_verticalalignment(), rgba.shape[0])
    known = getattr(text, "_course_mask", None)
    if known is None or known[0] != key:
        known = text._course_mask = (key, _mask(text, x, y, rgba.shape[0]))
    mask = known[1]
    if mask is None:
        return
    cover, r0, c0 = mask
    r1, c1 = min(r0 + cover.shape[0], rgba.shape[0]), min(c0 + cover.shape[1], rgba.shape[1])
    if r1 <= r0 or c1 <= c0:
        return
    red, green, blue, alpha = to_rgba(text.get_color(), text.get_alpha())
    coverage = cover[:r1 - r0, :c1 - c0, None] * np.float32(alpha / 255)
    region = rgba[r0:r1, c0:c1].astype(np.float32)
    target = np.array([255 * red, 255 * green, 255 * blue, 255], dtype=np.float32)
    rgba[r0:r1, c0:c1] = (region + (target - region) * coverage + 0.5).astype(np.uint8)


def _mask(text, x, y, height):
    """(coverage, first row, first column) of a text anchored at display (x, y), or None if it
    has no ink; the coverage may reach past the buffer's right and bottom edges (clipped when
    painted), and starts inside it."""
    face = _face_of(text)
    indices, pens, width, top, bottom = face.layout(text.get_text())
    ascent, descent = max(top, face.ascent), max(bottom, face.descent)
    x -= {"left": 0.0, "center": width / 2, "right": width}[text.get_horizontalalignment()]
    y += {"top": -ascent, "bottom": descent, "center": (descent - ascent) / 2,
          "baseline": 0.0}[text.get_verticalalignment()]
    iy, dy = divmod(round(64 * y), 64)
    pieces = []
    for index, pen in zip(indices, pens):
        ix, dx = divmod(round(64 * (x + pen)), 64)
        cover, left, up = face.bitmap(index, dx, dy)
        if cover.size:
            pieces.append((cover, height - iy - up, ix + left))
    if not pieces:
        return None
    r0 = max(min(r for _, r, _ in pieces), 0)
    c0 = max(min(c for _, _, c in pieces), 0)
    r1 = max(r + cover.shape[0] for cover, r, _ in pieces)
    c1 = max(c + cover.shape[1] for cover, _, c in pieces)
    if r1 <= r0 or c1 <= c0:
        return None
    mask = np.zeros((r1 - r0, c1 - c0), dtype=np.uint8)
    for cover, r, c in pieces:  # glyphs rarely overlap: the larger coverage wins
        rs, cs = max(r, r0), max(c, c0)
        re, ce = r + cover.shape[0], c + cover.shape[1]
        if re > rs and ce > cs:
            out = mask[rs - r0:re - r0, cs - c0:ce - c0]
            np.maximum(out, cover[rs - r:, cs - c:], out=out)
    return mask.astype(np.float32), r0, c0
