import { describe, expect, it } from "vitest";
import { escapeHtml, html } from "../../../src/http/ui/html.js";

describe("html", () => {
  it("escapes every character that can open markup or leave an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;");
  });

  it("escapes interpolated values, keeps markup built with html, and renders lists item by item", () => {
    const name = '"><script>alert(1)</script>';
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${name}">${inner}${[1, "<i>", html`<br>`]}</p>`.text).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><b>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</b>1&lt;i&gt;<br></p>',
    );
  });

  it("renders nothing for null, undefined and false, but keeps 0", () => {
    expect(html`[${null}${undefined}${false}${0}]`.text).toBe("[0]");
  });

  it("does not treat an object that merely looks like markup as markup", () => {
    expect(html`${{ text: "<b>" }}`.text).toBe("[object Object]");
  });
});
