// Live charts drawn on a canvas, for what moves every second on every open dashboard: the mark
// chart (create/append, a line per series) and the book depth (depth, stepped areas). An SVG chart
// rebuilds hundreds of DOM nodes per redraw (ApexCharts took 45 ms for the mark chart and 400 ms
// for the depth); a canvas draws a few paths in about a millisecond, at most every drawGapMs.
// Same interface as charts.js: create(element, config), append(element, points), destroy(element).
import { addPoints, palette, themeMode } from "./charts.js";

const drawGapMs = 250;
const pad = { left: 70, right: 12, top: 26, bottom: 22 };

export function create(element, config) {
    const state = mount(element, config.height ?? 300, config.series.map(s => s.name).join(", "), drawLines);
    state.max = config.maxPoints ?? 600;
    state.yTitle = config.yTitle ?? "";
    state.series = config.series.map(s => ({ name: s.name, points: s.points.slice(-state.max) }));
    element.dataset.points = String(count(state));
    request(element, state, true);
}

// The book's depth: cumulative MW from the best price outwards, bids (rising colour) left of the
// spread and asks (falling colour) right, as stepped areas. config: { height, bids: [[price, mw]…]
// from the best bid down, asks: [[price, mw]…] from the best ask up }.
export function depth(element, config) {
    let state = element._phoenyraChart;
    if (!state || state.draw !== drawDepth) state = mount(element, config.height ?? 260, "book depth: bids and asks", drawDepth);
    state.bids = config.bids;
    state.asks = config.asks;
    element.dataset.points = String(config.bids.length + config.asks.length);
    request(element, state, true);
}

function mount(element, height, label, drawer) {
    if (element._phoenyraChart) destroy(element);
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
    canvas.style.display = "block";
    canvas.style.width = "100%";
    canvas.style.height = `${height}px`;
    element.replaceChildren(canvas);
    const state = { canvas, hover: null, draw: drawer };
    state.resize = new ResizeObserver(() => request(element, state, true));
    state.resize.observe(element);
    state.onTheme = () => request(element, state, true);
    window.addEventListener("phoenyra:theme", state.onTheme);
    state.onMove = e => { state.hover = e.offsetX; request(element, state, true); };
    state.onLeave = () => { state.hover = null; request(element, state, true); };
    canvas.addEventListener("pointermove", state.onMove);
    canvas.addEventListener("pointerleave", state.onLeave);
    element._phoenyraChart = state;
    return state;
}

// points: [[seriesIndex, epochMs, value], ...]; each series keeps its last maxPoints.
export function append(element, points) {
    const state = element?._phoenyraChart;
    if (!state) return;
    addPoints(element, state, points);
    request(element, state, false);
}

export function destroy(element) {
    const state = element?._phoenyraChart;
    if (!state) return;
    clearTimeout(state.timer);
    cancelAnimationFrame(state.frame);
    state.resize.disconnect();
    window.removeEventListener("phoenyra:theme", state.onTheme);
    element.replaceChildren();
    delete element._phoenyraChart;
}

function count(state) {
    return state.series.reduce((n, s) => n + s.points.length, 0);
}

// Draws on the next frame; data updates at most every drawGapMs (hover and resizes at once).
function request(element, state, now) {
    if (state.frame || state.timer) return;
    const wait = now ? 0 : Math.max(0, (state.lastDraw ?? 0) + drawGapMs - performance.now());
    const go = () => {
        state.timer = null;
        state.frame = requestAnimationFrame(() => {
            state.frame = 0;
            if (element._phoenyraChart !== state) return;
            const started = performance.now();
            state.lastDraw = started;
            state.draw(state);
            element.dataset.drawMs = (performance.now() - started).toFixed(2);
            element.dataset.updates = String(Number(element.dataset.updates ?? 0) + 1);
        });
    };
    if (wait > 0) state.timer = setTimeout(go, wait); else go();
}

// The canvas at the device's pixel ratio, cleared; null while it has no size (hidden).
function frame(state) {
    const { canvas } = state;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    if (width === 0 || height === 0) return null;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = "12px system-ui, sans-serif";
    const text = getComputedStyle(canvas).color || "#ccc";
    ctx.fillStyle = text;
    return { ctx, width, height, text, colours: palette[themeMode()], top: pad.top };
}

// Scales for [x0, x1] × [y0, y1] inside the padding, the grid with y labels, and the y title.
function axes(f, x0, x1, y0, y1, yTitle, yDecimals, xLabel) {
    const { ctx, width, height, colours } = f;
    const plotW = width - pad.left - pad.right, plotH = height - f.top - pad.bottom;
    const px = x => pad.left + (x - x0) / (x1 - x0) * plotW;
    const py = y => f.top + (1 - (y - y0) / (y1 - y0)) * plotH;
    ctx.strokeStyle = colours.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let i = 0; i <= 4; i++) {
        const y = y0 + (y1 - y0) * i / 4;
        ctx.beginPath(); ctx.moveTo(pad.left, py(y)); ctx.lineTo(width - pad.right, py(y)); ctx.stroke();
        ctx.fillText(y.toFixed(yDecimals), pad.left - 6, py(y));
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const ticks = width < 420 ? 2 : 3; // a phone's chart has room for three times, not four
    for (let i = 0; i <= ticks; i++) {
        const x = x0 + (x1 - x0) * i / ticks;
        ctx.fillText(xLabel(x), Math.min(Math.max(px(x), pad.left + 24), width - pad.right - 24), height - pad.bottom + 6);
    }
    ctx.save();
    ctx.translate(9, f.top + plotH / 2); ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(yTitle, 0, 0);
    ctx.restore();
    return { px, py, plotW, plotH };
}

