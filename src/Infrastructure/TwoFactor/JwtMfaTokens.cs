using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Infrastructure.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>
/// The <c>mfa_token</c>: a JWT signed with the token key ring, but with its own type
/// (<c>mfa+jwt</c>) and audience, so it is refused as an access token, and lives 5 minutes. It
/// carries the user's security-stamp fingerprint (refused once the stamp changes) and a
/// <c>jti</c>, spent by the login it completes (<see cref="SecondFactorStore.TrySpendMfaTokenAsync"/>).
/// </summary>
public sealed class JwtMfaTokens(SigningKeyRing ring, IOptions<Application.Common.Options.JwtOptions> jwt, TimeProvider clock) : IMfaTokens
{
    public const string TokenType = "mfa+jwt";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    private string Audience => jwt.Value.Audience + ":mfa";

    public async Task<IssuedMfaToken> IssueAsync(Guid userId, string stampFingerprint, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Value.Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            TokenType = TokenType,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                [AccessTokenClaims.SecurityStamp] = stampFingerprint,
            },
            SigningCredentials = await ring.GetSigningCredentialsAsync(cancellationToken),
        });
        return new IssuedMfaToken(token, (int)Lifetime.TotalSeconds);
    }

    public async Task<MfaTokenClaims?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = jwt.Value.Issuer,
            ValidAudience = Audience,
            ValidTypes = [TokenType],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.FindValidationKeys(kid),
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && exp > clock.GetUtcNow().UtcDateTime && (notBefore is null || notBefore <= clock.GetUtcNow().UtcDateTime),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken mfa || !Guid.TryParse(mfa.Subject, out var userId)
            || string.IsNullOrEmpty(mfa.Id) || mfa.Id.Length > SpentMfaToken.MaxIdLength)
        {
            return null;
        }

        mfa.TryGetPayloadValue<string>(AccessTokenClaims.SecurityStamp, out var stamp);
        return new MfaTokenClaims(userId, stamp, mfa.Id, new DateTimeOffset(mfa.ValidTo, TimeSpan.Zero));
    }
}
