// Pillbox's API documentation page: Swagger UI over the server's own OpenAPI document.
// validatorUrl null: Swagger UI would otherwise send the document to an outside validator.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v2/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
};
