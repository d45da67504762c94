using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Users;

/// <summary>Loads the user behind the caller's credential: the one way every use case does it.</summary>
public sealed class CallerAccounts(IUserRepository users)
{
    public static readonly Error NotAUser = new(ErrorCodes.Forbidden, "This call is for a user's own account.");
    public static readonly Error AccountNotFound = Error.NotFound("The account");

    /// <summary>The caller's account; <paramref name="withRecoveryCodes"/> loads its recovery codes too (2FA use cases).</summary>
    public async Task<Result<User>> LoadAsync(CallerIdentity caller, CancellationToken cancellationToken, bool withRecoveryCodes = false) =>
        caller.UserId is { } userId ? await LoadAsync(userId, cancellationToken, withRecoveryCodes) : NotAUser;

    public async Task<Result<User>> LoadAsync(Guid userId, CancellationToken cancellationToken, bool withRecoveryCodes = false)
    {
        var user = withRecoveryCodes
            ? await users.FindByIdWithRecoveryCodesAsync(userId, cancellationToken)
            : await users.FindByIdAsync(userId, cancellationToken);
        return user is null ? AccountNotFound : user;
    }
}
