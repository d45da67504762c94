using Microsoft.AspNetCore.Http.Metadata;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// The tag of a controller's (or endpoint's) operations in the OpenAPI document, with the
/// description the document gives it (docs/api.md, ADR 0016).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ApiTagAttribute(string name, string description) : Attribute, ITagsMetadata
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<string> Tags => [Name];
}

/// <summary>
/// The parameters of a protocol endpoint that reads them itself (OAuth 2.0 / OpenID Connect):
/// the properties of <paramref name="parameters"/>, snake_case, as an
/// <c>application/x-www-form-urlencoded</c> body on POST and as query parameters on GET.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ProtocolParametersAttribute(Type parameters) : Attribute
{
    public Type Parameters { get; } = parameters;
}

/// <summary>The OAuth client authenticates (RFC 6749 2.3.1): HTTP Basic, or <c>client_id</c> and <c>client_secret</c> in the form.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ClientAuthenticationAttribute : Attribute;

/// <summary>
/// The error codes an answer of <paramref name="statusCode"/> can carry when they are narrower than
/// (or, for the OAuth JSON errors, other than) every built-in code of that status.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ErrorCodesAttribute(int statusCode, params string[] codes) : Attribute
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyList<string> Codes { get; } = codes;
}

/// <summary>
/// A request header an action reads itself (not bound as a parameter), for the OpenAPI document: optional, a
/// string, one of <paramref name="values"/> when any are given.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestHeaderAttribute(string name, string description, params string[] values) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>An example request body (JSON, or the form's fields as a JSON object) for the OpenAPI document; the lint checks it against the schema.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequestExampleAttribute([System.Diagnostics.CodeAnalysis.StringSyntax("Json")] string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>
/// Describes in the OpenAPI document a GET endpoint that is neither an action nor a route handler
/// (the health checks), which the API explorer does not see: its answers are plain text.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PlainTextEndpointAttribute(string operationId, string tag, string tagDescription, string summary, string description, params int[] statuses)
    : Attribute
{
    public string OperationId { get; } = operationId;

    public string Tag { get; } = tag;

    public string TagDescription { get; } = tagDescription;

    public string Summary { get; } = summary;

    public string Description { get; } = description;

    public IReadOnlyList<int> Statuses { get; } = statuses;
}
