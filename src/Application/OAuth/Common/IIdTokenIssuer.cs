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
