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

/// <summary>Signs access tokens: <c>typ: at+jwt</c>, ES256 (or RS256), with the current key of the ring.</summary>
public sealed class JwtAccessTokenIssuer(SigningKeyRing ring, IOptions<JwtOptions> options, TimeProvider clock) : IAccessTokenIssuer
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<IssuedAccessToken> IssueAsync(AccessTokenRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = request.UserId.ToString(),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            [AccessTokenClaims.Scope] = request.Scopes.ToString(),
            [AccessTokenClaims.AuthenticationMethods] = request.AuthenticationMethods.ToArray(),
            [AccessTokenClaims.AuthTime] = request.AuthenticatedAt.ToUnixTimeSeconds(),
            [AccessTokenClaims.SessionId] = request.SessionId.ToString(),
            [AccessTokenClaims.Role] = request.Role,
            [AccessTokenClaims.SecurityStamp] = request.StampFingerprint,
        };
        if (request.ClientId is not null)
        {
            claims[AccessTokenClaims.ClientId] = request.ClientId;
        }

        return await SignAsync(claims, now, cancellationToken);
    }

    /// <summary>A client's own token (client credentials): <c>sub</c> = <c>client_id</c> (RFC 9068 section 2.2), no user claims.</summary>
    public async Task<IssuedAccessToken> IssueForClientAsync(ClientAccessTokenRequest request, CancellationToken cancellationToken)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = request.ClientId,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            [AccessTokenClaims.ClientId] = request.ClientId,
            [AccessTokenClaims.Scope] = request.Scopes.ToString(),
        };
        if (request.OwnerId is { } owner && request.OwnerStampFingerprint is { } stamp)
        {
            claims[AccessTokenClaims.Owner] = owner.ToString();
            claims[AccessTokenClaims.SecurityStamp] = stamp;
        }

        return await SignAsync(claims, clock.GetUtcNow(), cancellationToken);
    }

    private async Task<IssuedAccessToken> SignAsync(Dictionary<string, object> claims, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jwt = options.Value;
        var expires = now + jwt.AccessTokenLifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            TokenType = AccessTokenClaims.TokenType,
            Claims = claims,
            SigningCredentials = await ring.GetSigningCredentialsAsync(cancellationToken),
        };
        var token = _handler.CreateToken(descriptor);
        return new IssuedAccessToken(token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()), (int)jwt.AccessTokenLifetime.TotalSeconds);
    }
}
