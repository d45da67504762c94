// Longer than 150 lines because the hot-path validator and its verified-token cache must change together (ADR 0006).
using System.Collections.Concurrent;
using System.Security.Claims;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// Validates access tokens against the published keys only: the key is chosen by <c>kid</c>
/// among our own, never from <c>jku</c>, <c>x5u</c> or <c>jwk</c> headers (JWT-02); only
/// asymmetric algorithms are accepted, so <c>alg: none</c> and HS256 fail (JWT-01). A token
/// whose security-stamp fingerprint is no longer its user's is refused (<see cref="SecurityStampCache"/>),
/// also when it is remembered as verified.
/// </summary>
public sealed class JwtAccessTokenValidator : IAccessTokenValidator
{
    private const int MaxCachedTokens = 20_000;
    private static readonly string[] Algorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly ConcurrentDictionary<string, Verified> _validated = new(TokenComparer.Instance);
    private readonly ConcurrentDictionary<string, Verified>.AlternateLookup<ReadOnlySpan<char>> _remembered;
    private readonly SigningKeyRing _ring;
    private readonly SecurityStampCache _stamps;
    private readonly RevokedClientCache _revokedClients;
    private readonly RevokedAccessTokenCache _revokedTokens;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _skew;

    public JwtAccessTokenValidator(
        SigningKeyRing ring, SecurityStampCache stamps, RevokedClientCache revokedClients, IOptions<JwtOptions> options, TimeProvider clock,
        RevokedAccessTokenCache revokedTokens)
    {
        _remembered = _validated.GetAlternateLookup<ReadOnlySpan<char>>();
        _revokedClients = revokedClients;
        _revokedTokens = revokedTokens;
        var jwt = options.Value;
        _ring = ring;
        _stamps = stamps;
        _clock = clock;
        _skew = jwt.ClockSkew;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = jwt.ClockSkew,
            ValidAlgorithms = Algorithms,
            ValidTypes = [AccessTokenClaims.TokenType, "application/" + AccessTokenClaims.TokenType], // RFC 9068 section 4
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.FindValidationKeys(kid),
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                if (expires is null)
                {
                    // Not expired but unacceptable: invalid_token, not token_expired (SPEC section 2).
                    throw new SecurityTokenNoExpirationException("The token has no expiry.");
                }

                if (expires.Value + p.ClockSkew < now)
                {
                    throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
                }

                if (notBefore is { } nbf && nbf - p.ClockSkew > now)
                {
                    throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
                }

                return true;
            },
            NameClaimType = JwtRegisteredClaimNames.Sub,
            RoleClaimType = AccessTokenClaims.Role,
        };
    }

    /// <summary>Forgets every token remembered as verified: each is checked in full once more.</summary>
    public void ForgetAll() => _validated.Clear();

    public bool LooksLikeJwt(ReadOnlySpan<char> token)
    {
        var dots = 0;
        foreach (var c in token)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '='))
            {
                return false;
            }
        }

        return dots == 2;
    }

    /// <summary>
    /// A token whose signature and claims were verified is remembered (the exact string, with the
    /// key-ring generation it was checked against) so that the next request with it skips the
    /// signature check; its lifetime is still checked against the clock on every request.
    /// </summary>
    public async Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > 8192)
        {
            return new TokenValidation(null, ErrorCodes.InvalidToken, "The access token is malformed.");
        }

        var generation = _ring.Generation;
        if (TryValidateRemembered(token, out var remembered))
        {
            return remembered;
        }

        var validation = await ValidateUncachedAsync(token);
        if (!validation.Result.IsValid)
        {
            return validation.Result;
        }

        if (_validated.Count >= MaxCachedTokens)
        {
            // Bounded memory: start over rather than track recency on the hot path.
            _validated.Clear();
        }

        _validated[token] = new Verified(validation.Result, validation.ExpiresAt, validation.NotBefore, generation, validation.StampOwner, validation.Stamp);
        return StillAccepted(validation.StampOwner, validation.Stamp, validation.Result);
    }

    public bool TryValidateRemembered(ReadOnlySpan<char> token, out TokenValidation validation)
    {
        if (_remembered.TryGetValue(token, out var verified) && verified.Generation == _ring.Generation)
        {
            var now = _clock.GetUtcNow();
            if (verified.ExpiresAt < now - _skew)
            {
                validation = Expired;
                return true;
            }

            if (verified.NotBefore <= now + _skew)
            {
                validation = StillAccepted(verified.StampOwner, verified.Stamp, verified.Result);
                return true;
            }
        }

        validation = Expired;
        return false;
    }

    /// <summary>
    /// What changed since the token was signed: the security stamp of its user (or, for a client's
    /// own token, of the user who owns the client), or the deletion of the client it was issued to
    /// (both from memory, ADR 0013 and ADR 0014), or the revocation of the token itself or of its
    /// session (<see cref="RevokedAccessTokenCache"/>).
    /// </summary>
    private TokenValidation StillAccepted(Guid? stampOwner, string? stamp, TokenValidation result)
    {
        var identity = result.Caller!.Identity;
        if (identity.ClientId is { } clientId && _revokedClients.IsRevoked(clientId, identity.IssuedAt))
        {
            return ClientRevoked;
        }

        if (_revokedTokens.IsRevoked(identity.TokenId, identity.SessionId))
        {
            return TokenRevoked;
        }

        return stampOwner is not { } user || _stamps.Accepts(user, stamp) ? result : StampChanged;
    }

    private static readonly TokenValidation ClientRevoked =
        new(null, ErrorCodes.InvalidToken, "The access token was revoked: its client was deleted.");

    private static readonly TokenValidation TokenRevoked = new(null, ErrorCodes.InvalidToken, "The access token was revoked.");

    private static readonly TokenValidation Expired = new(null, ErrorCodes.TokenExpired, "The access token has expired.");

    private static readonly TokenValidation StampChanged =
        new(null, ErrorCodes.InvalidToken, "The access token was revoked: the account's credentials or standing changed. Sign in again.");

    /// <summary>A JWT time claim (<see cref="DateTime.MinValue"/> when absent) as an instant, or null.</summary>
    private static DateTimeOffset? TimeOf(DateTime value) => value == DateTime.MinValue ? null : new DateTimeOffset(value, TimeSpan.Zero);

    private sealed record Verified(TokenValidation Result, DateTimeOffset ExpiresAt, DateTimeOffset NotBefore, int Generation, Guid? StampOwner, string? Stamp);

    /// <summary><c>StampOwner</c>: the user whose security stamp the token's <c>stamp</c> claim is (its user, or its client's owner).</summary>
    private async Task<(TokenValidation Result, DateTimeOffset ExpiresAt, DateTimeOffset NotBefore, Guid? StampOwner, string? Stamp)> ValidateUncachedAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            var failure = result.Exception is SecurityTokenExpiredException
                ? Expired
                : new TokenValidation(null, ErrorCodes.InvalidToken, "The access token is invalid.");
            return (failure, default, default, null, null);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        jwt.TryGetPayloadValue<string>(AccessTokenClaims.Scope, out var scope);
        jwt.TryGetPayloadValue<string>(AccessTokenClaims.ClientId, out var clientId);
        if (!ScopeSet.TryParse(scope, out var scopes))
        {
            return (new TokenValidation(null, ErrorCodes.InvalidToken, "The access token is invalid."), default, default, null, null);
        }

        if (!Guid.TryParse(jwt.Subject, out var userId))
        {
            // A client's own token (client credentials): sub is its client_id (RFC 9068 section 2.2).
            if (string.IsNullOrEmpty(clientId) || !string.Equals(jwt.Subject, clientId, StringComparison.Ordinal))
            {
                return (new TokenValidation(null, ErrorCodes.InvalidToken, "The access token is invalid."), default, default, null, null);
            }

            Guid? owner = jwt.TryGetPayloadValue<string>(AccessTokenClaims.Owner, out var o) && Guid.TryParse(o, out var ownerId) ? ownerId : null;
            jwt.TryGetPayloadValue<string>(AccessTokenClaims.SecurityStamp, out var ownerStamp);
            var client = new CallerIdentity(clientId, null, AuthMethods.OAuth, scopes, clientId, null, null, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero))
            {
                TokenId = jwt.Id, IssuedAt = TimeOf(jwt.IssuedAt), NotBefore = TimeOf(jwt.ValidFrom),
            };
            return (new TokenValidation(new CallerIdentityResult(client, null), null, null),
                new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero), owner, ownerStamp);
        }

        Guid? sessionId = jwt.TryGetPayloadValue<string>(AccessTokenClaims.SessionId, out var sid) && Guid.TryParse(sid, out var s) ? s : null;
        var amr = jwt.Claims.Where(c => c.Type == AccessTokenClaims.AuthenticationMethods).Select(c => c.Value).ToArray();
        DateTimeOffset? authTime = jwt.TryGetPayloadValue<long>(AccessTokenClaims.AuthTime, out var at) ? DateTimeOffset.FromUnixTimeSeconds(at) : null;
        jwt.TryGetPayloadValue<string>(AccessTokenClaims.Role, out var role);
        jwt.TryGetPayloadValue<string>(AccessTokenClaims.SecurityStamp, out var stamp);

        var identity = new CallerIdentity(
            jwt.Subject, userId, clientId is null ? AuthMethods.Jwt : AuthMethods.OAuth, scopes, clientId, null, sessionId, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), amr, authTime)
        {
            TokenId = jwt.Id, IssuedAt = TimeOf(jwt.IssuedAt), NotBefore = TimeOf(jwt.ValidFrom),
        };
        return (new TokenValidation(new CallerIdentityResult(identity, role), null, null),
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero), userId, stamp);
    }
}

/// <summary>
/// Compares tokens in full, but hashes only their last 64 characters (inside the signature,
/// which differs for every token signed): cheaper than hashing the whole token on every request.
/// </summary>
/// <summary>Tokens by their exact text, hashed on their last 64 characters (the signature's); looked up by span too, so a remembered token is found without copying it out of its header.</summary>
internal sealed class TokenComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    public static readonly TokenComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string token) => GetHashCode(token.AsSpan());

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) =>
        string.GetHashCode(alternate[Math.Max(0, alternate.Length - 64)..], StringComparison.Ordinal);

    public string Create(ReadOnlySpan<char> alternate) => new(alternate);
}
