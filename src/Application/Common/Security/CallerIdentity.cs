namespace AuthPlatform.Application.Common.Security;

/// <summary>How a caller authenticated (SPEC: <c>auth.method</c>).</summary>
public static class AuthMethods
{
    public const string Jwt = "jwt";
    public const string ApiKey = "api_key";
    public const string OAuth = "oauth";
}

/// <summary>An authenticated caller, as the credential itself tells it: no database read.</summary>
public sealed record CallerIdentity(
    string Subject,
    Guid? UserId,
    string Method,
    IReadOnlyList<string> Scopes,
    string? ClientId = null,
    Guid? ApiKeyId = null,
    Guid? SessionId = null,
    DateTimeOffset? ExpiresAt = null,
    IReadOnlyList<string>? AuthenticationMethods = null,
    DateTimeOffset? AuthenticatedAt = null)
{
    /// <summary>The access token's <c>jti</c>, when the credential is a JWT (revocation and introspection use it).</summary>
    public string? TokenId { get; init; }

    /// <summary>The access token's <c>iat</c>, when the credential is a JWT.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>The access token's <c>nbf</c>, when the credential is a JWT.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>True when this credential's login verified a second factor (RFC 8176 <c>otp</c>).</summary>
    public bool VerifiedSecondFactor => AuthenticationMethods?.Contains("otp") == true;
}
