"""Page assembly: one self-contained HTML file (plotly.js embedded once, no network).

The page is deterministic for a given warehouse: chart div ids come from the block keys, the
only time shown is the build time read from the warehouse. A small script records JavaScript
errors into `#report-errors` so a headless browser's DOM dump shows whether the page loaded
cleanly.
"""

from __future__ import annotations

import html

import plotly.io as pio
from plotly.offline import get_plotlyjs

from segkit.report.sections import Block, Section

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
TITLE = "Customer segments report"

ERROR_HOOK = """
window.__reportErrors = [];
window.addEventListener('error', function (e) { window.__reportErrors.push(String(e.message)); });
(function () {
  var original = console.error;
  console.error = function () {
    window.__reportErrors.push(Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(console, arguments);
  };
})();
window.addEventListener('load', function () {
  var out = document.getElementById('report-errors');
  var charts = document.querySelectorAll('.js-plotly-plot');
  var drawn = document.querySelectorAll('.js-plotly-plot .main-svg');
  out.textContent = window.__reportErrors.join('\\n');
  out.setAttribute('data-errors', String(window.__reportErrors.length));
  out.setAttribute('data-charts', String(charts.length));
  out.setAttribute('data-drawn-svgs', String(drawn.length));
});
"""

CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --accent: #4C78A8; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); line-height: 1.45; }
header { background: #1f2933; color: #fff; padding: 22px 40px 16px; }
header h1 { margin: 0 0 4px; font-size: 26px; font-weight: 600; }
header .meta { color: #cbd2d9; font-size: 14px; }
nav { margin-top: 12px; font-size: 14px; }
nav a { color: #9fb3c8; margin-right: 18px; text-decoration: none; }
main { max-width: 1320px; margin: 0 auto; padding: 8px 40px 40px; }
section > h2 { font-size: 22px; margin: 34px 0 6px; padding-bottom: 6px;
               border-bottom: 2px solid var(--accent); }
.block { background: #fff; border: 1px solid var(--line); border-radius: 8px;
         padding: 16px 20px 10px; margin: 16px 0; }
.block h3 { margin: 0; font-size: 17px; }
.block p.explain { margin: 4px 0 10px; color: var(--muted); font-size: 14px; }
.block p.source { margin: 4px 0 0; color: #9aa5b1; font-size: 11px; text-align: right; }
.missing { color: #8a6d3b; background: #fcf8e3; padding: 10px 14px; border-radius: 6px;
           font-size: 14px; }
table.metrics { border-collapse: collapse; font-size: 13px; width: 100%; }
table.metrics th, table.metrics td { padding: 5px 10px; border-bottom: 1px solid var(--line);
                                     text-align: left; }
table.metrics td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.metrics tr.pass td.mark { color: #2f855a; font-weight: 600; }
table.metrics tr.fail td { background: #fdecea; }
table.metrics tr.fail td.mark { color: #c53030; font-weight: 700; }
table.metrics tr.nofloor td.mark { color: var(--muted); }
.table-scroll { max-height: 460px; overflow-y: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-top: 5px solid var(--accent); border-radius: 8px;
        padding: 10px 14px; font-size: 13px; }
.card h4 { margin: 2px 0; font-size: 16px; }
.card .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
             margin-right: 7px; }
.card .size { margin: 0 0 6px; color: var(--muted); }
.card .what { margin: 8px 0 2px; font-weight: 600; font-size: 12px; text-transform: uppercase;
              letter-spacing: .03em; color: var(--muted); }
.card ul { margin: 0; padding-left: 18px; }
.card .z { color: var(--muted); }
.card .ids code { font-size: 11px; background: var(--bg); padding: 1px 4px; border-radius: 3px;
                  display: inline-block; margin: 1px 0; }
footer { color: var(--muted); font-size: 12px; padding: 0 40px 30px; max-width: 1320px;
         margin: 0 auto; }
#report-errors { display: none; }
"""


def _figure_html(block: Block) -> str:
    return pio.to_html(block.figure, full_html=False, include_plotlyjs=False,
                       div_id=f"chart-{block.key}", config=PLOTLY_CONFIG)


def _block_html(block: Block) -> str:
    if block.missing is not None:
        body = f'<p class="missing">{html.escape(block.missing)}</p>'
    elif block.figure is not None:
        body = _figure_html(block)
    else:
        scroll = ' class="table-scroll"' if block.key == "quality_metrics" else ""
        body = f"<div{scroll}>{block.html}</div>"
    source = (f'<p class="source">from {html.escape(block.source)}</p>' if block.source
              else "")
    return (f'<div class="block" id="block-{block.key}"><h3>{html.escape(block.title)}</h3>'
            f'<p class="explain">{html.escape(block.explanation)}</p>{body}{source}</div>')


def render(sections: list[Section], info: dict, source: str) -> str:
    """The whole page as a string."""
    meta = [f"Built {info.get('build_time') or 'at an unknown time'}"]
    if info.get("as_of_date"):
        meta.append(f"data as of {info['as_of_date']}")
    if info.get("customers") is not None:
        meta.append(f"{info['customers']:,} customers")
    meta.append(f"source: {source}")
    nav = "".join(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in sections)
    body = "".join(
        f'<section id="{s.key}"><h2>{html.escape(s.title)}</h2>'
        + "".join(_block_html(b) for b in s.blocks) + "</section>"
        for s in sections
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{TITLE}</title><style>{CSS}</style>"
        f"<script>{ERROR_HOOK}</script>"
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<header><h1>{TITLE}</h1><div class=\"meta\">{html.escape(' · '.join(meta))}</div>"
        f"<nav>{nav}</nav></header><main>{body}</main>"
        "<footer>Generated by <code>python -m segkit.report</code> from the tables in schema "
        "<code>marts</code>; every number comes from the warehouse. Customers are shown by "
        "pseudonymous id only.</footer>"
        "<pre id=\"report-errors\" data-errors=\"pending\"></pre></body></html>\n"
    )
