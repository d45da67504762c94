using System.Net;

namespace AuthPlatform.Client;

/// <summary>
/// An error answer of the server (an RFC 9457 problem: <see cref="Code"/> is its stable <c>code</c>), or a credential
/// the client could not obtain. Every call of <see cref="AuthPlatformClient"/> and of its <see cref="AuthPlatformClient.Api"/>
/// throws this for a 4xx or 5xx answer.
/// </summary>
public class AuthPlatformException : Exception
{
    /// <summary>An error with a message only.</summary>
    public AuthPlatformException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>An error answer.</summary>
    public AuthPlatformException(string message, int? status, string? code, string? detail, TimeSpan? retryAfter, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Code = code;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status, e.g. 401.</summary>
    public int? Status { get; }

    /// <summary>The problem's <c>code</c> (e.g. <c>mfa_required</c>, <c>rate_limited</c>), or the OAuth <c>error</c>.</summary>
    public string? Code { get; }

    /// <summary>The problem's human-readable <c>detail</c> (or the OAuth <c>error_description</c>).</summary>
    public string? Detail { get; }

    /// <summary>The <c>Retry-After</c> of a 429 or 503 answer.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The status as an <see cref="HttpStatusCode"/>.</summary>
    public HttpStatusCode? StatusCode => Status is { } s ? (HttpStatusCode)s : null;
}

/// <summary>An RFC 6749 error of an OAuth endpoint (<c>/oauth/token</c>, <c>/oauth/device_authorization</c>, <c>/oauth/revoke</c>).</summary>
public class AuthPlatformOAuthException : AuthPlatformException
{
    /// <summary>An OAuth error answer.</summary>
    public AuthPlatformOAuthException(int? status, string error, string? errorDescription, TimeSpan? retryAfter)
        : base($"{error}{(errorDescription is null ? "" : ": " + errorDescription)}", status, error, errorDescription, retryAfter)
    {
        Error = error;
        ErrorDescription = errorDescription;
    }

    /// <summary>The <c>error</c>, e.g. <c>invalid_grant</c>, <c>access_denied</c>, <c>expired_token</c>.</summary>
    public string Error { get; }

    /// <summary>The <c>error_description</c>.</summary>
    public string? ErrorDescription { get; }
}

/// <summary>
/// The stored session can no longer be refreshed (revoked, expired, or its refresh token spent): the token store was
/// cleared; sign in again.
/// </summary>
public sealed class AuthPlatformSessionEndedException : AuthPlatformException
{
    internal AuthPlatformSessionEndedException(string reason, AuthPlatformException? cause = null)
        : base($"The session ended ({reason}): sign in again.", cause?.Status, cause?.Code, cause?.Detail, null, cause)
    {
    }
}
