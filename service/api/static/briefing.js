/* The briefing page's script. The server-rendered HTML has everything but live updates;
   this adds, without a reload:
   - times in the reader's time zone and locale: relative text refreshed every minute,
     absolute time on hover, stories grouped by the reader's calendar days;
   - the live stream, opened at the page's watermark: new and updated stories take their
     place by their latest report's time, with an "Updated" marker;
   - filters applied through the JSON timeline (the same parameters as the form), and the
     map drawn again by the server for what the list shows;
     with a filter on, a stream event makes the page ask the timeline what changed since
     its watermark under those filters, so the server alone decides what matches.
   Rendering follows service/api/routes/page.py and templates/briefing.html. */
(() => {
  "use strict";
  const main = document.getElementById("developments");
  if (!main) return;
  const cfg = main.dataset;
  const timeline = document.getElementById("timeline");
  const form = document.getElementById("filters");
  const announcer = document.getElementById("announcer");
  const empty = document.getElementById("empty");
  const older = document.getElementById("older");
  const clear = document.getElementById("clear");
  const FILTERS = ["lang", "source", "place"];
  const maxSources = Number(cfg.maxSources);
  const updatedAfter = Number(cfg.updatedAfter);
  const summaryChars = Number(cfg.summaryChars);
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"];
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const MINUTE = 60e3, HOUR = 3600e3;

  const el = (tag, props, ...children) => {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    e.append(...children);
    return e;
  };
  const announce = (text) => { announcer.textContent = text; };

  // --- times: page.py ago() and day_label(), in the reader's calendar ---------------
  const pad = (n) => String(n).padStart(2, "0");
  const dayKey = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
  // Rounded: a day with a daylight-saving change is 23 or 25 hours long.
  const daysBetween = (a, b) => Math.round((midnight(b) - midnight(a)) / (24 * HOUR));

  function ago(when, now) {
    const ms = now - when;
    if (ms < MINUTE) return "just now";
    if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
    const days = daysBetween(when, now);
    if (days === 0 || ms < 6 * HOUR) return `${Math.floor(ms / HOUR)} h ago`;
    if (days === 1) return "yesterday";
    if (days < 7) return `${days} days ago`;
    const year = when.getFullYear() === now.getFullYear() ? "" : ` ${when.getFullYear()}`;
    return `${when.getDate()} ${MONTHS[when.getMonth()].slice(0, 3)}${year}`;
  }

  function dayLabel(key, now) {
    const [y, m, d] = key.split("-").map(Number);
    const day = new Date(y, m - 1, d);
    const days = daysBetween(day, now);
    if (days === 0) return "Today";
    if (days === 1) return "Yesterday";
    const name = `${DAYS[day.getDay()]} ${d} ${MONTHS[m - 1]}`;
    return y === now.getFullYear() ? name : `${name} ${y}`;
  }

  // The absolute time on hover, in the reader's locale and time zone.
  const full = new Intl.DateTimeFormat(undefined, {
    weekday: "long", year: "numeric", month: "long", day: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });

  function time(iso, now) {
    const when = new Date(iso);
    return el("time", { dateTime: iso, title: full.format(when), textContent: ago(when, now) });
  }

  function refreshTimes() {
    const now = new Date();
    for (const t of timeline.querySelectorAll("time")) t.textContent = ago(new Date(t.dateTime), now);
    for (const s of timeline.querySelectorAll("section.day")) {
      s.querySelector("h2").textContent = dayLabel(s.dataset.day, now);
    }
  }

  // --- the list: day sections of stories, newest latest report first ------------------
  function sectionFor(key) {
    let section = timeline.querySelector(`section[data-day="${key}"]`);
    if (!section) {
      section = el("section", { className: "day" },
        el("h2", { id: `day-${key}` }, dayLabel(key, new Date())), el("ol"));
      section.dataset.day = key;
      section.setAttribute("aria-labelledby", `day-${key}`);
      const next = [...timeline.children].find((s) => s.dataset.day < key);
      timeline.insertBefore(section, next || null);
    }
    return section.querySelector("ol");
  }

  // Puts a story in its day at its time: before stories with an older latest report,
  // and before (onTop: live arrivals) or after those of the same time.
  function place(li, onTop) {
    const t = Date.parse(li.dataset.updated);
    const list = sectionFor(dayKey(new Date(t)));
    const next = [...list.children].find((x) => {
      const u = Date.parse(x.dataset.updated);
      return x !== li && (onTop ? u <= t : u < t);
    });
    list.insertBefore(li, next || null);
  }

  function tidy() {
    for (const s of timeline.querySelectorAll("section.day")) {
      if (!s.querySelector("li")) s.remove();
    }
    empty.hidden = Boolean(timeline.querySelector("li.story"));
  }

  // --- rendering a story as templates/briefing.html does ----------------------------
  const safeUrl = (u) => (/^https?:\/\//i.test(u) ? u : null);
  const words = (t) => t.split(/\s+/).filter(Boolean).join(" ");
  const bare = (t) => t.replace(/\.+$/, "");

  function oneLine(summary, headline) {  // page.py one_line(), counting code points
    const text = words(summary);
    if (bare(text) === bare(words(headline))) return "";
    const chars = [...text];
    if (chars.length <= summaryChars) return text;
    let cut = chars.slice(0, summaryChars).join("");
    if (chars[summaryChars] !== " ") {
      const space = cut.lastIndexOf(" ");
      if (space >= 0) cut = cut.slice(0, space);
    }
    return `${cut.replace(/[ ,;:]+$/, "")}…`;
  }

  function outletLink(name, url) {
    const href = safeUrl(url);
    return href ? el("a", { href, rel: "noopener" }, name || href) : name;
  }

  // page.py source_groups(): outlets by country and language, the largest group first.
  const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
  const languageNames = new Intl.DisplayNames(["en"], { type: "language" });
  const nameOf = (names, code) => { try { return names.of(code) || code; } catch { return code; } };

  function groups(sources) {
    const byKey = new Map();
    const seen = new Set();
    for (const src of sources) {
      if (seen.has(src.outlet)) continue;
      seen.add(src.outlet);
      const key = `${src.country}|${src.language}`;
      if (!byKey.has(key)) {
        const names = [src.country && nameOf(regionNames, src.country.toUpperCase()),
                       src.language && nameOf(languageNames, src.language)];
        byKey.set(key, [names.filter(Boolean).join(" · "), []]);
      }
      byKey.get(key)[1].push([src.outlet, src.url]);
    }
    return [...byKey.values()].sort((a, b) => b[1].length - a[1].length);
  }

  const query = (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    return q;
  };
  const link = (params) => `?${query(params)}`;

  function render(s, { updated = false, fresh = false } = {}) {
    const now = new Date();
    const developed = updated || Date.parse(s.last_updated) - Date.parse(s.first_seen) >= updatedAfter;
    const meta = el("p", { className: "meta" });
    if (developed) meta.append(el("strong", { className: "badge" }, "Updated"), " ");
    meta.append(time(s.last_updated, now));
    if (developed) meta.append(" · first reported ", time(s.first_seen, now));
    const n = s.article_count;
    meta.append(` · ${n} report${n === 1 ? "" : "s"}`);
    const article = el("article", {}, meta, el("h3", { id: `h-${s.id}` }, s.headline));
    article.setAttribute("aria-labelledby", `h-${s.id}`);
    const summary = oneLine(s.summary, s.headline);
    if (summary) article.append(el("p", { className: "summary" }, summary));

    const reported = el("p", { className: "reported" }, "Reported by ");
    groups(s.sources).forEach(([label, outlets], i) => {
      if (i) reported.append("; ");
      const group = el("span", { className: "group" });
      if (label) group.append(el("span", { className: "where" }, `${label}:`), " ");
      outlets.forEach(([name, url], j) => {
        if (j) group.append(", ");
        group.append(outletLink(name, url));
      });
      reported.append(group);
    });
    // The sources list each outlet's first report unless full (StoryOut.unlisted_reports).
    const more = s.sources.length >= maxSources ? Math.max(0, s.source_count - s.sources.length) : 0;
    if (more) reported.append(el("span", { className: "more" }, ` and ${more} more report${more === 1 ? "" : "s"}`));
    article.append(reported);
    if (s.claims?.length) {
      const list = el("ul");
      for (const c of s.claims) {
        list.append(el("li", {}, el("span", { className: "claimant" }, c.claimant), `: ${c.text} `,
          el("span", { className: "in" }, "(", outletLink(c.report.outlet, c.report.url), ")")));
      }
      article.append(el("div", { className: "claims" }, el("h4", {}, "Who says what"), list));
    }
    if (s.places.length) {
      const places = el("p", { className: "places" }, "Places: ");
      s.places.forEach((p, i) => {
        if (i) places.append(", ");
        const a = el("a", { href: link({ ...shown, place: p }) }, p);
        a.dataset.place = p;
        places.append(a);
      });
      article.append(places);
    }
    const li = el("li", { className: fresh ? "story fresh" : "story", id: `story-${s.id}` }, article);
    li.dataset.updated = s.last_updated;
    if (fresh) setTimeout(() => li.classList.remove("fresh"), 60e3);
    return li;
  }

  // On a page with older pages, a story older than the last one shown belongs to those.
  let more = !older.hidden;
  const oldest = () => Math.min(...[...timeline.querySelectorAll("li.story")]
    .map((li) => Date.parse(li.dataset.updated)));

  function show(story, kind) {
    const old = document.getElementById(`story-${story.id}`);
    if (!old && more && Date.parse(story.last_updated) < oldest()) return;
    const li = render(story, { updated: kind === "story.updated", fresh: true });
    if (old) old.remove();
    place(li, true);
    tidy();
    announce(`${kind === "story.updated" ? "Updated" : "New"}: ${story.headline}`);
    refreshMap(2000);
  }

  // --- the map: the places of the stories listed -----------------------------------------
  // After a filter or a live story the server draws it again for the same query
  // (page.py briefing_map); bursts of stories redraw it once.
  let mapTimer = null;
  function refreshMap(delay) {
    clearTimeout(mapTimer);
    mapTimer = setTimeout(() => later(async () => {
      const url = new URL(cfg.map, location.href);
      url.search = query({ ...shown, limit: form.elements.limit?.value || cfg.limit }).toString();
      const response = await fetch(url);
      if (!response.ok) return;
      const fresh = document.createRange().createContextualFragment(await response.text());
      const figure = fresh.querySelector("#map");
      const old = document.getElementById("map");
      if (old && figure) old.replaceWith(figure);
      else if (old) old.remove();
      else if (figure) announcer.before(figure);
    }), delay);
  }

  // --- filters -------------------------------------------------------------------------
  const fromUrl = () => {
    const q = new URLSearchParams(location.search);
    return Object.fromEntries(FILTERS.map((k) => [k, (q.get(k) || "").trim()]));
  };
  const fromForm = () => Object.fromEntries(FILTERS.map((k) => [k, form.elements[k].value.trim()]));
  const active = (f) => FILTERS.some((k) => f[k]);
  let shown = fromUrl();  // the filters of what the page shows

  const timelineUrl = (params) => {
    const url = new URL(cfg.timeline, location.href);
    url.search = query(params).toString();
    return url;
  };

  let watermark = cfg.watermark;  // the newest event the shown list accounts for
  let lastSeen = cfg.watermark;  // the newest event the stream delivered
  let queue = Promise.resolve();  // loads and catch-ups, one at a time
  const later = (task) => { queue = queue.then(task).catch(() => announce("Could not reach the server.")); };

  async function load(wanted, push) {
    const limit = form.elements.limit?.value;
    const response = await fetch(timelineUrl({ ...wanted, limit: limit || cfg.limit }));
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      announce(`Could not filter: ${problem.detail || response.status}`);
      return;
    }
    const page = await response.json();
    shown = wanted;
    // The page's feeds (<link rel="alternate">, the footer's links) follow its filters:
    // a reader subscribing from a filtered page gets the feed of what it shows.
    for (const feed of document.querySelectorAll("[data-feed]")) {
      const url = new URL(feed.href);
      url.search = query(wanted).toString();
      feed.href = url;
    }
    timeline.replaceChildren();
    for (const s of page.items) place(render(s), false);
    tidy();
    empty.textContent = active(wanted) ? "No developments match these filters."
      : "No developments yet. This page updates by itself.";
    more = Boolean(page.next_cursor);
    older.hidden = !more;
    if (more) older.href = link({ cursor: page.next_cursor, limit, ...wanted });
    clear.hidden = !active(wanted);
    watermark = page.watermark;
    if (push) history.pushState(null, "", link({ ...wanted, limit }));
    refreshMap(0);
    const n = page.items.length;
    announce(`${n}${more ? "+" : ""} development${n === 1 ? "" : "s"}` +
             (active(wanted) ? " match the filters" : " shown"));
  }

  const eventOrder = (id) => id.split("-").map(BigInt);
  const before = (a, b) => {
    const [am, as] = eventOrder(a), [bm, bs] = eventOrder(b);
    return am < bm || (am === bm && as < bs);
  };

  let pending = false;
  const kinds = new Map();  // event type by story, for stories shown by a catch-up

  async function catchUp() {
    pending = false;
    for (let round = 0; round < 20; round++) {
      const response = await fetch(timelineUrl({ ...shown, since: watermark, limit: 100 }));
      if (response.status === 410) { location.reload(); return; }  // events that old are gone
      if (!response.ok) return;
      const page = await response.json();
      for (const s of page.items.reverse()) {
        const known = document.getElementById(`story-${s.id}`);
        show(s, kinds.get(s.id) || (known ? "story.updated" : "story.created"));
        kinds.delete(s.id);
      }
      const advanced = page.watermark !== watermark;
      watermark = page.watermark;
      if (!advanced || !before(watermark, lastSeen)) return;
    }
  }

  function onEvent(type, e) {
    const { story, absorbed = [], merged_from: from } = JSON.parse(e.data);
    // A merge: the stories the survivor took in are gone from every timeline (their ids
    // answer 308), and an event of one read after the merge carries its survivor
    // (docs/api.md, "The stream"). The survivor shows as updated.
    const gone = from ? [...absorbed, from] : absorbed;
    for (const id of gone) document.getElementById(`story-${id}`)?.remove();
    if (gone.length) tidy();
    const kind = gone.length ? "story.updated" : type;
    if (e.lastEventId) lastSeen = e.lastEventId;
    if (!active(shown) && !pending && !loading) {
      show(story, kind);
      watermark = lastSeen;
      return;
    }
    kinds.set(story.id, kind);
    if (!pending) { pending = true; later(catchUp); }
  }

  let loading = false;
  const apply = (wanted, push, focus) => {
    loading = true;
    later(async () => {
      try { await load(wanted, push); } finally { loading = false; }
      if (focus) main.focus();
    });
  };

  // --- start ----------------------------------------------------------------------------
  // Regroup the server's UTC days by the reader's, then write every time the reader's way.
  for (const li of [...timeline.querySelectorAll("li.story")]) {
    if (dayKey(new Date(li.dataset.updated)) !== li.closest("section").dataset.day) place(li, false);
  }
  tidy();
  for (const t of timeline.querySelectorAll("time")) t.title = full.format(new Date(t.dateTime));
  refreshTimes();
  setInterval(refreshTimes, MINUTE);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshTimes(); });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.getElementById("zone").textContent = `Times are in your time zone${zone ? ` (${zone})` : ""}.`;

  if (cfg.live !== "on") return;  // an older page: no stream, its links and form reload

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply(fromForm(), true, false);
  });
  clear.addEventListener("click", (e) => {
    e.preventDefault();
    for (const k of FILTERS) form.elements[k].value = "";
    apply(fromForm(), true, true);
  });
  main.addEventListener("click", (e) => {  // a story's places and the map's markers
    const a = e.target.closest("a[data-place]");
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    form.elements.place.value = a.dataset.place;
    apply(fromForm(), true, true);
  });
  window.addEventListener("popstate", () => {
    const wanted = fromUrl();
    for (const k of FILTERS) form.elements[k].value = wanted[k];
    apply(wanted, false, false);
  });

  // The badge is hidden in the HTML: without this script the page is not live.
  document.getElementById("live-line").hidden = false;
  const badge = document.getElementById("live-badge");
  const state = document.getElementById("live-state");
  const live = (on) => {
    badge.dataset.state = on ? "live" : "offline";
    state.textContent = on ? "Live updates are on" : "Live updates are reconnecting";
  };
  // EventSource reconnects by itself when a connection drops, but gives up for good on
  // an answer other than 200 text/event-stream (WHATWG HTML §9.2.3, "fail the
  // connection"): the 503 of a server holding as many streams as it allows, a proxy's
  // 502 while the server restarts. Then the page opens a new stream itself, after the
  // stream's retry time doubled at each refusal (at most a minute, jittered so that the
  // pages a restart refused do not all come back at once), resuming after the last event
  // it received; a resume the server can no longer serve gets a "reset" (below).
  const MAX_REOPEN_WAIT = 60e3;
  let refusals = 0;
  const open = () => {
    const url = new URL(cfg.stream, location.href);
    url.searchParams.set("last_event_id", lastSeen);
    const source = new EventSource(url);
    source.onopen = () => { refusals = 0; live(true); };
    source.onerror = () => {
      live(false);
      if (source.readyState !== source.CLOSED) return;  // the browser reconnects
      const wait = Math.min(Number(cfg.retry) * 2 ** refusals++, MAX_REOPEN_WAIT);
      setTimeout(open, wait * (0.5 + Math.random() / 2));
    };
    for (const type of ["story.created", "story.updated", "story.merged"]) {
      source.addEventListener(type, (e) => onEvent(type, e));
    }
    // Events the page missed are no longer kept (docs/api.md, "reset"): load the timeline
    // afresh, as shown (filters kept); the events after the reset are live.
    source.addEventListener("reset", (e) => {
      if (e.lastEventId) lastSeen = e.lastEventId;
      apply(shown, false, false);
    });
  };
  open();
})();
