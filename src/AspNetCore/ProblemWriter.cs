using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// Failures as the server writes them (SPEC section 1): RFC 9457 <c>application/problem+json</c>
/// with <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>instance</c>, a stable
/// <c>code</c> and <c>trace_id</c>; <c>WWW-Authenticate: Bearer</c> on a 401 (with
/// <c>error="invalid_token"</c> when a credential was presented, RFC 6750 section 3) and on a 403
/// <c>insufficient_scope</c>; <c>Cache-Control: no-store</c>.
/// </summary>
public static class ProblemWriter
{
    /// <summary>Writes the problem for <paramref name="code"/> (its status follows from it).</summary>
    public static async Task WriteAsync(HttpContext http, string code, string detail, string? realm = null, IReadOnlyList<string>? requiredScopes = null)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            return;
        }

        var status = AuthPlatformErrors.StatusOf(code);
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        var challenge = Challenge(code, detail, realm, requiredScopes);
        if (challenge is not null)
        {
            response.Headers.WWWAuthenticate = challenge;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "5";
        }

        response.ContentType = "application/problem+json";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("type", "https://authplatform.dev/problems/" + code.Replace('_', '-'));
        writer.WriteString("title", Title(status));
        writer.WriteNumber("status", status);
        writer.WriteString("detail", detail);
        writer.WriteString("instance", http.Request.Path.Value);
        writer.WriteString("code", code);
        writer.WriteString("trace_id", Activity.Current?.Id ?? http.TraceIdentifier);
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    private static string? Challenge(string code, string detail, string? realm, IReadOnlyList<string>? scopes)
    {
        var prefix = realm is null ? "Bearer" : $"Bearer realm=\"{Quote(realm)}\",";
        return code switch
        {
            AuthPlatformErrors.Unauthenticated => realm is null ? "Bearer" : prefix.TrimEnd(','),
            AuthPlatformErrors.InvalidToken or AuthPlatformErrors.TokenExpired or AuthPlatformErrors.InvalidApiKey =>
                $"{prefix} error=\"invalid_token\", error_description=\"{Quote(detail)}\"",
            AuthPlatformErrors.InsufficientScope =>
                $"{prefix} error=\"insufficient_scope\", error_description=\"{Quote(detail)}\"" + (scopes is { Count: > 0 } ? $", scope=\"{Quote(string.Join(' ', scopes))}\"" : string.Empty),
            _ => null,
        };
    }

    private static string Quote(string value) => value.Replace("\\", "\\\\").Replace("\"", "'");

    private static string Title(int status) => status switch
    {
        401 => "Unauthorized",
        403 => "Forbidden",
        503 => "Service Unavailable",
        _ => "Error",
    };
}
