// Browser-side helpers for the Phoenyra dashboard: theme switching and the connection indicator.
window.phoenyra = (() => {
    const root = document.documentElement;
    const cookieName = "phoenyra-theme";
    const radzenCss = { dark: "_content/Radzen.Blazor/css/material-dark.css", light: "_content/Radzen.Blazor/css/material.css" };

    const theme = {
        current: () => (root.dataset.theme === "light" ? "light" : "dark"),
        set(name) {
            const value = name === "light" ? "light" : "dark";
            root.dataset.theme = value;
            const link = document.getElementById("radzen-theme");
            if (link) link.setAttribute("href", radzenCss[value]);
            // The cookie lets the server render the remembered theme on the first paint (no flash).
            document.cookie = `${cookieName}=${value}; path=/; max-age=31536000; samesite=lax`;
            try { localStorage.setItem(cookieName, value); } catch { /* private mode */ }
            window.dispatchEvent(new CustomEvent("phoenyra:theme", { detail: value }));
        },
        toggle() { theme.set(theme.current() === "dark" ? "light" : "dark"); },
    };

    // States: connecting → online ⇄ reconnecting → offline (gave up) | reloading (server restarted).
    const labels = { connecting: "Connecting", online: "Live", reconnecting: "Reconnecting…", offline: "Offline", reloading: "Reloading…" };
    const connection = {
        state: "connecting",
        set(state) {
            // Leaving "online": everything on screen is as of now; say so until the circuit is back.
            if (connection.state === "online" && state !== "online") {
                const asOf = document.getElementById("pho-as-of");
                if (asOf) asOf.textContent = "as of " + new Date().toISOString().substring(11, 19) + " UTC";
            }
            connection.state = state;
            root.dataset.connection = state;
            const label = document.getElementById("pho-connection-label");
            if (label) label.textContent = labels[state] ?? state;
        },
        circuitUp() { connection.set("online"); },
        retry() {
            if (window.Blazor?.reconnect) window.Blazor.reconnect().then(ok => { if (!ok) location.reload(); });
            else location.reload();
        },
        start() {
            const modal = document.getElementById("components-reconnect-modal");
            // Wired here, not inline: the content security policy runs no inline handlers.
            modal?.querySelector(".reconnect-retry")?.addEventListener("click", () => connection.retry());
            if (modal) {
                // Blazor signals the circuit's state by classes on this element.
                new MutationObserver(() => {
                    const c = modal.classList;
                    if (c.contains("components-reconnect-show")) connection.set("reconnecting");
                    else if (c.contains("components-reconnect-rejected")) { connection.set("reloading"); location.reload(); }
                    else if (c.contains("components-reconnect-failed")) { connection.set("offline"); setTimeout(connection.retry, 3000); }
                    else if (c.contains("components-reconnect-hide")) connection.set("online");
                }).observe(modal, { attributes: true, attributeFilter: ["class"] });
            }
            Blazor.start({
                circuit: { reconnectionOptions: { maxRetries: 30, retryIntervalMilliseconds: 1000 } },
            });
        },
    };

    // The layout switches to a phone arrangement (drawer menu, folded header) at the same width as the CSS.
    const layout = {
        isNarrow: () => window.matchMedia("(max-width: 768px)").matches,
        // Until the layout has decided (closed on a phone), CSS keeps the drawer shut: no flash of an open menu.
        ready: () => { root.dataset.drawerReady = "true"; },
    };

    // A file the dashboard made (a plan as CSV, say), saved by the browser.
    const download = (name, text, type) => {
        const url = URL.createObjectURL(new Blob([text], { type: type ?? "text/csv" }));
        const a = Object.assign(document.createElement("a"), { href: url, download: name });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
    };

    return { theme, connection, layout, download };
})();
