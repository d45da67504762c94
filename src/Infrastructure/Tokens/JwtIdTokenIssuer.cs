using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.OAuth.Common;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// Signs OpenID Connect id_tokens (Core 1.0 section 2): <c>typ: JWT</c>, the same key and algorithm
/// as access tokens (ES256 or RS256, published in the JWKS), <c>aud</c> = the client id, and the
/// access token's lifetime. Also reads them back as <c>id_token_hint</c>s (<see cref="IIdTokenHints"/>):
/// signature by a published key of ours (by <c>kid</c>, ES256 or RS256 only), <c>iss</c> and
/// <c>typ: JWT</c> checked, lifetime not (an expired id_token is still a hint of who signed out).
/// </summary>
public sealed class JwtIdTokenIssuer(SigningKeyRing ring, IOptions<JwtOptions> options, TimeProvider clock) : IIdTokenIssuer, IIdTokenHints
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    public async Task<IdTokenHint?> ReadAsync(string idToken, CancellationToken cancellationToken)
    {
        if (idToken.Length > 8192)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer,
            ValidateIssuer = true,
            ValidateAudience = false, // read below: the audience is the client the hint names
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            ValidTypes = ["JWT"],
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.FindValidationKeys(kid),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || string.IsNullOrEmpty(jwt.Subject))
        {
            return null;
        }

        var audiences = jwt.Audiences.ToList();
        return audiences.Count == 1 && !string.IsNullOrEmpty(audiences[0]) ? new IdTokenHint(jwt.Subject, audiences[0]) : null;
    }

    public async Task<string> IssueAsync(IdTokenRequest request, CancellationToken cancellationToken)
    {
        var jwt = options.Value;
        var now = clock.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = request.UserId.ToString(),
            [JwtRegisteredClaimNames.AuthTime] = request.AuthenticatedAt.ToUnixTimeSeconds(),
            [JwtRegisteredClaimNames.Amr] = request.AuthenticationMethods.ToArray(),
        };
        if (request.Nonce is not null)
        {
            claims[JwtRegisteredClaimNames.Nonce] = request.Nonce;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = request.ClientId,
            IssuedAt = now.UtcDateTime,
            Expires = (now + jwt.AccessTokenLifetime).UtcDateTime,
            TokenType = "JWT",
            Claims = claims,
            SigningCredentials = await ring.GetSigningCredentialsAsync(cancellationToken),
        };
        return _handler.CreateToken(descriptor);
    }
}
