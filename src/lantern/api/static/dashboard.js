// Lantern dashboard: live map of the replayed drill, charts, and a chat panel.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const map = $("map"), mctx = map.getContext("2d");
  const roadsLayer = document.createElement("canvas");
  roadsLayer.width = map.width; roadsLayer.height = map.height;
  let view = null;            // projection of lng/lat onto the map canvas
  let meta = null;            // fixed data of the replayed drill
  let prev = null, cur = null, curAt = 0, pollMs = 1000;
  let trails = {};            // van id -> [lng, lat] path over the last hour (/v1/fleet/routes)

  // -- token for the chat panel: #token=... in the URL (printed by `lantern serve`) ---------
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("token")) sessionStorage.setItem("lantern-token", hash.get("token"));
  const token = () => sessionStorage.getItem("lantern-token");

  // -- map ----------------------------------------------------------------------------------
  function projection(bbox) {
    const [x0, y0, x1, y1] = bbox, k = Math.cos(((y0 + y1) / 2) * Math.PI / 180);
    const pad = 10, sx = (map.width - 2 * pad) / ((x1 - x0) * k), sy = (map.height - 2 * pad) / (y1 - y0);
    const s = Math.min(sx, sy);
    const ox = pad + (map.width - 2 * pad - (x1 - x0) * k * s) / 2;
    const oy = pad + (map.height - 2 * pad - (y1 - y0) * s) / 2;
    return (lng, lat) => [ox + (lng - x0) * k * s, oy + (y1 - lat) * s];
  }

  async function drawRoads() {
    const res = await fetch("/v1/fleet/roads");
    if (!res.ok) throw new Error("roads: HTTP " + res.status);
    const geo = await res.json();
    view = projection(geo.bbox);
    const ctx = roadsLayer.getContext("2d");
    ctx.fillStyle = "#0b0f14"; ctx.fillRect(0, 0, roadsLayer.width, roadsLayer.height);
    ctx.strokeStyle = "#3a4656"; ctx.lineWidth = 0.6; ctx.beginPath();
    let lines = 0;
    for (const feature of geo.features) {
      for (const line of feature.geometry.coordinates) {
        line.forEach(([lng, lat], i) => {
          const [x, y] = view(lng, lat);
          i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
        });
        lines++;
      }
    }
    ctx.stroke();
    ctx.fillStyle = "#55606e"; ctx.font = "12px system-ui";
    ctx.fillText("© OpenStreetMap contributors (ODbL)", 12, roadsLayer.height - 10);
    document.body.dataset.roads = String(lines);
  }

  function dot(x, y, r, color) {
    mctx.fillStyle = color; mctx.beginPath(); mctx.arc(x, y, r, 0, 2 * Math.PI); mctx.fill();
  }

  function drawMap(minute, vans) {
    mctx.drawImage(roadsLayer, 0, 0);
    if (!view) return;
    if (meta) {
      for (const [lng, lat, placed, delivered, onTime] of meta.deliveries) {
        if (placed > minute) continue;
        const [x, y] = view(lng, lat);
        if (delivered === null || delivered > minute) dot(x, y, 3, "#3fa7ff");
        else if (minute - delivered < 60) dot(x, y, 2.5, onTime ? "#2ecc71" : "#ff4d4d");
      }
    }
    mctx.strokeStyle = "rgba(255, 159, 28, 0.35)"; mctx.lineWidth = 1.5;
    for (const path of Object.values(trails)) {
      mctx.beginPath();
      path.forEach(([lng, lat], i) => { const [x, y] = view(lng, lat); i ? mctx.lineTo(x, y) : mctx.moveTo(x, y); });
      mctx.stroke();
    }
    mctx.lineWidth = 1;
    for (const v of vans) {
      const [x, y] = view(v.lng, v.lat);
      dot(x, y, 4.5, v.busy ? "#ff9f1c" : "#6c7a89");
    }
    document.body.dataset.vans = String(vans.length);
  }

  function interpolatedVans() {
    if (!cur) return [];
    if (!prev || prev.vans.length !== cur.vans.length) return cur.vans;
    const w = Math.min(1, (performance.now() - curAt) / pollMs);
    return cur.vans.map((v, i) => ({
      lng: prev.vans[i].lng + w * (v.lng - prev.vans[i].lng),
      lat: prev.vans[i].lat + w * (v.lat - prev.vans[i].lat),
      busy: v.busy,
    }));
  }

  function animate() {
    const minute = cur ? cur.minute : 0;
    drawMap(minute, interpolatedVans());
    requestAnimationFrame(animate);
  }

  // -- charts -------------------------------------------------------------------------------
  const POOL_COLORS = ["#ff5a4f", "#ff9f1c", "#2ecc71", "#3fa7ff", "#b38cff"];

  function drawBudget(minute) {
    const series = meta.series, bucket = series.bucket_min, upto = Math.floor(minute / bucket);
    const xmax = meta.horizon_min / 60, lines = [];
    const plans = meta.plan_by_pool_fen || {};
    const active = Object.keys(series.spent_by_pool_fen).sort().filter((pool) =>
      Math.max(0, ...series.spent_by_pool_fen[pool]) > 0 ||
      Object.values(plans[pool] || {}).some((fen) => fen > 0));
    active.forEach((pool, k) => {
      const color = POOL_COLORS[k % POOL_COLORS.length];
      const spent = series.spent_by_pool_fen[pool].slice(0, upto).map((fen, i) => [((i + 1) * bucket) / 60, fen / 100]);
      lines.push({ values: spent, color, label: pool + " spent" });
      const plan = (meta.plan_by_pool_fen || {})[pool] || {};
      let cum = 0; const steps = [];
      Object.keys(plan).sort().forEach((day, d) => {
        cum += plan[day] / 100; steps.push([d * 24, cum], [Math.min(xmax, (d + 1) * 24), cum]);
      });
      if (steps.length) lines.push({ values: steps, color, label: pool + " plan", dash: true });
    });
    Charts.lines($("budget"), lines, xmax, { unit: " ¥", xlabel: "hours" });
  }

  function drawFunnel(totals) {
    Charts.bars($("funnel"), [
      { label: "users", value: totals.users || 0, color: "#3fa7ff" },
      { label: "chats", value: totals.chats || 0, color: "#b38cff" },
      { label: "envelopes", value: totals.claims_granted || 0, color: "#ff5a4f" },
      { label: "orders", value: totals.orders || 0, color: "#ff9f1c" },
      { label: "deliveries", value: totals.deliveries || 0, color: "#2ecc71" },
    ]);
  }

  function drawCluster(minute) {
    const series = meta.series, bucket = series.bucket_min, upto = Math.floor(minute / bucket);
    const snaps = series.cluster.slice(0, upto);
    const xs = snaps.map((_, i) => ((i + 1) * bucket) / 60);
    Charts.stacked($("cluster"), xs, [
      { values: snaps.map((c) => c.training_pct), color: "#8e44ad", label: "training" },
      { values: snaps.map((c) => c.inference_pct), color: "#f39c12", label: "inference" },
    ], meta.horizon_min / 60, { values: snaps.map((c) => c.latency_ms_p95), color: "#ff4d4d", label: "p95 latency" });
  }

  // -- polling ------------------------------------------------------------------------------
  async function loadMeta() {
    const res = await fetch("/v1/drill/meta");
    if (res.status === 503) { $("status").textContent = "the drill is running…"; return false; }
    if (!res.ok) throw new Error("meta: HTTP " + res.status);
    meta = await res.json();
    const s = meta.summary;
    $("status").textContent = `${s.scale} · seed ${s.seed} · ${s.users} users · ${s.vans} vans · ` +
      `${s.accelerators} accelerators · audit ${s.audit_ok ? "ok" : "FAILED"}`;
    return true;
  }

  async function poll() {
    try {
      if (!meta && !(await loadMeta())) return;
      const res = await fetch("/v1/drill/state");
      if (!res.ok) throw new Error("state: HTTP " + res.status);
      const state = await res.json();
      if (cur && state.minute < cur.minute) prev = null; else prev = cur;
      cur = state; curAt = performance.now();
      $("clock").textContent = state.time.replace("T", " ") + " (Asia/Shanghai)";
      drawBudget(state.minute); drawFunnel(state.totals); drawCluster(state.minute);
      document.body.dataset.minute = String(state.minute);
    } catch (err) {
      $("status").textContent = String(err);
    }
  }

  // -- chat (POST /v1/chat, server-sent events) ---------------------------------------------
  let conversation = null;

  function addLine(cls, text) {
    const div = document.createElement("div");
    div.className = cls; div.textContent = text;
    $("chat-log").appendChild(div); $("chat-log").scrollTop = 1e9;
    return div;
  }

  async function chat(text) {
    addLine("user", "› " + text);
    const bot = addLine("bot", "");
    const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
    if (token()) headers.Authorization = "Bearer " + token();
    const body = { message: text, stream: true };
    if (conversation) body.session_id = conversation;
    const res = await fetch("/v1/chat", { method: "POST", headers, body: JSON.stringify(body) });
    if (!res.ok || !res.body) {
      let detail = "HTTP " + res.status;
      try { detail = (await res.json()).detail || detail; } catch (_) { /* not JSON */ }
      bot.className = "bot err"; bot.textContent = detail;
      document.body.dataset.chatErrors = String(Number(document.body.dataset.chatErrors || 0) + 1);
      return;
    }
    const reader = res.body.getReader(), decoder = new TextDecoder();
    let buffer = "", event = "message";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, cut).replace(/\r$/, ""); buffer = buffer.slice(cut + 1);
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) handleEvent(event, line.slice(5).trim(), bot);
        else if (line === "") event = "message";
      }
    }
    document.body.dataset.chatReplies = String(Number(document.body.dataset.chatReplies || 0) + 1);
  }

  // events of POST /v1/chat with stream=true: session, tool_call, tool_result, text, done
  function handleEvent(event, data, bot) {
    let payload = {};
    try { payload = JSON.parse(data); } catch (_) { payload = { text: data }; }
    if (event === "session") conversation = payload.session_id;
    else if (event === "tool_call") addTool(bot, payload.name);
    else if (event === "text") bot.textContent += payload.text || "";
    else if (event === "done" && !bot.textContent) bot.textContent = payload.reply || "";
  }

  function addTool(bot, name) {
    const tag = document.createElement("div");
    tag.className = "tool"; tag.textContent = "⚙ " + name;
    bot.parentNode.insertBefore(tag, bot);
  }

  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("chat-input").value.trim();
    if (!text) return;
    $("chat-input").value = "";
    chat(text).catch((err) => addLine("bot err", String(err)));
  });
  $("chat-note").textContent = token() ? "chatting as the user of the dashboard link" :
    "open the link `lantern serve` prints (it carries a user token) to chat";

  async function pollTrails() {
    if (!meta) return;
    const res = await fetch("/v1/fleet/routes");
    if (res.ok) trails = (await res.json()).routes;
    document.body.dataset.trails = String(Object.keys(trails).length);
  }

  drawRoads().catch((err) => { $("status").textContent = String(err); });
  setInterval(() => pollTrails().catch(() => {}), pollMs);
  requestAnimationFrame(animate);
  poll();
  setInterval(poll, pollMs);
})();
