namespace AuthPlatform.Domain.Sessions;

/// <summary>What happened when a refresh token was presented.</summary>
public enum RotationOutcome
{
    Rotated,
    /// <summary>The token had already been redeemed: the whole family is now revoked.</summary>
    ReuseDetected,
    Expired,
    Revoked,
}

/// <summary>Why a session ended.</summary>
public static class RevocationReasons
{
    public const string Logout = "logout";
    public const string Reuse = "refresh_token_reused";
    public const string CodeReuse = "authorization_code_reused";
    public const string PasswordChanged = "password_changed";
    public const string RevokedByUser = "revoked_by_user";
    public const string TwoFactorChanged = "two_factor_changed";
    public const string SignedOutEverywhere = "signed_out_everywhere";
    public const string AccountDisabled = "account_disabled";

    /// <summary>The client revoked the grant's refresh or access token at <c>/oauth/revoke</c> (RFC 7009).</summary>
    public const string TokenRevoked = "token_revoked";

    /// <summary>The user withdrew their consent for the client (<c>DELETE /api/v1/auth/grants/{client_id}</c>).</summary>
    public const string GrantRevoked = "grant_revoked";

    /// <summary>Revocations whose session's access tokens stop at once (the token validator remembers the session).</summary>
    public static bool EndsAccessTokens(string reason) => reason is TokenRevoked or GrantRevoked;

    public const string ClientDeleted = "client_deleted";
}

/// <summary>Lifetimes a family is issued with.</summary>
public sealed record SessionLifetimes(TimeSpan RefreshTokenLifetime, TimeSpan AbsoluteLifetime);
