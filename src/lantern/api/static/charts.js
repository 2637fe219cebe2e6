// Tiny canvas charts for the Lantern dashboard (no library, no build step).
"use strict";

const Charts = (() => {
  const AXIS = "#55606e", TEXT = "#9aa6b5", FONT = "11px system-ui, sans-serif";

  function frame(ctx, w, h, pad) {
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = AXIS;
    ctx.beginPath();
    ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, h - pad.b); ctx.lineTo(w - pad.r, h - pad.b);
    ctx.stroke();
    ctx.font = FONT; ctx.fillStyle = TEXT;
  }

  function fmt(v) {
    if (v >= 1e9) return (v / 1e9).toFixed(1) + "G";
    if (v >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (v >= 1e4) return (v / 1e3).toFixed(0) + "k";
    return Math.round(v).toString();
  }

  // lines: [{values: [y...], color, label, dash}], xs shared (0..xmax)
  function lines(canvas, series, xmax, opts = {}) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    const pad = { l: 46, r: 8, t: 8, b: 20 };
    frame(ctx, w, h, pad);
    let ymax = opts.ymax || 0;
    for (const s of series) for (const v of s.values) if (v[1] > ymax) ymax = v[1];
    ymax = ymax || 1;
    const X = (x) => pad.l + (x / xmax) * (w - pad.l - pad.r);
    const Y = (y) => h - pad.b - (y / ymax) * (h - pad.t - pad.b);
    ctx.fillText(fmt(ymax) + (opts.unit || ""), 2, pad.t + 8);
    ctx.fillText("0", 2, h - pad.b);
    ctx.fillText(opts.xlabel || "", w - 90, h - 5);
    let ly = pad.t + 10;
    for (const s of series) {
      ctx.strokeStyle = s.color; ctx.setLineDash(s.dash ? [5, 4] : []); ctx.lineWidth = 1.6;
      ctx.beginPath();
      s.values.forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = s.color; ctx.fillText(s.label, pad.l + 8, ly); ly += 12;
    }
    ctx.lineWidth = 1;
  }

  // stacked areas: layers [{values: [y...], color, label}] over xs; plus optional overlay line
  function stacked(canvas, xs, layers, xmax, overlay) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    const pad = { l: 36, r: 40, t: 8, b: 20 };
    frame(ctx, w, h, pad);
    const X = (x) => pad.l + (x / xmax) * (w - pad.l - pad.r);
    const Y = (y) => h - pad.b - (y / 100) * (h - pad.t - pad.b);
    ctx.fillText("100%", 2, pad.t + 8);
    let base = xs.map(() => 0), ly = pad.t + 10;
    for (const layer of layers) {
      const top = base.map((b, i) => b + layer.values[i]);
      ctx.fillStyle = layer.color; ctx.globalAlpha = 0.75;
      ctx.beginPath();
      xs.forEach((x, i) => (i ? ctx.lineTo(X(x), Y(top[i])) : ctx.moveTo(X(x), Y(top[i]))));
      for (let i = xs.length - 1; i >= 0; i--) ctx.lineTo(X(xs[i]), Y(base[i]));
      ctx.closePath(); ctx.fill(); ctx.globalAlpha = 1;
      ctx.fillText(layer.label, pad.l + 8, ly); ly += 12;
      base = top;
    }
    if (overlay && overlay.values.length) {
      const ymax = Math.max(1, ...overlay.values);
      const Yo = (y) => h - pad.b - (y / ymax) * (h - pad.t - pad.b);
      ctx.strokeStyle = overlay.color; ctx.beginPath();
      xs.forEach((x, i) => (i ? ctx.lineTo(X(x), Yo(overlay.values[i])) : ctx.moveTo(X(x), Yo(overlay.values[i]))));
      ctx.stroke();
      ctx.fillStyle = overlay.color; ctx.fillText(fmt(ymax) + " ms", w - pad.r - 30, pad.t + 8);
      ctx.fillText(overlay.label, pad.l + 8, ly);
    }
  }

  // horizontal bars: [{label, value, color}]
  function bars(canvas, items) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h); ctx.font = FONT;
    const max = Math.max(1, ...items.map((i) => i.value));
    const rowH = Math.min(30, (h - 4) / items.length), left = 110;
    items.forEach((item, k) => {
      const y = 2 + k * rowH, bw = ((w - left - 60) * item.value) / max;
      ctx.fillStyle = item.color; ctx.fillRect(left, y + 3, Math.max(1, bw), rowH - 8);
      ctx.fillStyle = TEXT; ctx.fillText(item.label, 4, y + rowH / 2 + 3);
      ctx.fillText(fmt(item.value), left + bw + 6, y + rowH / 2 + 3);
    });
  }

  return { lines, stacked, bars, fmt };
})();
