namespace AuthPlatform.AspNetCore;

/// <summary>Names shared by the scheme, its claims and its problems.</summary>
public static class AuthPlatformDefaults
{
    /// <summary>The default authentication scheme name.</summary>
    public const string AuthenticationScheme = "AuthPlatform";

    /// <summary>The audience AuthPlatform puts in its access tokens unless configured otherwise (<c>Jwt__Audience</c>).</summary>
    public const string Audience = "authplatform";

    /// <summary>One claim per granted scope (a token's space-separated <c>scope</c> is split).</summary>
    public const string ScopeClaim = "scope";

    /// <summary><c>jwt</c>, <c>oauth</c> or <c>api_key</c>, as the server's <c>/verify</c> names them.</summary>
    public const string MethodClaim = "auth_method";

    /// <summary>The caller: a user id, or a client id for a client's own token.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The OAuth client the token was issued to, when there is one.</summary>
    public const string ClientIdClaim = "client_id";

    /// <summary>The id of the API key used, for a key.</summary>
    public const string ApiKeyIdClaim = "api_key_id";

    /// <summary>The user's role (<c>user</c>, <c>admin</c>) carried by a user's access token.</summary>
    public const string RoleClaim = "role";
}
