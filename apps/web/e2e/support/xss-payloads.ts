/**
 * Stored-XSS payloads for xss-hardening.browser.ts: the classic vectors of the
 * OWASP XSS Filter Evasion Cheat Sheet and PortSwigger's XSS cheat sheet (script
 * tags, event handlers, javascript: and data: URLs, SVG and MathML, iframe
 * srcdoc, template injection of Angular/Vue/JSX/server templates, mutation XSS
 * that relies on the parser re-reading serialised markup, broken and unclosed
 * markup, encodings, and unicode tricks: full-width brackets, RTL override,
 * zero-width characters). Every one tries to set the canary global
 * `window.__mendXss` (or the parent's, from a frame) to its own number, and
 * starts with its tag `⟦x123⟧`, so a page's text shows which payloads it rendered.
 */

/** The canary global a payload tries to set; it must stay undefined. */
export const CANARY = '__mendXss';

/** The tag in front of payload `index` (`⟦x007⟧`). */
export function payloadTag(index: number): string {
  return `⟦x${String(index).padStart(3, '0')}⟧`;
}

/** Every payload tag in a text (the tags rendered on a page). */
export function tagsIn(text: string): Set<string> {
  return new Set(text.match(/⟦x\d{3}⟧/g) ?? []);
}

/** The three ways a payload writes the canary (plain, bracketed, through another global). */
const writers: readonly ((id: number) => string)[] = [
  (id) => `window.${CANARY}=${id}`,
  (id) => `self['${CANARY}']=${id}`,
  (id) => `top.${CANARY}=${id}`,
];

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Vectors: each takes the script (`c`) and the payload's number (`id`). */
const vectors: readonly ((c: string, id: number) => string)[] = [
  (c) => `<script>${c}</script>`,
  (c) => `<SCRIPT>${c}</SCRIPT>`,
  (c) => `<ScRiPt >${c}</sCrIpT >`,
  (c) => `<script type=module>${c}</script>`,
  (c) => `<script src="data:text/javascript,${c}"></script>`,
  (c) => `<script>import('data:text/javascript,${c}')</script>`,
  (c) => `<scr<script>ipt>${c}</scr</script>ipt>`,
  (c) => `<<script>${c}//<</script>`,
  (c) => `<img src=x onerror="${c}">`,
  (c) => `<img src=x onerror=${c}//`,
  (c) => `<img/src/onerror=${c}>`,
  (c) => `<IMG SRC=x OnErRoR=${c}>`,
  (c) => `<img src="x" onerror="&#x77;&#x69;ndow;${c}">`,
  (_c, id) => `<img src=x onerror=eval(atob('${base64(`window.__mendXss=${id}`)}'))>`,
  (c) => `<img src=x onerror=setTimeout('${c.replace(/'/g, '"')}')>`,
  (_c, id) => `<img src=x onerror=window['__mend'+'Xss']=${id}>`,
  (c) => `<img srcset=",,,,x" onerror="${c}">`,
  (c) => `<img src="javascript:${c}">`,
  (c) => `<svg onload="${c}">`,
  (c) => `<svg/onload=${c}>`,
  (c) => `<svg><script>${c}</script></svg>`,
  (c) => `<svg><animate onbegin="${c}" attributeName=x dur=1s>`,
  (c) => `<svg><a xlink:href="javascript:${c}"><text y=9>x</text></a></svg>`,
  (c) => `<svg><style><img src=x onerror="${c}"></style></svg>`,
  (c) => `<svg></p><style><a id="</style><img src=1 onerror=${c}>">`,
  (c) => `<svg><foreignObject><img src=x onerror="${c}"></foreignObject></svg>`,
  (c) => `<body onload="${c}">`,
  (c) => `<frameset onload=${c}>`,
  (_c, id) => `<iframe srcdoc="<script>parent.__mendXss=${id}</script>"></iframe>`,
  (_c, id) => `<iframe src="javascript:parent.__mendXss=${id}"></iframe>`,
  (_c, id) => `<iframe src="data:text/html,<script>parent.__mendXss=${id}</script>"></iframe>`,
  (_c, id) => `<object data="data:text/html,<script>parent.__mendXss=${id}</script>"></object>`,
  (c) => `<object data="javascript:${c}"></object>`,
  (c) => `<embed src="javascript:${c}">`,
  (c) => `<a href="javascript:${c}">open</a>`,
  (c) => `<a href="JaVaScRiPt:${c}">open</a>`,
  (c) => `<a href="jav&#x09;ascript:${c}">open</a>`,
  (c) => `<a href=" javascript:${c}">open</a>`,
  (c) => `javascript:${c}`,
  (c) => `javascript://%0a${c}`,
  (_c, id) => `<a href="data:text/html;base64,${base64(`<script>opener.__mendXss=${id}</script>`)}">x</a>`,
  (c) => `<details open ontoggle="${c}">`,
  (c) => `<input autofocus onfocus="${c}">`,
  (c) => `<select autofocus onfocus=${c}>`,
  (c) => `<textarea autofocus onfocus=${c}>`,
  (c) => `<keygen autofocus onfocus=${c}>`,
  (c) => `<x contenteditable onblur=${c}>x`,
  (c) => `<marquee onstart="${c}">`,
  (c) => `<video><source onerror="${c}"></video>`,
  (c) => `<audio src=x onerror="${c}">`,
  (c) => `<video poster=javascript:${c}>`,
  (c) => `<button formaction="javascript:${c}">go</button>`,
  (c) => `<isindex action=javascript:${c} type=submit>`,
  (c) => `<form action="javascript:${c}"><input type=submit></form>`,
  (c) => `<style onload=${c}></style>`,
  (c) => `<style>@import 'javascript:${c}';</style>`,
  (c) => `<div style="background:url(javascript:${c})">`,
  (c) => `<table background="javascript:${c}">`,
  (c) => `<base href="javascript:${c}//">`,
  (c) => `<meta http-equiv="refresh" content="0;url=javascript:${c}">`,
  (c) => `<link rel=import href="data:text/html,<script>${c}</script>">`,
  (c) => `<template><img src=x onerror=${c}></template>`,
  (c) => `<math><mtext><table><mglyph><style><img src=x onerror="${c}">`,
  (c) => `<noscript><p title="</noscript><img src=x onerror=${c}>">`,
  (c) => `<form><math><mtext></form><form><mglyph><style></math><img src onerror=${c}>`,
  (c) => `<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=${c} src=1>">`,
  (c) => `<!--<img src="--><img src=x onerror=${c}//">`,
  (c) => `<![CDATA[<script>${c}</script>]]>`,
  (c) => `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>${c}</script></html>`,
  (c) => `"><img src=x onerror=${c}>`,
  (c) => `'><svg onload=${c}>`,
  (c) => `</textarea><script>${c}</script>`,
  (c) => `</title><script>${c}</script>`,
  (c) => `</style><script>${c}</script>`,
  (c) => `<a """><img src=x onerror=${c}>">`,
  (c) => `<img src=x onerror="${c}"`,
  (c) => `<img src=x onerror=${c} <b>`,
  (c) => `{{constructor.constructor('${c}')()}}`,
  (c) => `{{${c}}}`,
  (c) => `\${${c}}`,
  (c) => `#{${c}}`,
  (c) => `<%= ${c} %>`,
  (c) => `{% ${c} %}`,
  (c) => `<div dangerouslySetInnerHTML={{__html:'<img src=x onerror=${c}>'}} />`,
  (c) => `__proto__[innerHTML]=<img src=x onerror=${c}>`,
  (c) => `\\u003cscript\\u003e${c}\\u003c/script\\u003e`,
  (c) => `&lt;script&gt;${c}&lt;/script&gt;`,
  (c) => `%3Cscript%3E${c}%3C%2Fscript%3E`,
  (c) => `＜script＞${c}＜/script＞`,
  (c) => `\u202E<script>${c}</script>`,
  (c) => `<scri\u200Bpt>${c}</scri\u200Bpt>`,
  (c) => `<img src=x one\u00ADrror=${c}>`,
];

function build(): readonly string[] {
  const payloads: string[] = [];
  let index = 0;
  for (const writer of writers) {
    for (const vector of vectors) {
      index += 1;
      payloads.push(`${payloadTag(index)}${vector(writer(index), index)}`);
    }
  }
  return payloads;
}

/** ≥ 200 payloads (vectors × canary writers), each at most 200 characters (it fits a name or a title). */
export const XSS_PAYLOADS: readonly string[] = build();

/**
 * Packs payloads into as few strings of at most `maxLength` characters as possible,
 * in order (separated by a space); every payload lands in exactly one string.
 */
export function pack(payloads: readonly string[], maxLength: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const payload of payloads) {
    if (payload.length > maxLength) throw new Error(`a payload is longer than ${maxLength} characters`);
    if (current !== '' && current.length + 1 + payload.length > maxLength) {
      out.push(current);
      current = '';
    }
    current = current === '' ? payload : `${current} ${payload}`;
  }
  if (current !== '') out.push(current);
  return out;
}
