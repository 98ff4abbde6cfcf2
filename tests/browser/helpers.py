"""Small helpers shared by the browser tests."""

from __future__ import annotations

import importlib
import re
from typing import Any


def view_is_built(module: str, name: str) -> bool:
    """False while a view is still the skeleton's placeholder (it answers 404 to everything)."""
    view = getattr(importlib.import_module(module), name, None)
    return view is not None and getattr(view, "__name__", "") != "_todo"


def log_in(page: Any, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def log_out(page: Any) -> None:
    name = re.compile("log out|déconnexion", re.I)
    banner = page.get_by_role("banner")
    menu = banner.locator("details.account-menu")  # the person's menu (base.html)
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    banner.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def is_signed_in(page: Any) -> bool:
    banner = page.get_by_role("banner")
    return bool(banner.locator("form[action*='logout'] button").count())


FOCUSABLE = (
    "a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
    "select:not([disabled]), textarea:not([disabled]), summary, iframe, "
    "[tabindex]:not([tabindex='-1']), [contenteditable='true']"
)

# Marks every element a keyboard user should reach (visible, not inert) with data-kbd=<n>.
MARK_FOCUSABLE_JS = """
(selector) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    // checkVisibility: false inside a closed <details> (the header's menus below 64rem, the
    // person's menu), true for the header's row of destinations that CSS shows from 64rem.
    const shown = el.checkVisibility ? el.checkVisibility({contentVisibilityAuto: true}) : true;
    return (r.width > 0 || r.height > 0) && s.visibility !== 'hidden' && s.display !== 'none'
      && !el.closest('[inert], [hidden], [aria-hidden=true]') && shown;
  };
  const all = [...document.querySelectorAll(selector)].filter(visible);
  all.forEach((el, i) => el.setAttribute('data-kbd', String(i)));
  return all.length;
}
"""

# What has the focus now, and does it show (outline or box-shadow from :focus-visible)?
ACTIVE_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {
    kbd: el.getAttribute('data-kbd'), tag: el.tagName.toLowerCase(), id: el.id,
    cls: el.className || '', text: (el.innerText || el.value || '').trim().slice(0, 60),
    visible: outline || shadow, width: r.width, height: r.height,
  };
}
"""
