// The verifier page: reads a badge (file, drop, paste, #credential=URL or,
// on a page per badge, the file beside the page), verifies it in this
// browser with the WebAssembly verifier, and shows the outcome. Everything
// taken from a credential goes into the page as text (textContent) or as a
// checked http(s) link, never as HTML.
"use strict";
(function () {
  const MAX_BYTES = 16 * 1024 * 1024; // check.MaxInputBytes
  const FETCH_TIMEOUT_MS = 15000;
  const $ = (id) => document.getElementById(id);
  const body = document.body;

  // --- the verifier ---------------------------------------------------------
  let readyResolve;
  const ready = new Promise((r) => { readyResolve = r; });
  window.openbadgesReady = () => readyResolve(window.openbadges);
  async function loadVerifier() {
    const go = new Go();
    let inst;
    try {
      inst = await WebAssembly.instantiateStreaming(fetch("verifier.wasm"), go.importObject);
    } catch (e) {
      const resp = await fetch("verifier.wasm");
      if (!resp.ok) throw new Error("the verifier (verifier.wasm) could not be loaded: HTTP " + resp.status);
      inst = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    }
    go.run(inst.instance);
    return ready;
  }
  const verifierLoaded = loadVerifier();

  // --- building the page with text only ---------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const k of kids) {
      if (k === undefined || k === null || k === "") continue;
      e.append(typeof k === "string" ? document.createTextNode(k) : k);
    }
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function str(v) {
    if (v === undefined || v === null) return "";
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return "";
  }
  function arr(v) { return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]; }
  function obj(v) { return v && typeof v === "object" && !Array.isArray(v) ? v : {}; }
  function isWebURL(s) {
    try { const u = new URL(s); return u.protocol === "https:" || u.protocol === "http:"; } catch (e) { return false; }
  }
  // link returns a link for http(s) URLs and plain text for anything else.
  function link(s, text) {
    s = str(s);
    if (!isWebURL(s)) return document.createTextNode(text || s);
    return el("a", { href: s, rel: "noopener noreferrer nofollow", target: "_blank" }, text || s);
  }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    dl.append(el("dt", {}, name), el("dd", {}, value));
  }
  function mark(kind, text) { return el("span", { class: "mark " + kind }, text); }
  function when(s) {
    s = str(s);
    if (!s) return "";
    const d = new Date(s);
    if (isNaN(d)) return s;
    return d.toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" }) + " (" + s + ")";
  }
  // image shows a badge image only when it is in the credential itself
  // (a data: URI) or is the file being checked: loading a URL would tell
  // its host who looks at the badge.
  function image(src, alt, blobURL) {
    if (blobURL) return el("img", { src: blobURL, alt: alt });
    const o = typeof src === "string" ? { id: src } : obj(src);
    const id = str(o.id);
    const a = str(o.caption) || alt;
    if (/^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i.test(id)) return el("img", { src: id, alt: a });
    if (isWebURL(id)) return el("p", { class: "hint" }, "Image not loaded, to keep your viewing private: ", link(id));
    return null;
  }

  // --- messages -----------------------------------------------------------------
  function status(text) { $("status").textContent = text; }
  function showError(text) {
    const e = $("error");
    e.textContent = text;
    e.hidden = false;
    $("report").hidden = true;
    status("");
    body.dataset.verdict = "not-verified";
    body.dataset.state = "error";
  }
  function reset() {
    delete body.dataset.verdict;
    delete body.dataset.state;
    $("error").hidden = true;
    $("report").hidden = true;
  }

  // --- reading input ------------------------------------------------------------
  function sizeText(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + " MB";
    if (n >= 1024) return (n / 1024).toFixed(1) + " KB";
    return n + " bytes";
  }
  function sniff(bytes) {
    if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
    const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, "").trimStart();
    if (head.startsWith("<")) return /<svg[\s>]/i.test(new TextDecoder().decode(bytes.subarray(0, 65536))) ? "svg" : "";
    if (head.startsWith("{")) return "json";
    const all = new TextDecoder().decode(bytes.subarray(0, 64)).trim();
    if (/^ey[A-Za-z0-9_-]*$/.test(all.split(".")[0] || "") && all.length > 0) return "jwt";
    return "";
  }
  let lastBlobURL = "";
  let lastInput = null; // what was verified last, verified again when the options change
  async function checkBytes(bytes, source) {
    reset();
    if (bytes.length > MAX_BYTES) {
      showError("This file is " + sizeText(bytes.length) + ": too large for a badge (at most " + sizeText(MAX_BYTES) + "). Choose the badge's credential or image.");
      return;
    }
    if (bytes.length === 0) { showError("This file is empty: there is no badge in it."); return; }
    const format = sniff(bytes);
    if (!format) {
      showError("This is not a badge: a badge is a credential in JSON, a VC-JWT, or a PNG or SVG image with a credential baked in.");
      return;
    }
    lastInput = { bytes: bytes, source: source };
    if (lastBlobURL) { URL.revokeObjectURL(lastBlobURL); lastBlobURL = ""; }
    if (format === "png" || format === "svg") {
      lastBlobURL = URL.createObjectURL(new Blob([bytes], { type: format === "png" ? "image/png" : "image/svg+xml" }));
    }
    status("Verifying…");
    let api;
    try { api = await verifierLoaded; } catch (e) { showError("The verifier could not be started: " + e.message); return; }
    let rep;
    try {
      rep = JSON.parse(await api.verify(bytes, { network: $("network").checked }));
    } catch (e) {
      showError("This badge could not be checked: " + (e && e.message ? e.message : String(e)));
      return;
    }
    render(rep, source, lastBlobURL);
  }
  async function checkFile(file) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      reset();
      showError("This file is " + sizeText(file.size) + ": too large for a badge (at most " + sizeText(MAX_BYTES) + "). Choose the badge's credential or image.");
      return;
    }
    status("Reading " + file.name + "…");
    let buf;
    try { buf = await file.arrayBuffer(); } catch (e) { reset(); showError("The file could not be read: " + e.message); return; }
    await checkBytes(new Uint8Array(buf), { kind: "file", name: file.name });
  }
  async function checkURL(u, shareURL) {
    reset();
    if (!isWebURL(u) && !/^[^:]+$/.test(u)) { showError("This is not a web address: " + u); return; }
    status("Loading " + u + "…");
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
    let bytes;
    try {
      const resp = await fetch(u, { signal: ctl.signal, credentials: "omit", referrerPolicy: "no-referrer" });
      if (!resp.ok) throw new Error("the server answered HTTP " + resp.status);
      const len = Number(resp.headers.get("content-length") || 0);
      if (len > MAX_BYTES) throw new Error("it is " + sizeText(len) + ", too large for a badge");
      bytes = new Uint8Array(await resp.arrayBuffer());
    } catch (e) {
      const why = e.name === "AbortError" ? "the server did not answer in time" :
        e instanceof TypeError ? "the server did not answer, or does not allow this page to read it" : e.message;
      showError("The credential at " + u + " could not be loaded: " + why + ".");
      return;
    } finally { clearTimeout(timer); }
    await checkBytes(bytes, { kind: "url", url: u, share: shareURL });
  }

  // --- showing a report -------------------------------------------------------------
  const verdictText = { "verified": "Verified", "not-conformant": "Authentic, but not conformant", "not-verified": "Not verified" };
  function render(rep, source, blobURL) {
    const c = obj(rep.credential);
    const r = obj(rep.result);
    $("verdict-h").textContent = verdictText[rep.verdict] || "Not verified";
    $("verdict-reason").textContent = rep.verdict === "verified"
      ? "The signature is the issuer's, the badge is in force, and it follows the standards."
      : rep.reason || "";
    $("claim-note").hidden = !!rep.signed || !rep.credential;
    // Nothing could be read: the verdict and the checks say why.
    for (const sec of document.querySelectorAll("#report .detail")) sec.hidden = !rep.credential;

    const subj = obj(arr(c.credentialSubject)[0]);
    const ach = obj(subj.achievement);
    const issuer = typeof c.issuer === "string" ? { id: c.issuer } : obj(c.issuer);
    const name = str(ach.name) || str(c.name) || "(no name)";

    // Badge
    const bi = $("badge-image"); clear(bi);
    const img = image(ach.image || c.image, "Badge image of " + name, blobURL);
    if (img) bi.append(img);
    $("badge-name").textContent = name;
    $("badge-description").textContent = str(ach.description) || str(c.description);
    const bf = $("badge-fields"); clear(bf);
    const crit = obj(ach.criteria);
    field(bf, "Criteria", crit.narrative ? str(crit.narrative) : crit.id ? link(crit.id) : "");
    if (crit.narrative && crit.id) field(bf, "Criteria page", link(crit.id));
    field(bf, "Achievement type", str(ach.achievementType));
    field(bf, "Achievement id", str(ach.id));
    if (subj.creditsEarned !== undefined) field(bf, "Credits earned", str(subj.creditsEarned));
    if (ach.creditsAvailable !== undefined) field(bf, "Credits available", str(ach.creditsAvailable));
    field(bf, "Field of study", str(ach.fieldOfStudy));
    field(bf, "Narrative", str(subj.narrative));

    const al = $("alignments"); clear(al);
    const aligns = arr(ach.alignment).map(obj);
    if (aligns.length) {
      const ul = el("ul");
      for (const a of aligns) {
        const li = el("li", {}, el("strong", {}, str(a.targetName) || "(unnamed)"));
        if (a.targetFramework) li.append(" — ", str(a.targetFramework));
        if (a.targetCode) li.append(" (", str(a.targetCode), ")");
        if (a.targetUrl) li.append(" ", link(a.targetUrl));
        if (a.targetDescription) li.append(el("br"), str(a.targetDescription));
        ul.append(li);
      }
      al.append(el("h3", {}, "Alignments"), ul);
    }
    const rs = $("results"); clear(rs);
    const descs = {};
    for (const d of arr(ach.resultDescription).map(obj)) descs[str(d.id)] = str(d.name);
    const results = arr(subj.result).map(obj);
    if (results.length) {
      const ul = el("ul");
      for (const x of results) {
        const label = descs[str(x.resultDescription)] || "Result";
        const v = str(x.value) || str(x.achievedLevel) || str(x.status);
        ul.append(el("li", {}, el("strong", {}, label + ": "), v, x.status && x.value ? " (" + str(x.status) + ")" : ""));
      }
      rs.append(el("h3", {}, "Results"), ul);
    }
    const ev = $("evidence"); clear(ev);
    const evidence = arr(c.evidence).map(obj);
    if (evidence.length) {
      const ul = el("ul");
      for (const x of evidence) {
        const li = el("li", {}, el("strong", {}, str(x.name) || "Evidence"));
        if (x.description) li.append(": ", str(x.description));
        if (x.narrative) li.append(el("br"), str(x.narrative));
        if (x.id) li.append(" ", link(x.id));
        ul.append(li);
      }
      ev.append(el("h3", {}, "Evidence"), ul);
    }

    // Issuer
    const ii = $("issuer-image"); clear(ii);
    const iimg = image(issuer.image, "Logo of " + (str(issuer.name) || "the issuer"));
    if (iimg) ii.append(iimg);
    const isf = $("issuer-fields"); clear(isf);
    field(isf, "Name", str(issuer.name));
    field(isf, "Issuer id", str(issuer.id));
    if (issuer.url) field(isf, "Web site", link(issuer.url));
    field(isf, "E-mail", str(issuer.email));

    // Endorsements
    const el2 = $("endorsement-list"); clear(el2);
    const ends = obj(r.endorsements);
    const paths = Object.keys(ends).sort();
    $("endorsements").dataset.empty = paths.length === 0 ? "yes" : "no";
    for (const p of paths) {
      const sub = obj(ends[p]);
      const e = obj(at(c, p));
      const ei = typeof e.issuer === "string" ? { id: e.issuer } : obj(e.issuer);
      const es = obj(arr(e.credentialSubject)[0]);
      const li = el("li", { "data-verified": sub.verified ? "yes" : "no" }, sub.verified ? mark("ok", "verified") : mark("bad", "not verified"), " ",
        el("strong", {}, str(ei.name) || str(ei.id) || "An endorser"));
      if (ei.id && ei.name) li.append(" (", str(ei.id), ")");
      if (es.endorsementComment) li.append(": ", str(es.endorsementComment));
      if (!sub.verified) li.append(el("br"), el("span", { class: "why" }, str(obj(rep.endorsementReasons)[p]) || "It does not verify."));
      el2.append(li);
    }

    // Recipient
    const rf = $("recipient-fields"); clear(rf);
    field(rf, "Subject id", str(subj.id));
    const ic = $("identity-checks"); clear(ic);
    for (const idObj of arr(subj.identifier).map(obj)) {
      if (idObj.hashed === true) ic.append(identityCheck(idObj));
      else field(rf, identityLabel(idObj.identityType), str(idObj.identityHash));
    }
    if (!subj.id && !arr(subj.identifier).length) field(rf, "Subject", "not named in the badge");

    // Validity and status
    const vf = $("validity-fields"); clear(vf);
    field(vf, "Issued", when(c.validFrom || c.issuanceDate));
    field(vf, "Valid until", when(c.validUntil || c.expirationDate) || "no end date");
    field(vf, "Awarded", when(c.awardedDate));
    const checks = arr(r.checks).map(obj);
    const st = checks.find((k) => k.check === "status");
    const val = checks.find((k) => k.check === "validity");
    if (val) field(vf, "Dates", el("span", {}, mark(val.outcome, val.outcome), " ", str(val.detail)));
    if (c.credentialStatus) field(vf, "Status", st ? el("span", {}, mark(st.outcome, st.outcome), " ", str(st.detail)) : "not checked");
    else field(vf, "Status", "the badge has no status list (it cannot be revoked)");

    // Checks
    const tb = $("checks-body"); clear(tb);
    const n = { passed: 0, failed: 0, warning: 0, skipped: 0 };
    for (const k of checks) {
      n[k.outcome] = (n[k.outcome] || 0) + 1;
      tb.append(el("tr", {}, el("td", {}, str(k.check) + (k.path ? " " + str(k.path) : "")),
        el("td", {}, mark(str(k.outcome), str(k.outcome))), el("td", {}, str(k.detail))));
    }
    $("checks-summary").textContent = "Every check: " + n.passed + " passed, " + n.failed + " failed, " + n.warning + " with warnings, " + n.skipped + " skipped";
    const pl = $("problems"); clear(pl);
    for (const p of arr(r.errors).map(obj)) pl.append(el("li", {}, mark("bad", p.conformance ? "does not conform" : "error"), " ", str(p.check), p.path ? " " + str(p.path) : "", ": ", str(p.detail)));
    for (const p of arr(r.warnings).map(obj)) pl.append(el("li", {}, mark("warning", "warning"), " ", str(p.check), p.path ? " " + str(p.path) : "", ": ", str(p.detail)));

    // Share
    const share = source && source.share ? source.share : body.dataset.mode === "badge" ? location.href.split("#")[0] : "";
    $("share-link-row").hidden = !share;
    $("share-none").hidden = !!share;
    $("share-link").value = share;
    $("copy-status").textContent = "";
    const li = $("linkedin");
    $("linkedin-p").hidden = rep.verdict === "not-verified";
    const q = new URLSearchParams({ startTask: "CERTIFICATION_NAME", name: name });
    if (issuer.name) q.set("organizationName", str(issuer.name));
    const issued = new Date(str(c.validFrom || c.issuanceDate));
    if (!isNaN(issued)) { q.set("issueYear", String(issued.getUTCFullYear())); q.set("issueMonth", String(issued.getUTCMonth() + 1)); }
    const until = new Date(str(c.validUntil || c.expirationDate));
    if (!isNaN(until)) { q.set("expirationYear", String(until.getUTCFullYear())); q.set("expirationMonth", String(until.getUTCMonth() + 1)); }
    if (share) q.set("certUrl", share);
    if (c.id) q.set("certId", str(c.id));
    li.href = "https://www.linkedin.com/profile/add?" + q.toString();

    document.title = (verdictText[rep.verdict] || "") + ": " + name;
    $("report").hidden = false;
    status("");
    body.dataset.state = "done";
    body.dataset.verdictMs = String(Math.round(performance.now())); // since the page started loading
    body.dataset.verdict = rep.verdict;
    $("verdict-h").setAttribute("tabindex", "-1");
    if (body.dataset.mode !== "badge") $("verdict-h").focus(); // the verdict first, for keyboard and screen reader users
  }

  // at follows a JSON path of the verifier ($.a.b[0]) in doc.
  function at(doc, path) {
    let cur = doc;
    const re = /\.([^.[\]]+)|\[(\d+)\]/g;
    let m;
    while ((m = re.exec(path.replace(/^\$/, ""))) !== null) {
      if (cur === undefined || cur === null) return undefined;
      cur = m[1] !== undefined ? cur[m[1]] : arr(cur)[Number(m[2])];
    }
    return cur;
  }
  function identityLabel(t) {
    return { emailAddress: "E-mail address", url: "Web address", telephone: "Telephone", sourcedId: "Student id", studentId: "Student id", name: "Name" }[str(t)] || ("Identifier (" + str(t) + ")");
  }
  let idCount = 0;
  function identityCheck(idObj) {
    const n = ++idCount;
    const what = identityLabel(idObj.identityType).toLowerCase();
    const box = el("form", { class: "identity", "data-identity": str(idObj.identityType) });
    const input = el("input", { id: "identity-" + n, type: "text", autocomplete: "off" });
    const out = el("p", { role: "status", "aria-live": "polite", class: "identity-result" });
    box.append(el("label", { for: "identity-" + n }, "Check that this was issued to … (" + what + ")"),
      el("div", { class: "row" }, input, el("button", { type: "submit" }, "Check")), out,
      el("p", { class: "hint" }, "The badge holds only a salted hash of the recipient's " + what + ". What you type is hashed here, in your browser, and compared with it; it is not sent anywhere."));
    box.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const v = input.value.trim();
      if (!v) { out.textContent = "Type the " + what + " to check."; out.className = "identity-result"; return; }
      const api = await verifierLoaded;
      const ok = api.matchIdentity(str(idObj.identityHash), str(idObj.salt), true, v);
      out.textContent = ok ? "Yes: this badge was issued to " + v + "." : "No: this badge was not issued to " + v + ".";
      out.className = "identity-result " + (ok ? "match-yes" : "match-no");
      box.dataset.match = ok ? "yes" : "no";
    });
    return box;
  }

  // --- wiring -------------------------------------------------------------------------
  $("file").addEventListener("change", (ev) => checkFile(ev.target.files[0]));
  const drop = $("drop");
  drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (ev) => {
    ev.preventDefault();
    drop.classList.remove("over");
    if (ev.dataTransfer.files.length) checkFile(ev.dataTransfer.files[0]);
  });
  $("paste-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const t = $("paste").value.trim();
    if (!t) { reset(); showError("Paste a credential first: JSON or a VC-JWT."); return; }
    checkBytes(new TextEncoder().encode(t), { kind: "paste" });
  });
  $("url-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const u = $("url").value.trim();
    if (!u) { reset(); showError("Type the address of a credential first."); return; }
    location.hash = "credential=" + encodeURIComponent(u);
  });
  $("copy").addEventListener("click", async () => {
    const f = $("share-link");
    try { await navigator.clipboard.writeText(f.value); $("copy-status").textContent = "Link copied."; }
    catch (e) { f.select(); $("copy-status").textContent = "Press Ctrl+C (or ⌘C) to copy the selected link."; }
  });
  function fromHash() {
    const m = /(?:^#|&)credential=([^&]*)/.exec(location.hash);
    if (!m) return false;
    const u = decodeURIComponent(m[1]);
    $("url").value = u;
    checkURL(u, location.href);
    return true;
  }
  window.addEventListener("hashchange", fromHash);
  // Allowing (or forbidding) look-ups verifies the badge shown again.
  $("network").addEventListener("change", () => { if (lastInput) checkBytes(lastInput.bytes, lastInput.source); });
  verifierLoaded.then(() => { if (!body.dataset.state) status("Ready: choose a badge."); },
    (e) => showError("The verifier could not be loaded: " + e.message));
  if (body.dataset.credentialSrc) checkURL(body.dataset.credentialSrc, "");
  else fromHash();
})();
