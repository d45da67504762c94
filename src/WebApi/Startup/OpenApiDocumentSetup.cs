using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthPlatform.WebApi.Startup;

/// <summary>Names the API and its Bearer security scheme in the OpenAPI document.</summary>
public sealed class OpenApiDocumentSetup : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "AuthPlatform API",
            Version = "v1",
            Description = "Accounts, sessions, API keys, service accounts and OAuth 2.0 for an API platform. Errors are RFC 9457 problems with a stable 'code'.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from /api/v1/auth/login or /api/v1/auth/refresh.",
        };
        return Task.CompletedTask;
    }
}
