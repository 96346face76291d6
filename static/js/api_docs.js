/* The OpenAPI docs (templates/ninja/swagger.html): django-ninja's swagger-ui-init.js with deep
   links off. With deep links each operation's path is a link inside the operation's own toggle
   button (nested interactive controls, which screen readers and the accessibility gate reject). */
(function () {
  "use strict";
  var dataset = document.body.dataset;
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.deepLinking = false;
  config.presets = [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (dataset.apiCsrf && dataset.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = dataset.csrfToken;
      return request;
    };
  }
  window.SwaggerUIBundle(config);
})();
