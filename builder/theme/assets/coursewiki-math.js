// Math (pymdownx.arithmatex spans) is typeset by MathJax served from this site (assets/mathjax,
// copied there by `coursewiki build`), loaded only on pages that have math. Safe mode and no
// \href/\class/\style: TeX can come from a paper's own text.
(function () {
  var here = document.currentScript && document.currentScript.src;
  window.MathJax = {
    loader: { load: ["ui/safe"] },
    tex: {
      inlineMath: [["\\(", "\\)"]],
      displayMath: [["\\[", "\\]"]],
      processEscapes: true,
      processEnvironments: true,
      autoload: { html: [] },
      packages: { "[-]": ["html", "require"] }
    },
    options: { ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex" }
  };
  if (!here || !document.querySelector(".arithmatex")) return;
  var script = document.createElement("script");
  script.src = new URL("mathjax/tex-chtml.js", here).href;
  script.async = true;
  document.head.appendChild(script);
})();
