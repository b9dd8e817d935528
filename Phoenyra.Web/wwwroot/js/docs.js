// The API docs page: Swagger UI on the desk's OpenAPI document.
window.ui = SwaggerUIBundle({ url: "/openapi/v1.json", dom_id: "#swagger-ui", persistAuthorization: false });
