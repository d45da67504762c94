// Longer than 150 lines because the code's bindings (client, redirect URI, PKCE, nonce) and its single use are checked together over private setters.
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

/// <summary>What presenting a code came to.</summary>
public enum CodeRedemptionOutcome
{
    /// <summary>First use, in time: the caller issues tokens and records them with <see cref="AuthorizationCode.RecordIssued"/>.</summary>
    Redeemed,

    /// <summary>Second use (RFC 6749 4.1.2): refused, and what the first use issued must be revoked.</summary>
    ReuseDetected,

    Expired,
}

/// <summary>
/// An authorization code (RFC 6749 section 4.1): single-use, short-lived (at most
/// <see cref="MaxLifetime"/>), bound to the client, the redirect URI, the PKCE challenge (S256
/// only, RFC 7636) and the OpenID Connect nonce. Only its SHA-256 is stored. It remembers what its
/// redemption issued, so that a second use can revoke it. <see cref="Version"/> is a concurrency
/// token: two parallel redemptions cannot both be saved.
/// </summary>
public sealed class AuthorizationCode : AggregateRoot
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(60);
    public const string S256 = "S256";
    public const int MaxNonceLength = 512;

    private AuthorizationCode()
    {
    }

    public Guid Id { get; private set; }

    public string CodeHash { get; private set; } = string.Empty;

    /// <summary>The public client identifier (<see cref="OAuthClient.ClientId"/>).</summary>
    public string ClientId { get; private set; } = string.Empty;

    public Guid UserId { get; private set; }

    /// <summary>The redirect URI of the authorization request, as sent: the token request must repeat it.</summary>
    public string RedirectUri { get; private set; } = string.Empty;

    public ScopeSet Scopes { get; private set; } = ScopeSet.Empty;

    public string? CodeChallenge { get; private set; }

    public string? CodeChallengeMethod { get; private set; }

    public string? Nonce { get; private set; }

    /// <summary>When the user authenticated (the id_token's <c>auth_time</c>).</summary>
    public DateTimeOffset AuthTime { get; private set; }

    /// <summary>RFC 8176 values, space separated (the id_token's <c>amr</c>).</summary>
    public string AuthenticationMethods { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RedeemedAt { get; private set; }

    /// <summary>The refresh-token family the redemption started, if any: revoked when the code is used again.</summary>
    public Guid? IssuedFamilyId { get; private set; }

    /// <summary>The <c>jti</c> of the access token the redemption issued.</summary>
    public string? IssuedAccessTokenId { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<string> AuthenticationMethodList => AuthenticationMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static AuthorizationCode Issue(
        Guid id,
        string codeHash,
        string clientId,
        Guid userId,
        string redirectUri,
        ScopeSet scopes,
        string? codeChallenge,
        string? codeChallengeMethod,
        string? nonce,
        DateTimeOffset authTime,
        IReadOnlyCollection<string> authenticationMethods,
        TimeSpan lifetime,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(authenticationMethods);
        if (id == Guid.Empty || userId == Guid.Empty)
        {
            throw new DomainException("An authorization code needs an id and a user.");
        }

        Guard.Utc(now, nameof(now));
        Guard.Utc(authTime, nameof(authTime));
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new DomainException($"An authorization code lives at most {MaxLifetime.TotalSeconds} seconds.");
        }

        if (authTime > now)
        {
            throw new DomainException("The user cannot have authenticated after the code was issued.");
        }

        if (codeChallenge is null != codeChallengeMethod is null)
        {
            throw new DomainException("A code challenge comes with its method.");
        }

        if (codeChallengeMethod is not null and not S256)
        {
            throw new DomainException("Only the S256 code challenge method is supported (RFC 9700 2.1.1).");
        }

        if (codeChallenge is not null && (codeChallenge.Length != 43 || !codeChallenge.All(IsBase64UrlChar)))
        {
            throw new DomainException("An S256 code challenge is 43 base64url characters.");
        }

        if (nonce is { Length: 0 or > MaxNonceLength })
        {
            throw new DomainException($"A nonce is 1 to {MaxNonceLength} characters.");
        }

        return new AuthorizationCode
        {
            Id = id,
            CodeHash = Guard.NotBlank(codeHash, nameof(codeHash), 128),
            ClientId = Guard.NotBlank(clientId, nameof(clientId), 128),
            UserId = userId,
            RedirectUri = Guard.NotBlank(redirectUri, nameof(redirectUri), OAuthClientRules.MaxUriLength),
            Scopes = scopes,
            CodeChallenge = codeChallenge,
            CodeChallengeMethod = codeChallengeMethod,
            Nonce = nonce,
            AuthTime = authTime,
            AuthenticationMethods = string.Join(' ', authenticationMethods),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    /// <summary>True when the code was issued to <paramref name="clientId"/> for exactly <paramref name="redirectUri"/> (RFC 6749 4.1.3).</summary>
    public bool IsBoundTo(string clientId, string? redirectUri) =>
        string.Equals(ClientId, clientId, StringComparison.Ordinal) && string.Equals(RedirectUri, redirectUri, StringComparison.Ordinal);

    /// <summary>
    /// Uses the code once. A second presentation is reuse (<see cref="AuthorizationCodeReused"/>
    /// is raised; the caller revokes <see cref="IssuedFamilyId"/>); nothing else changes then.
    /// </summary>
    public CodeRedemptionOutcome Redeem(DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        if (RedeemedAt is not null)
        {
            Raise(new AuthorizationCodeReused(Id, UserId, ClientId, IssuedFamilyId));
            return CodeRedemptionOutcome.ReuseDetected;
        }

        if (now >= ExpiresAt)
        {
            return CodeRedemptionOutcome.Expired;
        }

        RedeemedAt = now;
        Version++;
        return CodeRedemptionOutcome.Redeemed;
    }

    /// <summary>Records what the redemption issued, so that a second use can revoke it.</summary>
    public void RecordIssued(Guid? familyId, string? accessTokenId)
    {
        if (RedeemedAt is null)
        {
            throw new DomainException("Only a redeemed code has issued tokens.");
        }

        if (IssuedFamilyId is not null || IssuedAccessTokenId is not null)
        {
            throw new DomainException("A code issues tokens once.");
        }

        IssuedFamilyId = familyId;
        IssuedAccessTokenId = accessTokenId is null ? null : Guard.NotBlank(accessTokenId, nameof(accessTokenId), 128);
    }

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
