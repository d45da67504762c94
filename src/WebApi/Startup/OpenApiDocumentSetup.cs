using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthPlatform.WebApi.Startup;

/// <summary>Names the API, its security schemes, and its tags with the descriptions the endpoints give them (<see cref="ApiTagAttribute"/>).</summary>
public sealed class OpenApiDocumentSetup : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "AuthPlatform API",
            Version = "v1",
            Description = "Accounts, sessions, API keys, service accounts and OAuth 2.0 / OpenID Connect for an API platform. "
                + "JSON is snake_case both ways; unknown fields are refused. Errors are RFC 9457 problems (`application/problem+json`) "
                + "with a stable `code` (each answer lists its codes in `x-error-codes`); the OAuth endpoints answer RFC 6749 errors "
                + "(`error`, `error_description`). This document is the contract: it is generated at build time into "
                + "docs/openapi/v1.json, linted, and every answer of the integration tests is checked against it (docs/adr/0016).",
            License = new OpenApiLicense { Name = "See the repository", Url = new Uri("https://authplatform.dev/license") },
        };
        // Relative: the server that serves the document (the same at build time and at run time).
        document.Servers = [new OpenApiServer { Url = "/", Description = "The AuthPlatform server that serves this document." }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OpenApiContract.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "`Authorization: Bearer <token>`: an access token from /api/v1/auth/login, /api/v1/auth/refresh or /oauth/token. "
                + "Where the operation accepts API keys, `Authorization: Bearer <api key>` works too.",
        };
        document.Components.SecuritySchemes[OpenApiContract.ApiKeyHeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "`X-API-Key: <api key>`. Never in the URL (refused with 401 `invalid_api_key`).",
        };
        document.Components.SecuritySchemes[OpenApiContract.ApiKeyAuthorizationScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "`Authorization: <api key>` (the key alone, no scheme word).",
        };
        document.Components.SecuritySchemes[OpenApiContract.ClientBasicScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "OAuth client authentication (RFC 6749 2.3.1): `client_id:client_secret`, each form-urlencoded. "
                + "Or `client_id` and `client_secret` in the form; a public client sends `client_id` only.",
        };

        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
        {
            foreach (var tag in description.ActionDescriptor.EndpointMetadata.OfType<ApiTagAttribute>())
            {
                tags[tag.Name] = tag.Description;
            }
        }

        foreach (var endpoint in context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PlainTextEndpointAttribute>() is { } plain && endpoint.RoutePattern.RawText is { } path)
            {
                DescribePlainText(document, "/" + path.TrimStart('/'), plain);
                tags[plain.Tag] = plain.TagDescription;
            }
        }

        document.Tags = new HashSet<OpenApiTag>(tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        return Task.CompletedTask;
    }

    private static void DescribePlainText(OpenApiDocument document, string path, PlainTextEndpointAttribute plain)
    {
        var responses = new OpenApiResponses();
        foreach (var status in plain.Statuses)
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create(status < 300 ? "Healthy" : "Unhealthy")!] } },
                },
            };
        }

        document.Paths ??= [];
        document.Paths[path] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = plain.OperationId,
                    Summary = plain.Summary,
                    Description = plain.Description,
                    Tags = new HashSet<OpenApiTagReference> { new(plain.Tag, document) },
                    Security = [],
                    Responses = responses,
                },
            },
        };
    }
}
