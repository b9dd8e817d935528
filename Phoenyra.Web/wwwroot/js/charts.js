// Thin ApexCharts interop: one live line chart per element with a bounded window of points.
// Series colours by theme; "rise" and "fall" name the colours of rising and falling series
// (bids and asks, gains and losses): seed 001's rich green (#00FF00) in the dark theme.
export const palette = {
    dark: { colors: ["#FFD700", "#00FF00", "#4FC3F7"], rise: "#00FF00", fall: "#ff5252", grid: "#3a3a3a" },
    light: { colors: ["#a88600", "#0a8f4a", "#0277bd"], rise: "#0a8f4a", fall: "#c62828", grid: "#e0ddd2" },
};

function resolve(colors) {
    const mode = themeMode();
    return colors.map(c => palette[mode][c] ?? c);
}

export function themeMode() {
    return document.documentElement.dataset.theme === "light" ? "light" : "dark";
}

function themed() {
    const mode = themeMode();
    return { theme: { mode }, colors: palette[mode].colors, grid: { borderColor: palette[mode].grid } };
}

function baseOptions(config) {
    return {
        chart: {
            type: "line",
            height: config.height ?? 320,
            background: "transparent",
            animations: { enabled: false },
            toolbar: { show: false },
            zoom: { enabled: false },
            fontFamily: "inherit",
        },
        ...themed(),
        stroke: { width: 2, curve: config.curve ?? "straight" },
        series: config.series.map(s => ({ name: s.name, data: s.points })),
        xaxis: { type: "datetime", labels: { datetimeUTC: true } },
        // One axis by default; config.yaxes gives one per series ({ title, opposite, decimals }).
        yaxis: config.yaxes
            ? config.yaxes.map((a, i) => ({ seriesName: config.series[i].name, opposite: !!a.opposite, decimalsInFloat: a.decimals ?? 2, title: { text: a.title ?? "" } }))
            : { decimalsInFloat: 2, title: { text: config.yTitle ?? "" } },
        tooltip: { x: { format: "HH:mm:ss 'UTC'" } },
        legend: { show: config.series.length > 1 },
        noData: { text: "Waiting for prices…" },
    };
}

// Each chart lives in its element's shadow root: the page's large stylesheets do not apply inside,
// so the many style and layout reads ApexCharts makes while drawing stay cheap (ApexCharts puts
// its own CSS into the shadow root).
function mount(element) {
    const root = element.shadowRoot ?? element.attachShadow({ mode: "open" });
    root.replaceChildren();
    const inner = document.createElement("div");
    root.appendChild(inner);
    return inner;
}

export function create(element, config) {
    if (element._phoenyraChart) destroy(element); // a new range or market: start over
    const state = {
        max: config.maxPoints ?? 600,
        series: config.series.map(s => ({ name: s.name, points: s.points.slice(-(config.maxPoints ?? 600)) })),
    };
    state.chart = new ApexCharts(mount(element), baseOptions({ ...config, series: state.series }));
    state.chart.render();
    state.onTheme = () => state.chart.updateOptions(themed(), false, false);
    window.addEventListener("phoenyra:theme", state.onTheme);
    element._phoenyraChart = state;
    element.dataset.points = String(state.series.reduce((n, s) => n + s.points.length, 0));
}

// Redrawing an SVG chart costs the browser far more than receiving points, so points arriving
// faster than this are drawn together.
const redrawGapMs = 2000;

// Charts scrolled out of view (or in a hidden tab) are not redrawn; the latest data is drawn as
// soon as they are visible again.
const visibility = new IntersectionObserver(entries => {
    for (const entry of entries) {
        const state = entry.target._phoenyraChart;
        if (!state) continue;
        state.visible = entry.isIntersecting;
        if (state.visible && state.pending) schedule(entry.target, state, state.draw);
    }
});

function schedule(element, state, draw) {
    state.draw = draw;
    if (!state.observed) {
        state.observed = true;
        state.visible = true;
        visibility.observe(element);
    }
    if (!state.visible) {
        state.pending = true;
        return;
    }
    state.pending = false;
    if (state.timer) return;
    const wait = Math.max(0, (state.lastDraw ?? 0) + redrawGapMs - performance.now());
    state.timer = setTimeout(() => {
        state.timer = null;
        state.lastDraw = performance.now();
        if (element._phoenyraChart !== state) return;
        const started = performance.now();
        state.draw();
        element.dataset.drawMs = (performance.now() - started).toFixed(1);
        element.dataset.updates = String(Number(element.dataset.updates ?? 0) + 1);
    }, wait);
}

// points: [[seriesIndex, epochMs, value], ...]; each series keeps its last state.max. Shared with
// livechart.js; sets the element's data-points (tests read it).
export function addPoints(element, state, points) {
    for (const [index, x, y] of points) {
        const series = state.series[index];
        series.points.push([x, y]);
        if (series.points.length > state.max) series.points.splice(0, series.points.length - state.max);
    }
    element.dataset.points = String(state.series.reduce((n, s) => n + s.points.length, 0));
}

export function append(element, points) {
    const state = element?._phoenyraChart;
    if (!state) return;
    addPoints(element, state, points);
    schedule(element, state, () => state.chart.updateSeries(state.series.map(s => ({ name: s.name, data: s.points })), false));
}

export function destroy(element) {
    const state = element?._phoenyraChart;
    if (!state) return;
    clearTimeout(state.timer);
    visibility.unobserve(element);
    window.removeEventListener("phoenyra:theme", state.onTheme);
    state.chart.destroy();
    element.shadowRoot?.replaceChildren();
    delete element._phoenyraChart;
}

// A static chart from full ApexCharts options (series types, axes); re-rendered on each call.
export function render(element, options) {
    destroy(element);
    const merged = { ...options, chart: { background: "transparent", toolbar: { show: false }, animations: { enabled: false }, fontFamily: "inherit", ...(options.chart ?? {}) }, ...themed() };
    if (options.colors) merged.colors = resolve(options.colors);
    const chart = new ApexCharts(mount(element), merged);
    chart.render();
    const onTheme = () => chart.updateOptions({ theme: themed().theme, grid: themed().grid, ...(options.colors ? { colors: resolve(options.colors) } : {}) }, false, false);
    window.addEventListener("phoenyra:theme", onTheme);
    element._phoenyraChart = { chart, onTheme, series: [], max: 0 };
    element.dataset.rendered = String(Number(element.dataset.rendered ?? 0) + 1);
}

// Replaces the series of a chart made by render() (same types and axes) without rebuilding it;
// makes the chart first if there is none yet. series: [{ name, type?, data }].
export function update(element, options) {
    const state = element?._phoenyraChart;
    if (!state) return render(element, options);
    schedule(element, state, () => state.chart.updateSeries(options.series, false));
}
