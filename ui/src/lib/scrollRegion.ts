// A wide table's own scrolling box. While the table fits, the box is plain
// (no extra stop for the Tab key); once the table is wider than the box (a
// narrow window, or text made larger), the box becomes a named region that
// takes keyboard focus, so it can be scrolled with the arrow keys and a
// screen reader says what it holds (WCAG 1.4.10, 2.1.1).

/** Whether a box of `clientWidth` must scroll to show `scrollWidth`. */
export function overflows(scrollWidth: number, clientWidth: number): boolean {
  // A pixel's rounding is not a scroll bar.
  return scrollWidth > clientWidth + 1;
}

/** A Svelte action: `<div use:scrollRegion={"Money out, by budget line"}>`. */
export function scrollRegion(node: HTMLElement, label: string) {
  let name = label;
  const update = () => {
    if (overflows(node.scrollWidth, node.clientWidth)) {
      node.setAttribute("role", "region");
      node.setAttribute("tabindex", "0");
      node.setAttribute("aria-label", `${name} (scrolls sideways)`);
    } else {
      node.removeAttribute("role");
      node.removeAttribute("tabindex");
      node.removeAttribute("aria-label");
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(node);
  for (const child of Array.from(node.children)) observer.observe(child);
  update();
  return {
    update(next: string) {
      name = next;
      update();
    },
    destroy() {
      observer.disconnect();
    },
  };
}
