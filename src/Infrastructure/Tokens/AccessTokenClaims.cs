namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>The claim names of our access tokens (RFC 9068, RFC 8176, RFC 8693).</summary>
public static class AccessTokenClaims
{
    public const string TokenType = "at+jwt";
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    public const string AuthenticationMethods = "amr";
    public const string AuthTime = "auth_time";
    public const string SessionId = "sid";
    public const string Role = "role";

    /// <summary>The user who owns the client of a client's own token (a service account's owner): its <see cref="SecurityStamp"/> is that user's.</summary>
    public const string Owner = "owner";

    /// <summary>The user's security-stamp fingerprint (never the stamp): the token dies when the stamp changes.</summary>
    public const string SecurityStamp = "stamp";
}
