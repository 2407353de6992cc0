// Starts swagger-ui on the API docs page (kept out of the page: the CSP allows no inline
// script). Requests made from "Try it out" with the page's session carry its CSRF token.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrfToken = root.getAttribute("data-csrf-token");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      if (csrfToken && !request.headers.Authorization) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
