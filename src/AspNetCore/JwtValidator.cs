// Longer than 150 lines because the validation parameters, the verified-token cache and the claims taken from a token must change together.
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// Checks an access token locally, as the server does: ES256 or RS256 only (so <c>alg: none</c>
/// and HMAC fail), the key chosen by <c>kid</c> among the published ones (never from <c>jku</c>,
/// <c>x5u</c> or <c>jwk</c> headers), <c>typ: at+jwt</c>, the configured <c>iss</c> and <c>aud</c>,
/// <c>exp</c> and <c>nbf</c> with a small leeway. A verified token is remembered (as it is, like the
/// server's own cache: it lives an hour and is in memory on every request anyway; API keys are
/// remembered only by their SHA-256) so that a busy caller's signature is checked once per
/// key-set generation; its lifetime is still checked on every request.
/// </summary>
internal sealed class JwtValidator
{
    private const int MaxTokenLength = 8192;
    private static readonly string[] Algorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly CredentialCache<Verified> _verified;
    private readonly JwksCache _keys;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _skew;
    private readonly string _scheme;

    public JwtValidator(AuthPlatformOptions options, string scheme, JwksCache keys, TimeProvider clock)
    {
        _scheme = scheme;
        _keys = keys;
        _clock = clock;
        _skew = options.ClockSkew;
        _verified = new CredentialCache<Verified>(options.MaxCachedCredentials, TokenComparer.Instance);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer ?? options.Authority,
            ValidAudience = options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = Algorithms,
            ValidTypes = ["at+jwt", "application/at+jwt"], // RFC 9068 section 4: refuses ID tokens and other JWTs
            ClockSkew = options.ClockSkew,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.Find(kid),
            LifetimeValidator = ValidateLifetime,
            NameClaimType = AuthPlatformDefaults.SubjectClaim,
            RoleClaimType = AuthPlatformDefaults.RoleClaim,
        };
    }

    private static readonly System.Buffers.SearchValues<char> JwtCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.");

    /// <summary>True for the shape of a JWS compact serialisation: three base64url parts.</summary>
    public static bool LooksLikeJwt(string credential) =>
        credential.AsSpan().IndexOfAnyExcept(JwtCharacters) < 0 && credential.AsSpan().Count('.') == 2;

    public async ValueTask<Outcome> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength)
        {
            return Malformed;
        }

        if (_verified.TryGet(token, out var known) && known.Generation == _keys.Current.Generation)
        {
            var now = _clock.GetUtcNow();
            if (known.ExpiresAt + _skew < now)
            {
                return Expired;
            }

            if (known.NotBefore - _skew <= now)
            {
                return known.Outcome;
            }
        }

        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Malformed; // SecurityTokenMalformedException is an ArgumentException
        }

        var keys = await _keys.GetAsync(jwt.Kid, cancellationToken);
        if (keys.Keys.Count == 0)
        {
            return Outcome.Refused(AuthPlatformErrors.ServiceUnavailable, "The authorization server's signing keys could not be fetched.");
        }

        var result = await _handler.ValidateTokenAsync(jwt, _parameters);
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenExpiredException => Expired,
                SecurityTokenSignatureKeyNotFoundException => Outcome.Refused(AuthPlatformErrors.InvalidToken, "The access token is signed with an unknown key."),
                _ => Invalid,
            };
        }

        var accepted = Outcome.Accepted(ClaimsOf(jwt), _scheme);
        _verified.Set(token, new Verified(accepted, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero), keys.Generation));
        return accepted;
    }

    private static readonly Outcome Malformed = Outcome.Refused(AuthPlatformErrors.InvalidToken, "The access token is malformed.");

    private static readonly Outcome Invalid = Outcome.Refused(AuthPlatformErrors.InvalidToken, "The access token is invalid.");

    private static readonly Outcome Expired = Outcome.Refused(AuthPlatformErrors.TokenExpired, "The access token has expired.");

    private static List<Claim> ClaimsOf(JsonWebToken jwt)
    {
        var claims = new List<Claim> { new(AuthPlatformDefaults.SubjectClaim, jwt.Subject ?? string.Empty) };
        jwt.TryGetPayloadValue<string>("client_id", out var clientId);
        claims.Add(new Claim(AuthPlatformDefaults.MethodClaim, clientId is null ? "jwt" : "oauth"));
        if (clientId is not null)
        {
            claims.Add(new Claim(AuthPlatformDefaults.ClientIdClaim, clientId));
        }

        if (jwt.TryGetPayloadValue<string>("scope", out var scope) && scope is not null)
        {
            claims.AddRange(scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(AuthPlatformDefaults.ScopeClaim, s)));
        }

        if (jwt.TryGetPayloadValue<string>("role", out var role) && role is not null)
        {
            claims.Add(new Claim(AuthPlatformDefaults.RoleClaim, role));
        }

        claims.AddRange(jwt.Claims.Where(c => c.Type == "amr").Select(c => new Claim("amr", c.Value)));
        if (!string.IsNullOrEmpty(jwt.Id))
        {
            claims.Add(new Claim("jti", jwt.Id));
        }

        return claims;
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (expires.Value + parameters.ClockSkew < now)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        if (notBefore is { } nbf && nbf - parameters.ClockSkew > now)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
        }

        return true;
    }

    private sealed record Verified(Outcome Outcome, DateTimeOffset ExpiresAt, DateTimeOffset NotBefore, int Generation);
}
