// The report's stylesheet: light and dark themes, print, and level colours with at least 3:1 contrast
// against the background (text colours 4.5:1).

export const STYLE = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;--accent:#0550ae;
--critical:#b42318;--high:#c2410c;--medium:#a16207;--low:#5b6b7f;--lock:#6d28d9;--first:#0550ae;--first-bg:rgba(5,80,174,.12);
--good:#1a7f37;--bad:#b42318;--skip:#6e7781;--curve:#0550ae;--trend:#b42318}
@media screen and (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--panel:#161b22;--accent:#79c0ff;
--critical:#ff7b72;--high:#ffa657;--medium:#e3b341;--low:#8b9bb0;--lock:#c297ff;--first:#79c0ff;--first-bg:rgba(121,192,255,.16);
--good:#56d364;--bad:#ff7b72;--skip:#9da7b3;--curve:#79c0ff;--trend:#ff7b72}}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer,nav{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:16px}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1rem}h4{font-size:.9rem;margin:.6rem 0 .2rem}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
a{color:var(--accent)}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:2}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:.25rem 0}
.note,.muted{color:var(--muted)}.sub{font-size:.85rem;overflow-wrap:anywhere}
.summary{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0}
.summary li{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:4px 10px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;margin:.25rem 0;font-size:.85rem}
.sw{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px;border-radius:2px;background:var(--low)}
.sw.lv-critical{background:var(--critical)}.sw.lv-high{background:var(--high)}.sw.lv-medium{background:var(--medium)}.sw.lv-low{background:var(--low)}
.sw-lock{background:var(--lock)}.sw-first{background:var(--first)}.sw-pb{background:var(--accent)}.sw-bad{background:var(--bad)}
.sw.res-good{background:var(--good)}.sw.res-bad{background:var(--bad)}.sw.res-skip{background:var(--skip)}
.sw-curve{background:var(--curve)}.sw-trend{background:var(--trend)}.sw-warmup{background:var(--panel);border:1px solid var(--line)}
.tl-wrap{border:1px solid var(--line);border-radius:6px;padding:8px;background:var(--panel)}
.tl-svg{display:block;width:100%;height:160px}.pb-svg{display:block;width:100%;height:120px}
.tl-axis{stroke:var(--line);stroke-width:1;vector-effect:non-scaling-stroke}
.tl-hit{fill:transparent}.tl-first{fill:var(--first-bg)}.tl-lock{fill:var(--lock)}.tl-first-mark{fill:var(--first)}
.tl-bar{fill:var(--low)}.tl-bar.lv-critical{fill:var(--critical)}.tl-bar.lv-high{fill:var(--high)}.tl-bar.lv-medium{fill:var(--medium)}
.tl-commit{cursor:pointer;outline:none}
.tl-commit:focus .tl-hit,.tl-commit.active .tl-hit{fill:var(--first-bg);stroke:var(--fg);stroke-width:2;vector-effect:non-scaling-stroke}
.tl-ends{display:flex;justify-content:space-between;font-size:.85rem;color:var(--muted)}
.tl-detail{min-height:4.5rem;border-left:3px solid var(--accent);padding:4px 12px;margin-top:8px}
.tl-detail p{margin:.2rem 0}.tl-detail ul{margin:.2rem 0;padding-left:1.2rem}
.filters{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;margin:.5rem 0}
.filters label{font-weight:600;font-size:.9rem}
select,input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:4px;padding:2px 6px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;color:var(--muted);padding:4px 0;caption-side:top}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{white-space:nowrap}
th button{font:inherit;font-weight:600;color:var(--fg);background:none;border:0;padding:0;cursor:pointer}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
button.expand{font:inherit;color:var(--accent);background:none;border:0;padding:0;text-align:left;cursor:pointer;text-decoration:underline;overflow-wrap:anywhere}
button.expand::before{content:"▸";display:inline-block;width:1.1em;text-decoration:none}button.expand[aria-expanded=true]::before{content:"▾"}
button:focus-visible,select:focus-visible,input:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
tr.detail td{background:var(--panel)}tr.detail ul{margin:.1rem 0 .4rem;padding-left:1.2rem}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:.8rem;font-weight:600;color:var(--bg);background:var(--low)}
.badge.lv-critical{background:var(--critical)}.badge.lv-high{background:var(--high)}.badge.lv-medium{background:var(--medium)}
.badge.ch-major,.badge.ch-downgrade,.badge.ch-added{background:var(--high)}.badge.ch-minor,.badge.ch-prerelease,.badge.ch-reresolved{background:var(--medium)}
.badge.res-good,.badge.verdict-flat{background:var(--good)}.badge.res-bad,.badge.verdict-leak{background:var(--bad)}.badge.res-skip,.badge.verdict-inconclusive{background:var(--skip)}
.chip{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 6px;font-size:.8rem;background:var(--panel)}
.chip.sig{border-color:var(--high)}
.jump{white-space:nowrap}.v-from{color:var(--muted)}.v-to{font-weight:600}
.pb-bar{fill:var(--accent)}.pb-bar.first-bad{fill:var(--bad)}.pb-area{fill:var(--accent)}.pb-bad-mark{fill:var(--bad)}
rect.res-good{fill:var(--good)}rect.res-bad{fill:var(--bad)}rect.res-skip{fill:var(--skip)}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:8px}
.multiple{margin:0;border:1px solid var(--line);border-radius:4px;padding:4px}.multiple figcaption{font-size:.8rem;color:var(--muted)}
.pb-small{display:block;width:100%;height:48px}
.first-bad-line{font-weight:600}
.pr-wrap{max-width:760px}.pr-svg{display:block;width:100%;height:auto}
.pr-axis{stroke:var(--muted);stroke-width:1}.pr-tick{fill:var(--muted);font-size:11px}
.pr-curve{fill:none;stroke:var(--curve);stroke-width:2}.pr-trend{stroke:var(--trend);stroke-width:2;stroke-dasharray:6 4}
.pr-warmup{fill:var(--panel);stroke:var(--line)}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px;overflow-x:auto}
.excerpt span.hit,.excerpt span.ctx{display:block}.excerpt span.hit{font-weight:600;border-left:3px solid currentColor;padding-left:4px}.excerpt .ln{display:inline-block;min-width:3ch;opacity:.7}
footer{color:var(--muted);font-size:.85rem;padding:24px 20px}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#333;--panel:#fff;--line:#999}
body{font-size:11pt}nav,.filters,.skip,.tl-detail,#rank-count{display:none!important}
header,main,footer{max-width:none;padding:0}
button.expand{color:#000;text-decoration:none}button.expand::before{display:none}
section,table,tbody,figure{break-inside:avoid}h2{break-after:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;
