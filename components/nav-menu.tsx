"use client";
// The top bar's links and account controls. Wide screens show them inline and hide the button;
// at phone width (globals.css, max-width 640px) they collapse behind a "Menu" button that says
// whether it is open (aria-expanded), names what it opens (aria-controls), closes on Escape
// (focus back on the button) and after a link is followed. Without JavaScript the links show open.
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";

export function NavMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [shownFor, setShownFor] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // Following a link closes the menu (state derived from the path, not an effect).
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  // Marks the link of the current section for assistive technology and the underline style.
  useEffect(() => {
    panel.current?.querySelectorAll<HTMLAnchorElement>("nav a[href]").forEach((a) => {
      const href = a.getAttribute("href") ?? "";
      const current = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
      if (current) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }, [pathname]);

  return (
    <>
      {/* Without JavaScript the button cannot open anything, so the links show as an open list. */}
      <noscript>
        <style>{"@media (max-width: 640px) { .site-menu { display: grid; gap: 0.75rem; padding-top: 0.5rem; } .menu-toggle { display: none !important; } }"}</style>
      </noscript>
      <button ref={button} type="button" className="secondary menu-toggle" aria-expanded={open} aria-controls="site-menu" onClick={() => setOpen((o) => !o)}>
        <span className="menu-icon" aria-hidden="true" />
        Menu
      </button>
      <div ref={panel} id="site-menu" className="site-menu" data-open={open}>
        {children}
      </div>
    </>
  );
}
