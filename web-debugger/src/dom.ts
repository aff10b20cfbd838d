/**
 * The inspector's DOM helpers: elements with attributes, and colours set through the CSSOM (the
 * inspector's CSP refuses style attributes, src/server/debugger-routes.ts).
 */
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
};

/** A colour swatch. */
export const swatch = (color: string) => {
  const node = el('span', { class: 'swatch' });
  node.style.background = color;
  return node;
};
