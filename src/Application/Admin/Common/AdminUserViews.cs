using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;
using MapsterMapper;

namespace AuthPlatform.Application.Admin.Common;

/// <summary>
/// Builds what administrators see of users: the profile and standing from the user, whether a
/// lockout holds from the attempt budgets, which are kept per account key, not per user.
/// </summary>
public sealed class AdminUserViews(IAccountLockReader locks, ISecretGenerator secrets, IMapper mapper, TimeProvider clock)
{
    /// <summary>
    /// The key of an account's attempt budgets: the SHA-256 of its normalised e-mail address, as
    /// <see cref="Users.SignInAttempts"/> claims them (an unlock clears the budgets of this key).
    /// </summary>
    public string AccountKey(string email) => Users.SignInAttempts.AccountKey(secrets, email);

    public async Task<AdminUserResponse> DescribeAsync(User user, CancellationToken cancellationToken) =>
        (await WithLocksAsync([mapper.Map<AdminUserResponse>(user)], cancellationToken))[0];

    /// <summary>The same users, each with whether a lockout holds now and until when.</summary>
    public async Task<IReadOnlyList<AdminUserResponse>> WithLocksAsync(IReadOnlyList<AdminUserResponse> users, CancellationToken cancellationToken)
    {
        var keys = users.ToDictionary(u => u.Id, u => AccountKey(u.Email));
        var locked = await locks.LockedUntilAsync(keys.Values.Distinct().ToList(), clock.GetUtcNow(), cancellationToken);
        return users
            .Select(u => locked.TryGetValue(keys[u.Id], out var until) ? u with { Locked = true, LockedUntil = until } : u with { Locked = false, LockedUntil = null })
            .ToList();
    }
}
