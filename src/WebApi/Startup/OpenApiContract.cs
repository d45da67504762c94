// Longer than 150 lines because the rules that turn endpoint metadata into the document (security, answers, codes, headers, parameters) are one contract and read best side by side.
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// Makes the OpenAPI document say what is on the wire (ADR 0016), from the endpoints' own
/// metadata, so that a new endpoint is described by the attributes it already carries:
/// authorization attributes give the security requirement and the 401/403/429 answers,
/// rate limiting the 429 with <c>Retry-After</c>, a JSON body the 400/413/415, every problem
/// answer the codes it can carry (<c>x-error-codes</c>); 204 has no content; protocol endpoints'
/// form or query parameters come from <see cref="ProtocolParametersAttribute"/>.
/// </summary>
public static class OpenApiContract
{
    public const string BearerScheme = "Bearer";
    public const string ApiKeyHeaderScheme = "ApiKeyHeader";
    public const string ApiKeyAuthorizationScheme = "ApiKeyAuthorization";
    public const string ClientBasicScheme = "ClientBasic";
    public const string ErrorCodesExtension = "x-error-codes";
    private const string ProblemJson = "application/problem+json";
    private const string FormUrlEncoded = "application/x-www-form-urlencoded";

    public static IServiceCollection AddOpenApiContract(this IServiceCollection services) =>
        services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer<OpenApiDocumentSetup>();
            openApi.AddSchemaTransformer(TransformSchema);
            openApi.AddOperationTransformer(TransformOperationAsync);
        });

    /// <summary>
    /// The built-in problem codes of each status (<see cref="Problems.StatusOf(string)"/> read backwards), but
    /// those only a few operations answer, which say so with <see cref="ErrorCodesAttribute"/>.
    /// </summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> CodesByStatus { get; } =
        typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(code => code != ErrorCodes.CsrfCheckFailed) // refresh and logout with the dashboard's cookie only
            .GroupBy(Problems.StatusOf)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Order(StringComparer.Ordinal).ToList());

    /// <summary><c>required</c> only for what every answer carries: null is never written (<see cref="JsonDefaults"/>).</summary>
    private static Task TransformSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset)) // written by JsonDefaults.UtcInstantConverter, which the generator cannot see through
        {
            schema.Type = context.JsonTypeInfo.Type == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
            schema.Examples ??= [JsonValue.Create("2026-10-14T15:00:00Z")!];
        }

        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            var required = context.JsonTypeInfo.Properties
                .Where(p => schema.Properties.ContainsKey(p.Name) && AlwaysPresent(p))
                .Select(p => p.Name);
            schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
            if (schema.Required.Count == 0)
            {
                schema.Required = null;
            }
        }

        return Task.CompletedTask;
    }

    private static bool AlwaysPresent(JsonPropertyInfo property) =>
        property.PropertyType.IsValueType ? Nullable.GetUnderlyingType(property.PropertyType) is null : !property.IsGetNullable;

    private static async Task TransformOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document!;
        var method = context.Description.HttpMethod ?? "GET";
        operation.Responses ??= [];

        await AddProtocolParametersAsync(operation, context, metadata, method, ct);
        AddRequestHeaders(operation, metadata);
        KeepJsonRequestBodiesOnly(operation);
        if (metadata.OfType<RequestExampleAttribute>().LastOrDefault() is { } example && operation.RequestBody?.Content is { } bodies)
        {
            foreach (var body in bodies.Values)
            {
                body.Example = JsonNode.Parse(example.Json);
            }
        }

        var hasJsonBody = operation.RequestBody?.Content?.ContainsKey("application/json") == true;
        var hasBody = operation.RequestBody is not null;

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        var secured = !anonymous && (authorize.Count > 0 || metadata.OfType<AuthPlatform.WebApi.Authentication.AuthenticatedCallerAttribute>().Any());
        if (secured)
        {
            var sessionOnly = metadata.OfType<RequireSessionAttribute>().Any();
            operation.Security = SecurityOf(document, sessionOnly);
            var scopes = authorize.Select(a => a.Policy).OfType<string>()
                .Where(p => p.StartsWith(ScopePolicy.Prefix, StringComparison.Ordinal)).Select(p => p[ScopePolicy.Prefix.Length..]).Distinct().ToList();
            var needs = (scopes.Count > 0 ? $"Needs the scope `{string.Join("`, `", scopes)}`. " : "")
                + (sessionOnly ? "Needs a signed-in session's access token: API keys are refused." : "An access token or an API key.");
            operation.Description = Append(operation.Description, needs);
            if (scopes.Count > 0)
            {
                operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                operation.Extensions["x-required-scopes"] = new JsonNodeExtension(new JsonArray(scopes.Select(s => (JsonNode)s).ToArray()));
            }

            EnsureProblem(operation, document, StatusCodes.Status401Unauthorized);
            EnsureProblem(operation, document, StatusCodes.Status403Forbidden);
            EnsureProblem(operation, document, StatusCodes.Status429TooManyRequests); // the API-key lookup budget
        }
        else if (metadata.OfType<ClientAuthenticationAttribute>().Any())
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ClientBasicScheme, document)] = [] },
                new OpenApiSecurityRequirement(), // client_id (and client_secret) in the form
            ];
        }
        else
        {
            operation.Security = [];
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            EnsureProblem(operation, document, StatusCodes.Status429TooManyRequests);
        }

        if (hasJsonBody)
        {
            EnsureProblem(operation, document, StatusCodes.Status400BadRequest);
            EnsureProblem(operation, document, StatusCodes.Status415UnsupportedMediaType);
        }

        if (hasBody)
        {
            EnsureProblem(operation, document, StatusCodes.Status413PayloadTooLarge);
        }

        EnsureProblem(operation, document, StatusCodes.Status503ServiceUnavailable);
        if (DescribeStepUp(operation))
        {
            // A step-up code is checked like a login's second factor: wrong (401), missing (403), too many wrong ones (423).
            EnsureProblem(operation, document, StatusCodes.Status401Unauthorized);
            EnsureProblem(operation, document, StatusCodes.Status403Forbidden);
            EnsureProblem(operation, document, StatusCodes.Status423Locked);
        }

        DescribeResponses(operation, metadata);
        operation.Responses = SortedResponses(operation.Responses);
    }

    private static List<OpenApiSecurityRequirement> SecurityOf(OpenApiDocument document, bool sessionOnly)
    {
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] };
        return sessionOnly
            ? [bearer]
            :
            [
                bearer,
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHeaderScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthorizationScheme, document)] = [] },
            ];
    }

    /// <summary>The form body (POST) or query parameters (GET) of a protocol endpoint that reads them itself.</summary>
    private static async Task AddProtocolParametersAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata, string method, CancellationToken ct)
    {
        if (metadata.OfType<ProtocolParametersAttribute>().LastOrDefault() is not { } parameters)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(parameters.Parameters, null, ct);
        if (HttpMethods.IsGet(method))
        {
            operation.Parameters ??= [];
            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Required = schema.Required?.Contains(name) == true,
                    Description = property.Description,
                    Schema = property,
                });
            }

            return;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { [FormUrlEncoded] = new() { Schema = schema } },
        };
    }

    private static void AddRequestHeaders(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var header in metadata.OfType<RequestHeaderAttribute>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Required = false,
                Description = header.Description,
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = header.Values.Count > 0 ? header.Values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList() : null,
                },
            });
        }
    }

    /// <summary>
    /// Bodies are read as JSON: <c>text/json</c> and <c>application/*+json</c> are not advertised. An optional body
    /// (refresh and logout, which may take the token from the cookie) says so by <c>required: false</c>, not by a
    /// union with <c>null</c> that a generator would have to tell apart.
    /// </summary>
    private static void KeepJsonRequestBodiesOnly(OpenApiOperation operation)
    {
        if (operation.RequestBody?.Content is { Count: > 1 } content && content.ContainsKey("application/json"))
        {
            foreach (var type in content.Keys.Where(k => k != "application/json").ToList())
            {
                content.Remove(type);
            }
        }

        if (operation.RequestBody?.Content is { } bodies && bodies.TryGetValue("application/json", out var json)
            && json.Schema?.OneOf is { Count: 2 } union
            && union.SingleOrDefault(s => s is OpenApiSchema { Type: JsonSchemaType.Null }) is { } isNull)
        {
            json.Schema = union.Single(s => s != isNull);
        }
    }

    private static void EnsureProblem(OpenApiOperation operation, OpenApiDocument document, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetailsResponse), document) },
            },
        };
    }

    private static bool DescribeStepUp(OpenApiOperation operation)
    {
        var stepUp = false;
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Header && parameter.Name == StepUpHeader.Name)
            {
                parameter.Description =
                    "Step-up proof (SPEC section 7): a current TOTP code. Required when the account has two-factor authentication on: "
                    + "without it 403 `mfa_required`, a wrong one 401 `invalid_mfa_code`. Ignored when 2FA is off.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]{6}$" };
                stepUp = true;
            }
        }

        return stepUp;
    }

    /// <summary>No content on 204 nor where nothing is written; the codes of every error; <c>Retry-After</c>, <c>Location</c>, <c>WWW-Authenticate</c>.</summary>
    private static void DescribeResponses(OpenApiOperation operation, IList<object> metadata)
    {
        var narrowed = metadata.OfType<ErrorCodesAttribute>().GroupBy(a => a.StatusCode).ToDictionary(g => g.Key, g => g.Last().Codes);
        foreach (var (key, value) in operation.Responses!)
        {
            if (value is not OpenApiResponse response || !int.TryParse(key, out var status))
            {
                continue;
            }

            if (response.Content is not null)
            {
                foreach (var empty in response.Content.Where(c => c.Value.Schema is null).Select(c => c.Key).ToList())
                {
                    response.Content.Remove(empty);
                }

                if (status == StatusCodes.Status204NoContent || response.Content.Count == 0)
                {
                    response.Content = null;
                }
            }

            var codes = narrowed.TryGetValue(status, out var listed) ? listed
                : response.Content?.ContainsKey(ProblemJson) == true && CodesByStatus.TryGetValue(status, out var builtIn) ? builtIn
                : null;
            if (codes is { Count: > 0 })
            {
                response.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                response.Extensions[ErrorCodesExtension] = new JsonNodeExtension(new JsonArray(codes.Select(c => (JsonNode)c).ToArray()));
                var field = response.Content?.ContainsKey(ProblemJson) == true ? "code" : "error";
                response.Description = $"{Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)}: `{field}` is one of `{string.Join("`, `", codes)}`.";
            }

            if (status == StatusCodes.Status429TooManyRequests)
            {
                AddHeader(response, "Retry-After", "Seconds to wait before trying again.", JsonSchemaType.Integer);
            }
            else if (status == StatusCodes.Status423Locked && response.Content?.ContainsKey(ProblemJson) == true)
            {
                // The REST API's problem (Problems.WriteAsync); the sign-in pages answer a page of their own.
                AddHeader(response, "Retry-After", "The lockout's configured duration in seconds: the longest the lock can last.", JsonSchemaType.Integer);
            }
            else if (status == StatusCodes.Status401Unauthorized)
            {
                AddHeader(response, "WWW-Authenticate", "The challenge (RFC 6750 section 3; Basic for OAuth client authentication).", JsonSchemaType.String);
            }
            else if (status is >= 300 and < 400)
            {
                AddHeader(response, "Location", "Where the browser goes next.", JsonSchemaType.String);
            }
        }
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, JsonSchemaType type)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Required = true, Schema = new OpenApiSchema { Type = type } };
    }

    private static OpenApiResponses SortedResponses(OpenApiResponses responses)
    {
        var sorted = new OpenApiResponses();
        foreach (var (key, value) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sorted[key] = value;
        }

        return sorted;
    }

    private static string Append(string? text, string more) => string.IsNullOrEmpty(text) ? more : $"{text}\n\n{more}";
}