// The legend at the top, wrapped onto more lines on a narrow chart; the plot starts below it.
function legend(f, items) {
    const { ctx, text, width } = f;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    let lx = pad.left, ly = 13;
    for (const { colour, label } of items) {
        const w = ctx.measureText(label).width + 14;
        if (lx > pad.left && lx + w > width - pad.right) { lx = pad.left; ly += 17; }
        ctx.fillStyle = colour;
        ctx.fillRect(lx, ly - 5, 10, 10);
        ctx.fillStyle = text;
        ctx.fillText(label, lx + 14, ly);
        lx += w + 14;
    }
}

// Room the legend will take (draws nothing): sets where the plot starts.
function reserveLegend(f, labels) {
    const { ctx, width } = f;
    let lx = pad.left, lines = 1;
    for (const label of labels) {
        const w = ctx.measureText(label).width + 14;
        if (lx > pad.left && lx + w > width - pad.right) { lx = pad.left; lines++; }
        lx += w + 14;
    }
    f.top = pad.top + (lines - 1) * 17;
}

function empty(f, message) {
    f.ctx.textAlign = "center";
    f.ctx.fillText(message, f.width / 2, f.height / 2);
}

function drawLines(state) {
    const f = frame(state);
    if (!f) return;
    const { ctx, width, text, colours } = f;
    const all = state.series.flatMap(s => s.points);
    if (all.length === 0) return empty(f, "Waiting for prices…");
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const [x, y] of all) {
        if (x < x0) x0 = x; if (x > x1) x1 = x;
        if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    if (x1 === x0) x1 = x0 + 1000;
    const span = y1 - y0 || Math.max(1, Math.abs(y1) * 0.01);
    y0 -= span * 0.08; y1 += span * 0.08;
    reserveLegend(f, state.series.map(s => `${s.name} ${y1.toFixed(2)}`));
    const { px, py, plotW, plotH } = axes(f, x0, x1, y0, y1, state.yTitle, 2, x => new Date(x).toISOString().substring(11, 19));

    ctx.lineWidth = 2;
    ctx.lineJoin = "round";
    state.series.forEach((s, i) => {
        if (s.points.length === 0) return;
        ctx.strokeStyle = colours.colors[i % colours.colors.length];
        ctx.beginPath();
        s.points.forEach(([x, y], k) => k === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y)));
        ctx.stroke();
    });

    // Legend with the values under the pointer (or the latest).
    const at = state.hover === null ? x1 : x0 + (Math.min(Math.max(state.hover, pad.left), width - pad.right) - pad.left) / plotW * (x1 - x0);
    legend(f, state.series.map((s, i) => {
        const value = nearest(s.points, at);
        return { colour: colours.colors[i % colours.colors.length], label: value === null ? s.name : `${s.name} ${value.toFixed(2)}` };
    }));
    if (state.hover !== null) {
        ctx.strokeStyle = text;
        ctx.setLineDash([3, 3]);
        ctx.beginPath(); ctx.moveTo(px(at), f.top); ctx.lineTo(px(at), f.top + plotH); ctx.stroke();
        ctx.setLineDash([]);
        ctx.textAlign = "right";
        ctx.fillText(`${new Date(at).toISOString().substring(11, 19)} UTC`, width - pad.right, 13);
    }
}

function drawDepth(state) {
    const f = frame(state);
    if (!f) return;
    const { ctx, colours } = f;
    const bids = state.bids ?? [], asks = state.asks ?? [];
    if (bids.length === 0 && asks.length === 0) return empty(f, "Empty book");
    const prices = [...bids, ...asks].map(p => p[0]);
    let x0 = Math.min(...prices), x1 = Math.max(...prices);
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    const y1 = Math.max(...[...bids, ...asks].map(p => p[1])) * 1.08;
    const items = [
        { colour: colours.rise, label: bids.length ? `Bids ${bids[bids.length - 1][1].toFixed(1)} MW to ${bids[bids.length - 1][0].toFixed(2)}` : "Bids" },
        { colour: colours.fall, label: asks.length ? `Asks ${asks[asks.length - 1][1].toFixed(1)} MW to ${asks[asks.length - 1][0].toFixed(2)}` : "Asks" },
    ];
    reserveLegend(f, items.map(i => i.label));
    const { px, py } = axes(f, x0, x1, 0, y1, "MW", 1, x => x.toFixed(2));
    // Each side steps outwards from its best price: the level's cumulative MW holds until the next level.
    const area = (levels, colour) => {
        if (levels.length === 0) return;
        ctx.beginPath();
        ctx.moveTo(px(levels[0][0]), py(0));
        levels.forEach(([price, mw], k) => {
            ctx.lineTo(px(price), py(k === 0 ? 0 : levels[k - 1][1]));
            ctx.lineTo(px(price), py(mw));
        });
        const last = levels[levels.length - 1];
        ctx.lineTo(px(last[0]), py(0));
        ctx.closePath();
        ctx.globalAlpha = 0.25;
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.stroke();
    };
    area(bids, colours.rise);
    area(asks, colours.fall);
    legend(f, items);
}

// The value of the last point at or before x (points are in time order).
function nearest(points, x) {
    let lo = 0, hi = points.length - 1, found = null;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (points[mid][0] <= x) { found = points[mid][1]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
}
