// Loaded between require.js and the ipywidgets HTML manager (embed-amd.js) on
// pages that show widgets (see nb_ipywidgets_js in book/_config.yml).
//
// embed-amd.js defines its AMD modules (@jupyter-widgets/base, controls,
// html-manager, ...) and loads its icon fonts from the folder that RequireJS
// gives as each module's address. Without this, that address is taken relative
// to the page (e.g. notebooks/@jupyter-widgets/...), where the fonts are not.
// Here the modules are placed in _static/html-manager/, where `make vendor`
// copies embed-amd.js together with its font files.
(function () {
  "use strict";
  var staticDir = document.currentScript.src.replace(/[^/]*$/, "");
  var managerDir = staticDir + "html-manager";
  window.requirejs.config({
    paths: {
      "@jupyter-widgets": managerDir,
      "@jupyter-widgets/html-manager/dist": managerDir
    }
  });
})();
