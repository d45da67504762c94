using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.ServiceAccounts;

namespace AuthPlatform.Application.ServiceAccounts.Common;

/// <summary>
/// Who may manage a service account: its owner (the user who created it), and an administrator
/// (a caller holding the <c>admin</c> scope) every account. Anyone else is answered 404, as if it
/// did not exist; a deleted account does not exist.
/// </summary>
public static class ServiceAccountAccess
{
    public static readonly Error NotFound = Error.NotFound("The service account");

    public static bool IsAdministrator(CallerIdentity caller) => caller.Scopes.Contains(Scopes.Admin);

    /// <summary>The owner whose accounts a list shows: the caller, or everyone (null) for an administrator.</summary>
    public static Guid? ListedOwner(CallerIdentity caller) => IsAdministrator(caller) ? null : caller.UserId;

    public static bool MayManage(CallerIdentity caller, ServiceAccount account) =>
        !account.IsDeleted && (account.OwnerId == caller.UserId || IsAdministrator(caller));

    public static async Task<Result<ServiceAccount>> FindManageableAsync(
        this IServiceAccountRepository accounts, CallerIdentity caller, Guid id, CancellationToken cancellationToken)
    {
        if (caller.UserId is null)
        {
            return NotFound;
        }

        var account = await accounts.FindByIdAsync(id, cancellationToken);
        return account is not null && MayManage(caller, account) ? account : NotFound;
    }
}
