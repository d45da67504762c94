using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.OAuth.Common;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// Signs OpenID Connect id_tokens (Core 1.0 section 2): <c>typ: JWT</c>, the same key and algorithm
/// as access tokens (ES256 or RS256, published in the JWKS), <c>aud</c> = the client id, and the
/// access token's lifetime.
/// </summary>
public sealed class JwtIdTokenIssuer(SigningKeyRing ring, IOptions<JwtOptions> options, TimeProvider clock) : IIdTokenIssuer
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

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
