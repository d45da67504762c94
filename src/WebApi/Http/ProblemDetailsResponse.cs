namespace AuthPlatform.WebApi.Http;

/// <summary>The shape of every error answer, for the OpenAPI document (RFC 9457 + <c>code</c>).</summary>
public sealed record ProblemDetailsResponse(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Instance,
    string Code,
    IReadOnlyDictionary<string, string[]>? Errors,
    string TraceId);
