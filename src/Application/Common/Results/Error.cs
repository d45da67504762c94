namespace AuthPlatform.Application.Common.Results;

/// <summary>The stable, machine-readable codes of SPEC section 1.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string InvalidCredentials = "invalid_credentials";
    public const string Unauthenticated = "unauthenticated";
    public const string InvalidToken = "invalid_token";
    public const string TokenExpired = "token_expired";
    public const string InvalidApiKey = "invalid_api_key";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string InsufficientScope = "insufficient_scope";
    public const string Forbidden = "forbidden";
    public const string MfaRequired = "mfa_required";

    /// <summary>A request that uses the dashboard's refresh cookie without the proof that it comes from the server's own pages (403).</summary>
    public const string CsrfCheckFailed = "csrf_check_failed";
    public const string InvalidMfaCode = "invalid_mfa_code";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string AccountLocked = "account_locked";
    public const string PayloadTooLarge = "payload_too_large";
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>A bug, or an error code with no HTTP status: answered 500 with no details.</summary>
    public const string InternalError = "internal_error";

    private static readonly HashSet<string> BuiltIn = typeof(ErrorCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>True for the codes above: their statuses are fixed by the SPEC, no extension may remap them.</summary>
    public static bool IsBuiltIn(string code) => BuiltIn.Contains(code);
}

/// <summary>An expected failure: a stable code, a human message and, for validation, field errors.</summary>
public sealed record Error(string Code, string Message, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorCodes.ValidationFailed, "One or more fields are invalid.", fields);

    public static Error Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static Error NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");

    public static Error Conflict(string message) => new(ErrorCodes.Conflict, message);

    /// <summary>The one answer of a locked account, wherever a secret or code is checked (423).</summary>
    public static Error AccountLocked { get; } =
        new(ErrorCodes.AccountLocked, "This account is locked after too many failed attempts. Try again later.");
}
