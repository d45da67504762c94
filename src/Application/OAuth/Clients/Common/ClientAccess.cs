using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Clients.Common;

/// <summary>
/// Who may see and change a client: its owner, and a caller holding <c>admin</c> (clients are
/// server configuration an administrator must be able to inspect and remove). Anyone else gets
/// 404, as if the client did not exist.
/// </summary>
public static class ClientAccess
{
    public static readonly Error NotFound = Error.NotFound("The OAuth client");

    public static bool IsAdministrator(CallerIdentity caller) => caller.Scopes.Contains(Scopes.Admin, StringComparer.Ordinal);

    public static bool MaySee(CallerIdentity caller, OAuthClient client) =>
        caller.UserId is { } userId && (client.OwnerId == userId || IsAdministrator(caller));

    /// <summary>The client a call may read or change: found, and the caller's (or any, for an administrator).</summary>
    public static async Task<Result<OAuthClient>> FindVisibleAsync(
        this IOAuthClientRepository clients, CallerIdentity caller, Guid id, CancellationToken cancellationToken)
    {
        if (caller.UserId is null)
        {
            return CallerAccounts.NotAUser;
        }

        var client = await clients.FindByIdAsync(id, cancellationToken);
        return client is not null && MaySee(caller, client) ? client : NotFound;
    }

    /// <summary>The server's built-in client is kept by configuration (<c>OAuth:CliClient</c>): seen by an administrator, changed by nobody here.</summary>
    public static readonly Error BuiltInClient =
        new(ErrorCodes.Forbidden, "This is the server's built-in client of the authplatform CLI: its settings come from the server's configuration (OAuth__CliClient__Enabled), not from this API.");

    /// <summary>The client a call may change: visible to the caller (<see cref="FindVisibleAsync"/>) and not the server's built-in one.</summary>
    public static async Task<Result<OAuthClient>> FindChangeableAsync(
        this IOAuthClientRepository clients, CallerIdentity caller, Guid id, CancellationToken cancellationToken)
    {
        var client = await clients.FindVisibleAsync(caller, id, cancellationToken);
        return client.IsSuccess && client.Value.BuiltIn ? BuiltInClient : client;
    }

    /// <summary>
    /// Least privilege: a client never holds an API scope its registrant lacks (identity scopes
    /// such as <c>openid</c> are the user's to consent to, not the registrant's). Null when it holds none.
    /// </summary>
    public static Error? ScopeBeyondCaller(CallerIdentity caller, IEnumerable<string> scopes) =>
        scopes.FirstOrDefault(s => !OAuthIdentityScopes.Contains(s) && !caller.Scopes.Contains(s, StringComparer.Ordinal)) is { } missing
            ? new Error(ErrorCodes.InsufficientScope, $"You do not hold the '{missing}' scope, so a client of yours cannot either.")
            : null;

    /// <summary>Only an administrator marks a client first-party (the one kind allowed the password grant).</summary>
    public static readonly Error FirstPartyForAdministrators =
        new(ErrorCodes.Forbidden, "Only an administrator can mark a client first_party.");

    /// <summary>The registration rules between fields, as a validation failure (null when they hold).</summary>
    public static Error? BrokenGrantRules(OAuthClientType type, IReadOnlyCollection<string> grantTypes, int redirectUriCount, bool firstParty)
    {
        var problems = OAuthClientRules.CheckGrants(type, grantTypes, redirectUriCount, firstParty);
        return problems.Count == 0
            ? null
            : Error.Validation(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal));
    }
}
