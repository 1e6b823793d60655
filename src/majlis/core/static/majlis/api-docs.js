/* Starts Swagger UI on the API docs page (/api/v1/docs). Kept out of the page itself so that
   the Content Security Policy can forbid inline scripts. Settings come from data- attributes. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var settings = {};
  try {
    settings = JSON.parse(root.dataset.swaggerSettings || "{}");
  } catch (error) {
    settings = {};
  }
  settings.url = settings.url || root.dataset.openapiUrl;
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  window.SwaggerUIBundle(settings);
})();
