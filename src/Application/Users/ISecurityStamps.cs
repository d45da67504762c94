namespace AuthPlatform.Application.Users;

/// <summary>
/// This instance's memory of the users whose security stamp changed within an access token's
/// lifetime: the JWT validator refuses a token whose stamp fingerprint is not the current one,
/// without a database read (ADR 0006, ADR 0013). Filled after each commit that rotates a stamp,
/// and at start-up from the database.
/// </summary>
public interface ISecurityStamps
{
    /// <summary>From now on, tokens of <paramref name="userId"/> must carry <paramref name="fingerprint"/>.</summary>
    void Remember(Guid userId, string fingerprint, DateTimeOffset rotatedAt);
}
