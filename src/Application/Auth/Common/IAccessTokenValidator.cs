using AuthPlatform.Application.Common.Security;

namespace AuthPlatform.Application.Auth.Common;

public sealed record TokenValidation(CallerIdentityResult? Caller, string? ErrorCode, string? ErrorDescription)
{
    public bool IsValid => Caller is not null;
}

/// <summary>The verified content of a credential.</summary>
public sealed record CallerIdentityResult(CallerIdentity Identity, string? Role);

/// <summary>Validates JWT access tokens against the published signing keys; no database read.</summary>
public interface IAccessTokenValidator
{
    /// <summary>Cheap shape test: three base64url segments.</summary>
    bool LooksLikeJwt(ReadOnlySpan<char> token);

    /// <summary>
    /// The answer from memory for a token verified lately, without allocating (its signature is not
    /// checked again; its lifetime, its revocation and its account's security stamp are); false when
    /// the token is not remembered and only <see cref="ValidateAsync"/> can tell.
    /// </summary>
    bool TryValidateRemembered(ReadOnlySpan<char> token, out TokenValidation validation);

    Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken);
}
