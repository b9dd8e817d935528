// WCAG 2.x text contrast of everything readable on the page, as rendered: every visible element
// with its own text, its colour (or the stops of a gradient clipped to text) against every colour
// it can sit on (its own and its ancestors' background colours and gradient stops, composed over
// the canvas). AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are
// exempt (WCAG 1.4.3), as are SVG chart labels (checked by the chart library's theme).
// Returns the failures, worst first.
() => {
    const parse = text => {
        const m = /rgba?\(([^)]+)\)/.exec(text ?? "");
        if (!m) return null;
        const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
        return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const colorsIn = text => (text.match(/rgba?\([^)]+\)/g) ?? []).map(parse).filter(c => c.a > 0);
    const over = (top, bottom) => ({
        r: top.r * top.a + bottom.r * (1 - top.a),
        g: top.g * top.a + bottom.g * (1 - top.a),
        b: top.b * top.a + bottom.b * (1 - top.a),
        a: 1,
    });
    const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const hex = c => "#" + [c.r, c.g, c.b].map(v => Math.round(v).toString(16).padStart(2, "0")).join("");
    const clipsText = s => s.backgroundClip === "text" || s.webkitBackgroundClip === "text";

    const backgroundCache = new Map();
    const backgrounds = element => {
        if (!element) return [{ r: 255, g: 255, b: 255, a: 1 }];
        if (backgroundCache.has(element)) return backgroundCache.get(element);
        const s = getComputedStyle(element);
        let result = backgrounds(element.parentElement);
        const color = parse(s.backgroundColor);
        if (color && color.a > 0) result = result.map(c => over(color, c));
        const stops = clipsText(s) ? [] : colorsIn(s.backgroundImage);
        if (stops.length) result = [...result, ...result.flatMap(c => stops.map(stop => over(stop, c)))];
        const unique = new Map(result.map(c => [hex(c), c]));
        result = [...unique.values()].sort((p, q) => luminance(p) - luminance(q));
        if (result.length > 24) result = result.filter((_, i) => i % Math.ceil(result.length / 24) === 0 || i === result.length - 1);
        backgroundCache.set(element, result);
        return result;
    };

    const inactive = element => element.closest(":disabled, [disabled], [aria-disabled='true'], .rz-state-disabled, svg") !== null;
    const visible = element => {
        if (element.getClientRects().length === 0) return false;
        const s = getComputedStyle(element);
        if (s.visibility !== "visible") return false;
        for (let e = element; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 0.99) return false;
        return true;
    };
    const textColours = element => {
        const s = getComputedStyle(element);
        const own = parse(s.webkitTextFillColor) ?? parse(s.color);
        if (own && own.a > 0) return [own];
        for (let e = element; e; e = e.parentElement) {
            const style = getComputedStyle(e);
            if (clipsText(style)) return colorsIn(style.backgroundImage);
        }
        return [];
    };
    const describe = element => element.tagName.toLowerCase() + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\s+/).slice(0, 3).join(".") : "");

    const failures = [];
    for (const element of document.body.querySelectorAll("*")) {
        const text = [...element.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join("").trim();
        if (!text || inactive(element) || !visible(element)) continue;
        const s = getComputedStyle(element);
        const size = parseFloat(s.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
        const need = large ? 3 : 4.5;
        let worst = null;
        for (const fg of textColours(element))
            for (const bg of backgrounds(element)) {
                const value = ratio(fg.a < 1 ? over(fg, bg) : fg, bg);
                if (!worst || value < worst.ratio) worst = { ratio: value, fg: hex(fg), bg: hex(bg) };
            }
        if (worst && worst.ratio < need)
            failures.push({ element: describe(element), text: text.slice(0, 40), ratio: Math.round(worst.ratio * 100) / 100, need, colour: worst.fg, background: worst.bg });
    }
    return failures.sort((a, b) => a.ratio - b.ratio);
}
