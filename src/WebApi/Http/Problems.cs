using System.Diagnostics;
using System.Globalization;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// RFC 9457 problems with a stable <c>code</c>, field <c>errors</c> and <c>trace_id</c>
/// (SPEC section 1). The one place that turns error codes into HTTP: the built-in codes here,
/// extensions' codes from <see cref="ExtensionErrorStatuses"/> (<c>services.AddErrorCode</c>).
/// A code known to neither answers 500 <c>internal_error</c> and tells nothing of the error.
/// </summary>
public static class Problems
{
    /// <summary>The status of a built-in code; 500 for any other.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ErrorCodes.InvalidCredentials or ErrorCodes.Unauthenticated or ErrorCodes.InvalidToken or ErrorCodes.TokenExpired
            or ErrorCodes.InvalidApiKey or ErrorCodes.RefreshTokenReused or ErrorCodes.InvalidMfaCode => StatusCodes.Status401Unauthorized,
        ErrorCodes.InsufficientScope or ErrorCodes.Forbidden or ErrorCodes.MfaRequired or ErrorCodes.CsrfCheckFailed => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.AccountLocked => StatusCodes.Status423Locked,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The status of a built-in or registered code; 500 for any other.</summary>
    public static int StatusOf(HttpContext http, string code) =>
        ErrorCodes.IsBuiltIn(code) ? StatusOf(code)
            : http.RequestServices?.GetService<ExtensionErrorStatuses>()?.StatusOf(code) ?? StatusCodes.Status500InternalServerError;

    public static ProblemDetails Create(HttpContext http, Error error)
    {
        var status = StatusOf(http, error.Code);
        if (status == StatusCodes.Status500InternalServerError && error.Code != ErrorCodes.InternalError)
        {
            ExtensionErrorStatuses.LogUnmapped(http, error.Code);
            error = ExtensionErrorStatuses.Unmapped;
        }

        var problem = new ProblemDetails
        {
            Type = $"https://authplatform.dev/problems/{error.Code.Replace('_', '-')}",
            Title = TitleOf(status),
            Status = status,
            Detail = error.Message,
            Instance = http.Request.Path,
        };
        problem.Extensions["code"] = error.Code;
        if (error.Fields is { Count: > 0 })
        {
            problem.Extensions["errors"] = error.Fields;
        }

        problem.Extensions["trace_id"] = Activity.Current?.Id ?? http.TraceIdentifier;
        return problem;
    }

    /// <summary>
    /// Writes the problem, with <c>WWW-Authenticate</c> on a 401 (RFC 6750 section 3) and, on a 423,
    /// <c>Retry-After</c>: the configured lockout duration, the longest a lock lasts. It is the same
    /// for every account, known or not (ADR 0012), so it tells nothing of the account.
    /// </summary>
    public static Task WriteAsync(HttpContext http, Error error)
    {
        var problem = Create(http, error);
        http.Response.StatusCode = problem.Status!.Value;
        AddAuthenticateHeader(http, error);
        if (problem.Status == StatusCodes.Status423Locked && http.RequestServices?.GetService<IOptions<LockoutOptions>>() is { } lockout)
        {
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(lockout.Value.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsJsonAsync(problem, JsonDefaults.Options, "application/problem+json");
    }

    public static void AddAuthenticateHeader(HttpContext http, Error error)
    {
        if (StatusOf(http, error.Code) != StatusCodes.Status401Unauthorized)
        {
            return;
        }

        http.Response.Headers.WWWAuthenticate = error.Code switch
        {
            ErrorCodes.InvalidToken or ErrorCodes.TokenExpired or ErrorCodes.RefreshTokenReused or ErrorCodes.InvalidApiKey =>
                $"Bearer realm=\"authplatform\", error=\"invalid_token\", error_description=\"{Quote(error.Message)}\"",
            _ => "Bearer realm=\"authplatform\"",
        };
    }

    private static string Quote(string value) => value.Replace("\\", "\\\\").Replace("\"", "'");

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        423 => "Locked",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        500 => "Internal Server Error",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };
}
