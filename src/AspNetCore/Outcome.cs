using System.Security.Claims;

namespace AuthPlatform.AspNetCore;

/// <summary>The error codes this middleware answers with (the server's, SPEC section 1).</summary>
public static class AuthPlatformErrors
{
    /// <summary>401: no credential was sent.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>401: a token that is malformed, badly signed, from another issuer or audience, or otherwise unacceptable.</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>401: a token past its <c>exp</c>.</summary>
    public const string TokenExpired = "token_expired";

    /// <summary>401: a key the server refused (revoked, expired, unknown, malformed).</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <summary>403: a valid credential without a scope the call needs.</summary>
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>403: a valid credential that a policy refused for another reason.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>503: the AuthPlatform server could not be asked (no signing keys yet, or /verify unreachable).</summary>
    public const string ServiceUnavailable = "service_unavailable";

    internal static int StatusOf(string code) => code switch
    {
        InsufficientScope or Forbidden => 403,
        ServiceUnavailable => 503,
        _ => 401,
    };
}

/// <summary>
/// A credential's verdict: the caller, or an error code and description. A verified credential's
/// principal is built once and shared by the requests that present it (like the server's own):
/// claims transformations must clone it before changing it, as ASP.NET Core advises anyway.
/// </summary>
internal sealed record Outcome(ClaimsPrincipal? Principal, string? ErrorCode, string? ErrorDescription)
{
    public bool Succeeded => Principal is not null;

    public static Outcome Accepted(IEnumerable<Claim> claims, string scheme) =>
        new(new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, AuthPlatformDefaults.SubjectClaim, AuthPlatformDefaults.RoleClaim)), null, null);

    public static Outcome Refused(string code, string description) => new(null, code, description);
}
