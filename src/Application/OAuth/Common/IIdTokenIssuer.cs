namespace AuthPlatform.Application.OAuth.Common;

/// <summary>What an OpenID Connect id_token says (Core 1.0 section 2): the user, to the client, about the sign-in.</summary>
public sealed record IdTokenRequest(
    Guid UserId,
    string ClientId,
    string? Nonce,
    DateTimeOffset AuthenticatedAt,
    IReadOnlyCollection<string> AuthenticationMethods);

/// <summary>Signs id_tokens (<c>typ: JWT</c>) with the current signing key, like access tokens.</summary>
public interface IIdTokenIssuer
{
    Task<string> IssueAsync(IdTokenRequest request, CancellationToken cancellationToken);
}

/// <summary>What an id_token presented back to us says: whose it is and for which client.</summary>
public sealed record IdTokenHint(string Subject, string ClientId);

/// <summary>
/// Reads an <c>id_token_hint</c> (OpenID Connect RP-Initiated Logout 1.0 section 2): one we signed
/// (our keys, our <c>iss</c>, <c>typ: JWT</c>), whatever its lifetime: an expired id_token is still a
/// good hint. Null when it is not ours, tampered or malformed.
/// </summary>
public interface IIdTokenHints
{
    Task<IdTokenHint?> ReadAsync(string idToken, CancellationToken cancellationToken);
}
