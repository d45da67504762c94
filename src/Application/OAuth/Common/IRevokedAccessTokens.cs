namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// Access tokens that must stop before their <c>exp</c>, remembered by this instance's token
/// validator (no database read per request, like <see cref="IRevokedClients"/>): one token by its
/// <c>jti</c> (RFC 7009 revocation of an access token), or every token of a session by its
/// <c>sid</c> (a refresh-token family ended by revocation or by withdrawn consent).
/// </summary>
public interface IRevokedAccessTokens
{
    /// <summary>Refuses the token with this <c>jti</c> until <paramref name="expiresAt"/>, when it would stop anyway.</summary>
    void RememberToken(string tokenId, DateTimeOffset expiresAt);

    /// <summary>Refuses every access token whose <c>sid</c> is <paramref name="sessionId"/>, issued before <paramref name="revokedAt"/>.</summary>
    void RememberSession(Guid sessionId, DateTimeOffset revokedAt);
}
